/**
 * `npm run bench` — measures the product's quality bars and prints them as a table; also
 * writes `.bench/results.json`. Each section lives in its own module `bench/<section>.ts`
 * exporting `run(): Promise<BenchRow[]>`; sections whose module does not exist yet are
 * skipped. `npm run bench -- lint engine` runs only the named sections.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BenchRow, BenchSection } from './types';

/** Known sections, in the order they run. Add yours here and create `bench/<name>.ts`. */
const SECTIONS = ['lint', 'embedded', 'workspace', 'engine', 'advisor', 'catalog', 'plan', 'cli'];

interface SectionResult {
  section: string;
  rows: BenchRow[];
  error?: string;
}

async function runSection(name: string): Promise<SectionResult | undefined> {
  const file = path.join(__dirname, `${name}.ts`);
  if (!fs.existsSync(file)) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require(file) as BenchSection;
    return { section: name, rows: await mod.run() };
  } catch (err) {
    return { section: name, rows: [], error: String((err as Error)?.stack ?? err) };
  }
}

function table(results: SectionResult[]): string {
  const header = ['section', 'measure', 'value', 'unit', 'target', 'ok'];
  const body: string[][] = [];
  for (const r of results) {
    if (r.error) body.push([r.section, 'FAILED: ' + r.error.split('\n')[0], '', '', '', 'no']);
    for (const row of r.rows) {
      body.push([r.section, row.name, String(row.value), row.unit, row.target ?? '', row.ok === undefined ? '' : row.ok ? 'yes' : 'NO']);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const wanted = only.length ? SECTIONS.filter((s) => only.includes(s)) : SECTIONS;
  const results: SectionResult[] = [];
  for (const name of wanted) {
    const r = await runSection(name);
    if (r) results.push(r);
    else if (only.includes(name)) console.error(`bench: no section module bench/${name}.ts`);
  }
  console.log(table(results));
  const out = path.join(__dirname, '..', '.bench');
  fs.mkdirSync(out, { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    sections: Object.fromEntries(results.map((r) => [r.section, r.error ? { error: r.error } : r.rows])),
  };
  fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(`\nwritten .bench/results.json`);
  // Sections may hold engines/workers open; the benchmark is done.
  process.exit(results.some((r) => r.error) ? 1 : 0);
}

void main();
