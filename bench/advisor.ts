/**
 * Index-advisor benchmark on the example project (examples/shop): pure candidate generation,
 * verifying five candidates for one query in the engine (bar: < 1 s), and workspace mode over
 * every .sql and TS/JS file of the example. Engine start is measured by the engine section.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { adviseWorkspace, analyzeQuery, generateCandidates } from '../src/core/advisor';
import { collectQueries } from '../src/core/advisor/collect';
import { loadStats } from '../src/core/advisor/stats';
import { verifyAnalysis } from '../src/core/advisor/verify';
import type { WorkspaceQuery } from '../src/core/advisor/types';
import { createEngine } from '../src/core/engine/pgliteEngine';
import { buildCatalog } from '../src/core/schema/catalog';
import { loadQueryParsers } from '../src/core/query/parse';
import { median, round, type BenchRow } from './types';

const root = path.resolve(__dirname, '..');
const example = path.join(root, 'examples/shop');

/** A query with five candidates: filters and sort on orders, a filter on users, a join. */
const FIVE_CANDIDATES =
  "SELECT o.id, o.total_cents, u.name FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = 'SHIPPED' AND o.total_cents > $1 AND u.country = $2 ORDER BY o.total_cents DESC LIMIT 20";

function filesUnder(dir: string, accept: (f: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') out.push(...filesUnder(full, accept));
    else if (e.isFile() && accept(full)) out.push(full);
  }
  return out.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

export async function run(): Promise<BenchRow[]> {
  await loadQueryParsers();
  const schemaFiles = filesUnder(path.join(example, 'schema'), (f) => f.endsWith('.sql'));
  const sources = schemaFiles.map((f) => ({ file: path.relative(root, f), text: fs.readFileSync(f, 'utf8') }));
  const catalog = buildCatalog(sources);
  const rows: BenchRow[] = [];

  // Pure part: analysis + candidate generation (what a lint rule could afford per keystroke).
  const analysis = analyzeQuery(FIVE_CANDIDATES, catalog, 'postgresql');
  const pure: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = process.hrtime.bigint();
    generateCandidates(analyzeQuery(FIVE_CANDIDATES, catalog, 'postgresql'), catalog, 'postgresql');
    pure.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  rows.push({ name: 'analysis + candidate generation, one query (median)', value: round(median(pure)), unit: 'ms' });

  const engine = await createEngine(sources, catalog, { cacheDir: path.join(os.tmpdir(), 'sql-plan-advisor') });
  try {
    const stats = await loadStats(engine);
    const candidates = generateCandidates(analysis, catalog, 'postgresql', { stats, maxCandidates: 5 });
    // Warm-up: the first plan of a session also runs VACUUM.
    await verifyAnalysis(analysis, catalog, engine, { dialect: 'postgresql', stats });
    const times: number[] = [];
    let accepted = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const { verdicts } = await verifyAnalysis(analysis, catalog, engine, { dialect: 'postgresql', stats });
      times.push(performance.now() - t0);
      accepted = verdicts.filter((v) => v.accepted).length;
    }
    const verify = median(times);
    rows.push({
      name: `verify ${candidates.length} candidates for one query (median of 5; ${accepted} kept)`,
      value: round(verify),
      unit: 'ms',
      target: '< 1000 ms',
      ok: candidates.length === 5 && verify < 1000,
    });

    const queries: WorkspaceQuery[] = [];
    const queryFiles = filesUnder(example, (f) => /\.(sql|ts|tsx|js|jsx|mjs|cjs)$/.test(f) && !f.endsWith('.d.ts'));
    for (const f of queryFiles) queries.push(...collectQueries(path.relative(root, f), fs.readFileSync(f, 'utf8'), 'postgresql'));
    const t0 = performance.now();
    const advice = await adviseWorkspace(queries, catalog, engine, { dialect: 'postgresql' });
    const ws = performance.now() - t0;
    rows.push({
      name: `workspace mode on examples/shop (${queryFiles.length} files, ${advice.queriesAnalyzed} queries → ${advice.suggestions.length} indexes)`,
      value: round(ws),
      unit: 'ms',
    });
  } finally {
    await engine.close();
  }
  return rows;
}
