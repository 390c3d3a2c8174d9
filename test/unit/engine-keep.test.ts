import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { askServer } from '../../src/cli/engineServer';

/** Runs the bundled CLI in a fresh process with its own TMPDIR (which holds the socket). */
function cli(bundle: string, args: string[], tmp: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bundle, ...args], { env: { ...process.env, TMPDIR: tmp }, cwd: tmp, timeout: 170_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('CLI explain --keep-engine (long-lived engine)', function () {
  this.timeout(180_000);
  let dir: string;
  let bundle: string;
  let serverPid: number | undefined;
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  before(async () => {
    const root = path.join(__dirname, '..', '..');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-keep-'));
    await esbuild.build({
      entryPoints: { cli: path.join(root, 'src/cli/main.ts') },
      outdir: dir,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      mainFields: ['module', 'main'],
      external: ['typescript'],
      define: { 'import.meta.url': '__importMetaUrl' },
      banner: { js: 'const __importMetaUrl = require("url").pathToFileURL(__filename).href;' },
      logLevel: 'silent',
    });
    bundle = path.join(dir, 'cli.js');
    for (const f of ['pglite.wasm', 'initdb.wasm', 'pglite.data']) fs.copyFileSync(path.join(root, 'node_modules/@electric-sql/pglite/dist', f), path.join(dir, f));
    fs.copyFileSync(path.join(root, 'node_modules/libpg-query/wasm/libpg-query.wasm'), path.join(dir, 'libpg-query.wasm'));
    const snapshot = path.join(root, 'dist', 'pglite-snapshot.tgz');
    if (fs.existsSync(snapshot)) fs.copyFileSync(snapshot, path.join(dir, 'pglite-snapshot.tgz'));
    fs.writeFileSync(path.join(dir, 'schema.sql'), 'CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL);\nCREATE TABLE u (id int PRIMARY KEY);\n');
  });
  after(async () => {
    if (serverPid && alive(serverPid)) process.kill(serverPid, 'SIGTERM');
    for (let i = 0; i < 100 && serverPid && alive(serverPid); i++) await new Promise((r) => setTimeout(r, 100));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts a background engine on first use, answers later runs from it, and stops on SIGTERM', async () => {
    const args = ['explain', '--keep-engine', '--schema', path.join(dir, 'schema.sql'), '--default-rows', '500', '--format', 'json', 'SELECT * FROM t WHERE id = 7'];
    const first = await cli(bundle, args, dir);
    assert.equal(first.code, 0, first.stderr);
    const sockets = fs.readdirSync(path.join(dir, 'sql-plan-advisor')).filter((f) => f.endsWith('.sock'));
    assert.equal(sockets.length, 1);
    const socket = path.join(dir, 'sql-plan-advisor', sockets[0]);
    const second = await cli(bundle, args, dir);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(JSON.parse(second.stdout).plan, JSON.parse(first.stdout).plan);
    assert.equal(JSON.parse(second.stdout).plan.Plan['Node Type'], 'Index Scan');

    // The kept engine answers directly, and reports user errors as the CLI would.
    const direct = await askServer(socket, { sql: 'SELECT nope FROM t' });
    assert.ok(direct && !direct.ok && direct.userError, JSON.stringify(direct));
    serverPid = direct.pid;
    const bad = await cli(bundle, [...args.slice(0, -1), 'SELECT nope FROM t'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /column "nope" does not exist/);

    // SIGTERM: the server stops listening, saves the loaded engine and exits.
    process.kill(direct.pid, 'SIGTERM');
    for (let i = 0; i < 150 && alive(direct.pid); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(direct.pid), false);
    assert.equal(await askServer(socket, { sql: 'SELECT 1' }), undefined);
    assert.ok(fs.readdirSync(path.join(dir, 'sql-plan-advisor')).some((f) => /^engine-[0-9a-f]+\.tgz$/.test(f)));
  });
});
