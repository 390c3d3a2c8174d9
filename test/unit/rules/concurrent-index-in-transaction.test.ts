import { migrationRuleTests } from './migrationHarness';

const init = 'CREATE TABLE orders (id bigint PRIMARY KEY, status text);';
const knexBody = "exports.up = (knex) => knex.raw('CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)');\n";
const typeorm = (extra: string) => `import { MigrationInterface, QueryRunner } from 'typeorm';

export class OrdersStatus1700000000000 implements MigrationInterface {
${extra}  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`CREATE INDEX CONCURRENTLY "orders_status_idx" ON "orders" ("status")\`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`DROP INDEX CONCURRENTLY "orders_status_idx"\`);
  }
}
`;

migrationRuleTests('concurrent-index-in-transaction', {
  valid: [
    { files: { 'db/migrations/002_idx.sql': 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);' } },
    { files: { 'db/migrations/002_idx.sql': 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);' } },
    { files: { 'db/migrations/002_idx.sql': 'BEGIN;\nCREATE INDEX orders_status_idx ON orders (status);\nROLLBACK;\nDROP INDEX CONCURRENTLY orders_status_idx;' } },
    { name: 'Knex migration that opts out (CommonJS)', files: { 'db/migrations/20240301_status.js': 'exports.config = { transaction: false };\n' + knexBody } },
    { name: 'Knex migration that opts out (ESM)', files: { 'db/migrations/20240301_status.ts': "import type { Knex } from 'knex';\nexport const config = { transaction: false };\nexport async function up(knex: Knex): Promise<void> {\n  await knex.raw('CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)');\n}\n" } },
    { name: 'TypeORM migration with transaction = false', files: { 'src/migrations/1700000000000-OrdersStatus.ts': typeorm('  transaction = false;\n\n') } },
    { name: 'Sequelize CLI does not wrap migrations', files: { 'migrations/20240301-status.js': "module.exports = {\n  async up(queryInterface) {\n    await queryInterface.sequelize.query('CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)');\n  },\n};\n" } },
    { name: 'application code is not a migration', files: { 'src/admin/reindex.ts': "await pool.query('CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)');" } },
    { dialect: 'mysql', files: { 'db/migrations/002_idx.sql': 'START TRANSACTION;\nCREATE INDEX orders_status_idx ON orders (status);\nCOMMIT;' } },
  ],
  invalid: [
    {
      files: { 'db/migrations/001_init.sql': init, 'db/migrations/002_idx.sql': '-- add the index\nBEGIN;\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);\nCOMMIT;' },
      errors: [{ text: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)', message: ['refuses CREATE INDEX CONCURRENTLY inside a transaction block (BEGIN on line 2)', 'Move it after COMMIT'] }],
    },
    {
      files: { 'prisma/migrations/20240301000000_status/migration.sql': 'START TRANSACTION;\nDROP INDEX CONCURRENTLY "orders_status_idx";\nREINDEX INDEX CONCURRENTLY "orders_pkey";\nEND;' },
      errors: [
        { text: 'DROP INDEX CONCURRENTLY "orders_status_idx"', message: 'DROP INDEX CONCURRENTLY' },
        { text: 'REINDEX INDEX CONCURRENTLY "orders_pkey"', message: 'REINDEX … CONCURRENTLY' },
      ],
    },
    {
      name: 'Knex wraps migrations in a transaction by default',
      files: { 'db/migrations/20240301_status.js': knexBody },
      errors: [{ text: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)', message: ['Knex runs this migration inside a transaction', 'export `config = { transaction: false }` from this migration file'] }],
    },
    {
      name: 'Knex config with transaction: true does not opt out',
      files: { 'db/migrations/20240301_status.js': 'exports.config = { transaction: true };\n' + knexBody },
      errors: [{ text: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)', message: 'Knex' }],
    },
    {
      name: 'TypeORM wraps migrations by default',
      files: { 'src/migrations/1700000000000-OrdersStatus.ts': typeorm('') },
      errors: [
        { text: 'CREATE INDEX CONCURRENTLY "orders_status_idx" ON "orders" ("status")', message: ['TypeORM runs this migration inside a transaction', 'set `transaction = false` on this migration class', 'migrationsTransactionMode'] },
        { text: 'DROP INDEX CONCURRENTLY "orders_status_idx"', message: 'DROP INDEX CONCURRENTLY' },
      ],
    },
  ],
});
