import { strict as assert } from 'assert';
import * as os from 'os';
import * as path from 'path';
import { createEngine, ExplainError, mysqlToPostgres, type PgliteEngine } from '../../src/core/engine/pgliteEngine';
import { buildCatalog } from '../../src/core/schema/catalog';
import type { SchemaSource } from '../../src/core/schema/types';

// One real engine (PGlite) for the whole file: starting one costs seconds.
const SCHEMA = `
CREATE TYPE mood AS ENUM ('calm', 'busy', 'angry');
CREATE TABLE users (
  id serial PRIMARY KEY,
  email varchar(120) NOT NULL UNIQUE,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'PENDING', 'banned')),
  mood mood,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE TABLE products (id uuid PRIMARY KEY, name text NOT NULL, price numeric(8,2) NOT NULL);
CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id int NOT NULL REFERENCES users (id),
  status varchar(20) NOT NULL,
  total numeric(10,2),
  created_at timestamp NOT NULL
);
CREATE TABLE order_items (
  order_id bigint NOT NULL REFERENCES orders (id),
  product_id uuid NOT NULL REFERENCES products (id),
  quantity int NOT NULL,
  PRIMARY KEY (order_id, product_id)
);
ALTER TABLE users OWNER TO someone;
SET search_path = '';
INSERT INTO users (email) VALUES ('seed@example.com');
SELECT * FROM users WHERE id = 1;
CREATE TABLE legacy (id int PRIMARY KEY, code varchar(10)) ENGINE=InnoDB;
`;

describe('PGlite engine (real PostgreSQL)', function () {
  this.timeout(180_000);
  let engine: PgliteEngine;
  const count = async (sql: string) => Number((await engine.query(sql))[0].n);

  before(async () => {
    const sources: SchemaSource[] = [{ file: 'schema.sql', text: SCHEMA }];
    engine = await createEngine(sources, buildCatalog(sources), {
      rows: { users: 5000, orders: 20000, order_items: 30000 },
      defaultRows: 500,
      cacheDir: path.join(os.tmpdir(), 'sql-plan-advisor'),
    });
  });
  after(async () => {
    await engine?.close();
  });

  describe('schema loading', () => {
    it('reports DDL PostgreSQL rejects and still creates that table from the parsed schema', async () => {
      const legacy = engine.schemaProblems.find((p) => /ENGINE=InnoDB/.test(p.statement));
      assert.ok(legacy, JSON.stringify(engine.schemaProblems));
      assert.match(legacy.message, /syntax error/);
      assert.ok(engine.schemaProblems.some((p) => p.statement === 'legacy' && /parsed schema/.test(p.message)));
      assert.equal(await count('SELECT count(*) AS n FROM legacy'), 500);
    });
    it('skips statements that do not shape the schema (SET, OWNER TO, seed INSERTs, queries)', async () => {
      assert.ok(!engine.schemaProblems.some((p) => /OWNER TO|search_path|INSERT|SELECT/.test(p.statement)));
      assert.equal(await count(`SELECT count(*) AS n FROM users WHERE email = 'seed@example.com'`), 0);
    });
  });

  describe('synthetic data', () => {
    it('fills each table with the configured number of rows', async () => {
      assert.equal(await count('SELECT count(*) AS n FROM users'), 5000);
      assert.equal(await count('SELECT count(*) AS n FROM orders'), 20000);
      assert.equal(await count('SELECT count(*) AS n FROM products'), 500);
      // Composite keys enumerate distinct pairs: no row is lost to a conflict.
      assert.equal(await count('SELECT count(*) AS n FROM order_items'), 30000);
    });
    it('keeps foreign keys pointing at existing rows', async () => {
      assert.equal(await count('SELECT count(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = o.user_id)'), 0);
      assert.equal(await count('SELECT count(*) AS n FROM order_items i WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.id = i.product_id)'), 0);
      assert.equal(await count('SELECT count(*) AS n FROM order_items i WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = i.order_id)'), 0);
      // Skewed, as in real data: some users have many orders, not every user the same number.
      assert.ok((await count('SELECT max(c) AS n FROM (SELECT count(*) c FROM orders GROUP BY user_id) x')) >= 10);
    });
    it('gives status-like columns a few skewed values that satisfy CHECK constraints and enums', async () => {
      const statuses = (await engine.query('SELECT status, count(*)::int AS n FROM users GROUP BY status ORDER BY n DESC')).map((r) => String(r.status));
      assert.deepEqual([...statuses].sort(), ['PENDING', 'active', 'banned']);
      assert.equal(statuses[0], 'active');
      // Order-like tables get order states, the settled ones most common.
      const orderStates = (await engine.query('SELECT status FROM orders GROUP BY status ORDER BY count(*) DESC')).map((r) => String(r.status));
      assert.equal(orderStates[0], 'delivered');
      assert.ok(orderStates.length <= 6 && orderStates.includes('pending'), orderStates.join());
      assert.equal(await count('SELECT count(DISTINCT mood) AS n FROM users'), 3);
    });
    it('keeps unique columns unique, spreads timestamps and leaves most deleted_at NULL', async () => {
      assert.equal(await count('SELECT count(DISTINCT email) AS n FROM users'), 5000);
      assert.ok((await count(`SELECT extract(day FROM max(created_at) - min(created_at)) AS n FROM orders`)) > 500);
      assert.ok((await count('SELECT count(*) AS n FROM users WHERE deleted_at IS NULL')) > 4000);
    });
    it('moves sequences past the generated ids so inserts work', async () => {
      const r = await engine.explain({ sql: `INSERT INTO users (email) VALUES ('new@example.com')`, analyze: true });
      assert.equal((r.plan.Plan as Record<string, unknown>)['Node Type'], 'ModifyTable');
    });
  });

  describe('explain', () => {
    const top = (plan: Record<string, unknown>) => plan.Plan as Record<string, unknown>;
    const nodeTypes = (plan: Record<string, unknown>): string[] => {
      const out: string[] = [];
      const walk = (n: Record<string, unknown>) => {
        out.push(String(n['Node Type']));
        for (const c of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(c);
      };
      walk(top(plan));
      return out;
    };

    it('plans lower(email) = … as a Seq Scan without an expression index, and uses one when it exists', async () => {
      const sql = `SELECT id, email FROM users WHERE lower(email) = 'user42@example.com'`;
      const without = await engine.explain({ sql });
      assert.equal(top(without.plan)['Node Type'], 'Seq Scan');
      const withIndex = await engine.explain({ sql, withIndexes: ['CREATE INDEX users_lower_email ON users (lower(email))'] });
      const types = nodeTypes(withIndex.plan);
      assert.ok(types.includes('Index Scan') || types.includes('Bitmap Index Scan'), types.join(', '));
      assert.match(JSON.stringify(withIndex.plan), /users_lower_email/);
      assert.ok(withIndex.totalCost < without.totalCost / 2, `${withIndex.totalCost} vs ${without.totalCost}`);
    });

    it('leaves nothing behind after a hypothetical index', async () => {
      await engine.explain({ sql: 'SELECT 1', withIndexes: ['CREATE INDEX gone_after ON orders (status)'] });
      assert.equal(await count(`SELECT count(*) AS n FROM pg_indexes WHERE indexname = 'gone_after'`), 0);
      const again = await engine.explain({ sql: `SELECT id, email FROM users WHERE lower(email) = 'user42@example.com'` });
      assert.equal(top(again.plan)['Node Type'], 'Seq Scan');
    });

    it('gives an Index Only Scan with a covering index', async () => {
      const r = await engine.explain({
        sql: 'SELECT status, total FROM orders WHERE user_id = 42',
        withIndexes: ['CREATE INDEX orders_user_covering ON orders (user_id) INCLUDE (status, total)'],
      });
      assert.equal(top(r.plan)['Node Type'], 'Index Only Scan');
      assert.equal(top(r.plan)['Index Name'], 'orders_user_covering');
    });

    it('plans a join as the planner decides (Hash Join, Nested Loop or Merge Join)', async () => {
      const r = await engine.explain({ sql: `SELECT u.email, o.total FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = 'pending'` });
      const joins = nodeTypes(r.plan).filter((t) => /Join|Nested Loop/.test(t));
      assert.equal(joins.length, 1);
      assert.ok(['Hash Join', 'Nested Loop', 'Merge Join'].includes(joins[0]));
    });

    it('runs EXPLAIN ANALYZE of an UPDATE and a DELETE without changing any data', async () => {
      const fingerprint = async () => String((await engine.query(`SELECT md5(string_agg(id || ':' || status, ',' ORDER BY id)) AS h, count(*) AS n FROM users`))[0].h);
      const before = await fingerprint();
      const upd = await engine.explain({ sql: `UPDATE users SET status = 'banned' WHERE id <= 100`, analyze: true });
      const node = top(upd.plan);
      assert.equal(node['Node Type'], 'ModifyTable');
      assert.ok(typeof node['Actual Total Time'] === 'number', 'ANALYZE executed the statement');
      assert.ok('Shared Hit Blocks' in node, 'BUFFERS requested');
      await engine.explain({ sql: `DELETE FROM users WHERE id <= 100`, analyze: true }).catch(() => undefined);
      assert.equal(await fingerprint(), before);
      assert.equal(await count('SELECT count(*) AS n FROM users'), 5000);
    });

    it('gives parameters representative values from the compared column', async () => {
      const r = await engine.explain({ sql: 'SELECT * FROM users u WHERE u.email = $1 AND u.status = :status LIMIT $2' });
      assert.match(r.executedSql, /u\.email = 'user\d+@example\.com' AND u\.status = '(active|PENDING|banned)' LIMIT 10$/);
      assert.deepEqual(r.parameters?.map((p) => p.source), ['users.email', 'users.status', undefined]);
      assert.equal(top(r.plan)['Node Type'], 'Limit');
      // A range side gets a value near the edge of the data, so the predicate stays selective.
      const range = await engine.explain({ sql: 'SELECT count(*) FROM orders WHERE created_at > $1' });
      const rows = Number(((top(range.plan).Plans as Record<string, unknown>[])[0])['Plan Rows']);
      assert.ok(rows < 20000 * 0.3, `estimated ${rows} rows`);
    });

    it('falls back to the generic plan when a parameter has no column', async () => {
      const r = await engine.explain({ sql: 'SELECT * FROM users WHERE id + 1 = $1' });
      assert.match(r.executedSql, /= \$1$/);
      assert.ok(r.notes?.some((n) => /generic plan/.test(n)));
    });

    it('reports bad SQL as an ExplainError and keeps working', async () => {
      await assert.rejects(engine.explain({ sql: 'SELECT * FROM nope' }), (e: Error) => e instanceof ExplainError && /relation "nope" does not exist/.test(e.message));
      await assert.rejects(engine.explain({ sql: 'SELECT 1; SELECT 2' }), /one statement at a time/);
      await assert.rejects(engine.explain({ sql: '  ' }), /no SQL statement/);
      await assert.rejects(engine.explain({ sql: 'SELECT 1', withIndexes: ['CREATE INDEX ON nope (x)'] }), /index could not be created/);
      const ok = await engine.explain({ sql: 'SELECT * FROM users WHERE id = 1;' });
      assert.equal(top(ok.plan)['Node Type'], 'Index Scan');
    });

    it('returns reltuples for the relations the plan reads', async () => {
      const r = await engine.explain({ sql: 'SELECT * FROM orders WHERE total > 10' });
      assert.equal(r.relationRows?.orders, 20000);
    });

    it('saves the loaded engine and starts the next one from it, with the same data and plans', async () => {
      await engine.flushIdle();
      const sources: SchemaSource[] = [{ file: 'schema.sql', text: SCHEMA }];
      const again = await createEngine(sources, buildCatalog(sources), {
        rows: { users: 5000, orders: 20000, order_items: 30000 },
        defaultRows: 500,
        cacheDir: path.join(os.tmpdir(), 'sql-plan-advisor'),
      });
      try {
        assert.equal(again.startup.fromCache, true);
        assert.deepEqual(again.startup.rows, engine.startup.rows);
        assert.deepEqual(again.schemaProblems, engine.schemaProblems);
        const sql = 'SELECT * FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = $1';
        const [a, b] = [await engine.explain({ sql }), await again.explain({ sql })];
        assert.equal(b.executedSql, a.executedSql);
        assert.equal(b.totalCost, a.totalCost);
      } finally {
        await again.close();
      }
    });

    it('runs query() read-only', async () => {
      await assert.rejects(engine.query(`DELETE FROM users`), /read-only/);
      assert.equal(await count('SELECT count(*) AS n FROM users'), 5000);
    });
  });
});

describe('MySQL spelling translation', () => {
  it('turns backticks into double quotes and LIMIT a, b into LIMIT b OFFSET a', () => {
    assert.equal(mysqlToPostgres('SELECT `id` FROM `users` LIMIT 20, 10'), 'SELECT "id" FROM "users" LIMIT 10 OFFSET 20');
  });
});
