import { strict as assert } from 'assert';
import { buildCatalog, emptyCatalog, findTable } from '../../src/core/schema/catalog';
import type { Catalog, IndexDef } from '../../src/core/schema/types';

const one = (text: string, dialect: 'postgresql' | 'mysql' = 'postgresql') => buildCatalog([{ file: 'schema.sql', text }], dialect);
const index = (c: Catalog, table: string, name: string): IndexDef => {
  const ix = findTable(c, table)!.indexes.find((i) => i.name === name);
  assert.ok(ix, `index ${name} on ${table}; have ${findTable(c, table)?.indexes.map((i) => i.name).join(', ')}`);
  return ix!;
};

describe('schema catalog', () => {
  it('reads CREATE TABLE columns, types, NOT NULL, DEFAULT, inline constraints', () => {
    const c = one(`CREATE TABLE IF NOT EXISTS public.users (
      id bigserial PRIMARY KEY,
      email varchar(255) NOT NULL UNIQUE,
      org_id integer REFERENCES orgs (id) ON DELETE CASCADE,
      price numeric(10, 2) DEFAULT 0.00 NOT NULL,
      created_at timestamp with time zone NOT NULL DEFAULT now(),
      tags text[]
    );`);
    const t = findTable(c, 'users')!;
    assert.equal(t.schema, 'public');
    assert.deepEqual(t.columns.map((x) => [x.name, x.type, x.notNull]), [
      ['id', 'bigserial', true],
      ['email', 'varchar(255)', true],
      ['org_id', 'integer', false],
      ['price', 'numeric(10,2)', true],
      ['created_at', 'timestamp with time zone', true],
      ['tags', 'text[]', false],
    ]);
    assert.equal(t.columns[3].default, '0.00');
    assert.equal(t.columns[4].default, 'now()');
    assert.deepEqual(t.columns[2].references, { table: 'orgs', column: 'id' });
    assert.deepEqual(t.primaryKey, ['id']);
    assert.deepEqual(t.uniques, [['email']]);
    assert.deepEqual(t.foreignKeys.map(({ source: _s, ...fk }) => fk), [{ columns: ['org_id'], refTable: 'orgs', refColumns: ['id'] }]);
    const pk = index(c, 'users', 'users_pkey');
    assert.deepEqual([pk.keys, pk.unique, pk.implicit], [[{ column: 'id' }], true, true]);
    assert.deepEqual(index(c, 'users', 'users_email_key').keys, [{ column: 'email' }]);
    assert.deepEqual(c.problems, []);
  });

  it('reads table-level PRIMARY KEY, UNIQUE, FOREIGN KEY and named constraints', () => {
    const c = one(`CREATE TABLE order_items (
      order_id bigint NOT NULL, product_id bigint NOT NULL, sku text, qty int CHECK (qty > 0),
      CONSTRAINT order_items_pk PRIMARY KEY (order_id, product_id),
      CONSTRAINT order_items_sku UNIQUE (order_id, sku),
      FOREIGN KEY (order_id) REFERENCES orders (id),
      CONSTRAINT fk_product FOREIGN KEY (product_id) REFERENCES catalog.products (id)
    )`);
    const t = findTable(c, 'order_items')!;
    assert.deepEqual(t.primaryKey, ['order_id', 'product_id']);
    assert.deepEqual(index(c, 'order_items', 'order_items_pk').keys, [{ column: 'order_id' }, { column: 'product_id' }]);
    assert.deepEqual(index(c, 'order_items', 'order_items_sku').keys, [{ column: 'order_id' }, { column: 'sku' }]);
    assert.deepEqual(t.uniques, [['order_id', 'sku']]);
    assert.deepEqual(t.foreignKeys.map((f) => [f.columns, f.refTable, f.refColumns]), [
      [['order_id'], 'orders', ['id']],
      [['product_id'], 'products', ['id']],
    ]);
    assert.deepEqual(t.columns.map((x) => x.name), ['order_id', 'product_id', 'sku', 'qty']);
  });

  it('keeps quoted names case-sensitive and finds tables however they are written', () => {
    const c = one(`CREATE TABLE "App"."UserAccount" ("Id" int PRIMARY KEY, "displayName" text)`);
    const t = findTable(c, 'useraccount')!;
    assert.equal(t.name, 'UserAccount');
    assert.equal(t.schema, 'App');
    assert.deepEqual(t.columns.map((x) => x.name), ['Id', 'displayName']);
    assert.equal(findTable(c, '"App"."UserAccount"'), t);
    assert.equal(findTable(c, 'app.USERACCOUNT'), t);
    assert.equal(findTable(c, 'other.useraccount'), undefined);
    assert.equal(findTable(c, 'nope'), undefined);
  });

  it('finds tables in the public schema by qualified, quoted or upper-case name', () => {
    const c = one('CREATE TABLE users (id int)');
    assert.ok(findTable(c, 'public.users'));
    assert.ok(findTable(c, '"users"'));
    assert.ok(findTable(c, 'USERS'));
  });

  it('reads CREATE INDEX with UNIQUE, CONCURRENTLY, IF NOT EXISTS, USING, DESC, INCLUDE and WHERE', () => {
    const c = one(`CREATE TABLE orders (id int, user_id int, status text, total numeric, created_at timestamptz);
      CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS orders_user_created ON public.orders USING btree (user_id, created_at DESC NULLS LAST)
        INCLUDE (total, status) WHERE status = 'PENDING';
      CREATE INDEX orders_status_gin ON orders USING gin (status gin_trgm_ops);
      CREATE INDEX ON orders (total);`);
    const ix = index(c, 'orders', 'orders_user_created');
    assert.deepEqual(ix.keys, [{ column: 'user_id' }, { column: 'created_at', descending: true }]);
    assert.deepEqual(ix.include, ['total', 'status']);
    assert.equal(ix.where, "status = 'PENDING'");
    assert.equal(ix.unique, true);
    assert.equal(ix.method, 'btree');
    assert.equal(ix.implicit, false);
    assert.equal(ix.source?.file, 'schema.sql');
    const gin = index(c, 'orders', 'orders_status_gin');
    assert.equal(gin.method, 'gin');
    assert.deepEqual(gin.keys, [{ column: 'status' }]);
    assert.deepEqual(index(c, 'orders', 'orders_total_idx').keys, [{ column: 'total' }]);
  });

  it('normalises expression index keys so queries can match them', () => {
    const c = one(`CREATE TABLE users (id int, email text, created_at timestamptz, first text, last text);
      CREATE INDEX a ON users (LOWER( email ));
      CREATE INDEX b ON users ((created_at::date));
      CREATE INDEX c ON users (lower((email)::text) text_pattern_ops);
      CREATE INDEX d ON users ((first || ' ' || last), id);
      CREATE INDEX e ON users ((email));`);
    assert.deepEqual(index(c, 'users', 'a').keys, [{ expression: 'lower(email)' }]);
    assert.deepEqual(index(c, 'users', 'b').keys, [{ expression: 'created_at::date' }]);
    assert.deepEqual(index(c, 'users', 'c').keys, [{ expression: 'lower(email)' }]);
    assert.deepEqual(index(c, 'users', 'd').keys, [{ expression: "first||' '||last" }, { column: 'id' }]);
    assert.deepEqual(index(c, 'users', 'e').keys, [{ column: 'email' }]);
  });

  it('applies ALTER TABLE ADD COLUMN / ADD CONSTRAINT / DROP COLUMN / RENAME, in file order', () => {
    const c = buildCatalog([
      { file: '001.sql', text: 'CREATE TABLE accounts (id int, email text, legacy text, nick text); CREATE INDEX accounts_legacy_idx ON accounts (legacy);' },
      {
        file: '002.sql',
        text: `ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);
          ALTER TABLE accounts ADD COLUMN IF NOT EXISTS org_id bigint NOT NULL DEFAULT 1, ADD CONSTRAINT accounts_email_key UNIQUE (email);
          ALTER TABLE accounts ADD CONSTRAINT accounts_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id);
          ALTER TABLE accounts DROP COLUMN legacy;
          ALTER TABLE accounts RENAME COLUMN nick TO handle;
          ALTER TABLE accounts ALTER COLUMN handle SET NOT NULL;`,
      },
      { file: '003.sql', text: 'ALTER TABLE accounts RENAME TO users; ALTER TABLE users DROP CONSTRAINT accounts_email_key;' },
    ]);
    assert.equal(findTable(c, 'accounts'), undefined);
    const t = findTable(c, 'users')!;
    assert.deepEqual(t.columns.map((x) => `${x.name}:${x.type}:${x.notNull}`), ['id:int:true', 'email:text:false', 'handle:text:true', 'org_id:bigint:true']);
    assert.deepEqual(t.primaryKey, ['id']);
    assert.deepEqual(t.uniques, []);
    assert.deepEqual(t.indexes.map((i) => i.name), ['accounts_pkey']);
    assert.deepEqual(t.foreignKeys.map(({ source: _s, ...fk }) => fk), [{ columns: ['org_id'], refTable: 'orgs', refColumns: ['id'] }]);
    assert.equal(t.indexes[0].table, 'users');
  });

  it('applies DROP TABLE, DROP INDEX and ALTER INDEX … RENAME', () => {
    const c = one(`CREATE TABLE a (id int); CREATE TABLE b (id int, x int);
      CREATE INDEX b_x ON b (x); CREATE INDEX b_x2 ON b (x, id);
      DROP TABLE IF EXISTS a CASCADE;
      DROP INDEX CONCURRENTLY IF EXISTS b_x;
      ALTER INDEX b_x2 RENAME TO b_x_id_idx;`);
    assert.equal(findTable(c, 'a'), undefined);
    assert.deepEqual(findTable(c, 'b')!.indexes.map((i) => i.name), ['b_x_id_idx']);
  });

  it('honours IF NOT EXISTS on a table that already exists', () => {
    const c = buildCatalog([
      { file: '1.sql', text: 'CREATE TABLE t (a int)' },
      { file: '2.sql', text: 'CREATE TABLE IF NOT EXISTS t (b int)' },
    ]);
    assert.deepEqual(findTable(c, 't')!.columns.map((x) => x.name), ['a']);
  });

  it('ignores non-DDL statements and reports DDL it cannot place', () => {
    const c = one(`SELECT 1; INSERT INTO t VALUES (1); CREATE EXTENSION pg_trgm; CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
      CREATE INDEX i ON missing_table (a);
      CREATE TABLE copy AS SELECT 1;
      CREATE TABLE ok (id int);`);
    assert.deepEqual([...c.tables.keys()], ['copy', 'ok']);
    assert.deepEqual(c.problems.map((p) => p.message), [
      'index i is on table missing_table, which is not defined before it',
      'the columns of CREATE TABLE copy AS … are not known',
    ]);
    assert.equal(c.problems[0].file, 'schema.sql');
    assert.ok(c.problems[0].offset > 0);
  });

  it('reads MySQL DDL: backticks, inline KEY / INDEX / UNIQUE KEY / FULLTEXT, AUTO_INCREMENT, prefix lengths', () => {
    const c = one(
      'CREATE TABLE `orders` (\n' +
        '  `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,\n' +
        '  `user_id` BIGINT NOT NULL,\n' +
        "  `status` ENUM('a','b') NOT NULL DEFAULT 'a',\n" +
        '  `note` TEXT,\n' +
        '  `key` INT,\n' +
        '  PRIMARY KEY (`id`),\n' +
        '  KEY `idx_user_status` (`user_id`, `status`),\n' +
        '  UNIQUE KEY `uq_note` (`note`(20)),\n' +
        '  INDEX (`status`),\n' +
        '  FULLTEXT KEY `ft_note` (`note`),\n' +
        '  CONSTRAINT `fk_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`)\n' +
        ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n' +
        'CREATE INDEX idx_note ON orders (note(10));\n' +
        'ALTER TABLE orders ADD INDEX idx_key (`key`);',
      'mysql',
    );
    const t = findTable(c, 'orders')!;
    assert.deepEqual(t.columns.map((x) => x.name), ['id', 'user_id', 'status', 'note', 'key']);
    assert.equal(t.columns[0].type, 'bigint unsigned');
    assert.deepEqual(t.primaryKey, ['id']);
    assert.deepEqual(t.indexes.map((i) => [i.name, i.keys.map((k) => k.column).join(','), i.method, i.unique]), [
      ['PRIMARY', 'id', 'btree', true],
      ['idx_user_status', 'user_id,status', 'btree', false],
      ['uq_note', 'note', 'btree', true],
      ['status', 'status', 'btree', false],
      ['ft_note', 'note', 'fulltext', false],
      ['idx_note', 'note', 'btree', false],
      ['idx_key', 'key', 'btree', false],
    ]);
    assert.deepEqual(t.foreignKeys.map(({ source: _s, ...fk }) => fk), [{ columns: ['user_id'], refTable: 'users', refColumns: ['id'] }]);
  });

  it('guesses the dialect per file when none is given', () => {
    const c = buildCatalog([
      { file: 'my.sql', text: "CREATE TABLE `t` (`a` int, `b` varchar(5), KEY `k` (`b`)) ENGINE=InnoDB; # comment ; with semicolon\nCREATE INDEX k2 ON t (a);" },
      { file: 'pg.sql', text: 'CREATE TABLE u (a int); CREATE INDEX u_a ON u (a);' },
    ]);
    assert.deepEqual(findTable(c, 't')!.indexes.map((i) => i.name), ['k', 'k2']);
    assert.deepEqual(findTable(c, 'u')!.indexes.map((i) => i.name), ['u_a']);
    assert.deepEqual(c.problems, []);
  });

  it('skips binary sources with a problem and never throws on garbage', () => {
    const c = buildCatalog([
      { file: 'blob.sql', text: 'CREATE TABLE x (a int)\u0000\u0001' },
      { file: 'junk.sql', text: 'CREATE TABLE ( ; CREATE INDEX ON ; ALTER TABLE ; CREATE TABLE y (a int, ((( ' },
    ]);
    assert.equal(findTable(c, 'x'), undefined);
    assert.equal(c.problems[0].message, 'file looks binary and was skipped');
    assert.ok(c.problems.length >= 2);
  });

  it('emptyCatalog has no tables', () => {
    assert.equal(emptyCatalog().tables.size, 0);
  });
});
