/**
 * The plan graph and icicle chart as a small SVG element tree: built once here, then either
 * turned into DOM nodes by the webview (createElementNS + textContent, never markup) or
 * serialised to escaped SVG text for export and the CLI's HTML page. One drawing, three uses.
 */
import type { NodeChange } from './diff';
import { formatCount, formatMs } from './describe';
import type { LayoutBox, LayoutEdge, PlanLayout } from './layout';
import { METRICS, metricScale, type MetricId, type MetricScale } from './metrics';
import type { PlanModel, PlanNode } from './model';
import { mysqlBoxLine } from './mysqlFacts';

export interface SvgEl {
  tag: string;
  attrs: Record<string, string | number>;
  text?: string;
  children?: SvgEl[];
}

type Graphable = Pick<PlanModel, 'root' | 'costliestId' | 'totalCost'> & { nodes: readonly PlanNode[] };

export interface GraphSceneOptions {
  /** Compare view: how each node changed against the other plan (adds `change-…` classes). */
  change?: readonly NodeChange[];
  /** Accessible name of the whole graph. */
  title?: string;
}

/** Approximate width of one character of the 12px UI font, for truncating labels to a box. */
const CHAR_W = 6.6;

/** Width of the CHANGED / REMOVED / ADDED tag on a compare-view box. */
const CHANGE_TAG_W = 64;

/** The graph: edges (thickness by rows, costliest path marked) under node boxes coloured by heat. */
export function graphScene(model: Graphable, layout: PlanLayout, scale: MetricScale, opts: GraphSceneOptions = {}): SvgEl {
  const edges: SvgEl[] = layout.edges.map((e) => graphEdgeScene(e, model));
  const nodes: SvgEl[] = model.nodes.map((n) => graphNodeScene(n, layout.boxes[n.id], model, scale, opts.change?.[n.id]));
  return {
    tag: 'svg',
    attrs: {
      xmlns: 'http://www.w3.org/2000/svg',
      class: `plan-graph dir-${layout.direction}`,
      viewBox: `0 0 ${Math.ceil(layout.width)} ${Math.ceil(layout.height)}`,
      width: Math.ceil(layout.width),
      height: Math.ceil(layout.height),
      role: 'tree',
      'aria-label': opts.title ?? 'Query plan graph',
    },
    children: [
      { tag: 'g', attrs: { class: 'edges' }, children: edges },
      { tag: 'g', attrs: { class: 'nodes' }, children: nodes },
    ],
  };
}

/** One edge: thickness by rows, marked when on the costliest path, its row count as tooltip. */
export function graphEdgeScene(e: LayoutEdge, model: Graphable): SvgEl {
  return {
    tag: 'path',
    attrs: {
      class: `edge${model.nodes[e.child].onCostliestPath ? ' hot' : ''}`,
      d: e.path,
      'stroke-width': e.width,
      'data-child': e.child,
    },
    children: [{ tag: 'title', attrs: {}, text: `${formatCount(e.rows)} rows` }],
  };
}

/**
 * One node box. `detail: 'box'` draws the box alone (no text): what a node zoomed out too far
 * to read needs, at a fraction of the elements.
 */
export function graphNodeScene(n: PlanNode, box: LayoutBox, model: Graphable, scale: MetricScale, change?: NodeChange, detail: 'full' | 'box' = 'full'): SvgEl {
  const cls = ['node', `heat-${scale.heat[n.id]}`];
  if (n.id === model.costliestId) cls.push('costliest');
  else if (n.onCostliestPath) cls.push('hot-path');
  if (n.warnings.length) cls.push('has-warning');
  if (change) cls.push(`change-${change}`);
  const maxChars = Math.floor((box.w - 16) / CHAR_W);
  const title = n.subplanName ? `${n.subplanName}: ${n.label}` : n.label;
  const children: SvgEl[] = [{ tag: 'rect', attrs: { class: 'box', width: box.w, height: box.h, rx: 6 } }];
  if (detail === 'full') {
    children.unshift({ tag: 'title', attrs: {}, text: title });
    children.push(
      { tag: 'text', attrs: { class: 'label', x: 8, y: 18 }, text: truncate(title, maxChars - (n.warnings.length ? 2 : 0)) },
      { tag: 'text', attrs: { class: 'sub', x: 8, y: 36 }, text: truncate(subLine(n), maxChars) },
      { tag: 'text', attrs: { class: 'metric-text', x: 8, y: 53 }, text: truncate(metricCaption(n, scale, model), maxChars) },
    );
    if (n.warnings.length) children.push({ tag: 'text', attrs: { class: 'warn-mark', x: box.w - 8, y: 18, 'text-anchor': 'end' }, text: '⚠' });
    // A tag on the box's top edge, clear of the three text lines inside it.
    if (change && change !== 'same') {
      children.push({
        tag: 'g',
        attrs: { class: 'change-tag', transform: `translate(${box.w - CHANGE_TAG_W - 8},-8)` },
        children: [
          { tag: 'rect', attrs: { width: CHANGE_TAG_W, height: 15, rx: 3 } },
          { tag: 'text', attrs: { class: 'change-mark', x: CHANGE_TAG_W / 2, y: 11, 'text-anchor': 'middle' }, text: change },
        ],
      });
    }
  }
  return {
    tag: 'g',
    attrs: {
      class: cls.join(' '),
      transform: `translate(${box.x},${box.y})`,
      'data-id': n.id,
      role: 'treeitem',
      'aria-level': n.depth + 1,
      'aria-label': nodeAriaLabel(n, model, scale, change),
      tabindex: n.id === 0 ? 0 : -1,
    },
    children,
  };
}

/** The second line: MySQL's access type, rows examined, filtered and flags for a MySQL step, else rows and cost. */
function subLine(n: PlanNode): string {
  const mysql = n.mysql && mysqlBoxLine(n.mysql);
  if (!mysql) return rowsLine(n);
  return n.mysql?.accessType ? mysql : `${mysql} · ${rowsLine(n)}`;
}

function rowsLine(n: PlanNode): string {
  if (n.actualRows !== undefined && n.actualLoops !== undefined) {
    const loops = n.actualLoops > 1 ? ` × ${formatCount(n.actualLoops)}` : '';
    return n.actualLoops === 0 ? 'never executed' : `rows ${formatCount(n.actualRows)}${loops} (est. ${formatCount(n.planRows)})`;
  }
  return `rows ${formatCount(n.planRows)} (est.) · cost ${formatCount(n.totalCost)}`;
}

/** The third line of a node box: the selected metric's value for this node, with its share. */
export function metricCaption(n: PlanNode, scale: MetricScale, model: Pick<PlanModel, 'totalCost'>): string {
  const v = scale.values[n.id];
  const def = METRICS.find((m) => m.id === scale.metric)!;
  if (v === undefined) return `${def.label}: —`;
  switch (scale.metric) {
    case 'exclusiveCost':
      return `own cost ${formatCount(v)} (${share(v, scale.sum)})`;
    case 'exclusiveTime':
      return `own time ${formatMs(v)} (${share(v, scale.sum)})`;
    case 'rows':
      return `${formatCount(v)} rows out`;
    case 'misestimate':
      return v < 1.05 ? 'estimate on target' : `estimate off ${v >= 10 ? Math.round(v) : v.toFixed(1)}×`;
    case 'buffers':
      return `${formatCount(v)} blocks`;
    case 'loops':
      return `${formatCount(v)} loop${v === 1 ? '' : 's'}`;
  }
}

/** What a screen reader says for a node: its label, the metric, warnings, place in the tree. */
export function nodeAriaLabel(n: PlanNode, model: Graphable, scale: MetricScale, change?: NodeChange): string {
  const mysql = n.mysql && mysqlBoxLine(n.mysql);
  const parts = [n.subplanName ? `${n.subplanName}: ${n.label}` : n.label, ...(mysql ? [mysql] : []), metricCaption(n, scale, model)];
  if (n.id === model.costliestId) parts.push('costliest node');
  if (n.warnings.length) parts.push(`${n.warnings.length} warning${n.warnings.length === 1 ? '' : 's'}`);
  if (change) parts.push(change === 'same' ? 'unchanged' : change);
  parts.push(n.children.length ? `${n.children.length} input${n.children.length === 1 ? '' : 's'}` : 'leaf');
  return parts.join(', ');
}

function share(v: number, total: number): string {
  if (total <= 0) return '0%';
  const p = (v / total) * 100;
  return p >= 10 || p === 0 ? `${Math.round(p)}%` : `${p.toFixed(1)}%`;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, Math.max(1, max - 1)) + '…';
}

/**
 * Icicle chart of exclusive cost or time: the root spans the full width, each child sits
 * below its parent with a width proportional to its subtree's share, so wide bars are where
 * the cost goes. Nodes too thin to see get no label.
 */
export function icicleScene(model: Graphable, metric: Extract<MetricId, 'exclusiveCost' | 'exclusiveTime'>, width = 960, rowHeight = 26): SvgEl {
  const own = (n: PlanNode) => Math.max(0, (metric === 'exclusiveCost' ? n.exclusiveCost : n.exclusiveTime) ?? 0);
  const inclusive = new Array<number>(model.nodes.length).fill(0);
  for (let i = model.nodes.length - 1; i >= 0; i--) {
    const n = model.nodes[i];
    inclusive[i] = own(n) + n.children.reduce((s, c) => s + inclusive[c.id], 0);
  }
  const total = inclusive[model.root.id] || 1;
  const heat = metricScale(model.nodes, metric).heat;
  const bars: SvgEl[] = [];
  let maxDepth = 0;
  const place = (n: PlanNode, x: number, w: number) => {
    maxDepth = Math.max(maxDepth, n.depth);
    const cls = `bar${n.onCostliestPath ? ' hot-path' : ''}${n.id === model.costliestId ? ' costliest' : ''} heat-${heat[n.id]}`;
    const value = metric === 'exclusiveCost' ? `cost ${formatCount(inclusive[n.id])}` : formatMs(inclusive[n.id]);
    const label = `${n.label} — ${value} (${share(inclusive[n.id], total)})`;
    const kids: SvgEl[] = [
      { tag: 'title', attrs: {}, text: label },
      { tag: 'rect', attrs: { width: Math.max(w - 1, 0.5), height: rowHeight - 2, rx: 2 } },
    ];
    if (w > 40) kids.push({ tag: 'text', attrs: { x: 4, y: rowHeight / 2 + 3 }, text: truncate(label, Math.floor((w - 8) / CHAR_W)) });
    bars.push({
      tag: 'g',
      attrs: { class: cls, transform: `translate(${round(x)},${n.depth * rowHeight})`, 'data-id': n.id, role: 'treeitem', 'aria-level': n.depth + 1, 'aria-label': label, tabindex: n.id === 0 ? 0 : -1 },
      children: kids,
    });
    let cx = x;
    for (const c of n.children) {
      const cw = (inclusive[c.id] / Math.max(inclusive[n.id], 1e-12)) * w;
      place(c, cx, cw);
      cx += cw;
    }
  };
  place(model.root, 0, width);
  const height = (maxDepth + 1) * rowHeight;
  return {
    tag: 'svg',
    attrs: { xmlns: 'http://www.w3.org/2000/svg', class: 'plan-icicle', viewBox: `0 0 ${width} ${height}`, width, height, role: 'tree', 'aria-label': `Icicle chart of ${metric === 'exclusiveCost' ? 'cost' : 'time'}` },
    children: bars,
  };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

/** Serialises an element tree to SVG/XML text; every attribute value and text is escaped. */
export function svgMarkup(el: SvgEl, extra?: { style?: string }): string {
  const out: string[] = [];
  write(el, out, extra?.style);
  return out.join('');
}

function write(el: SvgEl, out: string[], style?: string): void {
  out.push('<', el.tag);
  for (const k in el.attrs) out.push(' ', k, '="', escapeXml(String(el.attrs[k])), '"');
  out.push('>');
  if (style) out.push('<style>', escapeXml(style), '</style>');
  if (el.text !== undefined) out.push(escapeXml(el.text));
  if (el.children) for (const c of el.children) write(c, out);
  out.push('</', el.tag, '>');
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for XML/HTML content and double-quoted attributes. */
export function escapeXml(s: string): string {
  return /[&<>"']/.test(s) ? s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]) : s;
}

/**
 * Colours for a standalone SVG (export, CLI page), where VS Code's theme variables do not
 * exist. Light by default; `dark` for a dark export.
 */
export function standaloneGraphCss(theme: 'light' | 'dark' = 'light'): string {
  const t =
    theme === 'light'
      ? { bg: '#ffffff', fg: '#1f2328', muted: '#59636e', box: '#f6f8fa', border: '#d1d9e0', edge: '#8c959f', hot: '#cf222e', heat: ['#f6f8fa', '#fff8c5', '#ffe58a', '#ffc266', '#ff9a5c', '#ff6b6b'] }
      : { bg: '#1f1f1f', fg: '#e6e6e6', muted: '#a0a0a0', box: '#2b2b2b', border: '#454545', edge: '#6e7681', hot: '#f85149', heat: ['#2b2b2b', '#3b3520', '#55451c', '#6e4a17', '#8a3f1d', '#a62f2f'] };
  return [
    `svg{background:${t.bg};font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:12px}`,
    `.edge{fill:none;stroke:${t.edge};stroke-linecap:round}`,
    `.edge.hot{stroke:${t.hot}}`,
    `.node .box,.bar rect{fill:${t.box};stroke:${t.border};stroke-width:1}`,
    ...t.heat.map((c, i) => `.heat-${i} .box,.bar.heat-${i} rect{fill:${c}}`),
    `.node.hot-path .box{stroke:${t.hot};stroke-width:1.5}`,
    `.node.costliest .box{stroke:${t.hot};stroke-width:3}`,
    `text{fill:${t.fg}}`,
    `.label{font-weight:600}`,
    `.sub,.metric-text{fill:${t.muted};font-size:11px}`,
    `.warn-mark,.change-mark{fill:${t.hot}}`,
    `.change-mark{font-size:10px;font-weight:700;text-transform:uppercase}`,
    `.change-tag rect{fill:${t.bg};stroke:${t.hot}}`,
    `.change-added .change-tag rect,.change-changed .change-tag rect{stroke:#1a7f37}`,
    `.change-added .change-mark,.change-changed .change-mark{fill:#1a7f37}`,
    `.change-removed .box{stroke-dasharray:4 3}`,
    `.change-added .box,.change-changed .box{stroke:#1a7f37;stroke-width:2}`,
  ].join('\n');
}
