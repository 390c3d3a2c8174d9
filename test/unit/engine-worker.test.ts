import { strict as assert } from 'assert';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { HostToWorker, WorkerToHost } from '../../src/core/engine/workerProtocol';
import { buildCatalog } from '../../src/core/schema/catalog';

// The extension runs the engine in a worker thread from a bundle with no node_modules next to
// it. Build that bundle the way esbuild.js does, into a temp folder outside the repository,
// and drive it through the typed protocol.
describe('engine worker bundle', function () {
  this.timeout(180_000);
  let dir: string;
  let worker: Worker;
  const inbox: WorkerToHost[] = [];
  const seen: WorkerToHost[] = [];
  const waitFor = <T extends WorkerToHost['type']>(type: T) =>
    new Promise<Extract<WorkerToHost, { type: T }>>((resolve, reject) => {
      const check = () => {
        const i = inbox.findIndex((m) => m.type === type);
        if (i >= 0) {
          clearInterval(timer);
          resolve(inbox.splice(i, 1)[0] as Extract<WorkerToHost, { type: T }>);
        }
      };
      const timer = setInterval(check, 20);
      worker.once('error', (e) => {
        clearInterval(timer);
        reject(e);
      });
    });

  before(async () => {
    const root = path.join(__dirname, '..', '..');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-worker-'));
    await esbuild.build({
      entryPoints: { engineWorker: path.join(root, 'src/core/engine/worker.ts') },
      outdir: dir,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      define: { 'import.meta.url': '__importMetaUrl' },
      banner: { js: 'const __importMetaUrl = require("url").pathToFileURL(__filename).href;' },
      logLevel: 'silent',
    });
    for (const f of ['pglite.wasm', 'initdb.wasm', 'pglite.data']) {
      fs.copyFileSync(path.join(root, 'node_modules/@electric-sql/pglite/dist', f), path.join(dir, f));
    }
    // The parser the engine reads statements with, and the snapshot when a build made one.
    fs.copyFileSync(path.join(root, 'node_modules/libpg-query/wasm/libpg-query.wasm'), path.join(dir, 'libpg-query.wasm'));
    const snapshot = path.join(root, 'dist', 'pglite-snapshot.tgz');
    if (fs.existsSync(snapshot)) fs.copyFileSync(snapshot, path.join(dir, 'pglite-snapshot.tgz'));
    worker = new Worker(path.join(dir, 'engineWorker.js'));
    worker.on('message', (m: WorkerToHost) => {
      inbox.push(m);
      seen.push(m);
    });
  });
  after(async () => {
    await worker?.terminate();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts with progress, explains, reports bad SQL as a user error, and closes', async () => {
    const sources = [{ file: 's.sql', text: 'CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL); CREATE TABLE broken (;' }];
    const send = (m: HostToWorker) => worker.postMessage(m);
    send({ type: 'start', sources, catalog: buildCatalog(sources), options: { defaultRows: 1000, cacheDir: path.join(dir, 'cache') } });
    const ready = await waitFor('ready');
    const progress = seen.filter((m) => m.type === 'progress').map((m) => (m as { message: string }).message);
    assert.ok(progress.some((m) => /Starting PostgreSQL/.test(m)) && progress.some((m) => /Loading the workspace schema/.test(m)), progress.join(' | '));
    assert.equal(ready.schemaProblems.length, 1);
    assert.match(ready.schemaProblems[0].message, /syntax error/);
    // Rows on demand: nothing is generated before a statement reads the table.
    assert.deepEqual(ready.startup.rows, {});

    send({ type: 'explain', id: 7, request: { sql: 'SELECT * FROM t WHERE id = $1' } });
    const explained = await waitFor('explained');
    assert.equal(explained.id, 7);
    assert.equal((explained.result.plan.Plan as Record<string, unknown>)['Node Type'], 'Index Scan');
    assert.equal(explained.result.relationRows?.t, 1000);

    send({ type: 'explain', id: 8, request: { sql: 'SELECT nope FROM t' } });
    const failed = await waitFor('failed');
    assert.equal(failed.id, 8);
    assert.equal(failed.userError, true);
    assert.match(failed.message, /column "nope" does not exist/);

    send({ type: 'close' });
    await waitFor('closed');
  });
});
