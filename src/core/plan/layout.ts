/**
 * Positions plan nodes for the graph view: a tree drawn top-down (root at the top) or
 * left-to-right, with edges whose thickness follows the rows flowing from child to parent.
 * Leaves take consecutive slots and each parent sits centred over its children, so subtrees
 * never overlap and layout is linear in the number of nodes (a 2,000-node plan is instant).
 */
import { totalRows } from './metrics';
import type { PlanNode } from './model';

export type Direction = 'TB' | 'LR';

export interface LayoutBox {
  id: number;
  /** Top-left corner and size, in graph units. */
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LayoutEdge {
  /** Parent (consumer) and child (producer) node ids. */
  parent: number;
  child: number;
  /** Rows flowing along the edge (actual × loops when executed, else estimated). */
  rows: number;
  /** Stroke width, 1 … MAX_EDGE_WIDTH, logarithmic in rows. */
  width: number;
  /** SVG path data from the parent's edge to the child's. */
  path: string;
}

export interface PlanLayout {
  direction: Direction;
  /** Box per node id. */
  boxes: LayoutBox[];
  edges: LayoutEdge[];
  width: number;
  height: number;
}

export interface LayoutOptions {
  direction?: Direction;
  nodeWidth?: number;
  nodeHeight?: number;
  /** Space between siblings and between levels. */
  siblingGap?: number;
  levelGap?: number;
  margin?: number;
}

export const MAX_EDGE_WIDTH = 12;

/** MySQL steps carry a line of facts (`ALL · 20,000 examined · 10% filtered`): wider boxes fit it. */
const MYSQL_NODE_WIDTH = 280;

function hasMysqlFacts(root: PlanNode): boolean {
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.mysql?.accessType) return true;
    stack.push(...n.children);
  }
  return false;
}

/** Lays the plan tree out; `nodes` is the pre-order list (`nodes[n.id] === n`). */
export function layoutPlan(root: PlanNode, nodeCount: number, opts: LayoutOptions = {}): PlanLayout {
  const direction = opts.direction ?? 'TB';
  const w = opts.nodeWidth ?? (hasMysqlFacts(root) ? MYSQL_NODE_WIDTH : 200);
  const h = opts.nodeHeight ?? 64;
  const sibGap = opts.siblingGap ?? (direction === 'TB' ? 24 : 16);
  const lvlGap = opts.levelGap ?? (direction === 'TB' ? 56 : 72);
  const margin = opts.margin ?? 16;
  // Breadth = across siblings, depth = down the levels; TB puts breadth on x, LR on y.
  const breadthStep = (direction === 'TB' ? w : h) + sibGap;
  const depthStep = (direction === 'TB' ? h : w) + lvlGap;

  const slot = new Array<number>(nodeCount);
  const depthOf = new Array<number>(nodeCount);
  let nextLeaf = 0;
  let maxDepth = 0;
  // Iterative post-order: a deep plan must not overflow the call stack.
  const stack: { n: PlanNode; d: number; i: number }[] = [{ n: root, d: 0, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i < top.n.children.length) {
      stack.push({ n: top.n.children[top.i++], d: top.d + 1, i: 0 });
      continue;
    }
    stack.pop();
    const { n, d } = top;
    depthOf[n.id] = d;
    if (d > maxDepth) maxDepth = d;
    if (!n.children.length) slot[n.id] = nextLeaf++;
    else slot[n.id] = (slot[n.children[0].id] + slot[n.children[n.children.length - 1].id]) / 2;
  }

  const boxes = new Array<LayoutBox>(nodeCount);
  for (let id = 0; id < nodeCount; id++) {
    if (slot[id] === undefined) continue;
    const b = margin + slot[id] * breadthStep;
    const dd = margin + depthOf[id] * depthStep;
    boxes[id] = direction === 'TB' ? { id, x: b, y: dd, w, h } : { id, x: dd, y: b, w, h };
  }

  const edges: LayoutEdge[] = [];
  let maxRows = 0;
  const walk: PlanNode[] = [root];
  while (walk.length) {
    const n = walk.pop()!;
    for (const c of n.children) {
      const rows = totalRows(c);
      if (rows > maxRows) maxRows = rows;
      edges.push({ parent: n.id, child: c.id, rows, width: 1, path: edgePath(boxes[n.id], boxes[c.id], direction) });
      walk.push(c);
    }
  }
  for (const e of edges) e.width = edgeWidth(e.rows, maxRows);

  const breadthExtent = margin * 2 + Math.max(nextLeaf, 1) * breadthStep - sibGap;
  const depthExtent = margin * 2 + (maxDepth + 1) * depthStep - lvlGap;
  return {
    direction,
    boxes,
    edges,
    width: direction === 'TB' ? breadthExtent : depthExtent,
    height: direction === 'TB' ? depthExtent : breadthExtent,
  };
}

/** Stroke width for an edge: 1 for no rows, MAX_EDGE_WIDTH for the busiest edge, log in between. */
export function edgeWidth(rows: number, maxRows: number): number {
  if (rows <= 0 || maxRows <= 0) return 1;
  const f = Math.log10(1 + rows) / Math.log10(1 + maxRows);
  return Math.round((1 + f * (MAX_EDGE_WIDTH - 1)) * 10) / 10;
}

/** A smooth curve from the parent's bottom (TB) or right side (LR) to the child's top or left. */
function edgePath(p: LayoutBox, c: LayoutBox, direction: Direction): string {
  const r = (v: number) => Math.round(v * 10) / 10;
  if (direction === 'TB') {
    const x1 = p.x + p.w / 2, y1 = p.y + p.h, x2 = c.x + c.w / 2, y2 = c.y;
    const my = (y1 + y2) / 2;
    return `M${r(x1)},${r(y1)} C${r(x1)},${r(my)} ${r(x2)},${r(my)} ${r(x2)},${r(y2)}`;
  }
  const x1 = p.x + p.w, y1 = p.y + p.h / 2, x2 = c.x, y2 = c.y + c.h / 2;
  const mx = (x1 + x2) / 2;
  return `M${r(x1)},${r(y1)} C${r(mx)},${r(y1)} ${r(mx)},${r(y2)} ${r(x2)},${r(y2)}`;
}
