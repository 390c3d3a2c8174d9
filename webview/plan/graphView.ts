/**
 * The Graph tab: the plan as boxes and edges (layout and scene from core/plan), coloured by
 * the chosen metric, with the costliest path marked. Zoom with the wheel or +/−, pan by
 * dragging or Shift+arrows, 0 fits; arrows move between nodes (↑ parent, ↓ first input,
 * ←/→ siblings), Enter opens a node's details. A minimap shows where you are in large plans.
 * Switching metric only swaps a heat class and a caption per node: nothing is laid out again.
 *
 * Large plans stay fast by drawing only what is in or near the view: node boxes and edges are
 * added as they come within half a screen of the viewport and dropped a screen and a half
 * away, and zoomed out too far to read, boxes are drawn without their text. The minimap is a
 * canvas (one draw call per box, no DOM), painted after the graph.
 */
import { layoutPlan, type Direction, type PlanLayout } from '../../src/core/plan/layout';
import { availableMetrics, HEAT_LEVELS, metricScale, type MetricId } from '../../src/core/plan/metrics';
import { graphEdgeScene, graphNodeScene, graphScene, metricCaption, nodeAriaLabel, standaloneGraphCss, svgMarkup } from '../../src/core/plan/scene';
import { button, el, select, svgFromScene, type ViewModel } from './dom';
import type { WebviewToHost } from './protocol';

export interface GraphOptions {
  metric: MetricId;
  direction: Direction;
  selected?: number;
  onMetric(m: MetricId): void;
  onDirection(d: Direction): void;
  onSelect(id: number): void;
  post(m: WebviewToHost): void;
  /** Details panel for the selected node. */
  details?: HTMLElement;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Plans larger than this get a minimap. */
const MINIMAP_FROM = 20;

/** Graph units per screen pixel above which box text is unreadable: boxes are drawn bare. */
const BARE_FROM = 2.5;

type Detail = 'full' | 'box';

/** The Graph tab's content. */
export function graphView(vm: ViewModel, opts: GraphOptions): HTMLElement {
  const wrap = el('div', 'graph-tab');
  const metrics = availableMetrics(vm.nodes, vm.analyzed);
  const metric = metrics.some((m) => m.id === opts.metric) ? opts.metric : 'exclusiveCost';
  const layout = layoutPlan(vm.root, vm.nodes.length, { direction: opts.direction });
  let scale = metricScale(vm.nodes, metric);
  let focused = opts.selected ?? 0;
  const title = `Plan graph, ${vm.nodes.length} nodes; arrow keys move between nodes, Enter shows details`;

  const bar = el('div', 'graph-toolbar');
  const metricSelect = select('Colour by', metrics.map((m) => ({ value: m.id, label: m.label })), metric, (m) => {
    recolour(m);
    opts.onMetric(m);
  });
  bar.append(metricSelect);
  bar.append(legend());
  const view = el('div', 'graph-view');
  // The empty graph: its boxes and edges are drawn by `sync` as they come into view.
  const shell = graphScene({ ...vm, nodes: [] }, { ...layout, edges: [] }, scale, { title });
  const svg = svgFromScene(shell) as SVGSVGElement;
  svg.setAttribute('width', '100%');
  svg.setAttribute('height', '100%');
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  view.append(svg);
  const edgeLayer = svg.querySelector('g.edges')!;
  const nodeLayer = svg.querySelector('g.nodes')!;
  const drawnNodes = new Map<number, { g: SVGGElement; detail: Detail }>();
  const drawnEdges = new Map<number, SVGElement>();
  const edgeOf = layout.edges;

  /** Size of the view on screen; before it is in the page, the window's is a fair guess. */
  const viewSize = () => {
    const r = view.getBoundingClientRect();
    return { cw: r.width || Math.max(320, window.innerWidth - 40), ch: r.height || Math.max(320, window.innerHeight * 0.62) };
  };
  /** Graph units per screen pixel, and the part of the graph on screen (meet: one axis may show more). */
  const onScreen = () => {
    const { cw, ch } = viewSize();
    const s = Math.max(vb.w / cw, vb.h / ch);
    const w = cw * s, h = ch * s;
    return { s, x: vb.x - (w - vb.w) / 2, y: vb.y - (h - vb.h) / 2, w, h };
  };
  const nodeEl = (id: number): SVGGElement | undefined => drawnNodes.get(id)?.g;
  const drawNode = (id: number, detail: Detail): SVGGElement => {
    const g = svgFromScene(graphNodeScene(vm.nodes[id], layout.boxes[id], vm, scale, undefined, detail)) as SVGGElement;
    g.setAttribute('tabindex', id === focused ? '0' : '-1');
    if (id === opts.selected) g.classList.add('selected');
    nodeLayer.append(g);
    drawnNodes.set(id, { g, detail });
    return g;
  };
  /** Draws what is within half a screen of the view, drops what is beyond a screen and a half. */
  const sync = () => {
    const v = onScreen();
    const detail: Detail = v.s > BARE_FROM ? 'box' : 'full';
    const inside = (x0: number, y0: number, x1: number, y1: number, pad: number) =>
      x1 >= v.x - v.w * pad && x0 <= v.x + v.w * (1 + pad) && y1 >= v.y - v.h * pad && y0 <= v.y + v.h * (1 + pad);
    const pinned = (id: number) => id === focused || id === opts.selected;
    // The focused and selected nodes stay drawn, with their text, wherever the view goes.
    for (const [id, d] of drawnNodes) {
      const b = layout.boxes[id];
      const keep = pinned(id) ? d.detail === 'full' : d.detail === detail && inside(b.x, b.y, b.x + b.w, b.y + b.h, 1.5);
      if (!keep) {
        d.g.remove();
        drawnNodes.delete(id);
      }
    }
    for (const b of layout.boxes) {
      if (!drawnNodes.has(b.id) && (pinned(b.id) || inside(b.x, b.y, b.x + b.w, b.y + b.h, 0.5))) drawNode(b.id, pinned(b.id) ? 'full' : detail);
    }
    for (const e of edgeOf) {
      const p = layout.boxes[e.parent], c = layout.boxes[e.child];
      const x0 = Math.min(p.x, c.x), y0 = Math.min(p.y, c.y), x1 = Math.max(p.x + p.w, c.x + c.w), y1 = Math.max(p.y + p.h, c.y + c.h);
      const drawn = drawnEdges.get(e.child);
      if (drawn && !inside(x0, y0, x1, y1, 1.5)) {
        drawn.remove();
        drawnEdges.delete(e.child);
      } else if (!drawn && inside(x0, y0, x1, y1, 0.5)) {
        const path = svgFromScene(graphEdgeScene(e, vm));
        edgeLayer.append(path);
        drawnEdges.set(e.child, path);
      }
    }
  };

  const vb: Box = { x: 0, y: 0, w: layout.width, h: layout.height };
  const apply = () => {
    svg.setAttribute('viewBox', `${vb.x} ${vb.y} ${vb.w} ${vb.h}`);
    sync();
    minimap?.update(vb);
  };
  const fit = () => {
    const { cw, ch } = viewSize();
    // Never magnify a small plan beyond its natural size: boxes would look bloated.
    const s = Math.max(layout.width / cw, layout.height / ch, 1);
    vb.w = cw * s;
    vb.h = ch * s;
    vb.x = (layout.width - vb.w) / 2;
    vb.y = Math.min(0, (layout.height - vb.h) / 2);
    if (opts.direction === 'TB') vb.y = 0;
    apply();
  };
  const zoom = (factor: number, cx = vb.x + vb.w / 2, cy = vb.y + vb.h / 2) => {
    const w = Math.min(Math.max(vb.w * factor, 80), Math.max(layout.width, layout.height) * 20);
    const f = w / vb.w;
    vb.x = cx - (cx - vb.x) * f;
    vb.y = cy - (cy - vb.y) * f;
    vb.w *= f;
    vb.h *= f;
    apply();
  };
  const pan = (dx: number, dy: number) => {
    vb.x += dx;
    vb.y += dy;
    apply();
  };
  const ensureVisible = (id: number) => {
    const b = layout.boxes[id];
    if (b.x < vb.x || b.x + b.w > vb.x + vb.w || b.y < vb.y || b.y + b.h > vb.y + vb.h) {
      vb.x = b.x + b.w / 2 - vb.w / 2;
      vb.y = b.y + b.h / 2 - vb.h / 2;
    }
    apply();
  };

  bar.append(
    button(opts.direction === 'TB' ? 'Left to right' : 'Top down', () => opts.onDirection(opts.direction === 'TB' ? 'LR' : 'TB'), true, 'Switch the graph direction'),
    button('Fit', fit, true, 'Fit the whole plan in view (0)'),
    button('+', () => zoom(1 / 1.25), true, 'Zoom in (+)'),
    button('−', () => zoom(1.25), true, 'Zoom out (−)'),
    button('Export SVG', () => exportSvg(false), true, 'Save the graph as an SVG picture'),
    button('Export PNG', () => exportSvg(true), true, 'Save the graph as a PNG picture'),
  );
  wrap.append(bar);

  const body = el('div', 'graph-body');
  body.append(view);
  if (opts.details) body.append(opts.details);
  wrap.append(body);

  // Mouse: wheel zooms around the pointer, dragging the background pans, clicking a node selects it.
  const toGraph = (e: { clientX: number; clientY: number }) => {
    const r = svg.getBoundingClientRect();
    const s = Math.max(vb.w / r.width, vb.h / r.height);
    const ox = (r.width * s - vb.w) / 2, oy = (r.height * s - vb.h) / 2;
    return { x: vb.x - ox + (e.clientX - r.left) * s, y: vb.y - oy + (e.clientY - r.top) * s, s };
  };
  svg.addEventListener('wheel', (e) => {
    e.preventDefault();
    const p = toGraph(e);
    zoom(e.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y);
  }, { passive: false });
  let drag: { x: number; y: number; moved: boolean } | undefined;
  svg.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, moved: false };
  });
  svg.addEventListener('pointermove', (e) => {
    if (!drag || !(e.buttons & 1)) return;
    const s = toGraph(e).s;
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 2) {
      drag.moved = true;
      // Capture only once it is a drag: a plain click must still reach the node under it.
      svg.setPointerCapture(e.pointerId);
    }
    if (!drag.moved) return;
    drag.x = e.clientX;
    drag.y = e.clientY;
    pan(-dx * s, -dy * s);
  });
  svg.addEventListener('click', (e) => {
    if (drag?.moved) return;
    const g = (e.target as Element).closest<SVGGElement>('g.node');
    if (g) selectNode(Number(g.dataset.id));
  });

  // Keyboard: roving focus across nodes.
  const parentOf = new Array<number>(vm.nodes.length);
  for (const n of vm.nodes) for (const c of n.children) parentOf[c.id] = n.id;
  const focusNode = (id: number) => {
    nodeEl(focused)?.setAttribute('tabindex', '-1');
    focused = id;
    ensureVisible(id);
    const g = nodeEl(id) ?? drawNode(id, 'full');
    g.setAttribute('tabindex', '0');
    g.focus();
  };
  const selectNode = (id: number) => {
    focused = id;
    opts.onSelect(id);
  };
  svg.addEventListener('keydown', (e) => {
    const n = vm.nodes[focused];
    const siblings = parentOf[focused] !== undefined ? vm.nodes[parentOf[focused]].children : [n];
    const at = siblings.indexOf(n);
    const step = vb.w / 8;
    const [next, prev] = opts.direction === 'TB' ? ['ArrowRight', 'ArrowLeft'] : ['ArrowDown', 'ArrowUp'];
    const [down, up] = opts.direction === 'TB' ? ['ArrowDown', 'ArrowUp'] : ['ArrowRight', 'ArrowLeft'];
    let handled = true;
    if (e.shiftKey && e.key.startsWith('Arrow')) {
      const d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key] ?? [0, 0];
      pan(d[0], d[1]);
    } else if (e.key === down && n.children.length) focusNode(n.children[0].id);
    else if (e.key === up && parentOf[focused] !== undefined) focusNode(parentOf[focused]);
    else if (e.key === next && at < siblings.length - 1) focusNode(siblings[at + 1].id);
    else if (e.key === prev && at > 0) focusNode(siblings[at - 1].id);
    else if (e.key === 'Home') focusNode(0);
    else if (e.key === 'Enter' || e.key === ' ') selectNode(focused);
    else if (e.key === '+' || e.key === '=') zoom(1 / 1.25);
    else if (e.key === '-' || e.key === '_') zoom(1.25);
    else if (e.key === '0') fit();
    else handled = false;
    if (handled) e.preventDefault();
  });
  const minimap = vm.nodes.length >= MINIMAP_FROM ? minimapOf(layout, bar, (x, y) => {
    vb.x = x - vb.w / 2;
    vb.y = y - vb.h / 2;
    apply();
  }) : undefined;
  if (minimap) view.append(minimap.el);

  /** A metric switch: a heat class, a caption and a label per drawn node; the rest pick it up when drawn. */
  function recolour(m: MetricId): void {
    const old = scale;
    scale = metricScale(vm.nodes, m);
    for (const [id, d] of drawnNodes) {
      const n = vm.nodes[id];
      if (old.heat[id] !== scale.heat[id]) d.g.classList.replace(`heat-${old.heat[id]}`, `heat-${scale.heat[id]}`);
      if (d.detail === 'full') {
        const t = d.g.querySelector('.metric-text');
        if (t) t.textContent = metricCaption(n, scale, vm);
      }
      d.g.setAttribute('aria-label', nodeAriaLabel(n, vm, scale));
    }
    minimap?.paint(scale.heat);
  }

  function exportSvg(png: boolean): void {
    const theme = document.body.classList.contains('vscode-light') ? 'light' : 'dark';
    const markup = svgMarkup(graphScene(vm, layout, scale), { style: standaloneGraphCss(theme) });
    const name = `plan-${scale.metric}`;
    if (!png) {
      opts.post({ type: 'export', format: 'svg', data: markup, suggestedName: `${name}.svg` });
      return;
    }
    const img = new Image();
    img.onload = () => {
      const k = 2;
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(layout.width * k);
      canvas.height = Math.ceil(layout.height * k);
      const ctx = canvas.getContext('2d')!;
      ctx.scale(k, k);
      ctx.drawImage(img, 0, 0);
      opts.post({ type: 'export', format: 'png', data: canvas.toDataURL('image/png'), suggestedName: `${name}.png` });
    };
    img.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(markup)))}`;
  }

  /**
   * First view: the whole plan when it fits legibly; else the root at natural size (a
   * 2,000-node plan fitted to a panel is a grey line), with the minimap to find the rest.
   */
  const home = () => {
    const { cw, ch } = viewSize();
    if (Math.max(layout.width / cw, layout.height / ch) <= 3) return fit();
    const rb = layout.boxes[vm.root.id];
    vb.w = cw;
    vb.h = ch;
    vb.x = opts.direction === 'TB' ? rb.x + rb.w / 2 - cw / 2 : 0;
    vb.y = opts.direction === 'TB' ? 0 : rb.y + rb.h / 2 - ch / 2;
    apply();
  };
  // Draw the first view now (sized from the window), so the nodes exist as soon as the tab
  // does; place it again once the element is in the page and has its real size.
  home();
  if (opts.selected !== undefined) ensureVisible(opts.selected);
  requestAnimationFrame(() => {
    home();
    if (opts.selected !== undefined) ensureVisible(opts.selected);
    // The minimap after the graph's first frame: it is an overview, not the first thing to read.
    requestAnimationFrame(() => minimap?.paint(scale.heat));
  });
  return wrap;
}

function legend(): HTMLElement {
  const l = el('span', 'heat-legend');
  l.setAttribute('aria-hidden', 'true');
  l.append(el('span', 'legend-label', 'low'));
  for (let i = 0; i < HEAT_LEVELS; i++) l.append(el('span', `swatch heat-${i}`));
  l.append(el('span', 'legend-label', 'high'));
  return l;
}

/**
 * A small overview of the whole plan with the visible area outlined; click to move there. The
 * boxes are painted on a canvas in the legend's heat colours (read from the page, so every
 * theme applies), the viewport is one SVG rectangle over it.
 */
function minimapOf(layout: PlanLayout, legendHost: HTMLElement, goTo: (x: number, y: number) => void) {
  const NS = 'http://www.w3.org/2000/svg';
  const box = el('div', 'minimap');
  box.setAttribute('aria-hidden', 'true');
  const canvas = el('canvas');
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  const port = document.createElementNS(NS, 'rect');
  port.setAttribute('class', 'viewport');
  svg.append(port);
  box.append(canvas, svg);
  box.addEventListener('click', (e) => {
    const r = box.getBoundingClientRect();
    const s = Math.max(layout.width / r.width, layout.height / r.height);
    const ox = (r.width * s - layout.width) / 2, oy = (r.height * s - layout.height) / 2;
    goTo((e.clientX - r.left) * s - ox, (e.clientY - r.top) * s - oy);
  });
  return {
    el: box,
    update(vb: Box) {
      port.setAttribute('x', String(vb.x));
      port.setAttribute('y', String(vb.y));
      port.setAttribute('width', String(vb.w));
      port.setAttribute('height', String(vb.h));
    },
    paint(heat: number[]) {
      const r = box.getBoundingClientRect();
      if (!r.width) return;
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.round(r.width * dpr);
      canvas.height = Math.round(r.height * dpr);
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      const swatches = legendHost.querySelectorAll('.swatch');
      const colours = Array.from({ length: HEAT_LEVELS }, (_, i) => (swatches[i] ? getComputedStyle(swatches[i]).backgroundColor : 'grey'));
      const border = swatches[0] ? getComputedStyle(swatches[0]).borderTopColor : 'grey';
      const s = Math.min(canvas.width / layout.width, canvas.height / layout.height);
      const ox = (canvas.width - layout.width * s) / 2, oy = (canvas.height - layout.height * s) / 2;
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      // Cold boxes first and outlined, hot ones over them: a hot node never hides under a cold one.
      for (let level = 0; level < HEAT_LEVELS; level++) {
        ctx.fillStyle = colours[level];
        ctx.beginPath();
        for (const b of layout.boxes) if (heat[b.id] === level) ctx.rect(ox + b.x * s, oy + b.y * s, Math.max(b.w * s, 1), Math.max(b.h * s, 1));
        ctx.fill();
        if (level === 0) {
          ctx.strokeStyle = border;
          ctx.lineWidth = 1;
          ctx.stroke();
        }
      }
    },
  };
}
