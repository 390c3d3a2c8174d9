/**
 * Live PostgreSQL 15 (with HypoPG and pg_stat_statements) started by the test harness: the CLI's
 * plans are the server's own, nothing we run changes data, refused statements never reach the
 * server, HypoPG-verified advice lowers the real cost, and lint works from the server catalog.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client } from 'pg';
import { runAdvise } from '../../src/cli/advise';
import { runExplain } from '../../src/cli/explain';
import { bufferIO } from '../../src/cli/io';
import { runLint } from '../../src/cli/lint';
import { freePort, startPostgres, type TestServer } from '../support/servers';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'live', 'pg-shop.sql');

describe('live PostgreSQL server', function () {
  this.timeout(180_000);
  let server: TestServer;
  let admin: Client;
  let dir: string;

  before(async () => {
    server = await startPostgres();
    admin = new Client({ connectionString: server.adminUrl });
    await admin.connect();
    await admin.query(fs.readFileSync(FIXTURE, 'utf8'));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-live-'));
  });

  after(async () => {
    await admin?.end().catch(() => undefined);
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function cli(run: typeof runExplain, argv: string[]) {
    const io = bufferIO(dir);
    const code = await run(argv, io);
    return { code, out: io.stdout(), err: io.stderr() };
  }

  async function fingerprint(): Promise<string> {
    const r = await admin.query(`SELECT count(*)::text AS n, sum(total)::text AS s, md5(string_agg(id::text || status::text || total::text, ',' ORDER BY id)) AS h FROM orders`);
    return JSON.stringify(r.rows[0]);
  }

  it('prints the server\'s own EXPLAIN JSON for the same query', async () => {
    const sql = 'SELECT id, total FROM orders WHERE user_id = 42';
    const r = await cli(runExplain, ['--database-url', server.url, '--format', 'json', sql]);
    assert.equal(r.code, 0, r.err);
    const ours = JSON.parse(r.out);
    const theirs = (await admin.query(`EXPLAIN (FORMAT JSON) ${sql}`)).rows[0]['QUERY PLAN'][0];
    assert.deepEqual(ours.plan, theirs);
    assert.match(ours.server, /^PostgreSQL 15\.\d+ at 127\.0\.0\.1:\d+\/shop$/);
    assert.ok(ours.warnings.some((w: string) => /Seq Scan on orders/.test(w)), ours.warnings.join('\n'));
  });

  it('takes DATABASE_URL from the environment, and gives parameters values from pg_stats', async () => {
    const io = { ...bufferIO(dir), env: { DATABASE_URL: server.url } };
    const code = await runExplain(['--format', 'json', "SELECT id FROM orders WHERE status = $1 AND created_at > $2"], io);
    assert.equal(code, 0, io.stderr());
    const out = JSON.parse(io.stdout());
    assert.match(out.executedSql, /status = '(pending|paid|shipped|cancelled)' AND created_at > '2025-/);
    assert.ok(out.notes.some((n: string) => /pg_stats/.test(n)));
  });

  it('EXPLAIN ANALYZE of an UPDATE executes it and leaves every row unchanged', async () => {
    const before = await fingerprint();
    const r = await cli(runExplain, ['--database-url', server.url, '--analyze', '--format', 'json', "UPDATE orders SET total = total * 2, status = 'cancelled' WHERE id <= 5000"]);
    assert.equal(r.code, 0, r.err);
    const plan = JSON.parse(r.out).plan;
    assert.equal(plan.Plan['Node Type'], 'ModifyTable');
    assert.equal(plan.Plan.Plans[0]['Actual Rows'], 5000, 'the update really ran');
    assert.equal(await fingerprint(), before);
  });

  it('runs EXPLAIN ANALYZE of a SELECT in a read-only transaction', async () => {
    const r = await cli(runExplain, ['--database-url', server.url, '--analyze', "SELECT nextval('orders_id_seq')"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /read-only transaction/);
    const seq = await admin.query(`SELECT last_value::int AS v FROM orders_id_seq`);
    assert.equal(seq.rows[0].v, 60000);
  });

  const refused: [string, RegExp][] = [
    ['DROP TABLE orders', /DROP statements are never run/],
    ['SELECT 1; DROP TABLE orders', /found 2 statements/],
    ['TRUNCATE orders', /TRUNCATE statements are never run/],
    ["SET statement_timeout = '1h'", /SET statements are never run/],
    ["COPY orders TO '/tmp/x'", /COPY statements are never run/],
    ['DO $$ BEGIN DELETE FROM orders; END $$', /DO statements are never run/],
    ['SELECT * INTO orders_copy FROM orders', /SELECT … INTO creates a table/],
    ['CREATE INDEX ON orders (user_id)', /CREATE INDEX statements are never run/],
    ['EXPLAIN ANALYZE DELETE FROM orders', /without EXPLAIN/],
  ];
  for (const [sql, message] of refused) {
    it(`refuses ${sql.split(' ').slice(0, 2).join(' ')}… and the data is still there`, async () => {
      const before = await fingerprint();
      const r = await cli(runExplain, ['--database-url', server.url, '--analyze', sql]);
      assert.equal(r.code, 2);
      assert.match(r.err, message);
      assert.equal(r.err.trim().split('\n').length, 1, 'one line');
      assert.equal(await fingerprint(), before);
      const t = await admin.query(`SELECT to_regclass('public.orders') IS NOT NULL AS present, to_regclass('public.orders_copy') IS NULL AS no_copy`);
      assert.deepEqual(t.rows[0], { present: true, no_copy: true });
    });
  }

  it('cancels a statement at the statement timeout with a clear message', async () => {
    const r = await cli(runExplain, ['--database-url', server.url, '--analyze', '--statement-timeout', '300', 'SELECT pg_sleep(5)']);
    assert.equal(r.code, 2);
    assert.match(r.err, /ran longer than the 0\.3 s statement timeout/);
  });

  it('explains connection failures in one line with exit code 2', async () => {
    const port = await freePort();
    const cases: [string, RegExp][] = [
      [server.url.replace('app-secret', 'wrong'), /rejected user 'app': wrong password or unknown user/],
      [server.url.replace('/shop', '/nosuchdb'), /database 'nosuchdb' does not exist/],
      [`postgresql://app:x@127.0.0.1:${port}/shop`, /cannot reach the database server at 127\.0\.0\.1:\d+ \(nothing is listening there\)/],
      ['ftp://example.com/db', /unsupported database URL scheme/],
    ];
    for (const [url, message] of cases) {
      const r = await cli(runExplain, ['--database-url', url, 'SELECT 1']);
      assert.equal(r.code, 2, url);
      assert.match(r.err, message);
      assert.doesNotMatch(r.err, /app-secret/);
    }
  });

  it('says when the server requires TLS', async () => {
    await admin.query(`CREATE ROLE tlsonly LOGIN PASSWORD 'pw'`);
    const hba = (await admin.query(`SELECT setting FROM pg_settings WHERE name = 'hba_file'`)).rows[0].setting as string;
    const original = fs.readFileSync(hba, 'utf8');
    fs.writeFileSync(hba, `hostssl all tlsonly 127.0.0.1/32 scram-sha-256\nhost all tlsonly 127.0.0.1/32 reject\n${original}`);
    try {
      await admin.query('SELECT pg_reload_conf()');
      await new Promise((r) => setTimeout(r, 300));
      const r = await cli(runExplain, ['--database-url', server.url.replace('app:app-secret', 'tlsonly:pw'), 'SELECT 1']);
      assert.equal(r.code, 2);
      assert.match(r.err, /requires TLS: add \?sslmode=require/);
    } finally {
      fs.writeFileSync(hba, original);
      await admin.query('SELECT pg_reload_conf()');
    }
  });

  it('says when pg_stats may not be read', async () => {
    await admin.query(`CREATE ROLE limited LOGIN PASSWORD 'pw'; GRANT SELECT ON orders TO limited; REVOKE SELECT ON pg_stats FROM PUBLIC`);
    try {
      const r = await cli(runExplain, ['--database-url', server.url.replace('app:app-secret', 'limited:pw'), 'SELECT id FROM orders WHERE user_id = $1']);
      assert.equal(r.code, 2);
      assert.match(r.err, /permission denied on pg_stats/);
    } finally {
      await admin.query('GRANT SELECT ON pg_stats TO PUBLIC');
    }
  });

  it('lint finds missing-index and leftmost-prefix from the server catalog alone', async () => {
    const app = path.join(dir, 'app');
    fs.mkdirSync(app, { recursive: true });
    fs.writeFileSync(
      path.join(app, 'queries.sql'),
      `SELECT id, total FROM orders WHERE user_id = $1;\nSELECT id FROM orders WHERE created_at > now() - interval '1 day';\nSELECT id FROM users WHERE lower(email) = $1;\n`,
    );
    const r = await cli(runLint, ['app', '--database-url', server.url, '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    const rules = JSON.parse(r.out).findings.map((f: { rule: string; line: number }) => `${f.line}:${f.rule}`);
    assert.ok(rules.includes('1:missing-index'), rules.join(', '));
    assert.ok(rules.includes('2:leftmost-prefix'), rules.join(', '));
    // users has an expression index on lower(email): no function-on-column finding there.
    assert.ok(!rules.includes('3:function-on-column'), rules.join(', '));
  });

  it('reports index health: unused, duplicate and redundant indexes, sizes and the stats reset time', async () => {
    await admin.query('CREATE INDEX orders_status_dup_idx ON orders (status, created_at); CREATE INDEX orders_status_only_idx ON orders (status)');
    try {
      const r = await cli(runAdvise, ['--database-url', server.url, '--health', '--format', 'json']);
      assert.equal(r.code, 1, r.err);
      const h = JSON.parse(r.out);
      assert.ok(h.duplicates.some((d: { index: string; sameAs: string }) => d.index === 'orders_status_dup_idx' && d.sameAs === 'orders_status_created_at_idx'), r.out);
      assert.ok(h.redundant.some((d: { index: string }) => d.index === 'orders_status_only_idx'), r.out);
      assert.ok(h.unused.some((u: { index: string }) => u.index === 'orders_pending_idx'));
      assert.ok(h.tables.find((t: { table: string; rows: number }) => t.table === 'orders' && t.rows === 60000));
      assert.equal(typeof h.statsReset === 'string' || h.statsReset === undefined, true);
      const text = await cli(runAdvise, ['--database-url', server.url, '--health']);
      assert.match(text.out, /Statistics since: /);
    } finally {
      await admin.query('DROP INDEX orders_status_dup_idx; DROP INDEX orders_status_only_idx');
    }
  });

  it('advice verified with HypoPG lowers the real cost once the DDL is applied', async () => {
    const sql = 'SELECT id, total FROM orders WHERE user_id = 42';
    const r = await cli(runAdvise, ['--database-url', server.url, '--format', 'json', '--query', sql]);
    assert.equal(r.code, 1, r.err + r.out);
    const advice = JSON.parse(r.out);
    assert.equal(advice.verifiedWith, 'hypopg');
    assert.ok(advice.notes[0].includes('HypoPG'));
    const best = advice.suggestions[0];
    assert.match(best.ddl, /^CREATE INDEX \S+ ON orders .*user_id/);
    assert.ok(best.costAfter < best.costBefore);
    const none = await admin.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = $1`, [best.name]);
    assert.equal(none.rows[0].n, 0, 'nothing was created on the server');
    const realBefore = (await admin.query(`EXPLAIN (FORMAT JSON) ${sql}`)).rows[0]['QUERY PLAN'][0].Plan['Total Cost'];
    await admin.query(best.ddl);
    try {
      await admin.query('ANALYZE orders');
      const realAfter = (await admin.query(`EXPLAIN (FORMAT JSON) ${sql}`)).rows[0]['QUERY PLAN'][0].Plan['Total Cost'];
      assert.ok(realAfter < realBefore * 0.5, `${realAfter} < ${realBefore}`);
      // HypoPG estimates the index's size, not its real layout: same order of magnitude, not equal.
      assert.ok(realAfter <= best.costAfter * 2 && best.costAfter <= realAfter * 2, `HypoPG estimate ${best.costAfter} vs real ${realAfter}`);
    } finally {
      await admin.query(`DROP INDEX ${best.name}`);
    }
  });

  it('advises across the workload from pg_stat_statements', async () => {
    const app = new Client({ connectionString: server.url });
    await app.connect();
    try {
      for (let i = 0; i < 25; i++) await app.query('SELECT id, total FROM orders WHERE user_id = $1', [i + 1]);
    } finally {
      await app.end();
    }
    const r = await cli(runAdvise, ['--database-url', server.url, '--workload', '--top', '5', '--format', 'json']);
    assert.equal(r.code, 1, r.err + r.out);
    const advice = JSON.parse(r.out);
    const s = advice.suggestions.find((x: { table: string; ddl: string }) => x.table === 'orders' && /\(user_id/.test(x.ddl));
    assert.ok(s, r.out);
    assert.ok(s.queries.some((q: string) => /user_id = \$1/.test(q)));
  });

  it('verifies in the bundled engine mirroring the server when HypoPG is not created', async () => {
    await admin.query('DROP EXTENSION hypopg');
    try {
      const r = await cli(runAdvise, ['--database-url', server.url, '--format', 'json', '--query', 'SELECT id, total FROM orders WHERE user_id = 42']);
      assert.equal(r.code, 1, r.err + r.out);
      const advice = JSON.parse(r.out);
      assert.equal(advice.verifiedWith, 'bundled');
      assert.match(advice.notes[0], /bundled engine loaded with the server's schema and row counts, because HypoPG is installed on the server but not created/);
      assert.match(advice.suggestions[0].ddl, /\(user_id/);
    } finally {
      await admin.query('CREATE EXTENSION hypopg');
    }
  });
});
