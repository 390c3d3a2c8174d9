/**
 * Run in a fresh process by bench/catalog.ts: loads PostgreSQL's parser and builds one catalog,
 * cold, then warm; prints the timings as JSON on stdout.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildCatalog } from '../src/core/schema/catalog';
import { loadPgParser } from '../src/core/sql/pg/libpg';
import type { SchemaSource } from '../src/core/schema/types';

const root = path.resolve(__dirname, '..');

function sources(which: string): SchemaSource[] {
  if (which === 'dump') return [{ file: 'dump.sql', text: fs.readFileSync(path.join(root, 'test/fixtures/pg-dump/dump.sql'), 'utf8') }];
  const dir = path.join(root, 'examples/shop/schema');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

async function main(): Promise<void> {
  const src = sources(process.argv[2]);
  const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
  // The token reader first (no parser loaded yet), for comparison.
  let t = process.hrtime.bigint();
  buildCatalog(src, 'postgresql');
  const tokenReaderMs = ms(t);
  t = process.hrtime.bigint();
  await loadPgParser();
  const loadMs = ms(t);
  t = process.hrtime.bigint();
  const catalog = buildCatalog(src, 'postgresql');
  const firstMs = ms(t);
  const warm: number[] = [];
  for (let i = 0; i < 31; i++) {
    t = process.hrtime.bigint();
    buildCatalog(src, 'postgresql');
    warm.push(ms(t));
  }
  warm.sort((a, b) => a - b);
  const statements = src.reduce((n, s) => n + (s.text.match(/;\s*(\n|$)/g)?.length ?? 0), 0);
  console.log(JSON.stringify({ tokenReaderMs, loadMs, firstMs, warmMs: warm[15], tables: catalog.tables.size, problems: catalog.problems.length, statements, bytes: src.reduce((n, s) => n + s.text.length, 0) }));
}

void main();
