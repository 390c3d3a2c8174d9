/**
 * The Grid tab: one row per node, sortable by any column (click a header; again to reverse)
 * and filtered by node type, table or index. Rows come from core/plan/stats; clicking a row
 * shows that node in the graph.
 */
import { nodeRows, queryRows, type NodeRow, type NodeRowKey } from '../../src/core/plan/stats';
import { count, el, ms, type ViewModel } from './dom';

export interface GridState {
  sortBy?: NodeRowKey;
  descending?: boolean;
  filter?: string;
}

interface Column {
  key: NodeRowKey;
  label: string;
  numeric: boolean;
  analyzed?: boolean;
  show(r: NodeRow): string;
}

const opt = (v: number | undefined, f: (v: number) => string) => (v === undefined ? '' : f(v));

const COLUMNS: Column[] = [
  { key: 'id', label: '#', numeric: true, show: (r) => String(r.id) },
  { key: 'label', label: 'Node', numeric: false, show: (r) => r.label },
  { key: 'exclusiveCost', label: 'Own cost', numeric: true, show: (r) => r.exclusiveCost.toFixed(2) },
  { key: 'totalCost', label: 'Total cost', numeric: true, show: (r) => r.totalCost.toFixed(2) },
  { key: 'exclusiveTime', label: 'Own time', numeric: true, analyzed: true, show: (r) => opt(r.exclusiveTime, ms) },
  { key: 'totalTime', label: 'Total time', numeric: true, analyzed: true, show: (r) => opt(r.totalTime, ms) },
  { key: 'planRows', label: 'Rows est.', numeric: true, show: (r) => count(r.planRows) },
  { key: 'actualRows', label: 'Rows actual', numeric: true, analyzed: true, show: (r) => opt(r.actualRows, count) },
  { key: 'misestimate', label: 'Misestimate', numeric: true, analyzed: true, show: (r) => opt(r.misestimate, (v) => (v < 1.05 ? '—' : `${v >= 10 ? Math.round(v) : v.toFixed(1)}×`)) },
  { key: 'loops', label: 'Loops', numeric: true, analyzed: true, show: (r) => opt(r.loops, count) },
  { key: 'buffers', label: 'Buffers', numeric: true, analyzed: true, show: (r) => opt(r.buffers, count) },
  { key: 'rowsRemoved', label: 'Removed by filter', numeric: true, show: (r) => opt(r.rowsRemoved, count) },
];

/** The Grid tab's content. */
/** `onState(s, redraw)`: redraw is false while typing a filter, so the input keeps focus. */
export function gridView(vm: ViewModel, st: GridState, onState: (s: GridState, redraw: boolean) => void, onPick: (id: number) => void): HTMLElement {
  const wrap = el('div', 'grid-tab');
  const all = nodeRows(vm.nodes);
  const cols = COLUMNS.filter((c) => !c.analyzed || vm.analyzed);
  const tools = el('div', 'grid-toolbar');
  const filter = el('input', 'grid-filter');
  filter.type = 'search';
  filter.placeholder = 'Filter by node type, table or index';
  filter.setAttribute('aria-label', 'Filter nodes');
  filter.value = st.filter ?? '';
  const shown = el('span', 'muted');
  tools.append(filter, shown);
  wrap.append(tools);

  const table = el('table', 'grid');
  const thead = el('thead');
  const head = el('tr');
  for (const c of cols) {
    const th = el('th', c.numeric ? 'num' : undefined);
    th.setAttribute('scope', 'col');
    const sorted = st.sortBy === c.key;
    th.setAttribute('aria-sort', sorted ? (st.descending ? 'descending' : 'ascending') : 'none');
    const b = el('button', 'sort', c.label + (sorted ? (st.descending ? ' ▼' : ' ▲') : ''));
    b.type = 'button';
    b.addEventListener('click', () => onState({ ...st, filter: filter.value, sortBy: c.key, descending: sorted ? !st.descending : c.numeric }, true));
    th.append(b);
    head.append(th);
  }
  thead.append(head);
  const tbody = el('tbody');
  table.append(thead, tbody);
  wrap.append(table);

  const fill = () => {
    const rows = queryRows(all, { sortBy: st.sortBy, descending: st.descending, filter: filter.value });
    shown.textContent = `${rows.length} of ${all.length} nodes`;
    tbody.replaceChildren();
    for (const r of rows) {
      const tr = el('tr');
      if (r.id === vm.costliestId) tr.classList.add('costliest');
      if (r.warnings) tr.classList.add('has-warning');
      tr.tabIndex = 0;
      tr.addEventListener('click', () => onPick(r.id));
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') onPick(r.id);
      });
      for (const c of cols) {
        const td = el('td', c.numeric ? 'num' : 'node-cell', c.show(r));
        if (c.key === 'label') td.style.paddingLeft = `${6 + r.depth * 10}px`;
        tr.append(td);
      }
      tbody.append(tr);
    }
  };
  filter.addEventListener('input', () => {
    fill();
    onState({ ...st, filter: filter.value }, false);
  });
  fill();
  return wrap;
}
