import { strict as assert } from 'assert';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { InventoryEntry } from '../../src/core/workspace/worker';
import type { FileSummary } from '../../src/core/workspace/summary';

const root = path.join(__dirname, '../..');
const workspace = path.join(root, 'test/fixtures/workspaces/wrappers');

/** The index worker as shipped (bundled like esbuild.js does), on the done-when fixture workspace. */
describe('workspace index worker (bundled)', function () {
  let bundle: string;
  const files = () => {
    const out: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const f = path.join(d, e.name);
        if (e.isDirectory()) walk(f);
        else if (/\.(ts|sql)$/.test(e.name)) out.push(f);
      }
    };
    walk(workspace);
    return out.sort();
  };
  const ask = <T>(msg: object, until: string) =>
    new Promise<T[]>((resolve, reject) => {
      const worker = new Worker(bundle);
      const got: T[] = [];
      worker.on('message', (m: { type: string }) => {
        got.push(m as T);
        if (m.type === until || m.type === 'error') {
          void worker.terminate();
          resolve(got);
        }
      });
      worker.on('error', reject);
      worker.postMessage(msg);
    });

  before(async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-index-worker-'));
    bundle = path.join(out, 'indexWorker.js');
    await esbuild.build({
      entryPoints: [path.join(root, 'src/core/workspace/worker.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: bundle,
      mainFields: ['module', 'main'],
      logLevel: 'silent',
    });
    fs.copyFileSync(path.join(root, 'node_modules/libpg-query/wasm/libpg-query.wasm'), path.join(out, 'libpg-query.wasm'));
  });

  it('summarises every file off the main thread and reports when done', async () => {
    const ts = files().filter((f) => f.endsWith('.ts'));
    const msgs = await ask<{ type: string; items?: { file: string; summary: FileSummary }[]; files?: number }>({ type: 'index', files: ts }, 'indexed');
    const items = msgs.flatMap((m) => m.items ?? []);
    assert.equal(items.length, ts.length);
    const raw = items.find((i) => i.file.endsWith('db/raw.ts'))!;
    assert.deepEqual(raw.summary.functions.rawQuery.directSinks, [{ param: 0, dialect: 'postgresql' }]);
    assert.equal(msgs[msgs.length - 1].type, 'indexed');
  });

  it('builds the query inventory with findings counts per query', async () => {
    const schema = [{ file: 'db/schema.sql', text: fs.readFileSync(path.join(workspace, 'db/schema.sql'), 'utf8') }];
    const msgs = await ask<{ type: string; items?: InventoryEntry[] }>(
      { type: 'inventory', files: files().filter((f) => f.endsWith('.ts')), root: workspace, dialect: 'postgresql', schema, sqlFunctions: [] },
      'inventory',
    );
    const items = msgs.find((m) => m.type === 'inventory')!.items!;
    assert.deepEqual(
      items.map((q) => `${q.file}:${q.line} ${q.source} ${q.dialect} findings=${q.findings}`),
      [
        'src/queries/pageviews.ts:8 wrapper:rawQuery postgresql findings=1',
        'src/queries/pageviews.ts:20 wrapper:rawQuery clickhouse findings=0',
        'src/queries/referrers.ts:7 wrapper:rawQuery postgresql findings=1',
        'src/queries/referrers.ts:15 wrapper:rawQuery postgresql findings=1',
      ],
    );
    const text = fs.readFileSync(items[0].path, 'utf8');
    assert.match(text.slice(items[0].start, items[0].end), /^`select url_path[\s\S]*group by url_path`$/);
  });

  it('lists ORM calls (with the SQL the ORM sends and their findings) when given the ORM schema', async () => {
    const shop = path.join(root, 'examples/prisma-shop');
    const schema = [{ file: 'prisma/schema.prisma', text: fs.readFileSync(path.join(shop, 'prisma/schema.prisma'), 'utf8') }];
    const sources = fs.readdirSync(path.join(shop, 'src')).sort().map((f) => path.join(shop, 'src', f));
    const run = async (withSchema: boolean) => {
      const msgs = await ask<{ type: string; items?: InventoryEntry[] }>(
        { type: 'inventory', files: sources, root: shop, dialect: 'postgresql', schema: withSchema ? schema : [], sqlFunctions: [] },
        'inventory',
      );
      return msgs.find((m) => m.type === 'inventory')!.items!;
    };
    assert.deepEqual((await run(false)).filter((q) => q.source === 'prisma'), [], 'no schema, no ORM queries');
    const items = (await run(true)).filter((q) => q.source === 'prisma');
    assert.deepEqual(
      items.map((q) => `${q.file}:${q.line} findings=${q.findings}`),
      [
        'src/catalog.ts:5 findings=1',
        'src/catalog.ts:14 findings=0',
        'src/catalog.ts:19 findings=1',
        'src/customers.ts:5 findings=0',
        'src/customers.ts:10 findings=0',
        'src/fulfilment.ts:5 findings=1',
        'src/fulfilment.ts:14 findings=1',
        'src/fulfilment.ts:19 findings=1',
      ],
    );
    // The SQL Prisma sends (what "Explain this query" explains), and the call's own range in the file.
    assert.match(items[0].sql, /^SELECT "public"\."Product"\."id", .* FROM "public"\."Product" WHERE \("public"\."Product"\."title" ILIKE \('%' \|\| \$1 \|\| '%'\)\) LIMIT \$2$/);
    assert.deepEqual(items[0].tables, ['Product']);
    assert.match(fs.readFileSync(items[0].path, 'utf8').slice(items[0].start, items[0].end), /^prisma\.product\.findMany\(/);
  });
});
