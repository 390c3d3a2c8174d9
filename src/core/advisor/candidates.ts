/**
 * Candidate generation (pure): turns a query analysis into index proposals —
 *  - composite: equality keys (most selective first when known), at most one range key, then
 *    the ORDER BY keys when the index can deliver that order;
 *  - covering: the composite plus INCLUDE of the other columns the query reads (PostgreSQL),
 *    or those columns appended to the key (MySQL, minus the primary key InnoDB already carries);
 *  - partial: the composite without a selective constant predicate, which becomes its WHERE
 *    (PostgreSQL only);
 *  - expression: any of the above whose key holds an expression such as `lower(email)`;
 *  - join keys: the column another table is joined on, for nested-loop lookups.
 * A table whose access path an existing index already provides gets no proposal at all.
 */
import type { Dialect } from '../dialect';
import type { Catalog, IndexKey, Table } from '../schema/types';
import { sameKey, lookupTable } from './analyze';
import { indexDdl, indexName, keyList } from './ddl';
import { leadsSomeIndex, redundantIndexes, servingIndex } from './existing';
import { quoteIfNeeded } from './expression';
import { distinctValues, valueFraction } from './stats';
import type { Candidate, DataStats, Predicate, QueryAnalysis, SuggestionKind, TableUsage } from './types';

export interface CandidateOptions {
  /** Distribution facts (from the engine's pg_stats) for selectivity and partial indexes. */
  stats?: DataStats;
  /** At most this many candidates (best first); default 5. */
  maxCandidates?: number;
}

/** A constant predicate keeps at most this fraction of rows to be worth a partial index. */
export const PARTIAL_MAX_FRACTION = 0.2;
/** Covering indexes carry at most this many extra columns; wider ones cost more than they save. */
export const MAX_INCLUDE = 5;

/** Generates index candidates for an analysed query, best first. Pure: no engine involved. */
export function generateCandidates(analysis: QueryAnalysis, catalog: Catalog, dialect: Dialect, opts: CandidateOptions = {}): Candidate[] {
  if (!analysis.ok) return [];
  const max = opts.maxCandidates ?? 5;
  // Tiers keep the most valuable shape of every table ahead of the variations.
  const tiers: Candidate[][] = [[], [], [], []];
  const seen = new Set<string>();
  // Existing index names are taken too: CREATE INDEX with one of them would fail in the engine.
  const taken = new Set([...catalog.tables.values()].flatMap((t) => t.indexes.map((i) => i.name)));
  for (const usage of analysis.tables) {
    const table = lookupTable(catalog, usage.table);
    if (!table) continue;
    const proposals = forTable(usage, table, analysis, dialect, opts.stats);
    proposals.forEach((p, i) => {
      const signature = `${p.table}|${keyList(p.keys)}|${p.include.join(',')}|${p.where ?? ''}`;
      if (seen.has(signature)) return;
      seen.add(signature);
      const name = indexName(table.name, p.keys, { include: p.include, where: p.where, taken });
      tiers[Math.min(p.tier ?? i, tiers.length - 1)].push({
        table: table.name,
        kind: p.kind,
        name,
        keys: p.keys,
        include: p.include,
        ...(p.where ? { where: p.where } : {}),
        ddl: indexDdl(table, name, p.keys, p.include, p.where, dialect),
        reason: p.reason,
        redundant: redundantIndexes(table, p.keys, p.include, p.where),
      });
    });
  }
  return tiers.flat().slice(0, max);
}

interface Proposal {
  table: string;
  kind: SuggestionKind;
  keys: IndexKey[];
  include: string[];
  where?: string;
  reason: string;
  tier?: number;
}

/** The access path for one table: equality keys, the chosen range key and the sort keys. */
interface Path {
  eq: Predicate[];
  range?: Predicate;
  sort: IndexKey[];
  sortNote?: string;
  keys: IndexKey[];
}

function forTable(usage: TableUsage, table: Table, analysis: QueryAnalysis, dialect: Dialect, stats?: DataStats): Proposal[] {
  const path = accessPath(usage, table, stats);
  const constants = usage.predicates.filter(isConstantPredicate).map(predicateSql);
  const out: Proposal[] = [];
  if (path.keys.length > 0) {
    const served = servingIndex(table, { keys: path.keys, eqCount: path.eq.length, constantPredicates: constants });
    if (served) return [];
    out.push({ table: table.name, kind: kindOf(path.keys), keys: path.keys, include: [], reason: describePath(path, usage, analysis), tier: 0 });
    const covering = coveringProposal(usage, table, path, analysis, dialect);
    if (covering) out.push({ ...covering, tier: 1 });
  }
  if (dialect === 'postgresql') {
    const partial = partialProposal(usage, table, path, analysis, stats);
    if (partial) out.push({ ...partial, tier: 2 });
  }
  for (const join of joinProposals(usage, table, path)) out.push({ ...join, tier: 3 });
  return out;
}

function kindOf(keys: IndexKey[]): SuggestionKind {
  if (keys.some((k) => k.expression !== undefined)) return 'expression';
  return keys.length === 1 ? 'single' : 'composite';
}

/**
 * Kind of a covering shape: an expression key is what makes the index usable at all, so it
 * names the kind (as WHERE does for partial indexes); INCLUDE is then the refinement.
 */
function coveringKind(keys: IndexKey[]): SuggestionKind {
  return keys.some((k) => k.expression !== undefined) ? 'expression' : 'covering';
}

function isEquality(p: Predicate): boolean {
  return (p.op === 'eq' || p.op === 'in' || p.op === 'null') && p.value !== 'column';
}

function isConstantPredicate(p: Predicate): boolean {
  return p.key.column !== undefined && ((p.op === 'eq' && p.value === 'constant' && p.constant !== undefined) || p.op === 'null');
}

/** SQL text of a constant predicate, as a partial-index WHERE (`status = 'PENDING'`). */
function predicateSql(p: Predicate): string {
  const col = quoteIfNeeded(p.key.column ?? '');
  return p.op === 'null' ? `${col} IS NULL` : `${col} = ${p.constant}`;
}

/** Estimated distinct values of a key: unique columns are most selective; unknown sits in the middle. */
function selectivityRank(p: Predicate, table: Table, stats?: DataStats): number {
  const col = p.key.column;
  if (col) {
    if (table.indexes.some((i) => i.unique && !i.where && i.keys.length === 1 && i.keys[0].column === col)) return Number.MAX_SAFE_INTEGER;
    const d = distinctValues(stats, table.name, col);
    if (d !== undefined) return d;
  }
  if (p.op === 'null') return 2;
  // Without statistics a literal usually filters a low-cardinality column (status, type, flag).
  return p.value === 'constant' ? 10 : 1000;
}

function accessPath(usage: TableUsage, table: Table, stats?: DataStats): Path {
  const eq: Predicate[] = [];
  for (const p of usage.predicates.filter(isEquality)) if (!eq.some((e) => sameKey(e.key, p.key))) eq.push(p);
  // Stable sort: most selective first; ties keep the order the query wrote them.
  eq.sort((a, b) => selectivityRank(b, table, stats) - selectivityRank(a, table, stats));
  const ranges = usage.predicates.filter((p) => p.op === 'range' && !eq.some((e) => sameKey(e.key, p.key)));
  const multiValued = eq.some((p) => p.op === 'in');
  // ORDER BY keys that equality pins to one value are constant and need no place in the index.
  const orderItems = usage.orderBy.filter((o) => !eq.some((e) => e.op !== 'in' && sameKey(e.key, o.key)));
  let range = ranges[0];
  const sortable = orderItems.length > 0 && !multiValued;
  if (sortable && ranges.length > 0) {
    range = ranges.find((r) => sameKey(r.key, orderItems[0].key)) ?? ranges[0];
  }
  let sort: IndexKey[] = [];
  let sortNote: string | undefined;
  if (sortable && (!range || sameKey(range.key, orderItems[0].key))) {
    const flip = orderItems[0].descending;
    const mixed = orderItems.some((o) => o.descending !== flip);
    // A btree is read in either direction, so one uniform direction needs no DESC key.
    sort = orderItems.map((o) => ({ ...o.key, ...(mixed && o.descending !== flip ? { descending: true } : {}) }));
  } else if (usage.orderBy.length > 0 && orderItems.length > 0) {
    sortNote = multiValued
      ? 'the IN list yields several key ranges, so the index cannot return rows in ORDER BY order'
      : 'the range on another column comes first, so the index cannot return rows in ORDER BY order';
  } else if (usage.orderBy.length === 0 && usage.groupBy.length > 0 && !range && !multiValued) {
    sort = usage.groupBy.filter((g) => !eq.some((e) => sameKey(e.key, g)));
  }
  const keys: IndexKey[] = eq.map((p) => p.key);
  if (range && !sort.some((s) => sameKey(s, range!.key))) keys.push(range.key);
  for (const s of sort) if (!keys.some((k) => sameKey(k, s))) keys.push(s);
  return { eq, range, sort, sortNote, keys: keys.map((k) => ({ ...k })) };
}

function describeKey(k: IndexKey): string {
  return k.column ?? k.expression ?? '?';
}

function describePath(path: Path, usage: TableUsage, analysis: QueryAnalysis): string {
  const parts: string[] = [];
  if (path.eq.length) {
    parts.push(`equality on ${path.eq.map((p) => describeKey(p.key) + (p.op === 'in' ? ' (IN list)' : '')).join(', ')} first${path.eq.length > 1 ? ' (most selective first)' : ''}`);
  }
  const rangeIsSort = path.range && path.sort.length > 0 && sameKey(path.range.key, path.sort[0]);
  if (path.range && !rangeIsSort) parts.push(`then the range on ${describeKey(path.range.key)}`);
  if (path.sort.length) {
    const what = usage.orderBy.length ? 'ORDER BY' : 'GROUP BY';
    const lead = rangeIsSort ? `then the range on ${describeKey(path.range!.key)}, which also` : 'then';
    const limit = analysis.limit !== undefined && usage.orderBy.length ? ` and lets LIMIT ${analysis.limit} stop early` : '';
    parts.push(`${lead} ${rangeIsSort ? 'delivers' : 'the sort keys so the index delivers'} ${what} ${path.sort.map(describeKey).join(', ')} without a sort${limit}`);
  }
  if (path.sortNote) parts.push(`no sort keys: ${path.sortNote}`);
  const expr = path.keys.filter((k) => k.expression);
  if (expr.length) parts.push(`the query compares ${expr.map((k) => k.expression).join(', ')}, so only an expression index on exactly that can be searched`);
  return capitalize(parts.join('; ')) + '.';
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

function coveringProposal(usage: TableUsage, table: Table, path: Path, analysis: QueryAnalysis, dialect: Dialect): Omit<Proposal, 'tier'> | undefined {
  if (analysis.statementType !== 'select' || usage.selectAll) return undefined;
  const keyColumns = new Set(path.keys.map((k) => k.column).filter(Boolean));
  // An Index Only Scan needs every referenced column stored; an expression key (lower(email))
  // does not store its column, so that column is carried too.
  let extra = usage.referenced.filter((c) => !keyColumns.has(c));
  if (dialect === 'mysql') extra = extra.filter((c) => !table.primaryKey.includes(c));
  if (extra.length === 0 || extra.length > MAX_INCLUDE) return undefined;
  if (dialect === 'mysql') {
    return {
      table: table.name,
      kind: coveringKind(path.keys),
      keys: [...path.keys, ...extra.map((column) => ({ column }))],
      include: [],
      reason: `Covering: ${keyList(path.keys, dialect)} then ${extra.join(', ')} appended to the key (MySQL has no INCLUDE; InnoDB secondary indexes already carry the primary key), so the query is answered from the index alone.`,
    };
  }
  return {
    table: table.name,
    kind: coveringKind(path.keys),
    keys: path.keys,
    include: extra,
    reason: `Covering: the same keys ${keyList(path.keys)} plus INCLUDE (${extra.join(', ')}), the other columns the query reads, so PostgreSQL can answer with an Index Only Scan (once VACUUM has marked pages all-visible).`,
  };
}

function partialProposal(usage: TableUsage, table: Table, path: Path, analysis: QueryAnalysis, stats?: DataStats): Omit<Proposal, 'tier'> | undefined {
  const options = usage.predicates
    .filter(isConstantPredicate)
    .filter((p) => !table.indexes.some((i) => i.unique && i.keys.length === 1 && i.keys[0].column === p.key.column))
    .map((p) => ({ p, fraction: valueFraction(stats, table.name, p.key.column!, p.constant ?? 'NULL') }))
    .filter((o) => (o.fraction === undefined ? o.p.op === 'eq' && o.p.value === 'constant' : o.fraction <= PARTIAL_MAX_FRACTION));
  if (options.length === 0) return undefined;
  options.sort((a, b) => (a.fraction ?? 1) - (b.fraction ?? 1));
  const { p, fraction } = options[0];
  const where = predicateSql(p);
  let keys = path.keys.filter((k) => !sameKey(k, p.key));
  if (keys.length === 0) {
    // Nothing else to search on: key the index on what the query reads, or the primary key.
    const fallback = usage.referenced.find((c) => c !== p.key.column) ?? table.primaryKey[0];
    if (!fallback) return undefined;
    keys = [{ column: fallback }];
  }
  const share = fraction === undefined ? 'a small share of rows (the engine confirms)' : `${fraction < 0.001 ? '' : 'about '}${formatPercent(fraction)} of rows`;
  // Small already, so carrying the other columns read is cheap and allows an Index Only Scan.
  const covering = coveringProposal(usage, table, { ...path, keys }, analysis, 'postgresql');
  const include = covering?.include.filter((c) => c !== p.key.column) ?? [];
  return {
    table: table.name,
    kind: 'partial',
    keys,
    include,
    where,
    reason:
      `Partial: only ${share} satisfy ${where}, so an index on ${keyList(keys)} holding just those rows is small and cheap to maintain` +
      (include.length ? `; INCLUDE (${include.join(', ')}) lets PostgreSQL answer from the index alone.` : '.'),
  };
}

function joinProposals(usage: TableUsage, table: Table, path: Path): Omit<Proposal, 'tier'>[] {
  const out: Omit<Proposal, 'tier'>[] = [];
  for (const column of usage.joinKeys) {
    if (leadsSomeIndex(table, column) || path.keys[0]?.column === column) continue;
    const keys: IndexKey[] = [{ column }, ...path.eq.map((p) => p.key).filter((k) => k.column !== column)];
    out.push({
      table: table.name,
      kind: kindOf(keys),
      keys,
      include: [],
      reason: `Join key ${column} first, so a Nested Loop can look up the matching ${table.name} rows for each outer row${keys.length > 1 ? `, then ${keys.slice(1).map(describeKey).join(', ')} to filter within them` : ''}.`,
    });
  }
  return out;
}

function formatPercent(f: number): string {
  const pct = f * 100;
  if (pct < 0.1) return 'under 0.1%';
  return pct >= 10 ? `${Math.round(pct)}%` : pct >= 1 ? `${pct.toFixed(1)}%` : `${pct.toPrecision(2)}%`;
}
