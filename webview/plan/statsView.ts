/** The Stats tab: time and cost per table, per index and per node type (core/plan/stats). */
import { planStats, type StatGroup } from '../../src/core/plan/stats';
import { count, el, ms, pct, type ViewModel } from './dom';

/** The Stats tab's content. */
export function statsView(vm: ViewModel): HTMLElement {
  const s = planStats(vm, vm.nodes);
  const wrap = el('div', 'stats-tab');
  const totals = el('dl', 'props totals');
  const add = (k: string, v: string | undefined) => {
    if (v !== undefined) totals.append(el('dt', undefined, k), el('dd', undefined, v));
  };
  add('Planning time', s.planningTime !== undefined ? ms(s.planningTime) : undefined);
  add('Execution time', s.executionTime !== undefined ? ms(s.executionTime) : undefined);
  add('JIT', s.jit ? `${s.jit.functions} functions${s.jit.totalTime !== undefined ? `, ${ms(s.jit.totalTime)}` : ''}` : undefined);
  add('Triggers', s.triggers?.length ? s.triggers.map((t) => `${t.name}${t.relation ? ` on ${t.relation}` : ''}: ${ms(t.time)} in ${count(t.calls)} calls`).join('; ') : undefined);
  add('Total cost', vm.totalCost.toFixed(2));
  add('Nodes', String(vm.nodes.length));
  wrap.append(totals);
  wrap.append(groupTable('Per table', s.byTable, vm.analyzed));
  wrap.append(groupTable('Per index', s.byIndex, vm.analyzed));
  wrap.append(groupTable('Per node type', s.byNodeType, vm.analyzed));
  return wrap;
}

function groupTable(title: string, groups: StatGroup[], analyzed: boolean): HTMLElement {
  const sec = el('section', 'stat-group');
  sec.append(el('h3', undefined, title));
  if (!groups.length) {
    sec.append(el('p', 'muted', 'None in this plan.'));
    return sec;
  }
  const t = el('table', 'grid');
  const head = el('tr');
  for (const h of ['Name', 'Nodes', 'Own cost', 'Cost share', ...(analyzed ? ['Own time', 'Time share'] : [])]) {
    const th = el('th', h === 'Name' ? undefined : 'num', h);
    th.setAttribute('scope', 'col');
    head.append(th);
  }
  t.append(el('thead'), el('tbody'));
  t.tHead!.append(head);
  for (const g of groups) {
    const tr = el('tr');
    tr.append(el('td', undefined, g.name), el('td', 'num', String(g.count)), el('td', 'num', g.cost.toFixed(2)));
    tr.append(shareCell(g.costShare));
    if (analyzed) tr.append(el('td', 'num', ms(g.time ?? 0)), shareCell(g.timeShare ?? 0));
    t.tBodies[0].append(tr);
  }
  sec.append(t);
  return sec;
}

function shareCell(f: number): HTMLElement {
  const td = el('td', 'num share');
  const bar = el('span', 'share-bar');
  bar.style.width = `${Math.round(f * 60)}px`;
  td.append(bar, el('span', undefined, pct(f)));
  return td;
}
