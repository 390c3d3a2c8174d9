/**
 * Lint benchmark: a generated 1,000-statement `.sql` file over the example schema: PostgreSQL's
 * parser first-load cost, a cold lint first in a fresh process (bundled linter, parser load
 * included), warm parse+lint throughput, re-lint after editing one statement, and the CLI end
 * to end in a fresh process.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SqlLinter } from '../src/core/lint/linter';
import { buildCatalog } from '../src/core/schema/catalog';
import * as esbuild from 'esbuild';
import { clearQueryCache, loadQueryParsers } from '../src/core/query/parse';
import { splitStatements } from '../src/core/sql/split';
import type { LintOptions } from '../src/core/lint/types';
import { measure, median, round, timeMs, type BenchRow } from './types';
import { generateSqlWorkload } from './workload';

const root = path.resolve(__dirname, '..');
const STATEMENTS = 1000;

function readSchema() {
  const dir = path.join(root, 'examples/shop/schema');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((f) => ({ file: `examples/shop/schema/${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

/** Changes the first number in statement `index` of `text` (a one-statement edit, as a user makes). */
function editStatement(text: string, index: number, salt: number): string {
  const st = splitStatements(text)[index];
  const edited = st.text.replace(/\d+/, (d) => String((Number(d) + salt) % 1_000_000));
  return text.slice(0, st.start) + edited + text.slice(st.end);
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const sources = readSchema();
  let catalog = buildCatalog(sources);
  rows.push({ name: `catalog build (${sources.length} migration files)`, value: round(timeMs(() => (catalog = buildCatalog(sources)))), unit: 'ms' });

  const text = generateSqlWorkload(STATEMENTS);
  const opts: LintOptions = { dialect: 'postgresql', catalog };
  const statements = splitStatements(text).length;

  // PostgreSQL's parser: compiling its WASM, once per process.
  const t0 = performance.now();
  await loadQueryParsers();
  rows.push({ name: 'PostgreSQL parser first load (WASM compile, once per process)', value: round(performance.now() - t0), unit: 'ms' });

  // Cold, first in a fresh process: Node start, bundle load, parser load, catalog, lint.
  const child = coldInFreshProcess(text, sources);
  // performance.now() counts from the process's start, so the child's clock at the end of the
  // cold lint is the wall time a CLI user waits (Node start included); the spawn's own wall time
  // also covers the warm passes that follow.
  rows.push({ name: `cold lint, ${statements} statements, first in a fresh process (wall from process start)`, value: round(child.coldWallMs), unit: 'ms', target: '≤ 250 ms', ok: child.coldWallMs <= 250 });
  rows.push({ name: '  of which: bundle require', value: round(child.requireMs), unit: 'ms' });
  rows.push({ name: '  of which: parser load', value: round(child.parserMs), unit: 'ms' });
  rows.push({ name: '  of which: catalog build', value: round(child.catalogMs), unit: 'ms' });
  rows.push({ name: '  of which: lint', value: round(child.lintMs), unit: 'ms' });
  rows.push({ name: '  CPU time of that process up to the end of the cold lint', value: round(child.processCpuMs), unit: 'ms CPU' });
  rows.push({ name: '  of which the cold lint', value: round(child.lintCpuMs), unit: 'ms CPU' });
  const bundled = (statements / child.warmWallMs) * 1000;
  rows.push({ name: `warm parse+lint throughput, bundled (fresh process, cache cleared, 5 warm-up passes, median of 9)`, value: round(bundled), unit: 'statements/s', target: '≥ 10,000 statements/s', ok: bundled >= 10_000 });
  rows.push({ name: '  same, by CPU time of that process', value: round((statements / child.warmCpuMs) * 1000), unit: 'statements/s (CPU)' });

  // Cold in this process (first lint here, tsx-transpiled modules: slower than the bundle).
  clearQueryCache();
  let linter = new SqlLinter();
  let findings = 0;
  const first = measure(() => (findings = linter.lint(text, opts).length));
  rows.push({ name: `cold lint, ${statements} statements (first in this process, unbundled)`, value: round(first.wallMs), unit: 'ms' });

  // Warm: cache cleared and a new linter, JIT warm: parse + all rules on every statement.
  const colds: { wallMs: number; cpuMs: number }[] = [];
  for (let i = 0; i < 5; i++) {
    clearQueryCache();
    linter = new SqlLinter();
    colds.push(measure(() => linter.lint(text, opts)));
  }
  const cold = median(colds.map((c) => c.wallMs));
  rows.push({ name: `warm parse+lint, ${statements} statements (cache cleared, median of 5)`, value: round(cold), unit: 'ms' });
  rows.push({ name: '  same, CPU time of this process', value: round(median(colds.map((c) => c.cpuMs))), unit: 'ms CPU' });
  rows.push({ name: 'warm parse+lint throughput (unbundled, tsx)', value: round((statements / cold) * 1000), unit: 'statements/s' });
  rows.push({ name: 'findings in the workload', value: findings, unit: 'findings' });

  // Re-lint after editing one statement: only that statement is parsed and checked again.
  let current = text;
  linter.lint(current, opts);
  const edits: { wallMs: number; cpuMs: number }[] = [];
  for (let i = 0; i < 40; i++) {
    current = editStatement(current, (i * 37 + 11) % statements, i + 1);
    edits.push(measure(() => linter.lint(current, opts)));
  }
  const relint = median(edits.map((e) => e.wallMs));
  rows.push({ name: 're-lint after editing one statement (median of 40)', value: round(relint), unit: 'ms', target: '≤ 5 ms', ok: relint <= 5 });
  // CPU time as the mean over all edits (getrusage is too coarse for a median of single runs).
  rows.push({ name: '  same, mean CPU time of this process', value: round(edits.reduce((n, e) => n + e.cpuMs, 0) / edits.length), unit: 'ms CPU' });
  const unchanged: number[] = [];
  for (let i = 0; i < 20; i++) unchanged.push(timeMs(() => linter.lint(current, opts)));
  rows.push({ name: 're-lint, nothing changed (median of 20)', value: round(median(unchanged)), unit: 'ms' });

  // The CLI in a fresh process: Node start, bundle load, read, catalog, lint, JSON out.
  const cli = path.join(root, 'dist/cli.js');
  if (fs.existsSync(cli)) {
    const dir = path.join(root, '.bench');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'workload-1000.sql');
    fs.writeFileSync(file, text);
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [cli, 'lint', file, '--schema', 'examples/shop/schema', '--format', 'json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.status !== 1) throw new Error(`CLI exited ${r.status}: ${r.stderr}`);
    }
    rows.push({ name: 'CLI lint of the 1,000-statement file, new process (median of 3)', value: round(median(runs)), unit: 'ms' });
  }
  return rows;
}

/** Bundles the linter (as dist/ does), then lints the workload first thing in a new Node process. */
interface ColdRun {
  /** Spawn to exit, warm passes included. */
  wallMs: number;
  /** Process start to the end of the cold lint (the child's performance.now()). */
  coldWallMs: number;
  requireMs: number;
  parserMs: number;
  catalogMs: number;
  lintMs: number;
  warmWallMs: number;
  warmCpuMs: number;
  lintCpuMs: number;
  processCpuMs: number;
}

function coldInFreshProcess(text: string, sources: { file: string; text: string }[]): ColdRun {
  const dir = path.join(root, '.bench');
  fs.mkdirSync(dir, { recursive: true });
  const bundle = path.join(dir, 'lint-bundle.js');
  // As esbuild.js ships it: the TypeScript compiler (≈ 10 MB, needed only for TS/JS sources)
  // stays out of the bundle and is loaded on first use, not on every start (`.bench/` resolves
  // it from the project's node_modules; dist/ ships it beside the bundle).
  esbuild.buildSync({ entryPoints: [path.join(__dirname, 'lintEntry.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', mainFields: ['module', 'main'], outfile: bundle, logLevel: 'error', external: ['typescript'] });
  fs.copyFileSync(path.join(root, 'node_modules/libpg-query/wasm/libpg-query.wasm'), path.join(dir, 'libpg-query.wasm'));
  const input = path.join(dir, 'cold-input.json');
  fs.writeFileSync(input, JSON.stringify({ text, sources }));
  const script = `
    const t0 = performance.now();
    const m = require(${JSON.stringify(bundle)});
    const t1 = performance.now();
    m.loadQueryParsers().then(() => {
      const t2 = performance.now();
      const { text, sources } = JSON.parse(require('fs').readFileSync(${JSON.stringify(input)}, 'utf8'));
      const catalog = m.buildCatalog(sources);
      const t3 = performance.now();
      const cpu0 = process.cpuUsage();
      const n = new m.SqlLinter().lint(text, { dialect: 'postgresql', catalog }).length;
      const t4 = performance.now();
      const cpuCold = process.cpuUsage(cpu0);
      const totalCpu = process.cpuUsage();
      // Then warm, as shipped: cache cleared, new linter (wall and this process's CPU). The JIT
      // is still tiering up for the first passes after the cold one (measured: 415, 190, 195,
      // 140 ms CPU, then 85-150), so 5 passes are discarded and the median of the next 9 is kept.
      const warm = [];
      for (let i = 0; i < 14; i++) {
        m.clearQueryCache();
        const c0 = process.cpuUsage();
        const w0 = performance.now();
        new m.SqlLinter().lint(text, { dialect: 'postgresql', catalog });
        const c = process.cpuUsage(c0);
        if (i >= 5) warm.push({ wall: performance.now() - w0, cpu: (c.user + c.system) / 1000 });
      }
      const mid = (xs) => xs.sort((a, b) => a - b)[4];
      console.log(JSON.stringify({ coldWallMs: t4, requireMs: t1 - t0, parserMs: t2 - t1, catalogMs: t3 - t2, lintMs: t4 - t3, lintCpuMs: (cpuCold.user + cpuCold.system) / 1000, processCpuMs: (totalCpu.user + totalCpu.system) / 1000, n, warmWallMs: mid(warm.map((w) => w.wall)), warmCpuMs: mid(warm.map((w) => w.cpu)) }));
    });`;
  const runs: ColdRun[] = [];
  for (let i = 0; i < 3; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`cold lint process failed: ${r.stderr}`);
    runs.push({ wallMs, ...JSON.parse(r.stdout) });
  }
  runs.sort((a, b) => a.coldWallMs - b.coldWallMs);
  return runs[1];
}
