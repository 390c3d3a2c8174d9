/**
 * Embedded-SQL benchmark: a generated 3,000-line TypeScript service file (pg, Prisma, Knex,
 * TypeORM code; embedded SQL in strings, templates and concatenations; N+1 loops and batched
 * code) scanned by `lintSource` — extraction, all SQL rules, and n-plus-one.
 * Quality bar: < 150 ms per 3,000-line file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { lintSource } from '../src/core/embedded/lintSource';
import { buildCatalog } from '../src/core/schema/catalog';
import { clearParseCache } from '../src/core/sql/parse';
import type { LintOptions } from '../src/core/lint/types';
import { measure, median, round, type BenchRow } from './types';

const root = path.resolve(__dirname, '..');
const TARGET_LINES = 3000;

/** One block of realistic service code (~40 lines); `i` varies names and constants. */
function block(i: number): string {
  return `
export async function ordersOfUser${i}(pool: Pool, userId: number) {
  const { rows } = await pool.query(
    'SELECT id, status, total_cents FROM orders WHERE user_id = $1 AND total_cents > ${i} ORDER BY created_at DESC',
    [userId],
  );
  return rows.map((r) => ({ ...r, total: r.total_cents / 100 }));
}

export async function search${i}(pool: Pool, term: string) {
  const sql = "SELECT id, name FROM products WHERE name LIKE " + "'%" + term + "'";
  return (await pool.query(sql)).rows;
}

export async function attach${i}(prisma: PrismaClient, orders: Order[]) {
  for (const order of orders) {
    order.customer = await prisma.user.findUnique({ where: { id: order.userId } });
  }
  const ids = orders.map((o) => o.id);
  return prisma.orderItem.findMany({ where: { orderId: { in: ids } } });
}

export async function report${i}(knex: Knex, day: string) {
  const rows = await knex('events').select('kind').where('occurred_at', '>=', day).limit(${i + 10});
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  return counts;
}

export class Repo${i} {
  constructor(private readonly userRepository: Repository<User>, private readonly pool: Pool) {}
  async byEmail(email: string) {
    return this.pool.query(\`SELECT * FROM users WHERE lower(email) = \${email} AND age + 1 > ${i}\`);
  }
  async many(ids: number[]) {
    return Promise.all(ids.map((id) => this.userRepository.findOneBy({ id })));
  }
}
`;
}

/** A TypeScript file of about `lines` lines. */
export function generateTsFile(lines: number, salt = 0): string {
  const header = `// generated benchmark file ${salt}\nimport { Pool } from 'pg';\nimport { PrismaClient } from '@prisma/client';\n`;
  const parts = [header];
  let count = header.split('\n').length;
  for (let i = 0; count < lines; i++) {
    const b = block(i);
    parts.push(b);
    count += b.split('\n').length - 1;
  }
  return parts.join('');
}

function readSchema() {
  const dir = path.join(root, 'examples/shop/schema');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

export async function run(): Promise<BenchRow[]> {
  const opts: LintOptions = { dialect: 'postgresql', catalog: buildCatalog(readSchema()) };
  const rows: BenchRow[] = [];
  const text = generateTsFile(TARGET_LINES);
  const lineCount = text.split('\n').length;

  // First scan in the process: includes loading the TypeScript parser and SQL parser code paths.
  clearParseCache();
  const first = measure(() => lintSource('bench-first.ts', text, opts));
  const findings = lintSource('bench-first.ts', text, opts).length;

  // Cold scans of fresh text (new salt each time) with the SQL parse cache cleared.
  const cold: number[] = [];
  const coldCpu: number[] = [];
  for (let i = 1; i <= 7; i++) {
    clearParseCache();
    const t = generateTsFile(TARGET_LINES, i);
    const m = measure(() => lintSource(`bench-cold-${i}.ts`, t, opts));
    cold.push(m.wallMs);
    coldCpu.push(m.cpuMs);
  }

  // Re-scan after a one-line edit: the TS file is re-parsed; unchanged SQL hits the parse cache.
  const edits: number[] = [];
  let current = text;
  for (let i = 0; i < 20; i++) {
    current = current.replace(/total_cents > (\d+)/, (_m, d) => `total_cents > ${Number(d) + 1}`);
    edits.push(measure(() => lintSource('bench-edit.ts', current, opts)).wallMs);
  }

  rows.push({ name: `TS file size`, value: lineCount, unit: 'lines' });
  rows.push({ name: `findings in it`, value: findings, unit: 'findings' });
  rows.push({ name: `first scan in process (${lineCount} lines)`, value: round(first.wallMs), unit: 'ms' });
  const coldMedian = median(cold);
  rows.push({ name: `cold scan, median of 7 (${lineCount} lines)`, value: round(coldMedian), unit: 'ms', target: '< 150 ms', ok: coldMedian < 150 });
  rows.push({ name: `cold scan CPU time, median of 7`, value: round(median(coldCpu)), unit: 'ms' });
  rows.push({ name: `re-scan after a one-line edit, median of 20`, value: round(median(edits)), unit: 'ms', target: '< 150 ms', ok: median(edits) < 150 });
  return rows;
}
