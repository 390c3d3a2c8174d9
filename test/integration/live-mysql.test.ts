/**
 * Live MariaDB started by the test harness: the catalog from information_schema, EXPLAIN
 * FORMAT=JSON converted into the shared plan model with MySQL's vocabulary and plain-words
 * warnings, and the same refusals and read-only guarantees as for PostgreSQL.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createConnection, type Connection } from 'mysql2/promise';
import { runExplain } from '../../src/cli/explain';
import { bufferIO } from '../../src/cli/io';
import { runLint } from '../../src/cli/lint';
import { connectLive } from '../../src/core/live/connect';
import { buildPlanModel } from '../../src/core/plan/model';
import { renderPlanText } from '../../src/core/plan/text';
import { startMariadb, type TestServer } from '../support/servers';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'live', 'mysql-shop.sql');

describe('live MariaDB server', function () {
  this.timeout(120_000);
  let server: TestServer;
  let admin: Connection;
  let dir: string;

  before(async () => {
    server = await startMariadb();
    admin = await createConnection({ uri: server.adminUrl, multipleStatements: true });
    await admin.query(fs.readFileSync(FIXTURE, 'utf8'));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-live-my-'));
  });

  after(async () => {
    await admin?.end().catch(() => undefined);
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function fingerprint(): Promise<string> {
    const [rows] = await admin.query('SELECT COUNT(*) AS n, SUM(total) AS s, MD5(GROUP_CONCAT(id, status, total ORDER BY id)) AS h FROM orders');
    return JSON.stringify(rows);
  }

  it('reads the catalog from information_schema', async () => {
    const live = await connectLive(server.url);
    try {
      const { catalog, rows } = await live.schema();
      const orders = catalog.tables.get('orders')!;
      assert.equal(orders.origin, 'server');
      assert.deepEqual(orders.primaryKey, ['id']);
      assert.deepEqual(orders.indexes.find((i) => i.name === 'orders_status_created_at_idx')?.keys.map((k) => k.column), ['status', 'created_at']);
      assert.deepEqual(orders.foreignKeys.map((f) => [f.columns, f.refTable, f.refColumns]), [[['user_id'], 'users', ['id']]]);
      assert.equal(orders.columns.find((c) => c.name === 'total')?.type, 'decimal(10,2)');
      assert.ok(rows.orders > 10_000);
    } finally {
      await live.close();
    }
  });

  it('converts EXPLAIN FORMAT=JSON into the plan model with MySQL vocabulary and warnings', async () => {
    const live = await connectLive(server.url);
    try {
      const join = await live.explain({ sql: "SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.total > ? ORDER BY o.created_at DESC LIMIT 10" });
      const model = buildPlanModel(join.plan, { relationRows: join.relationRows });
      // MariaDB drives the join from users (the covering email index) and looks orders up by user_id.
      const drive = model.nodes.find((n) => n.relation === 'u')!;
      assert.equal(drive.mysql?.accessType, 'index', renderPlanText(model));
      assert.equal(drive.mysql?.usingIndex, true);
      assert.equal(drive.mysql?.rowsExamined, 3000);
      const lookup = model.nodes.find((n) => n.relation === 'o')!;
      assert.equal(lookup.mysql?.accessType, 'ref');
      assert.deepEqual(lookup.mysql?.ref, ['shop.u.id']);
      assert.equal(lookup.label, 'Index Lookup using orders_user_fk on o');
      assert.equal(lookup.indexCond, 'user_id = shop.u.id');
      assert.equal(model.root.nodeType, 'Sort');
      const messages = model.warnings.map((w) => w.message).join('\n');
      assert.match(messages, /Full index scan of users_email_uq on u \(access type index\) examines ~3,000 rows/);
      assert.match(messages, /sorted by o\.created_at desc after they are read \(Using filesort\)/);
      assert.match(messages, /temporary table \(Using temporary\)/);
      assert.match(join.executedSql, /o\.total > '1\.99'/);
      assert.ok(join.notes?.some((n) => /^Plan from MariaDB 10\.\d+\.\d+ at 127\.0\.0\.1:\d+\/shop\.$/.test(n)));
      assert.match(renderPlanText(model), /Nested Loop/);

      const covering = await live.explain({ sql: "SELECT status FROM orders WHERE status = 'paid' AND created_at > '2025-02-01'" });
      const range = buildPlanModel(covering.plan).nodes.find((n) => n.relation === 'orders')!;
      assert.equal(range.mysql?.accessType, 'range');
      assert.equal(range.mysql?.usingIndex, true);
      assert.deepEqual(range.mysql?.usedKeyParts, ['status', 'created_at']);

      const grouped = await live.explain({ sql: 'SELECT country, COUNT(*) FROM users GROUP BY country' });
      const g = buildPlanModel(grouped.plan);
      assert.ok(g.warnings.some((w) => w.kind === 'mysql-full-scan' && /Full table scan on users \(access type ALL\) examines ~3,000 rows/.test(w.message)), JSON.stringify(g.warnings));
    } finally {
      await live.close();
    }
  });

  it('explains an UPDATE without changing a row, and refuses what is not one statement of an allowed kind', async () => {
    const before = await fingerprint();
    const io = bufferIO(dir);
    assert.equal(await runExplain(['--database-url', server.url, '--format', 'json', "UPDATE orders SET total = 0 WHERE status = 'paid'"], io), 0, io.stderr());
    assert.equal(JSON.parse(io.stdout()).plan.Plan['Node Type'], 'Update');
    for (const [sql, message] of [
      ['DROP TABLE orders', /DROP statements are never run/],
      ['SELECT 1; DROP TABLE orders', /found 2 statements/],
      ['TRUNCATE TABLE orders', /never run on a live server/],
      ['SELECT id INTO @x FROM orders LIMIT 1', /SELECT … INTO/],
    ] as [string, RegExp][]) {
      const r = bufferIO(dir);
      assert.equal(await runExplain(['--database-url', server.url, sql], r), 2, sql);
      assert.match(r.stderr(), message);
    }
    const analyze = bufferIO(dir);
    assert.equal(await runExplain(['--database-url', server.url, '--analyze', "DELETE FROM orders"], analyze), 2);
    assert.match(analyze.stderr(), /EXPLAIN ANALYZE is not run on MariaDB/);
    assert.equal(await fingerprint(), before);
    const [tables] = await admin.query("SHOW TABLES LIKE 'orders'");
    assert.equal((tables as unknown[]).length, 1);
  });

  it('says when the password is wrong or the database is missing (exit 2)', async () => {
    for (const [url, message] of [
      [server.url.replace('app-secret', 'nope'), /rejected user 'app': wrong password or unknown user/],
      [server.url.replace('/shop', '/nosuch'), /database 'nosuch' does not exist|rejected user/],
    ] as [string, RegExp][]) {
      const io = bufferIO(dir);
      assert.equal(await runExplain(['--database-url', url, 'SELECT 1'], io), 2);
      assert.match(io.stderr(), message);
    }
  });

  it('lints with the server catalog alone (MySQL dialect taken from the URL)', async () => {
    fs.writeFileSync(path.join(dir, 'q.sql'), 'SELECT id FROM orders WHERE created_at > ?;\nSELECT id FROM users WHERE country = ?;\n');
    const io = bufferIO(dir);
    assert.equal(await runLint(['q.sql', '--database-url', server.url, '--format', 'json'], io), 1, io.stderr());
    const found = JSON.parse(io.stdout()).findings.map((f: { line: number; rule: string }) => `${f.line}:${f.rule}`);
    assert.ok(found.includes('1:leftmost-prefix'), found.join());
    assert.ok(found.includes('2:missing-index'), found.join());
  });
});
