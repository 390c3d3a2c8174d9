/**
 * Compares two plans of the same statement (before/after a suggested index, or any two plans
 * from the session): matches nodes across the plans, marks each as unchanged, changed,
 * removed or added, and gives the cost and time deltas. Matching is by the tables a node
 * reads (its subtree's relations), then by node family (scan, join, sort…), position and
 * parent, so "Seq Scan on orders" → "Index Only Scan using … on orders" is one changed node
 * and a Sort the index made unnecessary is a removed one.
 */
import type { PlanModel, PlanNode } from './model';

export type NodeChange = 'same' | 'changed' | 'removed' | 'added';

export interface NodePair {
  before?: number;
  after?: number;
  change: NodeChange;
  /** After minus before, for matched nodes. */
  costDelta?: number;
  timeDelta?: number;
}

export interface PlanDiff {
  pairs: NodePair[];
  /** Change per node id of each plan. */
  beforeChange: NodeChange[];
  afterChange: NodeChange[];
  /** The matched node's id in the other plan, per node id. */
  afterOf: (number | undefined)[];
  beforeOf: (number | undefined)[];
  cost: { before: number; after: number; delta: number; ratio: number };
  time?: { before: number; after: number; delta: number; ratio: number };
  counts: Record<NodeChange, number>;
  /** One sentence ("Cost 2,522 → 12.4 (−99.5%): 2 nodes changed, 2 removed, 0 added."). */
  summary: string;
}

type Side = Pick<PlanModel, 'root' | 'totalCost' | 'executionTime' | 'analyzed'> & { nodes: readonly PlanNode[] };

/** Matches the nodes of `before` and `after` and summarises what changed. */
export function diffPlans(before: Side, after: Side): PlanDiff {
  const relB = subtreeRelations(before.nodes);
  const relA = subtreeRelations(after.nodes);
  const parB = parents(before.nodes);
  const parA = parents(after.nodes);
  const afterOf = new Array<number | undefined>(before.nodes.length);
  const beforeOf = new Array<number | undefined>(after.nodes.length);

  // Candidates are bucketed by relation set, so matching stays near-linear on large plans.
  const buckets = new Map<string, PlanNode[]>();
  for (const n of before.nodes) {
    const k = relB[n.id];
    let b = buckets.get(k);
    if (!b) buckets.set(k, (b = []));
    b.push(n);
  }
  for (const a of after.nodes) {
    const cands = buckets.get(relA[a.id]) ?? [];
    let best: PlanNode | undefined;
    let bestScore = -1;
    for (const b of cands) {
      if (afterOf[b.id] !== undefined) continue;
      let s = 0;
      if (b.nodeType === a.nodeType) s += 4;
      if (family(b.nodeType) === family(a.nodeType)) s += 3;
      if (b.label === a.label) s += 2;
      const pa = parA[a.id];
      if (pa !== undefined && beforeOf[pa] !== undefined && parB[b.id] === beforeOf[pa]) s += 2;
      if (pa === undefined && parB[b.id] === undefined) s += 2;
      if ((b.subplanName ?? '') === (a.subplanName ?? '')) s += 1;
      if (s > bestScore) {
        bestScore = s;
        best = b;
      }
    }
    // A node whose relation set matches but shares nothing else (different family, unrelated
    // parent) is a different operation on the same data: leave it unmatched.
    if (best && bestScore >= 2) {
      afterOf[best.id] = a.id;
      beforeOf[a.id] = best.id;
    }
  }

  const pairs: NodePair[] = [];
  const beforeChange = new Array<NodeChange>(before.nodes.length).fill('removed');
  const afterChange = new Array<NodeChange>(after.nodes.length).fill('added');
  const counts: Record<NodeChange, number> = { same: 0, changed: 0, removed: 0, added: 0 };
  for (const a of after.nodes) {
    const bid = beforeOf[a.id];
    if (bid === undefined) {
      pairs.push({ after: a.id, change: 'added' });
      counts.added++;
      continue;
    }
    const b = before.nodes[bid];
    const change: NodeChange = b.label === a.label ? 'same' : 'changed';
    beforeChange[bid] = change;
    afterChange[a.id] = change;
    counts[change]++;
    pairs.push({
      before: bid,
      after: a.id,
      change,
      costDelta: a.exclusiveCost - b.exclusiveCost,
      timeDelta: a.exclusiveTime !== undefined && b.exclusiveTime !== undefined ? a.exclusiveTime - b.exclusiveTime : undefined,
    });
  }
  for (const b of before.nodes) {
    if (afterOf[b.id] === undefined) {
      pairs.push({ before: b.id, change: 'removed' });
      counts.removed++;
    }
  }
  const cost = delta(before.totalCost, after.totalCost);
  const time = before.executionTime !== undefined && after.executionTime !== undefined ? delta(before.executionTime, after.executionTime) : undefined;
  const parts = [`Cost ${fmt(cost.before)} → ${fmt(cost.after)} (${signedPct(cost.ratio)})`];
  if (time) parts.push(`time ${fmt(time.before)} ms → ${fmt(time.after)} ms (${signedPct(time.ratio)})`);
  const summary = `${parts.join(', ')}: ${counts.changed} node${counts.changed === 1 ? '' : 's'} changed, ${counts.removed} removed, ${counts.added} added, ${counts.same} unchanged.`;
  return { pairs, beforeChange, afterChange, afterOf, beforeOf, cost, time, counts, summary };
}

/** Scan, join, sort… : nodes of one family do the same job in different ways. */
export function family(nodeType: string): string {
  if (/Scan$/.test(nodeType)) return 'scan';
  if (/Join$|^Nested Loop$/.test(nodeType)) return 'join';
  if (/Sort$/.test(nodeType)) return 'sort';
  if (/Aggregate$|^Group$|^WindowAgg$/.test(nodeType)) return 'aggregate';
  if (/^(Hash|Materialize|Memoize)$/.test(nodeType)) return 'buffer';
  if (/^Gather/.test(nodeType)) return 'gather';
  return nodeType;
}

function subtreeRelations(nodes: readonly PlanNode[]): string[] {
  const out = new Array<string>(nodes.length);
  // Pre-order ids: every child has a larger id, so walking ids downwards sees children first.
  const sets = new Array<Set<string>>(nodes.length);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    const s = new Set<string>();
    if (n.relation) s.add(n.relation);
    for (const c of n.children) for (const r of sets[c.id]) s.add(r);
    sets[i] = s;
    out[i] = [...s].sort().join(',');
  }
  return out;
}

function parents(nodes: readonly PlanNode[]): (number | undefined)[] {
  const out = new Array<number | undefined>(nodes.length);
  for (const n of nodes) for (const c of n.children) out[c.id] = n.id;
  return out;
}

function delta(before: number, after: number): { before: number; after: number; delta: number; ratio: number } {
  return { before, after, delta: after - before, ratio: before > 0 ? (after - before) / before : 0 };
}

function fmt(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : String(Math.round(v * 100) / 100);
}

/** −0.995 → "−99.5%", 0.2 → "+20%". */
export function signedPct(ratio: number): string {
  const v = ratio * 100;
  const abs = Math.abs(v);
  const s = abs >= 10 ? String(Math.round(abs)) : abs.toFixed(1);
  return `${v < 0 ? '−' : '+'}${s}%`;
}
