/**
 * Plan statistics for the Stats view and the Grid: where the cost and time go, grouped per
 * table, per index and per node type, and one flat row per node with every number a reader
 * sorts by.
 */
import { bufferBlocks, misestimate, totalRows } from './metrics';
import type { PlanModel, PlanNode } from './model';

export interface StatGroup {
  name: string;
  /** Nodes in the group. */
  count: number;
  /** Sum of exclusive cost, and its share of the plan's total cost (0 … 1). */
  cost: number;
  costShare: number;
  /** Sum of exclusive time (ms) and its share of all exclusive time, when executed. */
  time?: number;
  timeShare?: number;
}

export interface PlanStats {
  byTable: StatGroup[];
  byIndex: StatGroup[];
  byNodeType: StatGroup[];
  planningTime?: number;
  executionTime?: number;
  jit?: PlanModel['jit'];
  triggers?: PlanModel['triggers'];
  triggerTime?: number;
}

/** Groups the nodes per table, index and node type, costliest group first. */
export function planStats(model: Pick<PlanModel, 'analyzed' | 'planningTime' | 'executionTime' | 'jit' | 'triggers'>, nodes: readonly PlanNode[]): PlanStats {
  const totalCost = nodes.reduce((s, n) => s + n.exclusiveCost, 0);
  const totalTime = model.analyzed ? nodes.reduce((s, n) => s + (n.exclusiveTime ?? 0), 0) : 0;
  const group = (key: (n: PlanNode) => string | undefined): StatGroup[] => {
    const map = new Map<string, StatGroup>();
    for (const n of nodes) {
      const k = key(n);
      if (k === undefined) continue;
      let g = map.get(k);
      if (!g) map.set(k, (g = { name: k, count: 0, cost: 0, costShare: 0, ...(model.analyzed ? { time: 0, timeShare: 0 } : {}) }));
      g.count++;
      g.cost += n.exclusiveCost;
      if (g.time !== undefined) g.time += n.exclusiveTime ?? 0;
    }
    const out = [...map.values()];
    for (const g of out) {
      g.costShare = totalCost > 0 ? g.cost / totalCost : 0;
      if (g.time !== undefined) g.timeShare = totalTime > 0 ? g.time / totalTime : 0;
    }
    return out.sort((a, b) => (b.time ?? 0) - (a.time ?? 0) || b.cost - a.cost || a.name.localeCompare(b.name));
  };
  const triggerTime = model.triggers?.reduce((s, t) => s + t.time, 0);
  return {
    byTable: group((n) => (n.relation ? (n.schema ? `${n.schema}.${n.relation}` : n.relation) : undefined)),
    byIndex: group((n) => n.index),
    byNodeType: group((n) => n.nodeType),
    planningTime: model.planningTime,
    executionTime: model.executionTime,
    jit: model.jit,
    triggers: model.triggers,
    triggerTime,
  };
}

/** One node as a grid row: the numbers a reader sorts and filters by. */
export interface NodeRow {
  id: number;
  depth: number;
  label: string;
  nodeType: string;
  relation?: string;
  index?: string;
  exclusiveCost: number;
  totalCost: number;
  exclusiveTime?: number;
  /** Inclusive time across all loops (ms). */
  totalTime?: number;
  planRows: number;
  actualRows?: number;
  misestimate?: number;
  loops?: number;
  buffers?: number;
  rowsRemoved?: number;
  warnings: number;
}

export type NodeRowKey = Exclude<keyof NodeRow, 'warnings'> | 'warnings';

/** The grid's rows, in plan order. */
export function nodeRows(nodes: readonly PlanNode[]): NodeRow[] {
  return nodes.map((n) => {
    const removed = (n.rowsRemovedByFilter ?? 0) + (n.rowsRemovedByJoinFilter ?? 0) + (n.rowsRemovedByIndexRecheck ?? 0);
    const anyRemoved = n.rowsRemovedByFilter !== undefined || n.rowsRemovedByJoinFilter !== undefined || n.rowsRemovedByIndexRecheck !== undefined;
    return {
      id: n.id,
      depth: n.depth,
      label: n.label,
      nodeType: n.nodeType,
      relation: n.relation,
      index: n.index,
      exclusiveCost: n.exclusiveCost,
      totalCost: n.totalCost,
      exclusiveTime: n.exclusiveTime,
      totalTime: n.actualTotalTime !== undefined ? n.actualTotalTime * (n.actualLoops ?? 1) : undefined,
      planRows: n.planRows,
      actualRows: n.actualRows !== undefined ? totalRows(n) : undefined,
      misestimate: misestimate(n),
      loops: n.actualLoops,
      buffers: bufferBlocks(n),
      // Rows removed are per loop in EXPLAIN; the grid shows the total like actual rows.
      rowsRemoved: anyRemoved ? removed * (n.actualLoops ?? 1) : undefined,
      warnings: n.warnings.length,
    };
  });
}

/**
 * Sorts and filters grid rows: `filter` matches the label, node type, relation or index
 * (case-insensitive); rows without a value for the sort key go last in either direction.
 */
export function queryRows(rows: readonly NodeRow[], opts: { sortBy?: NodeRowKey; descending?: boolean; filter?: string }): NodeRow[] {
  const f = opts.filter?.trim().toLowerCase();
  let out = f
    ? rows.filter((r) => [r.label, r.nodeType, r.relation, r.index].some((v) => v !== undefined && v.toLowerCase().includes(f)))
    : rows.slice();
  const key = opts.sortBy;
  if (key) {
    const dir = opts.descending ? -1 : 1;
    out = out.sort((a, b) => {
      const va = a[key], vb = b[key];
      if (va === undefined || vb === undefined) return va === vb ? a.id - b.id : va === undefined ? 1 : -1;
      const c = typeof va === 'string' ? va.localeCompare(String(vb)) : (va as number) - (vb as number);
      return c !== 0 ? c * dir : a.id - b.id;
    });
  }
  return out;
}
