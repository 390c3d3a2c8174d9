/**
 * Workspace index benchmark: a generated 1,500-file TypeScript workspace whose queries go
 * through a `rawQuery` wrapper three imports deep (`@/lib/sql` → `./prisma` → `./db` (index)
 * → `./raw`), plus cross-file calls of querying functions in loops. Measures, on the bundled
 * code: the full index (every file summarised, then every file's SQL extracted with sinks
 * resolved across files — what lint needs before its rules), the re-index after editing one
 * file (update that file and re-extract it), and a warm start from the on-disk cache.
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { measure, median, round, type BenchRow } from './types';

type Shipped = typeof import('./workspaceEntry');
const root = path.resolve(__dirname, '..');
const FILES = 1500;

function loadShipped(): Shipped {
  const outfile = path.join(root, '.bench', 'workspace-bundle.js');
  esbuild.buildSync({ entryPoints: [path.join(__dirname, 'workspaceEntry.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', mainFields: ['module', 'main'], outfile, logLevel: 'error' });
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require(outfile) as Shipped;
}

/** One feature module (~70 lines): three wrapper queries, helpers, a loop over another module's querying function. */
function feature(i: number): string {
  const other = (i * 7 + 3) % (FILES - 10);
  return `import { db } from '@/lib/sql';
import { loadFeature${other} } from '@/features/f${other}';
import type { Ctx } from '@/types';

const { rawQuery } = db;

export interface Row${i} { id: string; name: string; total: number }

export async function loadFeature${i}(id: string) {
  const rows = await rawQuery(\`select id, name, total from table_${i % 40} where id = {{id::uuid}}\`, { id });
  return rows[0] as Row${i};
}

export async function search${i}(term: string, limit = 20) {
  return rawQuery(
    \`select id, name
       from table_${i % 40}
      where lower(name) like {{term}}
      order by created_at desc
      limit {{limit}}\`,
    { term: '%' + term + '%', limit },
  );
}

export async function totals${i}(ctx: Ctx, since: Date) {
  const filter = ctx.admin ? '' : 'and owner_id = {{owner}}';
  return db.rawQuery(
    \`select date_trunc('day', created_at) as day, sum(total) as total
       from table_${i % 40}
      where created_at >= {{since}} \${filter}
      group by 1 order by 1\`,
    { since, owner: ctx.userId },
  );
}

export async function related${i}(ids: string[]) {
  const out = [];
  for (const id of ids) {
    out.push(await loadFeature${other}(id));
  }
  return out;
}

export function format${i}(r: Row${i}) {
  const parts = [r.id, r.name, String(r.total)];
  return parts.map((p) => p.trim()).filter(Boolean).join(' · ');
}

export function summarize${i}(rows: Row${i}[]) {
  let sum = 0;
  for (const r of rows) sum += r.total;
  return { count: rows.length, sum, mean: rows.length ? sum / rows.length : 0 };
}

export const config${i} = { name: 'feature-${i}', enabled: ${i % 3 !== 0}, weight: ${i % 17} };
`;
}

/** Writes the workspace into a temp folder; returns its root and file list. */
function generate(): { dir: string; files: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-ws-bench-'));
  const w = (rel: string, text: string) => {
    const f = path.join(dir, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
    return f;
  };
  const files: string[] = [];
  w('tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['src/*'] } } }));
  files.push(w('src/lib/db/raw.ts', `import { PrismaClient } from '@prisma/client';
const client = new PrismaClient();
export async function rawQuery(sql: string, data: Record<string, unknown> = {}) {
  const params: unknown[] = [];
  const query = sql.replace(/\\{\\{\\s*(\\w+)(::\\w+)?\\s*}}/g, (_m, name, type) => { params.push(data[name]); return '$' + params.length + (type ?? ''); });
  return client.$queryRawUnsafe(query, ...params);
}
`));
  files.push(w('src/lib/db/index.ts', "export * from './raw';\n"));
  files.push(w('src/lib/prisma.ts', "import { rawQuery } from './db';\nexport default { rawQuery };\n"));
  files.push(w('src/lib/sql.ts', "export { default as db } from './prisma';\n"));
  files.push(w('src/types.ts', 'export interface Ctx { admin: boolean; userId: string }\n'));
  for (let i = 0; files.length < FILES; i++) files.push(w(`src/features/f${i}.ts`, feature(i)));
  return { dir, files };
}

export async function run(): Promise<BenchRow[]> {
  const { WorkspaceIndex, extractSql, parseSummaries, serializeSummaries } = loadShipped();
  const { dir, files } = generate();
  const host = {
    readFile: (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined),
    fileExists: (f: string) => fs.existsSync(f) && fs.statSync(f).isFile(),
  };
  const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
  let index = new WorkspaceIndex(host);
  let statements = 0;
  let wrapperStatements = 0;
  const summaries = measure(() => {
    for (const [f, t] of texts) index.update(f, t);
  });
  const resolve = measure(() => {
    for (const [f, t] of texts) {
      const found = extractSql(f, t, 'postgresql', index.resolverFor(f));
      statements += found.length;
      wrapperStatements += found.filter((e) => e.wrapper === 'rawQuery').length;
    }
  });
  const fullWall = summaries.wallMs + resolve.wallMs;

  // Re-index after one edit: change one feature file, update it, re-extract it.
  const edits: number[] = [];
  for (let k = 0; k < 15; k++) {
    const f = files[10 + k * 50];
    const t = texts.get(f)! + `\nexport const edited${k} = ${k};\n`;
    edits.push(measure(() => {
      index.update(f, t);
      extractSql(f, t, 'postgresql', index.resolverFor(f));
    }).wallMs);
  }
  // Editing the wrapper itself invalidates every answer; the next file asked about re-resolves its chain.
  const wrapperFile = files[0];
  const wrapperEdit = measure(() => {
    index.update(wrapperFile, texts.get(wrapperFile)! + '\n// edited\n');
    const f = files[100];
    extractSql(f, texts.get(f)!, 'postgresql', index.resolverFor(f));
  }).wallMs;

  // Warm start: summaries from the cache, only hashes computed.
  const cache = serializeSummaries(index.summariesByHash());
  const warm = measure(() => {
    index = new WorkspaceIndex(host, { cached: parseSummaries(cache) });
    for (const [f, t] of texts) index.update(f, t);
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return [
    { name: `full index, ${FILES} files (summaries)`, value: round(summaries.wallMs), unit: 'ms' },
    { name: `full index + sinks resolved + SQL extracted (${statements} statements, ${wrapperStatements} via wrapper)`, value: round(fullWall), unit: 'ms', target: '≤ 10000 ms', ok: fullWall <= 10000 },
    { name: 'full index CPU', value: round(summaries.cpuMs + resolve.cpuMs), unit: 'ms' },
    { name: 're-index after editing one file (median of 15)', value: round(median(edits)), unit: 'ms', target: '≤ 100 ms', ok: median(edits) <= 100 },
    { name: 're-index after editing the wrapper (3 imports deep)', value: round(wrapperEdit), unit: 'ms', target: '≤ 100 ms', ok: wrapperEdit <= 100 },
    { name: `warm start from the summary cache (${(cache.length / 1e6).toFixed(1)} MB)`, value: round(warm.wallMs), unit: 'ms' },
  ];
}
