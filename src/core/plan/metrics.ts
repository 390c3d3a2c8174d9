/**
 * The measures the plan views colour, size and sort nodes by — exclusive cost and time, rows,
 * estimate misfactor, buffers, loops — and the scale that turns a measure into one of a few
 * heat levels. Heat is a level, not a colour, so each theme (dark, light, high contrast)
 * picks its own colours in CSS and switching metric only swaps a class per node.
 */
import type { PlanNode } from './model';

export type MetricId = 'exclusiveCost' | 'exclusiveTime' | 'rows' | 'misestimate' | 'buffers' | 'loops';

export interface MetricDef {
  id: MetricId;
  label: string;
  /** Only meaningful for an executed plan (EXPLAIN ANALYZE). */
  needsAnalyze: boolean;
  /** Values span orders of magnitude: scale them logarithmically. */
  logScale: boolean;
}

export const METRICS: readonly MetricDef[] = [
  { id: 'exclusiveCost', label: 'Exclusive cost', needsAnalyze: false, logScale: false },
  { id: 'exclusiveTime', label: 'Exclusive time', needsAnalyze: true, logScale: false },
  { id: 'rows', label: 'Rows', needsAnalyze: false, logScale: true },
  { id: 'misestimate', label: 'Estimate misfactor', needsAnalyze: true, logScale: true },
  { id: 'buffers', label: 'Buffers', needsAnalyze: true, logScale: true },
  { id: 'loops', label: 'Loops', needsAnalyze: true, logScale: true },
];

/** Number of heat levels (0 = cold … HEAT_LEVELS - 1 = hottest). */
export const HEAT_LEVELS = 6;

/** Rows a node produced in total: actual rows × loops when executed, else the estimate. */
export function totalRows(n: PlanNode): number {
  if (n.actualRows !== undefined && n.actualLoops !== undefined) return n.actualRows * n.actualLoops;
  return n.planRows;
}

/** Blocks touched (shared hit + read + dirtied + written, temp read + written). */
export function bufferBlocks(n: PlanNode): number | undefined {
  const b = n.buffers;
  if (!b) return undefined;
  return b.sharedHit + b.sharedRead + b.sharedDirtied + b.sharedWritten + b.tempRead + b.tempWritten;
}

/**
 * How far the row estimate was off, as a factor ≥ 1 in either direction (10 = ten times too
 * many or too few), or undefined when the node was not executed.
 */
export function misestimate(n: PlanNode): number | undefined {
  if (n.actualRows === undefined || !n.actualLoops) return undefined;
  const est = Math.max(n.planRows, 1);
  const act = Math.max(n.actualRows, 1);
  return Math.max(est, act) / Math.min(est, act);
}

/** The value of one metric for one node, or undefined when the plan does not carry it. */
export function metricValue(n: PlanNode, id: MetricId): number | undefined {
  switch (id) {
    case 'exclusiveCost':
      return n.exclusiveCost;
    case 'exclusiveTime':
      return n.exclusiveTime;
    case 'rows':
      return totalRows(n);
    case 'misestimate':
      return misestimate(n);
    case 'buffers':
      return bufferBlocks(n);
    case 'loops':
      return n.actualLoops;
  }
}

/** The metrics worth offering for a plan: time, misfactor and loops need ANALYZE; buffers need BUFFERS. */
export function availableMetrics(nodes: readonly PlanNode[], analyzed: boolean): MetricDef[] {
  const hasBuffers = nodes.some((n) => n.buffers);
  return METRICS.filter((m) => (m.needsAnalyze ? analyzed : true) && (m.id !== 'buffers' || hasBuffers));
}

export interface MetricScale {
  metric: MetricId;
  /** Value per node id (undefined where the node has none). */
  values: (number | undefined)[];
  /** Heat level per node id, 0 … HEAT_LEVELS - 1 (0 where there is no value). */
  heat: number[];
  /** Largest value, for legends. */
  max: number;
  /** Sum of all values, for shares ("12% of the time"). */
  sum: number;
}

/**
 * Scales a metric over all nodes: linear share of the largest value for cost and time (so
 * the hottest node is the one that matters), logarithmic for rows, misfactor, buffers and
 * loops (which span orders of magnitude). A misfactor below 2 stays cold: that is noise.
 */
export function metricScale(nodes: readonly PlanNode[], id: MetricId): MetricScale {
  const def = METRICS.find((m) => m.id === id);
  if (!def) throw new Error(`unknown metric: ${id}`);
  const values = new Array<number | undefined>(nodes.length);
  let max = 0;
  let sum = 0;
  for (const n of nodes) {
    const v = metricValue(n, id);
    values[n.id] = v;
    if (v !== undefined && v > max) max = v;
    if (v !== undefined) sum += v;
  }
  const heat = new Array<number>(nodes.length).fill(0);
  const top = HEAT_LEVELS - 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === undefined || v <= 0 || max <= 0) continue;
    let f: number;
    if (id === 'misestimate') f = v < 2 ? 0 : Math.log10(v) / Math.max(Math.log10(max), 1);
    else if (def.logScale) f = Math.log10(1 + v) / Math.log10(1 + max);
    else f = v / max;
    // Under 2% of the top value stays cold: a tint there would draw the eye to nothing.
    heat[i] = f < 0.02 ? 0 : Math.max(1, Math.min(top, Math.ceil(f * top)));
  }
  return { metric: id, values, heat, max, sum };
}
