/**
 * Catalog benchmark: building the schema catalog with PostgreSQL's parser from the committed
 * pg_dump fixture and from examples/shop's migrations, each in a fresh process (cold: parser
 * load + first build with a cold JIT), then warm; the token reader's time for comparison.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { round, type BenchRow } from './types';

const root = path.resolve(__dirname, '..');

interface Timings {
  tokenReaderMs: number;
  loadMs: number;
  firstMs: number;
  warmMs: number;
  tables: number;
  problems: number;
  statements: number;
  bytes: number;
}

function fresh(which: 'dump' | 'shop'): Timings {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', path.join(__dirname, 'catalogEntry.ts'), which], { cwd: root, encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`catalog bench (${which}) failed: ${r.stderr.slice(0, 400)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Timings;
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [which, label] of [['dump', 'pg_dump fixture'], ['shop', 'examples/shop schema']] as const) {
    const t = fresh(which);
    const what = `${label} (${t.statements} statements, ${round(t.bytes / 1024)} KB, ${t.tables} tables, ${t.problems} problems)`;
    rows.push({ name: `catalog cold, ${what}: parser load + first build`, value: round(t.loadMs + t.firstMs), unit: 'ms' });
    rows.push({ name: '  parser load (WASM compile)', value: round(t.loadMs), unit: 'ms' });
    rows.push({ name: '  first build', value: round(t.firstMs), unit: 'ms' });
    rows.push({ name: '  warm build (median of 31)', value: round(t.warmMs), unit: 'ms' });
    rows.push({ name: '  token reader, first build (for comparison)', value: round(t.tokenReaderMs), unit: 'ms' });
  }
  return rows;
}
