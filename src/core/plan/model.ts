/**
 * The plan service: turns PostgreSQL's `EXPLAIN (FORMAT JSON)` output into a typed tree and
 * computes the facts a reader wants before any view sees it — exclusive cost and time per node,
 * the costliest node and the path to it, row-estimate misses, sequential scans that throw most
 * rows away, sorts and hashes that spill — with plain-words warnings. Views only draw this.
 */
import { describeNode, formatCount } from './describe';
import { mysqlFactRows } from './mysqlFacts';

export interface Buffers {
  sharedHit: number;
  sharedRead: number;
  sharedDirtied: number;
  sharedWritten: number;
  tempRead: number;
  tempWritten: number;
}

export interface PlanNode {
  /** Pre-order position in the tree (root = 0). */
  id: number;
  depth: number;
  nodeType: string;
  /** One-line description as PostgreSQL's text format prints it (`Index Scan using i on t x`). */
  label: string;
  relation?: string;
  schema?: string;
  alias?: string;
  index?: string;
  joinType?: string;
  /** Aggregate / SetOp strategy (`Hashed`, `Sorted`, `Plain`). */
  strategy?: string;
  /** Relation to the parent: Outer, Inner, InitPlan, SubPlan, Member… */
  parentRelationship?: string;
  subplanName?: string;
  startupCost: number;
  totalCost: number;
  planRows: number;
  planWidth: number;
  /** Present when the plan was executed (EXPLAIN ANALYZE). Times in ms, per loop; rows per loop. */
  actualStartupTime?: number;
  actualTotalTime?: number;
  actualRows?: number;
  actualLoops?: number;
  /** This node's own share of the cost: total cost minus its children's (never below 0). */
  exclusiveCost: number;
  /** This node's own time across all loops (ms), when analysed. */
  exclusiveTime?: number;
  filter?: string;
  indexCond?: string;
  recheckCond?: string;
  hashCond?: string;
  mergeCond?: string;
  joinFilter?: string;
  sortKey?: string[];
  groupKey?: string[];
  rowsRemovedByFilter?: number;
  rowsRemovedByJoinFilter?: number;
  rowsRemovedByIndexRecheck?: number;
  heapFetches?: number;
  sortMethod?: string;
  sortSpaceUsed?: number;
  sortSpaceType?: string;
  hashBatches?: number;
  buffers?: Buffers;
  /** Actual rows ÷ estimated rows (per loop), when analysed; > 1 means under-estimated. */
  estimateFactor?: number;
  /** MySQL's own vocabulary, for plans converted from MySQL / MariaDB `EXPLAIN FORMAT=JSON`. */
  mysql?: MysqlNodeFacts;
  /** True for the costliest node and every node above it. */
  onCostliestPath: boolean;
  warnings: string[];
  children: PlanNode[];
  /**
   * Every field the source printed for this node (PostgreSQL's EXPLAIN keys, or another
   * server's), except the children: the details view shows them all, whatever the source.
   */
  fields?: Record<string, unknown>;
}

/** MySQL's facts about one plan step (access type, key, rows examined, filtered, Using …). */
export interface MysqlNodeFacts {
  /** ALL, index, range, ref, eq_ref, const, system, index_merge, fulltext… */
  accessType?: string;
  key?: string;
  possibleKeys?: string[];
  usedKeyParts?: string[];
  ref?: string[];
  /** Rows read per scan of this table (MySQL: rows_examined_per_scan, MariaDB: rows). */
  rowsExamined?: number;
  /** Percentage of examined rows that survive the table's conditions. */
  filtered?: number;
  /** Covering index: rows come from the index alone ("Using index"). */
  usingIndex?: boolean;
  /** Rows are sorted after reading ("Using filesort"). */
  usingFilesort?: boolean;
  /** A temporary table is built ("Using temporary"). */
  usingTemporary?: boolean;
}

export type WarningKind = 'seq-scan-filter' | 'row-estimate' | 'sort-spill' | 'hash-spill' | 'repeated-seq-scan' | 'heap-fetches' | 'mysql-full-scan' | 'mysql-filesort' | 'mysql-temporary';

export interface PlanWarning {
  nodeId: number;
  kind: WarningKind;
  message: string;
}

export interface PlanModel {
  root: PlanNode;
  /** Every node in pre-order (`nodes[n.id] === n`). */
  nodes: PlanNode[];
  analyzed: boolean;
  totalCost: number;
  planningTime?: number;
  executionTime?: number;
  /** Node with the largest exclusive cost. */
  costliestId: number;
  /** Node with the largest exclusive time, when analysed. */
  slowestId?: number;
  warnings: PlanWarning[];
  /** One sentence on where the cost goes ("72% of the cost is in Seq Scan on orders"). */
  summary: string;
  /** JIT compilation, when PostgreSQL used it (EXPLAIN ANALYZE). */
  jit?: { functions: number; totalTime?: number };
  /** Time spent in triggers (EXPLAIN ANALYZE of a data-modifying statement). */
  triggers?: { name: string; relation?: string; time: number; calls: number }[];
  /** Where the plan came from when not the bundled engine ("pasted text", "MySQL 8.4 on db1"). */
  source?: string;
}

/** Extra facts that are not in the plan JSON but sharpen the warnings. */
export interface PlanContext {
  /** Rows per relation (reltuples), so an un-analysed Seq Scan can say how much it reads. */
  relationRows?: Record<string, number>;
}

type Json = Record<string, unknown>;

/**
 * Builds the model from EXPLAIN JSON: the array PostgreSQL prints, its first element (the
 * object holding "Plan"), or the bare "Plan" node. Throws a clear error for anything else.
 */
export function buildPlanModel(explainJson: unknown, context: PlanContext = {}): PlanModel {
  const top = unwrap(explainJson);
  const nodes: PlanNode[] = [];
  const root = toNode(top.Plan as Json, 0, nodes);
  const analyzed = root.actualLoops !== undefined;
  computeExclusive(nodes, analyzed);

  const costliest = nodes.reduce((a, b) => (b.exclusiveCost > a.exclusiveCost ? b : a), root);
  markPath(root, costliest.id);
  const slowest = analyzed ? nodes.reduce((a, b) => ((b.exclusiveTime ?? 0) > (a.exclusiveTime ?? 0) ? b : a), root) : undefined;

  const warnings: PlanWarning[] = [];
  const parents = parentIndex(nodes);
  for (const n of nodes) {
    for (const w of nodeWarnings(n, analyzed, context, parents)) {
      warnings.push({ nodeId: n.id, ...w });
      n.warnings.push(w.message);
    }
  }
  const share = root.totalCost > 0 ? Math.round((costliest.exclusiveCost / root.totalCost) * 100) : 0;
  const summary =
    nodes.length === 1
      ? `A single ${costliest.label} (cost ${formatCost(root.totalCost)}).`
      : `${Math.min(share, 100)}% of the estimated cost is in ${costliest.label}.`;
  return {
    root,
    nodes,
    analyzed,
    totalCost: root.totalCost,
    planningTime: num(top['Planning Time']),
    executionTime: num(top['Execution Time']),
    costliestId: costliest.id,
    slowestId: slowest?.id,
    warnings,
    summary,
    ...jitAndTriggers(top),
  };
}

function jitAndTriggers(top: Json): Pick<PlanModel, 'jit' | 'triggers'> {
  const out: Pick<PlanModel, 'jit' | 'triggers'> = {};
  const jit = top['JIT'] as Json | undefined;
  if (jit && typeof jit === 'object') {
    const timing = jit['Timing'] as Json | undefined;
    const total = timing && typeof timing === 'object' ? timing['Total'] : undefined;
    out.jit = { functions: num(jit['Functions']) ?? 0, totalTime: num(total) };
  }
  const trig = top['Triggers'];
  if (Array.isArray(trig) && trig.length) {
    out.triggers = (trig as Json[]).map((t) => ({
      name: str(t['Trigger Name']) ?? '?',
      relation: str(t['Relation']),
      time: num(t['Time']) ?? 0,
      calls: num(t['Calls']) ?? 0,
    }));
  }
  return out;
}

function unwrap(json: unknown): Json {
  let v = json;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw new Error('the plan is not valid JSON');
    }
  }
  if (Array.isArray(v)) v = v[0];
  if (v && typeof v === 'object' && 'QUERY PLAN' in (v as Json)) return unwrap((v as Json)['QUERY PLAN']);
  if (v && typeof v === 'object' && 'Plan' in (v as Json)) return v as Json;
  if (v && typeof v === 'object' && 'Node Type' in (v as Json)) return { Plan: v };
  throw new Error('not an EXPLAIN (FORMAT JSON) plan: no "Plan" node found');
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function strList(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.map(String) : undefined;
}

function toNode(p: Json, depth: number, nodes: PlanNode[]): PlanNode {
  if (!p || typeof p !== 'object' || typeof p['Node Type'] !== 'string') throw new Error('malformed plan: a node has no "Node Type"');
  const node: PlanNode = {
    id: nodes.length,
    depth,
    nodeType: p['Node Type'] as string,
    label: '',
    relation: str(p['Relation Name']),
    schema: str(p['Schema']),
    alias: str(p['Alias']),
    index: str(p['Index Name']),
    joinType: str(p['Join Type']),
    strategy: str(p['Strategy']),
    parentRelationship: str(p['Parent Relationship']),
    subplanName: str(p['Subplan Name']),
    startupCost: num(p['Startup Cost']) ?? 0,
    totalCost: num(p['Total Cost']) ?? 0,
    planRows: num(p['Plan Rows']) ?? 0,
    planWidth: num(p['Plan Width']) ?? 0,
    actualStartupTime: num(p['Actual Startup Time']),
    actualTotalTime: num(p['Actual Total Time']),
    actualRows: num(p['Actual Rows']),
    actualLoops: num(p['Actual Loops']),
    exclusiveCost: 0,
    filter: str(p['Filter']),
    indexCond: str(p['Index Cond']),
    recheckCond: str(p['Recheck Cond']),
    hashCond: str(p['Hash Cond']),
    mergeCond: str(p['Merge Cond']),
    joinFilter: str(p['Join Filter']),
    sortKey: strList(p['Sort Key']),
    groupKey: strList(p['Group Key']),
    rowsRemovedByFilter: num(p['Rows Removed by Filter']),
    rowsRemovedByJoinFilter: num(p['Rows Removed by Join Filter']),
    rowsRemovedByIndexRecheck: num(p['Rows Removed by Index Recheck']),
    heapFetches: num(p['Heap Fetches']),
    sortMethod: str(p['Sort Method']),
    sortSpaceUsed: num(p['Sort Space Used']),
    sortSpaceType: str(p['Sort Space Type']),
    hashBatches: num(p['Hash Batches']),
    buffers: buffersOf(p),
    ...(p.MySQL && typeof p.MySQL === 'object' ? { mysql: p.MySQL as MysqlNodeFacts } : {}),
    onCostliestPath: false,
    warnings: [],
    children: [],
    fields: fieldsOf(p),
  };
  node.label = describeNode(node, p);
  if (node.actualRows !== undefined && node.actualLoops !== undefined && node.actualLoops > 0) {
    node.estimateFactor = node.actualRows / Math.max(node.planRows, 1);
  }
  nodes.push(node);
  for (const child of (p.Plans as Json[] | undefined) ?? []) node.children.push(toNode(child, depth + 1, nodes));
  return node;
}

function fieldsOf(p: Json): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    if (k === 'Plans') continue;
    // A converted MySQL plan: its facts by EXPLAIN's own names rather than one JSON blob.
    if (k === 'MySQL' && v && typeof v === 'object') for (const [label, value] of mysqlFactRows(v as MysqlNodeFacts)) out[label] = value;
    else out[k] = v;
  }
  return out;
}

/** MySQL's access type and "Using …" flags in plain words. */
function mysqlWarnings(n: PlanNode, m: MysqlNodeFacts): { kind: WarningKind; message: string }[] {
  const out: { kind: WarningKind; message: string }[] = [];
  const examined = m.rowsExamined ?? 0;
  if ((m.accessType === 'ALL' || m.accessType === 'index') && examined >= 1000) {
    const what = m.accessType === 'ALL' ? `Full table scan on ${n.relation} (access type ALL)` : `Full index scan of ${m.key ?? 'an index'} on ${n.relation} (access type index)`;
    const keeps = m.filtered !== undefined && m.filtered < 100 ? `, and its conditions keep about ${formatCount(m.filtered)}% of them` : '';
    const why = n.filter ? `: no index serves ${n.filter}` : m.accessType === 'ALL' ? ': no usable index for this table' : '';
    out.push({ kind: 'mysql-full-scan', message: `${what} examines ~${formatCount(examined)} rows${keeps}${why}.` });
  }
  if (m.usingFilesort) {
    const key = n.sortKey?.length ? ` by ${n.sortKey.join(', ')}` : '';
    out.push({ kind: 'mysql-filesort', message: `Rows are sorted${key} after they are read (Using filesort): no index returns them in this order.` });
  }
  if (m.usingTemporary) {
    out.push({ kind: 'mysql-temporary', message: 'MySQL builds a temporary table (Using temporary) to group, de-duplicate or combine rows; an index on the GROUP BY columns can avoid it.' });
  }
  return out;
}

function buffersOf(p: Json): Buffers | undefined {
  const keys = ['Shared Hit Blocks', 'Shared Read Blocks', 'Shared Dirtied Blocks', 'Shared Written Blocks', 'Temp Read Blocks', 'Temp Written Blocks'];
  if (!keys.some((k) => k in p)) return undefined;
  return {
    sharedHit: num(p['Shared Hit Blocks']) ?? 0,
    sharedRead: num(p['Shared Read Blocks']) ?? 0,
    sharedDirtied: num(p['Shared Dirtied Blocks']) ?? 0,
    sharedWritten: num(p['Shared Written Blocks']) ?? 0,
    tempRead: num(p['Temp Read Blocks']) ?? 0,
    tempWritten: num(p['Temp Written Blocks']) ?? 0,
  };
}

/**
 * Exclusive cost and time: what a node adds on top of its children.
 *
 * PostgreSQL costs every node as if it ran to completion, but a parent may consume only part
 * of it: a Limit stops its input after a few rows, a semi join (EXISTS) stops its inner side at
 * the first match, a Memoize'd inner side is costed cheaper on re-runs than its own total. So a
 * child's Total Cost can exceed its parent's, and "parent minus children" would hand the whole
 * plan's cost to a node that never spends it. Instead each node is charged for what is actually
 * consumed of it: how many times it runs (the inner side of a Nested Loop once per outer row, a
 * SubPlan once per row of its parent, an InitPlan once) and what fraction of each run (below a
 * Limit, startup + fraction × run cost, as PostgreSQL's own Limit costing does; a node whose
 * startup already covers all its input — Sort, Hash, Aggregate — reads that input in full). When
 * the children still add up to more than the parent's charge, they are scaled down to fit. The
 * exclusive costs then add up to the root's total cost, and no share can exceed 100%.
 */
function computeExclusive(nodes: PlanNode[], analyzed: boolean): void {
  const count = nodes.length;
  const runs = new Float64Array(count);
  const fraction = new Float64Array(count);
  const charged = new Float64Array(count);
  runs[0] = 1;
  fraction[0] = 1;
  // Pre-order: every parent is settled before its children.
  for (const n of nodes) {
    const m = runs[n.id], p = fraction[n.id];
    const perRun = n.startupCost + p * (n.totalCost - n.startupCost);
    charged[n.id] = m * perRun;
    if (!n.children.length) continue;
    const regular = n.children.filter((c) => !isSubplan(c));
    const fullRuns = (c: PlanNode): number => {
      if (c.parentRelationship === 'InitPlan') return 1;
      if (c.parentRelationship === 'SubPlan') return Math.max(1, n.planRows);
      return n.nodeType === 'Nested Loop' && c === regular[1] ? Math.max(1, regular[0].planRows) : 1;
    };
    const demand = n.children.reduce((s, c) => s + fullRuns(c) * c.totalCost, 0);
    // Sort, Hash, Aggregate…: the startup cost already covers every input row.
    const blocking = n.startupCost >= demand;
    for (const c of n.children) {
      if (c.parentRelationship === 'InitPlan') {
        runs[c.id] = m;
        fraction[c.id] = 1;
      } else if (n.nodeType === 'Limit' && c === regular[0]) {
        runs[c.id] = m;
        const span = c.totalCost - c.startupCost;
        fraction[c.id] = span > 0 ? clamp01((perRun - c.startupCost) / span) : 1;
      } else if (blocking) {
        runs[c.id] = m * fullRuns(c);
        fraction[c.id] = 1;
      } else if (fullRuns(c) > 1) {
        // Re-run once per row the parent produces (or reads): fewer runs when it stops early.
        runs[c.id] = m * fullRuns(c) * p;
        fraction[c.id] = 1;
      } else {
        runs[c.id] = m;
        fraction[c.id] = p;
      }
    }
  }
  // Top-down: children charged more than their parent are scaled (with their subtrees) to fit.
  const scale = new Float64Array(count).fill(1);
  for (const n of nodes) {
    const own = charged[n.id];
    const kids = n.children.reduce((s, c) => s + charged[c.id], 0);
    const fit = kids > own && kids > 0 ? own / kids : 1;
    for (const c of n.children) scale[c.id] = scale[n.id] * fit;
    n.exclusiveCost = Math.max(0, scale[n.id] * (own - kids * fit));
  }
  for (const n of nodes) {
    if (!analyzed || n.actualTotalTime === undefined) continue;
    // Time: InitPlans / SubPlans keep their time; the parent's time covers regular children only.
    const regular = n.children.filter((c) => !isSubplan(c));
    const own = n.actualTotalTime * (n.actualLoops ?? 1);
    const kids = regular.reduce((s, c) => s + (c.actualTotalTime ?? 0) * (c.actualLoops ?? 1), 0);
    n.exclusiveTime = Math.max(0, own - kids);
  }
}

function isSubplan(n: PlanNode): boolean {
  return n.parentRelationship === 'InitPlan' || n.parentRelationship === 'SubPlan';
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

function markPath(n: PlanNode, target: number): boolean {
  const hit = n.id === target || n.children.some((c) => markPath(c, target));
  n.onCostliestPath = hit;
  return hit;
}

/** Parent of each node by id: a lookup, so warnings stay linear on plans with thousands of nodes. */
type Parents = (PlanNode | undefined)[];

function parentIndex(nodes: PlanNode[]): Parents {
  const out: Parents = new Array(nodes.length);
  for (const n of nodes) for (const c of n.children) out[c.id] = n;
  return out;
}

function nodeWarnings(n: PlanNode, analyzed: boolean, ctx: PlanContext, all: Parents): { kind: WarningKind; message: string }[] {
  const out: { kind: WarningKind; message: string }[] = [];
  const where = n.relation ? `${n.relation}` : n.label;
  if (n.mysql) out.push(...mysqlWarnings(n, n.mysql));

  if (n.nodeType === 'Seq Scan' && n.filter) {
    if (analyzed && n.rowsRemovedByFilter !== undefined) {
      const loops = n.actualLoops ?? 1;
      const returned = (n.actualRows ?? 0) * loops;
      const removed = n.rowsRemovedByFilter * loops;
      const read = returned + removed;
      if (read >= 1000 && removed / read >= 0.9) {
        out.push({
          kind: 'seq-scan-filter',
          message: `Seq Scan on ${where} reads ${formatCount(read)} rows to return ${formatCount(returned)}: the filter ${n.filter} throws away ${pct(removed, read)} of them. An index that matches the filter would avoid reading them.`,
        });
      }
    } else if (!analyzed && n.relation && ctx.relationRows?.[n.relation] !== undefined) {
      const total = ctx.relationRows[n.relation];
      if (total >= 1000 && n.planRows / total <= 0.1) {
        out.push({
          kind: 'seq-scan-filter',
          message: `Seq Scan on ${where} reads all ~${formatCount(total)} rows to return an estimated ${formatCount(n.planRows)}: the filter ${n.filter} cannot use an index.`,
        });
      }
    }
  }

  // Under a LIMIT a node stops early, so fewer actual rows than estimated is expected, not a miss.
  const stoppedEarly = underLimit(n, all) && (n.actualRows ?? 0) < n.planRows;
  if (analyzed && !stoppedEarly && n.actualRows !== undefined && (n.actualLoops ?? 0) > 0) {
    const est = Math.max(n.planRows, 1);
    const act = Math.max(n.actualRows, 1);
    const factor = Math.max(est, act) / Math.min(est, act);
    if (factor >= 10 && Math.max(n.planRows, n.actualRows) >= 100) {
      const dir = act > est ? 'under' : 'over';
      out.push({
        kind: 'row-estimate',
        message: `${n.label}: the planner expected ${rows(n.planRows)} but got ${formatCount(n.actualRows)} (${dir}-estimated ${Math.round(factor)}×). Plans built on wrong estimates pick the wrong join or scan; check statistics (ANALYZE) or correlated predicates.`,
      });
    }
  }

  if (n.sortSpaceType === 'Disk' || /external/i.test(n.sortMethod ?? '')) {
    out.push({
      kind: 'sort-spill',
      message: `Sort spilled to disk (${n.sortMethod ?? 'external'}${n.sortSpaceUsed ? `, ${formatCount(n.sortSpaceUsed)} kB` : ''}): raise work_mem, or add an index that returns rows already ordered by ${n.sortKey?.join(', ') ?? 'the sort key'}.`,
    });
  }
  if ((n.hashBatches ?? 1) > 1) {
    out.push({ kind: 'hash-spill', message: `Hash split into ${n.hashBatches} batches because it did not fit in work_mem: part of it went to disk.` });
  }

  if (n.nodeType === 'Seq Scan' && n.relation && (n.actualLoops ?? 1) > 1) {
    out.push({
      kind: 'repeated-seq-scan',
      message: `Seq Scan on ${where} runs ${formatCount(n.actualLoops ?? 0)} times (once per outer row of a Nested Loop). An index on the join column would turn each into a lookup.`,
    });
  } else if (!analyzed && n.nodeType === 'Seq Scan' && n.relation && isInnerOfNestedLoop(n, all)) {
    const parent = parentOf(n, all);
    const outerRows = parent?.children[0]?.planRows ?? 0;
    if (outerRows > 1) {
      out.push({
        kind: 'repeated-seq-scan',
        message: `Seq Scan on ${where} is the inner side of a Nested Loop: it runs once per outer row (~${formatCount(outerRows)} times). An index on the join column would turn each into a lookup.`,
      });
    }
  }

  if (n.nodeType === 'Index Only Scan' && analyzed && (n.heapFetches ?? 0) > 0) {
    const returned = (n.actualRows ?? 0) * (n.actualLoops ?? 1);
    if (returned > 0 && (n.heapFetches ?? 0) / returned > 0.5) {
      out.push({
        kind: 'heap-fetches',
        message: `Index Only Scan on ${where} still visited the table ${formatCount(n.heapFetches ?? 0)} times: the visibility map is not current (VACUUM the table).`,
      });
    }
  }
  return out;
}

function parentOf(n: PlanNode, all: Parents): PlanNode | undefined {
  return all[n.id];
}

function underLimit(n: PlanNode, all: Parents): boolean {
  for (let p = parentOf(n, all); p; p = parentOf(p, all)) if (p.nodeType === 'Limit') return true;
  return false;
}

function isInnerOfNestedLoop(n: PlanNode, all: Parents): boolean {
  const p = parentOf(n, all);
  return !!p && p.nodeType === 'Nested Loop' && p.children[1] === n;
}

function rows(v: number): string {
  return `${formatCount(v)} row${v === 1 ? '' : 's'}`;
}

function pct(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const v = (part / whole) * 100;
  return v >= 99.95 && part !== whole ? '99.9%' : `${v >= 10 ? Math.round(v) : v.toFixed(1)}%`;
}

/** Formats a cost like PostgreSQL does (two decimals). */
export function formatCost(v: number): string {
  return v.toFixed(2);
}
