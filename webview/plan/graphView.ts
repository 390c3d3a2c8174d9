/**
 * The Graph tab: the plan as boxes and edges (layout and scene from core/plan), coloured by
 * the chosen metric, with the costliest path marked. Zoom with the wheel or +/−, pan by
 * dragging or Shift+arrows, 0 fits; arrows move between nodes (↑ parent, ↓ first input,
 * ←/→ siblings), Enter opens a node's details. A minimap shows where you are in large plans.
 * Switching metric only swaps a heat class and a caption per node: nothing is laid out again.
 */
import { layoutPlan, type Direction, type PlanLayout } from '../../src/core/plan/layout';
import { availableMetrics, HEAT_LEVELS, metricScale, type MetricId } from '../../src/core/plan/metrics';
import { graphScene, metricCaption, nodeAriaLabel, standaloneGraphCss, svgMarkup } from '../../src/core/plan/scene';
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

/** The Graph tab's content. */
export function graphView(vm: ViewModel, opts: GraphOptions): HTMLElement {
  const wrap = el('div', 'graph-tab');
  const metrics = availableMetrics(vm.nodes, vm.analyzed);
  const metric = metrics.some((m) => m.id === opts.metric) ? opts.metric : 'exclusiveCost';
  const layout = layoutPlan(vm.root, vm.nodes.length, { direction: opts.direction });
  let scale = metricScale(vm.nodes, metric);
  const scene = graphScene(vm, layout, scale, { title: `Plan graph, ${vm.nodes.length} nodes; arrow keys move between nodes, Enter shows details` });

  const bar = el('div', 'graph-toolbar');
  const metricSelect = select('Colour by', metrics.map((m) => ({ value: m.id, label: m.label })), metric, (m) => {
    recolour(m);
    opts.onMetric(m);
  });
  bar.append(metricSelect);
  bar.append(legend());
  const view = el('div', 'graph-view');
  const svg = svgFromScene(scene) as SVGSVGElement;
  svg.setAttribute('width', '100%');
  svg.setAttribute('height', '100%');
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  view.append(svg);
  const nodeEls: SVGGElement[] = [];
  const captionEls: (Element | null)[] = [];
  svg.querySelectorAll<SVGGElement>('g.node').forEach((g) => {
    const id = Number(g.dataset.id);
    nodeEls[id] = g;
    captionEls[id] = g.querySelector('.metric-text');
  });

  const vb: Box = { x: 0, y: 0, w: layout.width, h: layout.height };
  const apply = () => {
    svg.setAttribute('viewBox', `${vb.x} ${vb.y} ${vb.w} ${vb.h}`);
    minimap?.update(vb);
  };
  const fit = () => {
    const r = view.getBoundingClientRect();
    const cw = r.width || 800, ch = r.height || 500;
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
      apply();
    }
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
  let focused = opts.selected ?? 0;
  const parentOf = new Array<number>(vm.nodes.length);
  for (const n of vm.nodes) for (const c of n.children) parentOf[c.id] = n.id;
  const focusNode = (id: number) => {
    nodeEls[focused]?.setAttribute('tabindex', '-1');
    focused = id;
    const g = nodeEls[id];
    g.setAttribute('tabindex', '0');
    g.focus();
    ensureVisible(id);
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
  if (opts.selected !== undefined && nodeEls[opts.selected]) {
    nodeEls[opts.selected].classList.add('selected');
    nodeEls[0].setAttribute('tabindex', '-1');
    nodeEls[opts.selected].setAttribute('tabindex', '0');
  }

  const minimap = vm.nodes.length >= MINIMAP_FROM ? minimapOf(layout, scale.heat, (x, y) => {
    vb.x = x - vb.w / 2;
    vb.y = y - vb.h / 2;
    apply();
  }) : undefined;
  if (minimap) view.append(minimap.el);

  function recolour(m: MetricId): void {
    const old = scale;
    scale = metricScale(vm.nodes, m);
    for (const n of vm.nodes) {
      const g = nodeEls[n.id];
      if (old.heat[n.id] !== scale.heat[n.id]) g.classList.replace(`heat-${old.heat[n.id]}`, `heat-${scale.heat[n.id]}`);
      const t = captionEls[n.id];
      if (t) t.textContent = metricCaption(n, scale, vm);
      g.setAttribute('aria-label', nodeAriaLabel(n, vm, scale));
    }
    minimap?.recolour(scale.heat);
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
    const r = view.getBoundingClientRect();
    const cw = r.width || 800, ch = r.height || 500;
    if (Math.max(layout.width / cw, layout.height / ch) <= 3) return fit();
    const rb = layout.boxes[vm.root.id];
    vb.w = cw;
    vb.h = ch;
    vb.x = opts.direction === 'TB' ? rb.x + rb.w / 2 - cw / 2 : 0;
    vb.y = opts.direction === 'TB' ? 0 : rb.y + rb.h / 2 - ch / 2;
    apply();
  };
  // Place the view once the element is in the page and has a size.
  requestAnimationFrame(() => {
    home();
    if (opts.selected !== undefined) ensureVisible(opts.selected);
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

/** A small overview of the whole plan with the visible area outlined; click to move there. */
function minimapOf(layout: PlanLayout, heat: number[], goTo: (x: number, y: number) => void) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('class', 'minimap');
  svg.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  svg.setAttribute('aria-hidden', 'true');
  const rects: SVGRectElement[] = [];
  for (const b of layout.boxes) {
    const r = document.createElementNS(NS, 'rect');
    r.setAttribute('x', String(b.x));
    r.setAttribute('y', String(b.y));
    r.setAttribute('width', String(b.w));
    r.setAttribute('height', String(b.h));
    r.setAttribute('class', `mini heat-${heat[b.id]}`);
    rects[b.id] = r;
    svg.append(r);
  }
  const port = document.createElementNS(NS, 'rect');
  port.setAttribute('class', 'viewport');
  svg.append(port);
  svg.addEventListener('click', (e) => {
    const r = svg.getBoundingClientRect();
    const s = Math.max(layout.width / r.width, layout.height / r.height);
    const ox = (r.width * s - layout.width) / 2, oy = (r.height * s - layout.height) / 2;
    goTo((e.clientX - r.left) * s - ox, (e.clientY - r.top) * s - oy);
  });
  return {
    el: svg,
    update(vb: Box) {
      port.setAttribute('x', String(vb.x));
      port.setAttribute('y', String(vb.y));
      port.setAttribute('width', String(vb.w));
      port.setAttribute('height', String(vb.h));
    },
    recolour(h: number[]) {
      for (const b of layout.boxes) rects[b.id].setAttribute('class', `mini heat-${h[b.id]}`);
    },
  };
}
