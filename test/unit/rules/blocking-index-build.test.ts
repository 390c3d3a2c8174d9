import { migrationRuleTests } from './migrationHarness';

const init = 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, status text);';

migrationRuleTests('blocking-index-build', {
  valid: [
    { files: { 'db/migrations/001_init.sql': init + '\nCREATE INDEX orders_status_idx ON orders (status);' } },
    { files: { 'db/migrations/001_init.sql': init, 'db/migrations/002_idx.sql': 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);' } },
    { files: { 'db/migrations/001_init.sql': init, 'db/migrations/002_idx.sql': 'DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;' } },
    { files: { 'db/migrations/001_init.sql': init, 'db/migrations/002_idx.sql': 'REINDEX INDEX CONCURRENTLY orders_pkey;' } },
    // Prisma: the table is created earlier in the same migration folder
    { files: { 'prisma/migrations/20240101000000_init/migration.sql': init + '\nCREATE INDEX "orders_status_idx" ON "orders"("status");' } },
    // a script outside any migration folder is self-contained
    { files: { 'schema.sql': init + '\nCREATE INDEX orders_status_idx ON orders (status);' } },
    // a table that only a later migration creates cannot be an existing table
    { files: { 'db/migrations/001_idx.sql': 'CREATE INDEX audit_at_idx ON audit (at);', 'db/migrations/002_audit.sql': 'CREATE TABLE audit (at timestamptz);' }, check: 'db/migrations/001_idx.sql' },
    // dropping an index of a table created in this migration
    { files: { 'db/migrations/003_tmp.sql': 'CREATE TABLE tmp (a int);\nCREATE INDEX tmp_a_idx ON tmp (a);\nDROP INDEX tmp_a_idx;' } },
    { dialect: 'mysql', files: { 'db/migrations/001_init.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, status varchar(20));', 'db/migrations/002_idx.sql': 'CREATE INDEX orders_status_idx ON orders (status);' } },
  ],
  invalid: [
    {
      files: { 'db/migrations/001_init.sql': init, 'db/migrations/002_idx.sql': 'CREATE INDEX orders_status_idx ON orders (status);' },
      errors: [{
        text: 'CREATE INDEX orders_status_idx ON orders (status)',
        message: ['blocks every INSERT, UPDATE and DELETE on orders', 'Use CREATE INDEX CONCURRENTLY'],
        fixed: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
      }],
    },
    {
      name: 'numeric order: 10_ runs after 9_, so orders existed',
      files: { 'db/migrations/10_idx.sql': 'CREATE UNIQUE INDEX orders_status_idx ON orders (status);', 'db/migrations/9_init.sql': init },
      check: 'db/migrations/10_idx.sql',
      errors: [{ text: 'CREATE UNIQUE INDEX orders_status_idx ON orders (status)', fixed: 'CREATE UNIQUE INDEX CONCURRENTLY orders_status_idx ON orders (status);' }],
    },
    {
      name: 'a table no migration creates predates them',
      files: { 'schema.sql': 'CREATE INDEX legacy_a_idx ON legacy (a);' },
      errors: [{ text: 'CREATE INDEX legacy_a_idx ON legacy (a)', message: 'legacy' }],
    },
    {
      files: { 'db/migrations/001_init.sql': init + '\nCREATE INDEX orders_status_idx ON orders (status);', 'db/migrations/002_drop.sql': 'DROP INDEX orders_status_idx;' },
      errors: [{ text: 'DROP INDEX orders_status_idx', message: ['ACCESS EXCLUSIVE lock on orders', 'DROP INDEX CONCURRENTLY'], fixed: 'DROP INDEX CONCURRENTLY orders_status_idx;' }],
    },
    {
      files: { 'db/migrations/001_init.sql': init, 'db/migrations/002_re.sql': 'REINDEX TABLE orders;\nREINDEX (VERBOSE) DATABASE app;' },
      errors: [
        { text: 'REINDEX TABLE orders', message: 'REINDEX TABLE CONCURRENTLY', fixed: 'REINDEX TABLE CONCURRENTLY orders;\nREINDEX (VERBOSE) DATABASE app;' },
        { text: 'REINDEX (VERBOSE) DATABASE app', message: 'REINDEX DATABASE CONCURRENTLY', fixed: null },
      ],
    },
    {
      name: 'inside BEGIN … COMMIT: no in-place fix, the message says to move it',
      files: { 'db/migrations/001_init.sql': init, 'db/migrations/002_idx.sql': 'BEGIN;\nCREATE INDEX orders_status_idx ON orders (status);\nCOMMIT;' },
      errors: [{ text: 'CREATE INDEX orders_status_idx ON orders (status)', message: 'after the COMMIT', fixed: null }],
    },
    {
      name: 'Prisma: a later migration folder indexes a table an earlier one created',
      files: {
        'prisma/migrations/20240101000000_init/migration.sql': init,
        'prisma/migrations/20240301000000_status/migration.sql': 'CREATE INDEX "orders_status_idx" ON "orders"("status");',
      },
      errors: [{ text: 'CREATE INDEX "orders_status_idx" ON "orders"("status")' }],
    },
    {
      name: 'Knex migration with embedded SQL: reported on the literal, no text fix',
      files: {
        'db/migrations/20240101000000_init.sql': init,
        'db/migrations/20240301000000_status.js': "exports.up = (knex) => knex.raw('CREATE INDEX orders_status_idx ON orders (status)');\nexports.down = (knex) => knex.raw('DROP INDEX orders_status_idx');\n",
      },
      errors: [
        { text: 'CREATE INDEX orders_status_idx ON orders (status)', fixed: null },
        { text: 'DROP INDEX orders_status_idx', fixed: null },
      ],
    },
  ],
});
