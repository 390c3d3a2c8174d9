/**
 * `sql-plan-advisor advise`, run in-process through the CLI's `run` with captured output:
 * the JSON contract, workspace mode over .sql and TS files, and usage errors. Real engine.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { bufferIO } from '../../src/cli/io';
import { collectQueries } from '../../src/core/advisor/collect';

const root = path.join(__dirname, '../fixtures/advisor');
const ROWS = ['--rows', 'orders=30000,users=3000,events=10000'];

describe('advisor: CLI advise', function () {
  this.timeout(300_000);

  it('--query --format json follows the contract', async () => {
    const io = bufferIO(root);
    const code = await run(['advise', '--schema', 'schema.sql', ...ROWS, '--format', 'json', '--query', 'SELECT total, status FROM orders WHERE user_id = $1 AND created_at > $2 ORDER BY created_at'], io);
    assert.equal(code, 1, io.stderr());
    const out = JSON.parse(io.stdout());
    assert.ok(Array.isArray(out.suggestions) && out.suggestions.length >= 1);
    for (const s of out.suggestions) {
      for (const key of ['table', 'kind', 'ddl', 'costBefore', 'costAfter', 'queries']) assert.ok(key in s, `missing ${key}`);
      assert.ok(['composite', 'covering', 'partial', 'expression', 'single'].includes(s.kind));
      assert.ok(s.costAfter < s.costBefore);
      assert.deepEqual(s.queries, ['SELECT total, status FROM orders WHERE user_id = $1 AND created_at > $2 ORDER BY created_at']);
    }
    assert.equal(out.suggestions[0].ddl, 'CREATE INDEX orders_user_id_created_at_incl_idx ON orders (user_id, created_at) INCLUDE (total, status)');
  });

  it('workspace mode merges queries from .sql and TS files into one index each', async () => {
    const io = bufferIO(root);
    const code = await run(['advise', '--schema', 'schema.sql', ...ROWS, '--format', 'json', 'app'], io);
    assert.equal(code, 1, io.stderr());
    const out = JSON.parse(io.stdout());
    const ddls = out.suggestions.map((s: { ddl: string }) => s.ddl);
    assert.ok(ddls.includes('CREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at)'), ddls.join('\n'));
    const orders = out.suggestions.find((s: { table: string }) => s.table === 'orders');
    assert.equal(orders.queries.length, 2);
    assert.deepEqual([...new Set(orders.sources.map((s: { file: string }) => s.file))].sort(), ['app/queries.sql', 'app/repo.ts']);
    assert.match(orders.writeCost, /orders/);
    const users = out.suggestions.find((s: { table: string }) => s.table === 'users');
    assert.ok(users, 'the lower(email) lookup gets an index');
    assert.match(users.ddl, /\(\(lower\(email\)\)\)/);
    assert.ok(!out.suggestions.some((s: { table: string }) => s.table === 'events'), 'events is served by its existing index');
  });

  it('text output names the DDL, the cost change and the plans', async () => {
    const io = bufferIO(root);
    const code = await run(['advise', '--schema', 'schema.sql', ...ROWS, '--query', 'SELECT * FROM orders WHERE user_id = $1'], io);
    assert.equal(code, 1, io.stderr());
    assert.match(io.stdout(), /^CREATE INDEX orders_user_id_idx ON orders \(user_id\);\n  single on orders — cost [\d,.]+ → [\d,.]+ \(−\d+%\)/);
    assert.match(io.stdout(), /plan: .*Seq Scan on orders .*→ .*orders_user_id_idx/);
  });

  it('a query that needs nothing exits 0', async () => {
    const io = bufferIO(root);
    const code = await run(['advise', '--schema', 'schema.sql', ...ROWS, '--format', 'json', '--query', 'SELECT * FROM orders WHERE id = $1'], io);
    assert.equal(code, 0, io.stderr());
    assert.deepEqual(JSON.parse(io.stdout()).suggestions, []);
  });

  it('--dialect mysql: no INCLUDE, key columns appended without the primary key, approximation noted', async () => {
    const io = bufferIO(root);
    const sql = 'SELECT id, total FROM `orders` WHERE user_id = ? AND status = ? ORDER BY created_at DESC LIMIT 10';
    const code = await run(['advise', '--dialect', 'mysql', '--schema', 'mysql-schema.sql', '--rows', 'orders=20000', '--format', 'json', '--query', sql], io);
    assert.equal(code, 1, io.stderr());
    const out = JSON.parse(io.stdout());
    const covering = out.suggestions.find((s: { kind: string }) => s.kind === 'covering');
    assert.ok(covering, JSON.stringify(out.suggestions));
    assert.equal(covering.ddl, 'CREATE INDEX orders_user_id_status_created_at_total_idx ON orders (user_id, status, created_at, total)');
    // Verified on PostgreSQL with the primary key carried, as InnoDB would: an Index Only Scan.
    assert.match(covering.planAfter, /Index Only Scan using orders_user_id_status_created_at_total_idx/);
    assert.ok(out.suggestions.every((s: { ddl: string }) => !/INCLUDE|WHERE/.test(s.ddl)));
    assert.match(out.notes.join(' '), /approximation/);
  });

  const usageErrors: [string, string[], RegExp][] = [
    ['no --schema', ['advise', '--query', 'SELECT 1'], /--schema <path> is required/],
    ['both --query and paths', ['advise', '--schema', 'schema.sql', '--query', 'SELECT 1', 'app'], /either --query/],
    ['neither --query nor paths', ['advise', '--schema', 'schema.sql'], /missing the files/],
    ['missing schema path', ['advise', '--schema', 'nope.sql', '--query', 'SELECT 1'], /schema path not found/],
    ['missing query path', ['advise', '--schema', 'schema.sql', 'nope/'], /path not found: nope/],
    ['bad --format', ['advise', '--schema', 'schema.sql', '--format', 'xml', '--query', 'SELECT 1'], /unknown format/],
  ];
  for (const [name, argv, message] of usageErrors) {
    it(`usage error: ${name} → exit 2`, async () => {
      const io = bufferIO(root);
      assert.equal(await run(argv, io), 2);
      assert.match(io.stderr(), message);
      assert.equal(io.stdout(), '');
    });
  }

  it('--help exits 0 with the usage', async () => {
    const io = bufferIO(root);
    assert.equal(await run(['advise', '--help'], io), 0);
    assert.match(io.stdout(), /Usage: sql-plan-advisor advise --schema <path>/);
  });
});

describe('advisor: collecting workspace queries', () => {
  it('takes SELECT/UPDATE/DELETE from .sql files with offsets, and skips DDL', () => {
    const text = fs.readFileSync(path.join(root, 'app/queries.sql'), 'utf8');
    const q = collectQueries('queries.sql', text, 'postgresql');
    assert.equal(q.length, 2);
    assert.equal(text.slice(q[0].offset, q[0].offset + q[0].sql.length), q[0].sql);
    assert.ok(q.every((x) => /^(SELECT|UPDATE|DELETE|WITH)\b/i.test(x.sql)));
  });

  it('takes embedded SQL from TS with file offsets inside the literal', () => {
    const text = fs.readFileSync(path.join(root, 'app/repo.ts'), 'utf8');
    const q = collectQueries('repo.ts', text, 'postgresql');
    assert.deepEqual(q.map((x) => x.sql), ['SELECT * FROM orders WHERE user_id = $1', 'SELECT id, name FROM users WHERE lower(email) = $1']);
    assert.equal(text.slice(q[0].offset, q[0].offset + 6), 'SELECT');
  });

  it('ignores binary content', () => {
    assert.deepEqual(collectQueries('x.sql', 'SELECT 1;\u0000\u0001', 'postgresql'), []);
  });
});
