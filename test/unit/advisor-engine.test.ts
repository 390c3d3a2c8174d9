/**
 * The index advisor against the real engine (PGlite): every suggestion is created, the query
 * re-planned, and only indexes that lower the plan cost survive. One engine for the file.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { adviseWorkspace, suggestIndexes, workspaceReportMarkdown } from '../../src/core/advisor';
import type { IndexSuggestion } from '../../src/core/advisor/types';
import { buildCatalog } from '../../src/core/schema/catalog';
import { createEngine } from '../../src/core/engine/pgliteEngine';
import type { PlanEngine } from '../../src/core/engine/types';

const schemaText = fs.readFileSync(path.join(__dirname, '../fixtures/advisor/schema.sql'), 'utf8');
const sources = [{ file: 'schema.sql', text: schemaText }];
const catalog = buildCatalog(sources);

/** Every returned suggestion must be engine-verified: used, and cheaper than before. */
function assertVerified(list: IndexSuggestion[]): void {
  for (const s of list) {
    assert.equal(s.used, true, `${s.ddl} should be used`);
    assert.ok(s.costAfter < s.costBefore * 0.9, `${s.ddl}: ${s.costBefore} → ${s.costAfter} should be >10% lower`);
    assert.match(s.planAfter ?? '', new RegExp(s.name!));
  }
}

describe('advisor: verified in the engine', function () {
  this.timeout(300_000);
  let engine: PlanEngine;

  before(async () => {
    engine = await createEngine(sources, catalog, {
      rows: { orders: 50_000, users: 5_000, events: 20_000 },
      cacheDir: path.join(os.tmpdir(), 'sql-plan-advisor-test-cache'),
    });
  });
  after(async () => {
    await engine?.close();
  });

  const advise = (sql: string, includeRejected = false) => suggestIndexes(sql, catalog, engine, { dialect: 'postgresql', includeRejected });

  it('equality + range + ORDER BY → (user_id, created_at), replacing Seq Scan and Sort', async () => {
    const s = await advise('SELECT * FROM orders WHERE user_id = $1 AND created_at > $2 ORDER BY created_at');
    assert.ok(s.length >= 1);
    assertVerified(s);
    assert.equal(s[0].ddl, 'CREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at)');
    assert.equal(s[0].kind, 'composite');
    assert.match(s[0].planBefore!, /Seq Scan on orders/);
    assert.match(s[0].planAfter!, /^Index Scan using orders_user_id_created_at_idx on orders/);
  });

  it('selecting total, status → INCLUDE (total, status) and an Index Only Scan', async () => {
    const s = await advise('SELECT total, status FROM orders WHERE user_id = $1 AND created_at > $2 ORDER BY created_at');
    assertVerified(s);
    assert.equal(s[0].kind, 'covering');
    assert.equal(s[0].ddl, 'CREATE INDEX orders_user_id_created_at_incl_idx ON orders (user_id, created_at) INCLUDE (total, status)');
    assert.match(s[0].planAfter!, /Index Only Scan using orders_user_id_created_at_incl_idx/);
    // The plain composite is still offered, as the costlier alternative.
    const composite = s.find((x) => x.kind === 'composite');
    assert.ok(composite && composite.costAfter > s[0].costAfter);
  });

  it("few rows PENDING: WHERE status = 'PENDING' ORDER BY created_at → a partial index", async () => {
    const s = await advise("SELECT * FROM orders WHERE status = 'PENDING' ORDER BY created_at LIMIT 20");
    assertVerified(s);
    assert.equal(s[0].kind, 'partial');
    assert.equal(s[0].ddl, "CREATE INDEX orders_created_at_pending_idx ON orders (created_at) WHERE status = 'PENDING'");
    // The reason quotes the share of PENDING rows read from the engine's statistics.
    assert.match(s[0].reason, /about \d+(\.\d)?% of rows satisfy status = 'PENDING'/);
  });

  it('a common value gets no partial index', async () => {
    const s = await advise("SELECT * FROM orders WHERE status = 'DELIVERED' ORDER BY created_at LIMIT 20");
    assert.ok(!s.some((x) => x.kind === 'partial'));
  });

  it('WHERE lower(email) = $1 → an expression index', async () => {
    const star = await advise('SELECT * FROM users WHERE lower(email) = $1');
    assertVerified(star);
    assert.equal(star[0].kind, 'expression');
    assert.equal(star[0].ddl, 'CREATE INDEX users_lower_email_idx ON users ((lower(email)))');
    assert.match(star[0].planBefore!, /^Seq Scan on users/);
    // ANALYZE in the same rolled-back transaction gives the planner statistics on the
    // expression: it then expects one row and picks a plain Index Scan.
    assert.match(star[0].planAfter!, /^Index Scan using users_lower_email_idx on users/);
    // With few selected columns the expression index may also carry them; still an expression index.
    const few = await advise('SELECT id, name FROM users WHERE lower(email) = $1');
    assertVerified(few);
    for (const x of few) {
      assert.equal(x.kind, 'expression');
      assert.match(x.ddl, /ON users \(\(lower\(email\)\)\)/);
    }
    assert.ok(few.some((x) => x.ddl === 'CREATE INDEX users_lower_email_idx ON users ((lower(email)))'));
  });

  it('a query already served by an existing index → nothing', async () => {
    assert.deepEqual(await advise('SELECT * FROM events WHERE account_id = $1 ORDER BY occurred_at DESC LIMIT 10'), []);
    assert.deepEqual(await advise('SELECT * FROM orders WHERE id = $1'), []);
  });

  it('names the existing index the new one extends as redundant', async () => {
    const s = await advise('SELECT * FROM events WHERE kind = $1 AND occurred_at > $2');
    assertVerified(s);
    assert.match(s[0].ddl, /\(kind, occurred_at\)/);
    assert.deepEqual(s[0].redundant, ['events_kind_idx']);
  });

  it('drops what the planner ignores, and says why when asked', async () => {
    assert.deepEqual(await advise('SELECT * FROM orders WHERE total > 0'), []);
    const rejected = await advise('SELECT * FROM orders WHERE total > 0', true);
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0].used, false);
    assert.match(rejected[0].note!, /^Not used by the planner, because the predicates keep about [\d,]+ of 50,000 rows/);
  });

  it('reports an index the engine cannot build instead of failing', async () => {
    // date_trunc on timestamptz depends on the time zone: PostgreSQL refuses it in an index.
    const sql = "SELECT id FROM users WHERE date_trunc('day', last_login) = $1";
    assert.deepEqual(await advise(sql), []);
    const s = await advise(sql, true);
    assert.ok(s.length > 0);
    for (const x of s) {
      assert.equal(x.used, false);
      assert.match(x.note!, /^Not used: the engine rejected this index \(.*IMMUTABLE/);
    }
    // On a timestamp column the same expression is indexable and verified.
    const ok = await advise("SELECT id FROM users WHERE date_trunc('day', created_at) = $1");
    assert.ok(ok.some((x) => x.ddl.includes("((date_trunc('day', created_at)))")));
    assertVerified(ok);
  });

  it('unparsable SQL and unknown tables give no suggestions, not errors', async () => {
    assert.deepEqual(await advise('SELEC * FROM orders'), []);
    assert.deepEqual(await advise('SELECT * FROM nowhere WHERE a = 1'), []);
  });

  it('workspace mode stops when cancelled and reports progress', async () => {
    const queries = [
      { sql: 'SELECT * FROM orders WHERE user_id = $1', file: 'a.sql', offset: 0 },
      { sql: 'SELECT * FROM events WHERE kind = $1 AND occurred_at > $2', file: 'a.sql', offset: 50 },
    ];
    const progress: string[] = [];
    let cancelled = false;
    const advice = await adviseWorkspace(queries, catalog, engine, {
      dialect: 'postgresql',
      onProgress: (done, total) => {
        progress.push(`${done}/${total}`);
        cancelled = true;
      },
      isCancelled: () => cancelled,
    });
    assert.deepEqual(progress, ['1/2']);
    assert.match(advice.notes.join(' '), /Stopped after 1 of 2 queries \(cancelled\)/);
    assert.ok(advice.suggestions.every((s) => s.table === 'orders'));
  });

  it('workspace mode prefers the narrower index when a covering one saves about the same', async () => {
    const sql = 'SELECT total, status FROM orders WHERE user_id = $1 AND created_at > $2 ORDER BY created_at';
    const single = await advise(sql);
    assert.equal(single[0].kind, 'covering');
    const advice = await adviseWorkspace([{ sql, file: 'x.sql', offset: 0 }], catalog, engine, { dialect: 'postgresql' });
    assert.deepEqual(advice.suggestions.map((s) => s.ddl), ['CREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at)']);
    // …and both save nearly all of the cost, so the choice costs almost nothing.
    assert.ok(advice.suggestions[0].costAfter < advice.suggestions[0].costBefore * 0.05);
  });

  it('workspace mode: one index serves several queries, with the write cost noted', async () => {
    const queries = [
      { sql: 'SELECT * FROM orders WHERE user_id = $1', file: 'a.sql', offset: 0 },
      { sql: 'SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 10', file: 'b.ts', offset: 120 },
      { sql: 'SELECT * FROM orders WHERE user_id = $1', file: 'c.sql', offset: 40 },
      { sql: 'SELECT * FROM events WHERE account_id = $1', file: 'a.sql', offset: 50 },
      { sql: 'SELEC nonsense', file: 'a.sql', offset: 90 },
      { sql: 'SELECT * FROM nowhere', file: 'a.sql', offset: 99 },
    ];
    const advice = await adviseWorkspace(queries, catalog, engine, { dialect: 'postgresql' });
    assertVerified(advice.suggestions);
    const onOrders = advice.suggestions.filter((s) => s.table === 'orders');
    assert.equal(onOrders.length, 1, onOrders.map((s) => s.ddl).join('\n'));
    assert.equal(onOrders[0].ddl, 'CREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at)');
    assert.equal(onOrders[0].queries.length, 2);
    assert.deepEqual(onOrders[0].sources.map((s) => s.file).sort(), ['a.sql', 'b.ts', 'c.sql']);
    assert.match(onOrders[0].writeCost, /INSERT and DELETE on orders also updates this index/);
    assert.match(onOrders[0].writeCost, /orders would have 2 indexes/);
    // The index was really built on the engine's rows: its size comes from pg_relation_size.
    assert.ok((onOrders[0].size?.bytes ?? 0) >= 8192, JSON.stringify(onOrders[0].size));
    assert.ok((onOrders[0].size?.tableRows ?? 0) > 0);
    assert.equal(advice.queriesAnalyzed, 3);
    assert.deepEqual(advice.skipped.map((s) => s.offset).sort((a, b) => a - b), [90, 99]);
    const md = workspaceReportMarkdown(advice);
    assert.match(md, /```sql\nCREATE INDEX orders_user_id_created_at_idx ON orders \(user_id, created_at\);\n```/);
    assert.match(md, /## Migration/);
    assert.match(md, /- \*\*Index size\*\*: ≈ [\d.]+ (?:kB|MB) built on [\d,]+ rows of orders/);
    assert.match(md, /CREATE INDEX CONCURRENTLY orders_user_id_created_at_idx/);
    assert.match(md, /unknown table nowhere/);
  });
});
