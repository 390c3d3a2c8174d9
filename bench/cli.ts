/**
 * The CLI's first Explain as a user meets it: a fresh `node dist/cli.js explain` process per run
 * (process start, bundle load, WASM compile, PostgreSQL boot, schema, synthetic rows, ANALYZE,
 * the Explain, saving the loaded engine at exit), median of 3. Wall time from outside the
 * process; CPU time and peak RSS from inside it (process.resourceUsage, via bench/rssProbe.js).
 * Scenarios: the five-table shop schema never seen before (empty cache folder) and cached, and a
 * generated 60-table schema built by 150 migration files (bench/bigSchema.ts), new and cached.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeBigSchema } from './bigSchema';
import { median, round, type BenchRow } from './types';

const root = path.resolve(__dirname, '..');
const RUNS = 3;
const SHOP_QUERY = "SELECT o.id, o.total_cents, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = 'paid' ORDER BY o.total_cents DESC LIMIT 20";
const BIG_QUERY = 'SELECT e.id, e.name, p.name FROM "entity_41" e JOIN "entity_20" p ON p.id = e."parentId" WHERE e.status = $1 ORDER BY e."createdAt" DESC LIMIT 20';

interface Run {
  wallMs: number;
  cpuMs: number;
  maxRssMB: number;
}

/** One fresh CLI process; `tmp` is its TMPDIR, which holds the CLI's cache folder. */
function explainOnce(schema: string, sql: string, tmp: string): Run {
  const probe = path.join(tmp, `probe-${process.pid}.json`);
  const t0 = performance.now();
  execFileSync(process.execPath, ['-r', path.join(__dirname, 'rssProbe.js'), path.join(root, 'dist/cli.js'), 'explain', '--schema', schema, sql], {
    env: { ...process.env, TMPDIR: tmp, SPA_BENCH_PROBE: probe },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 300_000,
  });
  const wallMs = performance.now() - t0;
  const inside = JSON.parse(fs.readFileSync(probe, 'utf8')) as Run;
  fs.rmSync(probe, { force: true });
  return { wallMs, cpuMs: inside.cpuMs, maxRssMB: inside.maxRssMB };
}

function medians(runs: Run[]): Run {
  return { wallMs: median(runs.map((r) => r.wallMs)), cpuMs: median(runs.map((r) => r.cpuMs)), maxRssMB: median(runs.map((r) => r.maxRssMB)) };
}

function scenario(label: string, schema: string, sql: string, cached: boolean, wallTarget: number, rssTarget: number): BenchRow[] {
  const runs: Run[] = [];
  const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-bench-cli-'));
  try {
    if (cached) explainOnce(schema, sql, shared); // fills the cache folder
    for (let i = 0; i < RUNS; i++) {
      const tmp = cached ? shared : fs.mkdtempSync(path.join(os.tmpdir(), 'spa-bench-cli-new-'));
      try {
        runs.push(explainOnce(schema, sql, tmp));
      } finally {
        if (!cached) fs.rmSync(tmp, { recursive: true, force: true });
      }
    }
  } finally {
    fs.rmSync(shared, { recursive: true, force: true });
  }
  const m = medians(runs);
  return [
    { name: `CLI first Explain, ${label} (fresh process, median of ${RUNS}), wall`, value: round(m.wallMs), unit: 'ms', target: `≤ ${wallTarget} ms`, ok: m.wallMs <= wallTarget },
    { name: '  CPU time of that process', value: round(m.cpuMs), unit: 'ms' },
    { name: '  peak RSS of that process', value: round(m.maxRssMB), unit: 'MB', target: `≤ ${rssTarget} MB`, ok: m.maxRssMB <= rssTarget },
  ];
}

export async function run(): Promise<BenchRow[]> {
  if (!fs.existsSync(path.join(root, 'dist/cli.js'))) throw new Error('dist/cli.js missing: run `node esbuild.js` first');
  execFileSync(process.execPath, [path.join(root, 'scripts/build-engine-snapshot.js')], { stdio: 'ignore' });
  const shop = path.join(root, 'examples/shop/schema');
  const big = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-bench-big-'));
  try {
    writeBigSchema(big);
    return [
      ...scenario('new five-table schema', shop, SHOP_QUERY, false, 1500, 300),
      ...scenario('cached five-table schema', shop, SHOP_QUERY, true, 800, 300),
      ...scenario('new 60 tables / 150 migrations', big, BIG_QUERY, false, 3000, 400),
      ...scenario('cached 60 tables / 150 migrations', big, BIG_QUERY, true, 3000, 400),
    ];
  } finally {
    fs.rmSync(big, { recursive: true, force: true });
  }
}
