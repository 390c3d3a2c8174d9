/**
 * The Compare tab: two plans of this session side by side — by default the plan before and
 * after a suggested index — with matched, changed, removed and added nodes marked
 * (core/plan/diff), and a table of the node pairs with their cost and time deltas.
 */
import { diffPlans, signedPct, type PlanDiff } from '../../src/core/plan/diff';
import { layoutPlan } from '../../src/core/plan/layout';
import { metricScale } from '../../src/core/plan/metrics';
import { graphScene } from '../../src/core/plan/scene';
import { el, ms, select, svgFromScene, withNodes, type ViewModel } from './dom';
import type { PlanView } from './protocol';

export interface HistoryEntry {
  id: number;
  title: string;
  view: PlanView;
}

export interface CompareState {
  before?: number;
  after?: number;
}

/** The Compare tab's content; `history` is this session's plans, oldest first. */
export function compareView(history: readonly HistoryEntry[], st: CompareState, onState: (s: CompareState) => void): HTMLElement {
  const wrap = el('div', 'compare-tab');
  if (history.length < 2) {
    wrap.append(el('p', 'muted', 'Compare needs two plans: use “Compare with this index” on a suggested index, or explain another query (or the same one with Explain Analyze) — every plan of this session can be compared.'));
    return wrap;
  }
  const before = history.find((h) => h.id === st.before) ?? history[history.length - 2];
  const after = history.find((h) => h.id === st.after) ?? history[history.length - 1];
  const options = history.map((h) => ({ value: String(h.id), label: `#${h.id} ${h.title}` }));
  const pickers = el('div', 'compare-toolbar');
  pickers.append(
    select('Before', options, String(before.id), (v) => onState({ before: Number(v), after: after.id })),
    select('After', options, String(after.id), (v) => onState({ before: before.id, after: Number(v) })),
  );
  wrap.append(pickers);

  const a = withNodes(before.view.model);
  const b = withNodes(after.view.model);
  const d = diffPlans(a, b);
  const verdict = el('p', `summary compare-summary ${d.cost.delta < 0 ? 'better' : d.cost.delta > 0 ? 'worse' : ''}`, d.summary);
  wrap.append(verdict);
  const chips = el('div', 'change-chips');
  for (const k of ['changed', 'removed', 'added', 'same'] as const) chips.append(el('span', `chip change-${k}`, `${d.counts[k]} ${k === 'same' ? 'unchanged' : k}`));
  wrap.append(chips);

  const sides = el('div', 'compare-sides');
  sides.append(side('Before', before, a, d.beforeChange), side('After', after, b, d.afterChange));
  wrap.append(sides);
  wrap.append(pairTable(d, a, b));
  return wrap;
}

function side(title: string, h: HistoryEntry, vm: ViewModel, change: PlanDiff['beforeChange']): HTMLElement {
  const col = el('section', 'compare-side');
  col.append(el('h3', undefined, `${title}: ${h.title}`));
  const facts = [`cost ${vm.totalCost.toFixed(2)}`];
  if (vm.executionTime !== undefined) facts.push(`time ${ms(vm.executionTime)}`);
  col.append(el('p', 'muted', facts.join(' · ')));
  for (const ddl of h.view.withIndexes) col.append(el('pre', 'code', ddl));
  const layout = layoutPlan(vm.root, vm.nodes.length, { nodeWidth: 190 });
  const svg = svgFromScene(graphScene(vm, layout, metricScale(vm.nodes, 'exclusiveCost'), { change, title: `${title} plan graph` }));
  svg.setAttribute('width', '100%');
  svg.removeAttribute('height');
  svg.setAttribute('preserveAspectRatio', 'xMidYMin meet');
  const box = el('div', 'compare-graph');
  box.append(svg);
  col.append(box);
  return col;
}

function pairTable(d: PlanDiff, a: ViewModel, b: ViewModel): HTMLElement {
  const t = el('table', 'grid pairs');
  const head = el('tr');
  const timed = d.pairs.some((p) => p.timeDelta !== undefined);
  for (const h of ['Before', 'After', 'Change', 'Own cost', 'Δ cost', ...(timed ? ['Δ own time'] : [])]) {
    const th = el('th', h.startsWith('Δ') || h === 'Own cost' ? 'num' : undefined, h);
    th.setAttribute('scope', 'col');
    head.append(th);
  }
  t.append(el('thead'), el('tbody'));
  t.tHead!.append(head);
  for (const p of d.pairs) {
    const x = p.before !== undefined ? a.nodes[p.before] : undefined;
    const y = p.after !== undefined ? b.nodes[p.after] : undefined;
    const tr = el('tr', `change-${p.change}`);
    tr.append(el('td', undefined, x?.label ?? '—'), el('td', undefined, y?.label ?? '—'), el('td', 'change', p.change === 'same' ? 'unchanged' : p.change));
    tr.append(el('td', 'num', `${x ? x.exclusiveCost.toFixed(2) : '—'} → ${y ? y.exclusiveCost.toFixed(2) : '—'}`));
    const dc = p.costDelta ?? (y ? y.exclusiveCost : x ? -x.exclusiveCost : 0);
    tr.append(el('td', `num ${dc < 0 ? 'better' : dc > 0 ? 'worse' : ''}`, `${dc > 0 ? '+' : dc < 0 ? '−' : ''}${Math.abs(dc).toFixed(2)}${x && x.exclusiveCost > 0 && p.costDelta !== undefined ? ` (${signedPct(p.costDelta / x.exclusiveCost)})` : ''}`));
    if (timed) tr.append(el('td', 'num', p.timeDelta === undefined ? '' : `${p.timeDelta > 0 ? '+' : p.timeDelta < 0 ? '−' : ''}${ms(Math.abs(p.timeDelta))}`));
    t.tBodies[0].append(tr);
  }
  return t;
}
