/**
 * Embedded-SQL benchmark: a generated 3,000-line TypeScript service file (pg, Prisma, Knex,
 * TypeORM code; embedded SQL in strings, templates and concatenations; N+1 loops and batched
 * code) scanned for embedded SQL and N+1 loops (the quality bar: < 150 ms), and linted in full
 * by `lintSource` (all SQL rules on every extracted statement) from cold and after an edit.
 * Measures the bundled code, as shipped. Wall and CPU time are both reported: on a loaded
 * machine wall time inflates while CPU time stays close to the uncontended cost.
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import type { LintOptions } from '../src/core/lint/types';
import { measure, median, round, type BenchRow } from './types';

type Shipped = typeof import('./embeddedEntry');

const root = path.resolve(__dirname, '..');

/** Bundles the scanner like the shipped extension/CLI and loads that bundle. */
function loadShipped(): Shipped {
  const outfile = path.join(root, '.bench', 'embedded-bundle.js');
  esbuild.buildSync({
    entryPoints: [path.join(__dirname, 'embeddedEntry.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    outfile,
    logLevel: 'error',
  });
  // PostgreSQL's parser loads its WASM from beside the bundle, as in dist/.
  fs.copyFileSync(path.join(root, 'node_modules/libpg-query/wasm/libpg-query.wasm'), path.join(path.dirname(outfile), 'libpg-query.wasm'));
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require(outfile) as Shipped;
}

const TARGET_LINES = 3000;

/** One block of realistic service code (~40 lines); `i` (and the salt) vary names and constants. */
function block(i: number, salt: number): string {
  const k = i + salt * 1000;
  return `
export async function ordersOfUser${i}(pool: Pool, userId: number) {
  const { rows } = await pool.query(
    'SELECT id, status, total_cents FROM orders WHERE user_id = $1 AND total_cents > ${k} ORDER BY created_at DESC',
    [userId],
  );
  return rows.map((r) => ({ ...r, total: r.total_cents / 100 }));
}

export async function search${i}(pool: Pool, term: string) {
  const sql = "SELECT id, name FROM products WHERE category = '${k}' AND name LIKE " + "'%" + term + "'";
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
  const rows = await knex('events').select('kind').where('occurred_at', '>=', day).limit(${k + 10});
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  return counts;
}

export class Repo${i} {
  constructor(private readonly userRepository: Repository<User>, private readonly pool: Pool) {}
  async byEmail(email: string) {
    return this.pool.query(\`SELECT * FROM users WHERE lower(email) = \${email} AND age + 1 > ${k}\`);
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
    const b = block(i, salt);
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
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(dir, f), 'utf8') }))
    .concat([{ file: 'schema.prisma', text: BENCH_PRISMA }]);
}

/** Prisma models for the generated file's `prisma.user` / `prisma.orderItem` calls, so ORM analysis runs in the scan. */
const BENCH_PRISMA = `
model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  @@map("prisma_users")
}
model OrderItem {
  id      Int @id @default(autoincrement())
  orderId Int
  @@index([orderId])
  @@map("prisma_order_items")
}
`;

export async function run(): Promise<BenchRow[]> {
  const { lintSource, extractSql, extractFrom, findNPlusOne, parseSource, buildCatalog, clearParseCache, ormCallQueries, loadQueryParsers } = loadShipped();
  await loadQueryParsers();
  const opts: LintOptions = { dialect: 'postgresql', catalog: buildCatalog(readSchema()) };
  const rows: BenchRow[] = [];
  const text = generateTsFile(TARGET_LINES);
  const lineCount = text.split('\n').length;

  // First scan in the process: includes loading the TypeScript compiler (~0.5 s) and JIT warm-up.
  clearParseCache();
  const first = measure(() => lintSource('bench-first.ts', text, opts));
  const findings = lintSource('bench-first.ts', text, opts);
  const statements = extractSql('bench-first.ts', text).length;

  // Scan = parse the TS file, extract embedded SQL, find N+1 loops: fresh text every run.
  const scan: { wallMs: number; cpuMs: number }[] = [];
  let ormQueryCount = 0;
  for (let i = 1; i <= 9; i++) {
    const t = generateTsFile(TARGET_LINES, 100 + i);
    scan.push(measure(() => {
      const sf = parseSource(`bench-scan-${i}.ts`, t);
      extractFrom(sf, 'postgresql');
      findNPlusOne(sf);
      ormQueryCount = ormCallQueries(sf, opts.catalog).length;
    }));
  }

  // Full lint from cold: fresh text whose SQL was never seen (parse cache cleared), all SQL rules.
  const cold: { wallMs: number; cpuMs: number }[] = [];
  for (let i = 1; i <= 5; i++) {
    clearParseCache();
    const t = generateTsFile(TARGET_LINES, i);
    cold.push(measure(() => lintSource(`bench-cold-${i}.ts`, t, opts)));
  }

  // Re-lint after a one-line edit: the TS file is re-scanned; only the edited SQL is re-checked.
  const edits: { wallMs: number; cpuMs: number }[] = [];
  let current = text;
  for (let i = 0; i < 20; i++) {
    current = current.replace(/total_cents > (\d+)/, (_m, d) => `total_cents > ${Number(d) + 1}`);
    edits.push(measure(() => lintSource('bench-edit.ts', current, opts)));
  }

  const wall = (xs: { wallMs: number }[]) => median(xs.map((x) => x.wallMs));
  const cpu = (xs: { cpuMs: number }[]) => median(xs.map((x) => x.cpuMs));
  rows.push({ name: `TS file: lines / embedded statements / findings`, value: lineCount, unit: `lines, ${statements} SQL, ${findings.length} findings` });
  rows.push({ name: 'first scan in process (loads TypeScript)', value: round(first.wallMs), unit: 'ms' });
  rows.push({ name: 'ORM calls rendered to SQL per scan (Prisma, Knex…)', value: ormQueryCount, unit: 'calls' });
  rows.push({ name: 'scan (parse, extract SQL, N+1, ORM calls), median of 9', value: round(wall(scan)), unit: 'ms', target: '< 150 ms', ok: wall(scan) < 150 });
  rows.push({ name: '  same, CPU time', value: round(cpu(scan)), unit: 'ms' });
  rows.push({ name: `full lint from cold (${statements} new SQL statements), median of 5`, value: round(wall(cold)), unit: 'ms' });
  rows.push({ name: '  same, CPU time', value: round(cpu(cold)), unit: 'ms' });
  rows.push({ name: 're-lint after a one-line edit, median of 20', value: round(wall(edits)), unit: 'ms', target: '< 150 ms', ok: wall(edits) < 150 });
  rows.push({ name: '  same, CPU time', value: round(cpu(edits)), unit: 'ms' });
  return rows;
}
