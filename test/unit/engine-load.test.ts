import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEngine } from '../../src/core/engine/pgliteEngine';
import { boundOf } from '../../src/core/engine/partitions';
import { isSessionSetting, runSchemaStatements } from '../../src/core/engine/schemaLoad';
import { relationsIn } from '../../src/core/engine/touched';
import { requestedExtensions } from '../../src/core/engine/extensions';
import { buildCatalog } from '../../src/core/schema/catalog';
import type { SchemaSource } from '../../src/core/schema/types';
import { loadPgParser } from '../../src/core/sql/pg/libpg';

describe('engine: reading statements with PostgreSQL’s grammar', () => {
  before(() => loadPgParser());

  it('lists the relations a statement reads or writes', () => {
    const names = (sql: string) => relationsIn(sql)?.map((r) => (r.schema ? `${r.schema}.${r.name}` : r.name)).sort();
    assert.deepEqual(names('SELECT * FROM a JOIN s.b ON true WHERE EXISTS (SELECT 1 FROM "C" c)'), ['C', 'a', 's.b']);
    assert.deepEqual(names('WITH x AS (SELECT * FROM t) SELECT * FROM x'), ['t', 'x']);
    assert.deepEqual(names('UPDATE u SET n = 1 FROM v WHERE u.id = v.id'), ['u', 'v']);
    assert.deepEqual(names('DELETE FROM d USING e WHERE d.id = e.id'), ['d', 'e']);
    assert.deepEqual(names('INSERT INTO i SELECT * FROM j'), ['i', 'j']);
    assert.equal(relationsIn('SELECT FROM WHERE'), undefined);
  });

  it('recognises the session settings of a dump, but not role switches', () => {
    assert.equal(isSessionSetting('SET check_function_bodies = false'), true);
    assert.equal(isSessionSetting("SELECT pg_catalog.set_config('search_path', '', false);"), true);
    assert.equal(isSessionSetting('SET ROLE admin'), false);
    assert.equal(isSessionSetting('SET SESSION AUTHORIZATION admin'), false);
    assert.equal(isSessionSetting("SELECT set_config('role', 'x', false)"), false);
    assert.equal(isSessionSetting('SELECT * FROM users'), false);
  });

  it('reads partition bounds (range with MINVALUE, list, hash, default)', () => {
    assert.deepEqual(boundOf("FOR VALUES FROM (MINVALUE) TO ('2022-01-01')"), { strategy: 'r', lower: [undefined], upper: ['2022-01-01'] });
    assert.deepEqual(boundOf("FOR VALUES IN ('a', 'b')"), { strategy: 'l', list: ['a', 'b'] });
    assert.deepEqual(boundOf('FOR VALUES IN (0, 7)'), { strategy: 'l', list: ['0', '7'] });
    assert.deepEqual(boundOf('FOR VALUES WITH (modulus 4, remainder 1)'), { strategy: 'h' });
    assert.deepEqual(boundOf('DEFAULT'), { strategy: 'default' });
  });

  it('finds CREATE EXTENSION statements', () => {
    const sources = [{ file: 'a.sql', text: 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\n-- create extension nope\nCREATE EXTENSION vector WITH SCHEMA public;' }];
    assert.deepEqual(requestedExtensions(sources), ['uuid-ossp', 'vector']);
  });

  it('replays each file in one batch and isolates the statements PostgreSQL rejects', async () => {
    const sent: string[] = [];
    const created = new Set<string>();
    // A stand-in executor with PostgreSQL's all-or-nothing batch semantics.
    const db = {
      async exec(sql: string) {
        sent.push(sql);
        const parts = sql.split('\n;\n');
        if (parts.some((p) => /broken/.test(p))) throw new Error('syntax error at or near "broken"');
        for (const p of parts) created.add(p);
        return [];
      },
    };
    const file = (n: number, broken?: number) => Array.from({ length: 10 }, (_, i) => (i === broken ? `CREATE TABLE broken${n}_${i} (` : `CREATE TABLE t${n}_${i} (id int)`)).join(';\n') + ';';
    const sources = Array.from({ length: 20 }, (_, n) => ({ file: `m${n}.sql`, text: file(n, n === 7 ? 3 : n === 12 ? 9 : undefined) }));
    const problems = await runSchemaStatements(db, sources, 'postgresql');
    assert.deepEqual(problems.map((p) => p.statement), ['m7.sql: CREATE TABLE broken7_3 (', 'm12.sql: CREATE TABLE broken12_9 (']);
    assert.equal([...created].filter((s) => /^CREATE TABLE t\d+_\d+ \(id int\)$/.test(s)).length, 198);
    // SET, 20 file batches, 2 × 10 single replays, RESET.
    assert.equal(sent.length, 1 + 20 + 20 + 1);
  });
});

describe('engine: extensions a schema asks for', function () {
  this.timeout(180_000);

  it('loads shipped contrib extensions and gives pgvector a stand-in type, noted in the plan', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-ext-'));
    const sources: SchemaSource[] = [
      {
        file: 'schema.sql',
        text: `CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE documents (
  id uuid PRIMARY KEY DEFAULT uuid_generate_v4(),
  title text NOT NULL,
  attrs hstore,
  embedding vector(1536)
);
CREATE INDEX documents_title_idx ON documents (title);
CREATE INDEX documents_embedding_idx ON documents USING hnsw (embedding vector_cosine_ops);`,
      },
    ];
    const engine = await createEngine(sources, buildCatalog(sources), { defaultRows: 1000, cacheDir });
    try {
      const problems = engine.schemaProblems.map((p) => `${p.statement}: ${p.message}`);
      assert.ok(problems.some((p) => /CREATE EXTENSION vector: pgvector is not available/.test(p)), problems.join('\n'));
      assert.ok(problems.some((p) => /documents_embedding_idx/.test(p)), problems.join('\n'));
      assert.equal(problems.length, 2, problems.join('\n'));
      const r = await engine.explain({ sql: "SELECT id FROM documents WHERE title = 'x'" });
      assert.equal((r.plan.Plan as Record<string, unknown>)['Index Name'], 'documents_title_idx');
      assert.ok(r.notes?.some((n) => /documents\.embedding: pgvector is not available/.test(n)), JSON.stringify(r.notes));
      const knn = await engine.explain({ sql: "SELECT id FROM documents ORDER BY embedding <-> '[1,2,3]' LIMIT 5" });
      assert.equal((knn.plan.Plan as Record<string, unknown>)['Node Type'], 'Limit');
    } finally {
      await engine.close();
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('engine: rows on demand', function () {
  this.timeout(180_000);

  it('plans a query on tables filled on first read as it plans them with every table filled up front', async () => {
    const text = `
CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE, status text NOT NULL DEFAULT 'active', created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE orders (id bigserial PRIMARY KEY, user_id int NOT NULL REFERENCES users (id), status text NOT NULL, total_cents int NOT NULL, created_at timestamptz NOT NULL);
CREATE INDEX orders_user_idx ON orders (user_id);
CREATE TABLE audit (id bigserial PRIMARY KEY, body text);
${Array.from({ length: 20 }, (_, i) => `CREATE TABLE extra_${i} (id serial PRIMARY KEY, user_id int REFERENCES users (id), label text);`).join('\n')}`;
    const sources: SchemaSource[] = [{ file: 'schema.sql', text }];
    const options = { rows: { users: 4000, orders: 20000 }, defaultRows: 1000 };
    const lazy = await createEngine(sources, buildCatalog(sources), options);
    const eager = await createEngine(sources, buildCatalog(sources), { ...options, eagerRows: true });
    try {
      assert.deepEqual(lazy.startup.rows, {});
      assert.equal(Object.keys(eager.startup.rows).length, 23);
      const shape = (n: Record<string, unknown>): string =>
        `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}(${((n.Plans as Record<string, unknown>[] | undefined) ?? []).map(shape).join(', ')})`;
      for (const sql of [
        'SELECT u.email, o.total_cents FROM orders o JOIN users u ON u.id = o.user_id WHERE u.id = 42',
        "SELECT count(*) FROM orders WHERE status = 'paid' AND created_at > now() - interval '30 days'",
        'SELECT * FROM users u WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)',
      ]) {
        const [a, b] = [await lazy.explain({ sql }), await eager.explain({ sql })];
        assert.equal(shape(a.plan.Plan as Record<string, unknown>), shape(b.plan.Plan as Record<string, unknown>), sql);
        assert.deepEqual(a.relationRows, b.relationRows, sql);
        const rows = (r: typeof a) => Number((r.plan.Plan as Record<string, unknown>)['Plan Rows']);
        assert.ok(Math.abs(rows(a) - rows(b)) <= Math.max(2, rows(b) * 0.2), `${sql}: ${rows(a)} vs ${rows(b)} estimated rows`);
      }
      // Only the two tables those statements read hold rows; the 21 others are still empty.
      assert.deepEqual(Object.keys(lazy.startup.rows).sort(), ['public.orders', 'public.users']);
      // Foreign keys agree whichever side was filled first: every order has its user.
      const [orphans] = await lazy.query('SELECT count(*)::int AS n FROM orders o LEFT JOIN users u ON u.id = o.user_id WHERE u.id IS NULL');
      assert.equal(orphans.n, 0);
    } finally {
      await lazy.close();
      await eager.close();
    }
  });
});
