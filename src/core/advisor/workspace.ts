/**
 * Workspace mode: verifies candidates for every query, then merges them into a small final
 * set — one index serving several queries is preferred (greedy set cover, each "serves" checked
 * in the engine), an index whose keys lead a longer chosen index that serves its queries is
 * dropped — and notes the write cost each extra index adds to its table.
 */
import type { Dialect } from '../dialect';
import type { PlanEngine } from '../engine/types';
import { ormIndexForm } from '../schema/orm/indexSyntax';
import { pgFingerprintSync } from '../sql/pg/libpg';
import type { Catalog, Table } from '../schema/types';
import { analyzeQuery, sameKey, lookupTable } from './analyze';
import { keyList } from './ddl';
import { keyMatches } from './existing';
import { normalizeExpression, quoteIfNeeded } from './expression';
import { loadStats } from './stats';
import type { Candidate, DataStats, QueryAnalysis, WorkspaceAdvice, WorkspaceQuery, WorkspaceSuggestion } from './types';
import { AdvisorError, verifyAnalysis, verifyCandidate, type BasePlan } from './verify';

export interface WorkspaceOptions {
  dialect: Dialect;
  /** Candidates verified per query (default 5). */
  maxCandidates?: number;
  /** Called after each distinct query has been verified. */
  onProgress?: (done: number, total: number) => void;
  /** Polled between queries; true stops the run (the advice so far is returned). */
  isCancelled?: () => boolean;
  /** Distinct queries verified at most (default 1000); the rest are listed as skipped. */
  maxQueries?: number;
  /** Extra engine plans spent checking whether one index also serves other queries (default 2000). */
  crossCheckBudget?: number;
}

/** One distinct query (the same query in several places counts once). */
export interface QueryRecord {
  sql: string;
  sources: { file: string; offset: number }[];
  analysis: QueryAnalysis;
  before?: BasePlan;
  /** Best verified result per pool entry: cost and plan with that index. */
  served: Map<string, { costAfter: number; planBefore?: string; planAfter?: string }>;
}

/** A distinct candidate index (by table, keys, INCLUDE, WHERE) and the queries it serves. */
interface PoolEntry {
  signature: string;
  candidate: Candidate;
  queries: Set<QueryRecord>;
  /** The index's size as built in the engine (the same for every query it serves). */
  size?: { bytes: number; tableRows: number };
}

/** Verifies and merges index advice for all queries of a workspace. */
export async function adviseWorkspace(
  queries: WorkspaceQuery[],
  catalog: Catalog,
  engine: PlanEngine,
  opts: WorkspaceOptions,
): Promise<WorkspaceAdvice> {
  const skipped: WorkspaceAdvice['skipped'] = [];
  const notes: string[] = [];
  if (opts.dialect === 'mysql') notes.push('MySQL advice is verified on the PostgreSQL engine: costs and plans are an approximation.');
  const stats = await loadStats(engine);
  const all = distinctQueries(queries, catalog, opts.dialect, skipped);
  const maxQueries = opts.maxQueries ?? 1000;
  const records = all.slice(0, maxQueries);
  if (all.length > maxQueries) {
    notes.push(`Only the first ${maxQueries} of ${all.length} distinct queries were verified (a time budget).`);
    for (const r of all.slice(maxQueries)) for (const s of r.sources) skipped.push({ ...s, reason: 'over the query budget of this run' });
  }
  const pool = new Map<string, PoolEntry>();
  let done = 0;
  for (const record of records) {
    if (opts.isCancelled?.()) {
      notes.push(`Stopped after ${done} of ${records.length} queries (cancelled).`);
      break;
    }
    try {
      const { verdicts, before } = await verifyAnalysis(record.analysis, catalog, engine, { dialect: opts.dialect, maxCandidates: opts.maxCandidates, stats });
      record.before = before;
      for (const v of verdicts.filter((x) => x.accepted)) {
        const entry = poolEntry(pool, v.candidate);
        entry.queries.add(record);
        entry.size ??= v.suggestion.size;
        record.served.set(entry.signature, { costAfter: v.suggestion.costAfter, planBefore: v.suggestion.planBefore, planAfter: v.suggestion.planAfter });
      }
    } catch (err) {
      const reason = err instanceof AdvisorError ? err.message : `verification failed: ${String((err as Error)?.message ?? err)}`;
      for (const s of record.sources) skipped.push({ ...s, reason });
    }
    opts.onProgress?.(++done, records.length);
  }
  if (!opts.isCancelled?.()) await crossServe(records, pool, catalog, engine, opts.dialect, stats, opts.crossCheckBudget ?? 2000, opts.isCancelled);
  // An index whose keys lead a longer one that serves all its queries goes first, so the
  // cover below cannot pick the shorter one on a tie.
  const kept = new Set(pruneByPrefix([...pool.values()]));
  const candidates = new Map([...pool].filter(([, e]) => kept.has(e)));
  const chosen = pruneByPrefix(chooseCover(records, candidates));
  const suggestions = chosen.map((entry) => toSuggestion(entry, chosen, catalog));
  return {
    suggestions,
    queriesAnalyzed: records.filter((r) => r.analysis.ok && r.analysis.tables.length > 0).length,
    skipped,
    notes,
    queryOccurrences: records.map((r) => ({ sql: r.sql, occurrences: r.sources.length })),
  };
}

/**
 * One record per distinct query, with every place it occurs. For PostgreSQL, statements with the
 * same fingerprint (PostgreSQL's query identity: same shape, constants and parameters aside)
 * are one query; otherwise (and when fingerprinting fails) the whitespace-normalised text is.
 */
export function distinctQueries(queries: WorkspaceQuery[], catalog: Catalog, dialect: Dialect, skipped: WorkspaceAdvice['skipped']): QueryRecord[] {
  const byText = new Map<string, QueryRecord>();
  for (const q of queries) {
    const text = q.sql.replace(/\s+/g, ' ').trim();
    const key = (dialect === 'postgresql' ? pgFingerprintSync(q.sql) : undefined) ?? text;
    const existing = byText.get(key);
    if (existing) {
      existing.sources.push({ file: q.file, offset: q.offset });
      continue;
    }
    const analysis = analyzeQuery(q.sql, catalog, dialect);
    if (!analysis.ok) {
      skipped.push({ file: q.file, offset: q.offset, reason: analysis.message ?? 'could not be analysed' });
      continue;
    }
    if (analysis.tables.length === 0) {
      const reason = analysis.unknownTables.length ? `unknown table ${analysis.unknownTables.join(', ')}` : 'reads no table';
      skipped.push({ file: q.file, offset: q.offset, reason });
      continue;
    }
    byText.set(key, { sql: q.sql, sources: [{ file: q.file, offset: q.offset }], analysis, served: new Map() });
  }
  return [...byText.values()];
}

function signatureOf(c: Candidate): string {
  return `${c.table}|${keyList(c.keys)}|${c.include.join(',')}|${c.where ? normalizeExpression(c.where) : ''}`;
}

function poolEntry(pool: Map<string, PoolEntry>, candidate: Candidate): PoolEntry {
  const signature = signatureOf(candidate);
  let entry = pool.get(signature);
  if (!entry) {
    entry = { signature, candidate, queries: new Set() };
    pool.set(signature, entry);
  }
  return entry;
}

/** Could this index plausibly serve the query? (Cheap filter before asking the engine.) */
function plausible(entry: PoolEntry, record: QueryRecord): boolean {
  const lead = entry.candidate.keys[0];
  return record.analysis.tables.some((u) => {
    if (u.table !== entry.candidate.table) return false;
    if (entry.candidate.where) {
      const w = normalizeExpression(entry.candidate.where);
      const holds = u.predicates.some(
        (p) => p.key.column && ((p.op === 'eq' && p.constant && normalizeExpression(`${quoteIfNeeded(p.key.column)} = ${p.constant}`) === w) || (p.op === 'null' && normalizeExpression(`${quoteIfNeeded(p.key.column)} IS NULL`) === w)),
      );
      if (!holds) return false;
    }
    const keys = [...u.predicates.map((p) => p.key), ...u.joinKeys.map((column) => ({ column })), ...u.orderBy.map((o) => o.key)];
    return keys.some((k) => keyMatches(k, lead) || sameKey(k, lead));
  });
}

/** Asks the engine whether each candidate also serves the other queries on its table. */
async function crossServe(
  records: QueryRecord[],
  pool: Map<string, PoolEntry>,
  catalog: Catalog,
  engine: PlanEngine,
  dialect: Dialect,
  stats: DataStats | undefined,
  budget: number,
  isCancelled?: () => boolean,
): Promise<void> {
  for (const entry of pool.values()) {
    for (const record of records) {
      if (!record.before || entry.queries.has(record) || record.served.size === 0 || !plausible(entry, record)) continue;
      if (budget-- <= 0 || isCancelled?.()) return;
      const verdict = await verifyCandidate(record.sql, entry.candidate, catalog, engine, record.before, dialect, stats).catch(() => undefined);
      if (verdict?.accepted) {
        entry.queries.add(record);
        record.served.set(entry.signature, { costAfter: verdict.suggestion.costAfter, planBefore: verdict.suggestion.planBefore, planAfter: verdict.suggestion.planAfter });
      }
    }
  }
}

/**
 * Greedy set cover: repeatedly take the index serving the most still-unserved queries until
 * every helped query is served. Among those, savings within SAVING_TIE (per query) of the best
 * count as equal and the narrowest index wins: a covering index must save clearly more than
 * the plain one to be worth its size and write cost.
 */
function chooseCover(records: QueryRecord[], pool: Map<string, PoolEntry>): PoolEntry[] {
  const unserved = new Set(records.filter((r) => r.served.size > 0));
  const chosen: PoolEntry[] = [];
  while (unserved.size > 0) {
    const scored = [...pool.values()]
      .filter((e) => !chosen.includes(e))
      .map((e) => {
        const covered = [...e.queries].filter((q) => unserved.has(q));
        const saving = covered.reduce((s, q) => s + relativeSaving(q, e), 0);
        return { e, count: covered.length, saving };
      })
      .filter((x) => x.count > 0);
    if (scored.length === 0) break;
    const count = Math.max(...scored.map((x) => x.count));
    const top = scored.filter((x) => x.count === count);
    const bestSaving = Math.max(...top.map((x) => x.saving));
    const near = top.filter((x) => x.saving >= bestSaving - SAVING_TIE * count);
    near.sort((a, b) => width(a.e.candidate) - width(b.e.candidate) || b.saving - a.saving);
    const best = near[0].e;
    chosen.push(best);
    for (const q of best.queries) unserved.delete(q);
  }
  return chosen;
}

/** Fraction of a query's plan cost an index saves (0…1). */
function relativeSaving(q: QueryRecord, e: PoolEntry): number {
  const before = q.before?.totalCost ?? 0;
  const after = q.served.get(e.signature)?.costAfter ?? before;
  return before > 0 ? (before - after) / before : 0;
}

/** Savings (fraction of a query's cost) closer than this count as equal in the cover. */
const SAVING_TIE = 0.05;

function width(c: Candidate): number {
  return c.keys.length + c.include.length;
}

/**
 * Drops an index whose keys are a leftmost prefix of a longer key list that serves all its
 * queries ((a) is served by (a, b)). Only longer keys count: the same keys plus INCLUDE is a
 * size trade-off the cover decides, not a redundancy.
 */
function pruneByPrefix(chosen: PoolEntry[]): PoolEntry[] {
  return chosen.filter(
    (short) =>
      !chosen.some(
        (long) =>
          long !== short &&
          long.candidate.table === short.candidate.table &&
          (long.candidate.where ?? '') === (short.candidate.where ?? '') &&
          long.candidate.keys.length > short.candidate.keys.length &&
          short.candidate.keys.every((k, i) => sameKey(k, long.candidate.keys[i])) &&
          [...short.queries].every((q) => long.queries.has(q)),
      ),
  );
}

function toSuggestion(entry: PoolEntry, chosen: PoolEntry[], catalog: Catalog): WorkspaceSuggestion {
  const queries = [...entry.queries];
  const costBefore = queries.reduce((s, q) => s + (q.before?.totalCost ?? 0), 0);
  const costAfter = queries.reduce((s, q) => s + (q.served.get(entry.signature)?.costAfter ?? 0), 0);
  const first = queries[0]?.served.get(entry.signature);
  const c = entry.candidate;
  const table = lookupTable(catalog, c.table);
  return {
    table: c.table,
    kind: c.kind,
    ddl: c.ddl,
    name: c.name,
    ...(entry.size ? { size: entry.size } : {}),
    costBefore: round(costBefore),
    costAfter: round(costAfter),
    queries: queries.map((q) => q.sql),
    sources: queries.flatMap((q, query) => q.sources.map((src) => ({ ...src, query }))),
    planBefore: first?.planBefore,
    planAfter: first?.planAfter,
    ...(c.redundant.length ? { redundant: c.redundant } : {}),
    reason: queries.length > 1 ? `${c.reason} Serves ${queries.length} queries.` : c.reason,
    used: true,
    writeCost: table ? writeCostNote(table, c, chosen.filter((e) => e.candidate.table === c.table).length) : '',
    ...ormForm(table, c),
  };
}

/** The suggestion in the table's ORM syntax, when an ORM schema declared the table. */
function ormForm(table: Table | undefined, c: Candidate): { orm?: WorkspaceSuggestion['orm'] } {
  const orm = table ? ormIndexForm(table, { name: c.name, keys: c.keys, include: c.include, where: c.where }) : undefined;
  return orm ? { orm } : {};
}

/** Plain words on what one more index costs every write to its table. */
function writeCostNote(table: Table, c: Candidate, newOnTable: number): string {
  const dropped = c.redundant.length;
  const total = table.indexes.length + newOnTable - dropped;
  const columns = [...c.keys.map((k) => k.column ?? k.expression ?? ''), ...c.include].filter(Boolean);
  const scope = c.where ? `every INSERT or DELETE of a row matching ${c.where}` : 'every INSERT and DELETE';
  let note = `Write cost: ${scope} on ${table.name} also updates this index, and an UPDATE that changes ${columns.join(', ')} can no longer be a HOT update. ${table.name} would have ${total} index${total === 1 ? '' : 'es'}`;
  note += dropped ? ` (after dropping ${c.redundant.join(', ')}, which this one makes redundant).` : '.';
  if (total >= 6) note += ' That is many for a table that takes writes: check each is needed.';
  return note;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
