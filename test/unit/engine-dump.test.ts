import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEngine, type PgliteEngine } from '../../src/core/engine/pgliteEngine';
import { buildCatalog } from '../../src/core/schema/catalog';
import type { SchemaSource } from '../../src/core/schema/types';

// A real pg_dump (PostgreSQL 15), committed: see test/fixtures/engine-dump/README.md.
const DUMP = path.join(__dirname, '..', 'fixtures', 'engine-dump', 'dump.sql');

describe('PGlite engine on a real pg_dump', function () {
  this.timeout(180_000);
  let engine: PgliteEngine;
  let cacheDir: string;

  before(async () => {
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-dump-'));
    const sources: SchemaSource[] = [{ file: 'dump.sql', text: fs.readFileSync(DUMP, 'utf8') }];
    engine = await createEngine(sources, buildCatalog(sources), { defaultRows: 2000, cacheDir });
  });
  after(async () => {
    await engine?.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('loads every statement: functions before their tables, pgcrypto, citext, settings, owners and grants', async () => {
    assert.deepEqual(engine.schemaProblems, []);
    const fns = await engine.query(`SELECT proname FROM pg_proc WHERE proname IN ('customer_order_count', 'hash_password', 'touch_updated_at') ORDER BY 1`);
    assert.deepEqual(fns.map((r) => r.proname), ['customer_order_count', 'hash_password', 'touch_updated_at']);
    const ext = await engine.query(`SELECT extname FROM pg_extension WHERE extname IN ('citext', 'pgcrypto') ORDER BY 1`);
    assert.deepEqual(ext.map((r) => r.extname), ['citext', 'pgcrypto']);
    // The dump's `set_config('search_path', '', false)` did not outlive the load.
    assert.equal((await engine.query('SHOW search_path'))[0].search_path, 'public');
  });

  it('puts synthetic rows in every partition, inside its bounds (range with default, list, hash)', async () => {
    const rows = await engine.query(`
      SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM payments GROUP BY 1
      UNION ALL SELECT tableoid::regclass::text, count(*)::int FROM shipments GROUP BY 1
      UNION ALL SELECT tableoid::regclass::text, count(*)::int FROM audit_log GROUP BY 1 ORDER BY 1`);
    const counts = Object.fromEntries(rows.map((r) => [String(r.part), Number(r.n)]));
    const partitions = await engine.query(`SELECT c.relname FROM pg_class c WHERE c.relispartition AND c.relkind = 'r' ORDER BY 1`);
    assert.equal(partitions.length, 9);
    for (const p of partitions) assert.ok(counts[String(p.relname)] > 0, `${p.relname} is empty: ${JSON.stringify(counts)}`);
    const total = counts.payments_2022_01 + counts.payments_2022_02 + counts.payments_2022_03 + counts.payments_default;
    assert.ok(total >= 1900 && total <= 2100, `payments holds ${total} rows`);
    const outside = await engine.query(`SELECT count(*)::int AS n FROM payments_default WHERE paid_at >= '2022-01-01' AND paid_at < '2022-04-01'`);
    assert.equal(outside[0].n, 0);
  });

  it('prunes partitions in the plan of a query on the partitioned table', async () => {
    const r = await engine.explain({ sql: `SELECT id, amount FROM payments WHERE paid_at >= '2022-02-01' AND paid_at < '2022-03-01'` });
    const relations: string[] = [];
    const walk = (n: Record<string, unknown>) => {
      if (typeof n['Relation Name'] === 'string') relations.push(n['Relation Name']);
      for (const c of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(c);
    };
    walk(r.plan.Plan as Record<string, unknown>);
    assert.deepEqual(relations, ['payments_2022_02']);
    const byRegion = await engine.explain({ sql: `SELECT * FROM shipments WHERE region = 'apac'` });
    assert.equal((byRegion.plan.Plan as Record<string, unknown>)['Relation Name'], 'shipments_apac');
  });

  it('respects enums, domains, generated columns and inheritance in the generated rows', async () => {
    const [o] = await engine.query(`SELECT count(DISTINCT status)::int AS statuses, min(total)::bigint AS min_total FROM orders`);
    assert.ok(Number(o.statuses) > 1 && Number(o.min_total) >= 0);
    const [c] = await engine.query(`SELECT count(*)::int AS n FROM customers WHERE search_name IS DISTINCT FROM lower(full_name)`);
    assert.equal(c.n, 0);
    const [n] = await engine.query(`SELECT (SELECT count(*) FROM ONLY notes)::int AS own, (SELECT count(*) FROM order_notes)::int AS children`);
    assert.ok(Number(n.own) > 0 && Number(n.children) > 0);
  });

  it('fills only the tables a statement reads (and the tables behind a view)', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-dump-lazy-'));
    const sources: SchemaSource[] = [{ file: 'dump.sql', text: fs.readFileSync(DUMP, 'utf8') }];
    const lazy = await createEngine(sources, buildCatalog(sources), { defaultRows: 2000, cacheDir: fresh });
    try {
      assert.deepEqual(lazy.startup.rows, {});
      const r = await lazy.explain({ sql: `SELECT * FROM customer_totals WHERE email = 'user1@example.com'` });
      assert.deepEqual(Object.keys(lazy.startup.rows).sort(), ['public.customers', 'public.orders']);
      assert.deepEqual(r.relationRows, { customers: 2000, orders: 2000 });
    } finally {
      await lazy.close();
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});
