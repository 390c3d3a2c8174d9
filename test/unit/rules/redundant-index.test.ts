import { migrationRuleTests } from './migrationHarness';

const orders = 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, status text, email text, created_at timestamptz, total numeric);';
const one = (sql: string) => ({ files: { 'schema.sql': `${orders}\n${sql}` } });

migrationRuleTests('redundant-index', {
  valid: [
    one('CREATE INDEX a ON orders (customer_id, created_at);\nCREATE INDEX b ON orders (created_at);'),
    one("CREATE INDEX a ON orders (customer_id) WHERE status = 'PENDING';\nCREATE INDEX b ON orders (customer_id, created_at);"),
    one("CREATE INDEX a ON orders (customer_id);\nCREATE INDEX b ON orders (customer_id, created_at) WHERE status = 'PENDING';"),
    one('CREATE INDEX a ON orders USING hash (customer_id);\nCREATE INDEX b ON orders (customer_id, created_at);'),
    one('CREATE INDEX a ON orders (email text_pattern_ops);\nCREATE INDEX b ON orders (email, created_at);'),
    one('CREATE INDEX a ON orders (email COLLATE "C");\nCREATE INDEX b ON orders (email);'),
    one('CREATE INDEX a ON orders (created_at DESC);\nCREATE INDEX b ON orders (created_at, id);'),
    one('CREATE UNIQUE INDEX a ON orders (email);\nCREATE INDEX b ON orders (email, created_at);'),
    one('CREATE INDEX a ON orders (customer_id) INCLUDE (total);\nCREATE INDEX b ON orders (customer_id, created_at);'),
    one('CREATE INDEX a ON orders (lower(email));\nCREATE INDEX b ON orders (email);'),
    one('CREATE INDEX a ON orders (customer_id);\nDROP INDEX a;\nCREATE INDEX b ON orders (customer_id, created_at);'),
    // reported in the file that declares the redundant index, not elsewhere
    { files: { 'db/migrations/001.sql': `${orders}\nCREATE INDEX a ON orders (customer_id);`, 'db/migrations/002.sql': 'CREATE INDEX CONCURRENTLY b ON orders (customer_id, created_at);' } },
  ],
  invalid: [
    {
      ...one('CREATE INDEX orders_customer_idx ON orders (customer_id);\nCREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at);'),
      errors: [{ text: 'CREATE INDEX orders_customer_idx ON orders (customer_id)', message: ['orders_customer_idx on orders is redundant', 'orders_customer_created_idx (customer_id, created_at) leads with the same keys', 'INSERT, UPDATE and DELETE'] }],
    },
    {
      ...one('CREATE INDEX a ON orders (status, created_at);\nCREATE INDEX b ON orders (status, created_at);'),
      errors: [{ text: 'CREATE INDEX b ON orders (status, created_at)', message: 'a (status, created_at) already indexes the same keys' }],
    },
    {
      ...one('CREATE INDEX orders_id_idx ON orders (id);'),
      errors: [{ text: 'CREATE INDEX orders_id_idx ON orders (id)', message: 'the primary key (id) already indexes the same keys' }],
    },
    {
      files: { 'schema.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text UNIQUE, org_id bigint);\nCREATE UNIQUE INDEX users_email_idx ON users (email);' },
      errors: [{ text: 'CREATE UNIQUE INDEX users_email_idx ON users (email)', message: 'the unique constraint (email)' }],
    },
    {
      ...one("CREATE INDEX a ON orders (email text_pattern_ops) WHERE status = 'X';\nCREATE INDEX b ON orders (email text_pattern_ops, id) INCLUDE (total) WHERE status = 'X';\nCREATE INDEX c ON orders USING gin (to_tsvector('simple', email));\nCREATE INDEX d ON orders USING gin (to_tsvector('simple', email));"),
      errors: [{ text: "CREATE INDEX a ON orders (email text_pattern_ops) WHERE status = 'X'" }, { text: "CREATE INDEX d ON orders USING gin (to_tsvector('simple', email))" }],
    },
    {
      name: 'Prisma migration: the redundant index is reported in the migration that adds it',
      files: {
        'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "Post" ("id" SERIAL NOT NULL, "authorId" INTEGER NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\nCREATE INDEX "Post_authorId_createdAt_idx" ON "Post"("authorId", "createdAt");',
        'prisma/migrations/20240201000000_author/migration.sql': 'CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");',
      },
      errors: [{ text: 'CREATE INDEX "Post_authorId_idx" ON "Post"("authorId")', message: 'Post_authorId_createdAt_idx' }],
    },
    {
      dialect: 'mysql',
      files: { 'schema.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, created_at datetime, KEY idx_cust_created (customer_id, created_at));\nCREATE INDEX idx_cust ON orders (customer_id);' },
      errors: [{ text: 'CREATE INDEX idx_cust ON orders (customer_id)', message: 'idx_cust_created' }],
    },
  ],
});
