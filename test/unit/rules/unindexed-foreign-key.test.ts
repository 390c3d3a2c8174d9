import { migrationRuleTests } from './migrationHarness';

const parents = 'CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);';

migrationRuleTests('unindexed-foreign-key', {
  valid: [
    { files: { 'schema.sql': `${parents}\nCREATE TABLE items (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));\nCREATE INDEX items_order_id_idx ON items (order_id);` } },
    { files: { 'schema.sql': `${parents}\nCREATE TABLE items (order_id bigint REFERENCES orders (id), n int, PRIMARY KEY (order_id, n));` } },
    { files: { 'schema.sql': `${parents}\nCREATE TABLE items (a bigint, b bigint, FOREIGN KEY (a, b) REFERENCES pairs (x, y));\nCREATE INDEX items_b_a_created_idx ON items (b, a, n);` } },
    // the index arrives in a later migration: the foreign key is covered once all migrations ran
    { files: { 'db/migrations/001.sql': `${parents}\nALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);`, 'db/migrations/002.sql': 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);' }, check: 'db/migrations/001.sql' },
  ],
  invalid: [
    {
      files: { 'schema.sql': `${parents}\nCREATE TABLE items (\n  id bigint PRIMARY KEY,\n  order_id bigint NOT NULL REFERENCES orders (id)\n);` },
      errors: [{
        text: 'order_id bigint NOT NULL REFERENCES orders (id)',
        message: ['Foreign key items (order_id) → orders has no index leading with order_id', 'every DELETE or key update on orders scans items'],
        ddl: 'CREATE INDEX items_order_id_idx ON items (order_id);',
      }],
    },
    {
      name: 'an index that does not lead with the columns, a partial index, and a GIN index do not count',
      files: { 'schema.sql': `${parents}\nCREATE TABLE items (id bigint PRIMARY KEY, order_id bigint, sku text, CONSTRAINT items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id));\nCREATE INDEX a ON items (sku, order_id);\nCREATE INDEX b ON items (order_id) WHERE sku IS NOT NULL;\nCREATE INDEX c ON items USING gin (order_id);` },
      errors: [{ text: 'CONSTRAINT items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id)', ddl: 'CREATE INDEX items_order_id_idx ON items (order_id);' }],
    },
    {
      files: { 'db/migrations/001.sql': parents, 'db/migrations/002.sql': 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);' },
      errors: [{ text: 'CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)', message: 'customers' }],
    },
    {
      name: 'Prisma migration',
      files: { 'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "User" ("id" SERIAL NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "Post" ("id" SERIAL NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;' },
      errors: [{ text: 'CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE', ddl: 'CREATE INDEX post_authorid_idx ON "Post" ("authorId");' }],
    },
    {
      dialect: 'mysql',
      files: { 'schema.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY);\nCREATE TABLE items (id bigint PRIMARY KEY, order_id bigint, FOREIGN KEY (order_id) REFERENCES orders (id));' },
      errors: [{ text: 'CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint, FOREIGN KEY (order_id) REFERENCES orders (id))' }],
    },
  ],
});
