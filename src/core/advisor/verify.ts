/**
 * Verification in the engine: every candidate is created (inside a rolled-back transaction),
 * the query re-planned, and the candidate kept only when the planner uses it and the plan cost
 * drops by at least MIN_GAIN. Rejected candidates carry a plain-words note saying why.
 */
import type { Dialect } from '../dialect';
import type { PlanEngine } from '../engine/types';
import type { Catalog } from '../schema/types';
import { analyzeQuery, lookupTable } from './analyze';
import { generateCandidates } from './candidates';
import { indexDdl } from './ddl';
import { quoteIfNeeded } from './expression';
import { describeNode, describePlan, planUsesIndex, scanOf } from './planFacts';
import { loadStats } from './stats';
import type { Candidate, DataStats, IndexSuggestion, QueryAnalysis } from './types';

/** A candidate must lower the plan's total cost by at least this fraction to be suggested. */
export const MIN_GAIN = 0.1;

export interface SuggestOptions {
  dialect: Dialect;
  /** Candidates verified per query (default 5). */
  maxCandidates?: number;
  /** Also return candidates that did not help, with `used: false` and a `note` saying why. */
  includeRejected?: boolean;
  /** Distribution facts; read from the engine (`pg_stats`) when omitted. */
  stats?: DataStats;
}

/** The engine's verdict on one candidate for one query. */
export interface Verdict {
  candidate: Candidate;
  suggestion: IndexSuggestion;
  accepted: boolean;
}

/** Thrown when the engine cannot plan the query itself (before any index is tried). */
export class AdvisorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdvisorError';
  }
}

/**
 * Proposes indexes for one statement and verifies each in the engine. Returns the candidates
 * that lower the plan cost, best (cheapest plan) first; `[]` when the statement cannot be
 * analysed, reads no known table, or is already served by an existing index.
 */
export async function suggestIndexes(sql: string, catalog: Catalog, engine: PlanEngine, opts: SuggestOptions): Promise<IndexSuggestion[]> {
  const analysis = analyzeQuery(sql, catalog, opts.dialect);
  const { verdicts } = await verifyAnalysis(analysis, catalog, engine, opts);
  return verdicts.filter((v) => v.accepted || opts.includeRejected).map((v) => v.suggestion);
}

/** The plan of a statement without any hypothetical index. */
export interface BasePlan {
  plan: Record<string, unknown>;
  totalCost: number;
}

/**
 * Generates and verifies the candidates of an analysed statement (accepted ones first), and
 * returns the plan without them (`before` is undefined when there was nothing to verify).
 */
export async function verifyAnalysis(
  analysis: QueryAnalysis,
  catalog: Catalog,
  engine: PlanEngine,
  opts: SuggestOptions,
): Promise<{ verdicts: Verdict[]; before?: BasePlan }> {
  if (!analysis.ok) return { verdicts: [] };
  const stats = opts.stats ?? (await loadStats(engine));
  const candidates = generateCandidates(analysis, catalog, opts.dialect, { stats, maxCandidates: opts.maxCandidates ?? 5 });
  if (candidates.length === 0) return { verdicts: [] };
  const before = await planOrThrow(engine, analysis.sql);
  const verdicts: Verdict[] = [];
  for (const candidate of candidates) {
    verdicts.push(await verifyCandidate(analysis.sql, candidate, catalog, engine, before, opts.dialect, stats));
  }
  return { verdicts: rank(verdicts), before };
}

const vacuumed = new WeakSet<PlanEngine>();

/** Plans the statement without hypothetical indexes (after VACUUM, so Index Only Scans are possible). */
export async function planOrThrow(engine: PlanEngine, sql: string): Promise<BasePlan> {
  // VACUUM once per engine: it sets the visibility map Index Only Scans need, and the data
  // never changes afterwards (every explain is rolled back), so once is enough.
  const vacuum = !vacuumed.has(engine);
  try {
    const result = await engine.explain({ sql, vacuum });
    vacuumed.add(engine);
    return result;
  } catch (err) {
    throw new AdvisorError(`the engine could not plan this query: ${messageOf(err)}`);
  }
}

/** Plans `sql` with the candidate in place and judges it against the plan without it. */
export async function verifyCandidate(
  sql: string,
  candidate: Candidate,
  catalog: Catalog,
  engine: PlanEngine,
  before: BasePlan,
  dialect: Dialect,
  stats?: DataStats,
): Promise<Verdict> {
  const base: IndexSuggestion = {
    table: candidate.table,
    kind: candidate.kind,
    ddl: candidate.ddl,
    name: candidate.name,
    costBefore: round(before.totalCost),
    costAfter: round(before.totalCost),
    queries: [sql],
    planBefore: describePlan(before.plan, candidate.table),
    ...(candidate.redundant.length ? { redundant: candidate.redundant } : {}),
    reason: candidate.reason,
    used: false,
  };
  const mysqlNote = dialect === 'mysql' ? 'Verified on the PostgreSQL engine: an approximation of the MySQL plan.' : undefined;
  let after: { plan: Record<string, unknown>; totalCost: number; indexSizes?: { name: string; bytes: number; tableRows: number }[] };
  try {
    after = await engine.explain({ sql, withIndexes: engineStatements(candidate, catalog, dialect) });
  } catch (err) {
    const message = messageOf(err);
    // The engine reports a failed CREATE INDEX as such; anything else (a timeout, a restart) is
    // not a verdict on the index.
    const note = /index could not be created/i.test(message)
      ? `Not used: the engine rejected this index (${message.replace(/^index could not be created:\s*/i, '')}).`
      : `Not verified: the engine failed while planning with this index (${message}).`;
    return { candidate, accepted: false, suggestion: { ...base, note } };
  }
  const used = planUsesIndex(after.plan, candidate.name);
  const built = after.indexSizes?.find((x) => x.name === candidate.name);
  const suggestion: IndexSuggestion = {
    ...base,
    ...(built ? { size: { bytes: built.bytes, tableRows: built.tableRows } } : {}),
    costAfter: round(after.totalCost),
    planAfter: describePlan(after.plan, candidate.table),
    used,
  };
  if (!used) {
    return { candidate, accepted: false, suggestion: { ...suggestion, note: notUsedReason(before.plan, after.plan, candidate.table, stats) } };
  }
  if (after.totalCost > before.totalCost * (1 - MIN_GAIN)) {
    const note = `Used by the planner, but the plan cost only goes from ${fmt(before.totalCost)} to ${fmt(after.totalCost)} (less than ${MIN_GAIN * 100}% lower), not worth the write overhead.`;
    return { candidate, accepted: false, suggestion: { ...suggestion, note } };
  }
  return { candidate, accepted: true, suggestion: mysqlNote ? { ...suggestion, note: mysqlNote } : suggestion };
}

/**
 * What the engine runs inside its rolled-back transaction: the index DDL and, for an expression
 * key, ANALYZE of the table — PostgreSQL has no statistics on an expression until an index on it
 * is analysed, and without them it guesses 0.5% of rows and undervalues the index.
 */
function engineStatements(candidate: Candidate, catalog: Catalog, dialect: Dialect): string[] {
  const ddl = engineDdl(candidate, catalog, dialect);
  if (!candidate.keys.some((k) => k.expression !== undefined)) return [ddl];
  const table = lookupTable(catalog, candidate.table);
  const qualified = table ? (table.schema && table.schema !== 'public' ? `${quoteIfNeeded(table.schema)}.` : '') + quoteIfNeeded(table.name) : quoteIfNeeded(candidate.table);
  return [ddl, `ANALYZE ${qualified}`];
}

/** The DDL the engine runs: MySQL-shaped candidates are re-rendered in PostgreSQL syntax. */
function engineDdl(candidate: Candidate, catalog: Catalog, dialect: Dialect): string {
  if (dialect === 'postgresql') return candidate.ddl;
  const table = lookupTable(catalog, candidate.table);
  if (!table) return candidate.ddl;
  // InnoDB secondary indexes carry the primary key; INCLUDE it so PostgreSQL sees the same coverage.
  const keyed = new Set(candidate.keys.map((k) => k.column));
  const include = [...candidate.include, ...table.primaryKey.filter((c) => !keyed.has(c) && !candidate.include.includes(c))];
  return indexDdl(table, candidate.name, candidate.keys, include, candidate.where, 'postgresql');
}

function notUsedReason(before: Record<string, unknown>, after: Record<string, unknown>, table: string, stats?: DataStats): string {
  const scan = scanOf(after, table);
  const prefers = scan ? describeNode(scan) : describePlan(after);
  const beforeScan = scanOf(before, table);
  const rows = Number(beforeScan?.['Plan Rows']);
  const total = stats?.get(table)?.rows;
  let why = 'it estimates that plan to be cheaper';
  const filtered = beforeScan && (beforeScan['Filter'] !== undefined || beforeScan['Index Cond'] !== undefined || beforeScan['Recheck Cond'] !== undefined);
  if (beforeScan && !filtered && Number.isFinite(rows)) {
    why = `the query needs about ${fmtInt(rows)} rows of ${table} anyway (nothing filters them before the join), so reading it whole is cheaper than per-row lookups`;
  } else if (Number.isFinite(rows) && total && total > 0) {
    const share = rows / total;
    if (share > 0.05) why = `the predicates keep about ${fmtInt(rows)} of ${fmtInt(total)} rows (${Math.round(share * 100)}%), too many for index lookups to pay off`;
    else if (total < 2000) why = `${table} has only about ${fmtInt(total)} rows, so reading it whole is about as cheap`;
  }
  return `Not used by the planner, because ${why}: it still chooses ${prefers}.`;
}

/**
 * Accepted first; then the cheapest resulting plan — costs within COST_TIE of each other count
 * as equal, and then the smaller index wins: a partial one, then the one with fewer columns.
 */
function rank(verdicts: Verdict[]): Verdict[] {
  const width = (c: Candidate) => c.keys.length + c.include.length;
  const tie = (a: number, b: number) => Math.abs(a - b) <= COST_TIE * Math.max(a, b) + 0.5;
  return [...verdicts].sort((a, b) => {
    if (a.accepted !== b.accepted) return Number(b.accepted) - Number(a.accepted);
    const ca = a.suggestion.costAfter;
    const cb = b.suggestion.costAfter;
    if (!tie(ca, cb)) return ca - cb;
    const pa = a.candidate.where ? 0 : 1;
    const pb = b.candidate.where ? 0 : 1;
    return pa - pb || width(a.candidate) - width(b.candidate) || ca - cb;
  });
}

/** Relative cost difference under which two plans count as equally cheap. */
const COST_TIE = 0.05;

function messageOf(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0].slice(0, 300);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
