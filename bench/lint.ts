/**
 * Lint benchmark: a generated 1,000-statement `.sql` file over the example schema, linted
 * from cold (parse cache cleared, new linter) and re-linted after editing one statement,
 * plus the CLI end to end in a fresh process.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { SqlLinter } from '../src/core/lint/linter';
import { buildCatalog } from '../src/core/schema/catalog';
import { clearParseCache } from '../src/core/sql/parse';
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

  // Cold, first in this process: parser loaded and JIT-compiled on the way.
  clearParseCache();
  let linter = new SqlLinter();
  let findings = 0;
  const first = measure(() => (findings = linter.lint(text, opts).length));
  rows.push({ name: `cold lint, ${statements} statements (first in process)`, value: round(first.wallMs), unit: 'ms', target: '< 1000 ms', ok: first.wallMs < 1000 });
  rows.push({ name: '  same, CPU time of this process', value: round(first.cpuMs), unit: 'ms CPU' });

  // Cold again (cache cleared, new linter) with a warm JIT: the steady-state cost of a full lint.
  const colds: { wallMs: number; cpuMs: number }[] = [];
  for (let i = 0; i < 5; i++) {
    clearParseCache();
    linter = new SqlLinter();
    colds.push(measure(() => linter.lint(text, opts)));
  }
  const cold = median(colds.map((c) => c.wallMs));
  rows.push({ name: `cold lint, ${statements} statements (cache cleared, median of 5)`, value: round(cold), unit: 'ms', target: '< 1000 ms', ok: cold < 1000 });
  rows.push({ name: '  same, CPU time of this process', value: round(median(colds.map((c) => c.cpuMs))), unit: 'ms CPU' });
  rows.push({ name: 'cold lint throughput', value: round((statements / cold) * 1000), unit: 'statements/s', target: '≫ 10 statements/s (sqlfluff)', ok: (statements / cold) * 1000 > 100 });
  rows.push({ name: 'findings in the workload', value: findings, unit: 'findings' });

  // Re-lint after editing one statement: only that statement is parsed and checked again.
  let current = text;
  linter.lint(current, opts);
  const edits: number[] = [];
  for (let i = 0; i < 20; i++) {
    current = editStatement(current, (i * 37 + 11) % statements, i + 1);
    edits.push(timeMs(() => linter.lint(current, opts)));
  }
  const relint = median(edits);
  rows.push({ name: 're-lint after editing one statement (median of 20)', value: round(relint), unit: 'ms', target: '< 20 ms', ok: relint < 20 });
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
