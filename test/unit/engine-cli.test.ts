import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runExplain } from '../../src/cli/explain';
import { bufferIO } from '../../src/cli/io';
import { UsageError } from '../../src/cli/io';

describe('CLI explain', function () {
  this.timeout(180_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-explain-'));
    fs.writeFileSync(
      path.join(dir, 'schema.sql'),
      `CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, status text NOT NULL);
       CREATE TABLE orders (id serial PRIMARY KEY, user_id int NOT NULL REFERENCES users (id), total numeric(10,2));`,
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the contract JSON: the EXPLAIN element holding "Plan" and plain-words warnings', async () => {
    const io = bufferIO(dir);
    const code = await runExplain(['--schema', 'schema.sql', '--rows', 'users=3000,orders=1k', '--format', 'json', '--analyze', "UPDATE users SET status = 'x' WHERE lower(email) = $1"], io);
    assert.equal(code, 0, io.stderr());
    const out = JSON.parse(io.stdout());
    assert.equal(out.plan.Plan['Node Type'], 'ModifyTable');
    assert.equal(typeof out.plan['Execution Time'], 'number');
    assert.ok(Array.isArray(out.warnings));
    assert.ok(out.warnings.some((w: string) => /^Seq Scan on users reads 3,000 rows to return 1\b/.test(w)), out.warnings.join('\n'));
    assert.match(out.executedSql, /lower\(email\) = 'user\d+@example\.com'/);
  });

  it('prints the classic text tree with a summary line', async () => {
    const io = bufferIO(dir);
    const code = await runExplain(['--schema', path.join(dir, 'schema.sql'), '--default-rows', '200', 'SELECT * FROM orders o JOIN users u ON u.id = o.user_id'], io);
    assert.equal(code, 0, io.stderr());
    const lines = io.stdout().split('\n');
    assert.match(lines[0], /^(Hash Join|Nested Loop|Merge Join) {2}\(cost=\d+\.\d\d\.\.\d+\.\d\d rows=\d+ width=\d+\)$/);
    assert.ok(lines.some((l) => /^ {2}->  Seq Scan on (orders o|users u) {2}\(cost=/.test(l)));
    assert.ok(lines.some((l) => /% of the estimated cost is in /.test(l)));
  });

  it('exits 2 with the PostgreSQL message for SQL the engine rejects', async () => {
    const io = bufferIO(dir);
    const code = await runExplain(['--schema', 'schema.sql', '--default-rows', '10', 'SELECT * FROM nosuch'], io);
    assert.equal(code, 2);
    assert.match(io.stderr(), /relation "nosuch" does not exist/);
    assert.equal(io.stdout(), '');
  });

  it('rejects bad usage before starting the engine', async () => {
    await assert.rejects(runExplain(['SELECT 1'], bufferIO(dir)), (e: Error) => e instanceof UsageError && /--schema/.test(e.message));
    await assert.rejects(runExplain(['--schema', 'schema.sql'], bufferIO(dir)), /missing the SQL/);
    await assert.rejects(runExplain(['--schema', 'schema.sql', '--format', 'xml', 'SELECT 1'], bufferIO(dir)), /unknown format/);
    await assert.rejects(runExplain(['--schema', 'missing.sql', 'SELECT 1'], bufferIO(dir)), /not found/);
  });
});
