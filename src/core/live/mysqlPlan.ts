/**
 * MySQL / MariaDB `EXPLAIN FORMAT=JSON` turned into the plan tree the viewer already draws
 * (PostgreSQL's EXPLAIN shape: "Node Type", "Relation Name", "Plans"…), so one plan model and
 * one viewer serve both. MySQL's own vocabulary rides along on every node under "MySQL": access
 * type (ALL, index, range, ref, eq_ref, const…), key, rows examined, filtered %, and whether the
 * step uses a covering index, a filesort or a temporary table — the model turns those into
 * plain-words warnings.
 */

import type { MysqlNodeFacts } from '../plan/model';

type Json = Record<string, unknown>;

export type { MysqlNodeFacts };

/** Readable names for MySQL's access types (the type itself stays in `MySQL.accessType`). */
const ACCESS_NAMES: Record<string, string> = {
  ALL: 'Full Table Scan',
  index: 'Full Index Scan',
  range: 'Index Range Scan',
  ref: 'Index Lookup',
  eq_ref: 'Unique Index Lookup',
  ref_or_null: 'Index Lookup',
  const: 'Constant Row',
  system: 'Constant Row',
  index_merge: 'Index Merge',
  fulltext: 'Full-Text Index Scan',
  unique_subquery: 'Unique Subquery Lookup',
  index_subquery: 'Index Subquery Lookup',
};

export interface ConvertedMysqlPlan {
  /** `{ "Plan": … }`: the element the plan model reads. */
  plan: Json;
  /** True when the server gave costs (MySQL); MariaDB's EXPLAIN has none, rows examined stand in. */
  hasCosts: boolean;
}

/** Converts `EXPLAIN FORMAT=JSON` output (text or parsed). Throws on anything else. */
export function convertMysqlPlan(explain: unknown): ConvertedMysqlPlan {
  const json = (typeof explain === 'string' ? JSON.parse(explain) : explain) as Json;
  const block = json?.query_block as Json | undefined;
  if (!block || typeof block !== 'object') throw new Error('not a MySQL EXPLAIN FORMAT=JSON plan: no "query_block"');
  const state = { hasCosts: false };
  const root = convertBlock(block, state, 1);
  const queryCost = num((block.cost_info as Json | undefined)?.query_cost);
  if (queryCost !== undefined) {
    root['Total Cost'] = Math.max(Number(root['Total Cost'] ?? 0), queryCost);
    state.hasCosts = true;
  }
  return { plan: { Plan: root }, hasCosts: state.hasCosts };
}

interface State {
  hasCosts: boolean;
}

/** A query block: its operations wrap the join of its tables. */
function convertBlock(block: Json, state: State, loops: number): Json {
  const node = convertOperation(block, state, loops);
  if (!node) return { 'Node Type': 'Result', 'Total Cost': 0, 'Plan Rows': 1, 'Plan Width': 0, ...(block.message ? { Filter: String(block.message) } : {}) };
  const subqueries = [...arr(block.subqueries), ...arr(block.attached_subqueries), ...arr(block.optimized_away_subqueries)];
  if (subqueries.length) {
    const plans = (node.Plans as Json[] | undefined) ?? [];
    for (const sq of subqueries) {
      const qb = (sq as Json).query_block as Json | undefined;
      if (!qb) continue;
      const child = convertBlock(qb, state, 1);
      child['Parent Relationship'] = 'SubPlan';
      plans.push(child);
    }
    node.Plans = plans;
  }
  return node;
}

/** The first operation found in a block or wrapper (ordering, grouping, nested loop, table…). */
function convertOperation(o: Json, state: State, loops: number): Json | undefined {
  if (o.ordering_operation) return wrapSort(o.ordering_operation as Json, state, loops, sortKey(o.ordering_operation as Json));
  if (o.grouping_operation) return wrap('Aggregate', o.grouping_operation as Json, state, loops, { Strategy: 'Sorted' });
  if (o.duplicates_removal) return wrap('Unique', o.duplicates_removal as Json, state, loops);
  if (o.read_sorted_file) return convertOperation(o.read_sorted_file as Json, state, loops);
  if (o.filesort) return wrapSort(o.filesort as Json, state, loops, sortKey(o.filesort as Json), true);
  if (o.temporary_table) return wrap('Temporary Table', o.temporary_table as Json, state, loops, {}, { usingTemporary: true });
  if (o.union_result) return convertUnion(o.union_result as Json, state);
  if (o.nested_loop) return convertNestedLoop(arr(o.nested_loop) as Json[], state, loops);
  if (o.table) return convertTable(o.table as Json, state, loops);
  if (o.query_block) return convertBlock(o.query_block as Json, state, loops);
  return undefined;
}

function sortKey(o: Json): string[] | undefined {
  return typeof o.sort_key === 'string' ? [o.sort_key] : undefined;
}

/** MySQL marks a filesort on the ordering operation; MariaDB has an explicit filesort wrapper. */
function wrapSort(o: Json, state: State, loops: number, key: string[] | undefined, explicit = false): Json | undefined {
  const filesort = explicit || o.using_filesort === true;
  const temporary = o.using_temporary_table === true;
  const inner = convertOperation(o, { ...state, hasCosts: state.hasCosts }, loops);
  if (!filesort) return temporary ? tempWrap(inner) : inner;
  return node('Sort', [temporary ? tempWrap(inner) : inner], { ...(key ? { 'Sort Key': key } : {}) }, { usingFilesort: true });
}

function tempWrap(inner: Json | undefined): Json {
  return node('Temporary Table', [inner], {}, { usingTemporary: true });
}

function wrap(type: string, o: Json, state: State, loops: number, extra: Json = {}, facts: MysqlNodeFacts = {}): Json {
  const temporary = o.using_temporary_table === true;
  const inner = convertOperation(o, state, loops);
  const wrapped = node(type, [temporary ? tempWrap(inner) : inner], extra, facts);
  if (o.using_filesort === true) return node('Sort', [wrapped], {}, { usingFilesort: true });
  return wrapped;
}

function convertUnion(u: Json, state: State): Json {
  const children = [...arr(u.query_specifications), ...arr(u.union_specifications)].map((q) => convertBlock(((q as Json).query_block as Json) ?? (q as Json), state, 1));
  return node('Append', children, {}, { usingTemporary: u.using_temporary_table === true });
}

/** Left-deep: MySQL joins tables in the listed order, each probed once per row so far. */
function convertNestedLoop(items: Json[], state: State, loops: number): Json | undefined {
  let acc: Json | undefined;
  let rowsSoFar = loops;
  for (const item of items) {
    const child = convertOperation(item, state, rowsSoFar);
    if (!child) continue;
    rowsSoFar = Math.max(1, rowsSoFar * Math.max(Number(child['Plan Rows'] ?? 1), 1));
    if (!acc) {
      acc = child;
      continue;
    }
    child['Parent Relationship'] = 'Inner';
    acc['Parent Relationship'] ??= 'Outer';
    acc = node('Nested Loop', [acc, child], { 'Join Type': 'Inner', 'Plan Rows': rowsSoFar });
  }
  return acc;
}

function convertTable(t: Json, state: State, loops: number): Json {
  const access = str(t.access_type) ?? 'ALL';
  const examined = num(t.rows_examined_per_scan) ?? num(t.rows) ?? 0;
  const filtered = num(t.filtered) ?? 100;
  const cost = t.cost_info as Json | undefined;
  const prefix = num(cost?.prefix_cost);
  if (prefix !== undefined) state.hasCosts = true;
  const usingIndex = t.using_index === true;
  const facts: MysqlNodeFacts = {
    accessType: access,
    key: str(t.key),
    possibleKeys: arr(t.possible_keys).map(String),
    usedKeyParts: arr(t.used_key_parts).map(String),
    ref: arr(t.ref).map(String),
    rowsExamined: examined,
    filtered,
    usingIndex,
  };
  if (!facts.possibleKeys?.length) delete facts.possibleKeys;
  if (!facts.usedKeyParts?.length) delete facts.usedKeyParts;
  if (!facts.ref?.length) delete facts.ref;
  const children: Json[] = [];
  const sub = (t.materialized_from_subquery as Json | undefined) ?? (t.materialized as Json | undefined);
  const subBlock = sub?.query_block as Json | undefined;
  if (subBlock) {
    const child = convertBlock(subBlock, state, 1);
    child['Parent Relationship'] = 'Subquery';
    children.push(child);
  }
  const verb = t.update ? 'Update' : t.delete ? 'Delete' : t.insert ? 'Insert' : undefined;
  const scanType = (ACCESS_NAMES[access] ?? access) + (usingIndex && access !== 'index' ? ' (covering)' : '');
  const scan: Json = {
    'Node Type': scanType,
    'Relation Name': str(t.table_name),
    Alias: str(t.table_name),
    ...(facts.key ? { 'Index Name': facts.key } : {}),
    'Startup Cost': 0,
    // Without server costs (MariaDB), rows examined across all probes stand in for cost.
    'Total Cost': prefix ?? examined * Math.max(loops, 1),
    'Plan Rows': Math.max(0, (examined * filtered) / 100),
    'Plan Width': 0,
    ...(str(t.attached_condition) ? { Filter: str(t.attached_condition) } : {}),
    ...(str(t.index_condition) ? { 'Index Cond': str(t.index_condition) } : facts.ref && facts.usedKeyParts ? { 'Index Cond': keyCond(facts.usedKeyParts, facts.ref) } : {}),
    ...(children.length ? { Plans: children } : {}),
    MySQL: facts,
  };
  if (!verb) return scan;
  scan['Parent Relationship'] = 'Outer';
  return { 'Node Type': verb, 'Relation Name': str(t.table_name), 'Startup Cost': 0, 'Total Cost': scan['Total Cost'], 'Plan Rows': 0, 'Plan Width': 0, Plans: [scan], MySQL: {} };
}

/** `used_key_parts` paired with `ref` (`user_id = const`), as EXPLAIN's text form reads. */
function keyCond(parts: string[], ref: string[]): string {
  return parts
    .slice(0, ref.length)
    .map((p, i) => `${p} = ${ref[i]}`)
    .join(' AND ');
}

/** A synthetic operation node; cost and rows come from its (first) child. */
function node(type: string, children: (Json | undefined)[], extra: Json = {}, facts: MysqlNodeFacts = {}): Json {
  const plans = children.filter((c): c is Json => !!c);
  const cost = plans.reduce((s, c) => s + Number(c['Total Cost'] ?? 0), 0);
  const rows = Number(plans[plans.length - 1]?.['Plan Rows'] ?? 0);
  return { 'Node Type': type, 'Startup Cost': 0, 'Total Cost': cost, 'Plan Rows': rows, 'Plan Width': 0, ...extra, Plans: plans, MySQL: facts };
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
