/**
 * The plan webview: draws the model the host computed (it never interprets EXPLAIN itself).
 * Every string goes into the page through `textContent` / attributes, never as HTML, so plan
 * text, SQL and index DDL cannot inject markup. State is saved with `setState` so the panel
 * survives being hidden and restored.
 */
import type { IndexSuggestion } from '../../src/core/advisor/types';
import type { PlanNode } from '../../src/core/plan/model';
import type { HostToWebview, PlanView, SuggestionsState, WebviewToHost } from './protocol';

interface VsCodeApi {
  postMessage(msg: WebviewToHost): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  view?: PlanView;
  suggestions?: SuggestionsState;
  tab?: Tab;
}

type Tab = 'tree' | 'text' | 'json';

const vscode = acquireVsCodeApi();
let state: SavedState = vscode.getState() ?? {};
const root = document.getElementById('root') as HTMLElement;

/** Creates an element with a class and (escaped) text. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(label: string, onClick: () => void, secondary = false): HTMLButtonElement {
  const b = el('button', secondary ? 'secondary' : undefined, label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

function count(v: number): string {
  const r = Math.abs(v) >= 100 || Number.isInteger(v) ? Math.round(v) : Math.round(v * 10) / 10;
  return r.toLocaleString('en-US');
}

function ms(v: number): string {
  return v < 1 ? `${v.toFixed(3)} ms` : v < 100 ? `${v.toFixed(1)} ms` : `${Math.round(v).toLocaleString('en-US')} ms`;
}

function save(): void {
  vscode.setState(state);
}

function render(): void {
  root.replaceChildren();
  const view = state.view;
  if (!view) {
    root.append(el('p', 'muted', 'Run “Explain this query” on a SQL statement to see its plan here.'));
    return;
  }
  root.append(header(view));
  if (view.withIndexes.length) root.append(hypotheticalBanner(view));
  root.append(el('p', 'summary', view.model.summary));
  if (view.model.warnings.length) root.append(warningsList(view));
  if (view.notes.length || view.parameters.length || view.schemaProblems.length) root.append(contextDetails(view));
  root.append(tabs(view));
  root.append(suggestionsSection(view));
}

function header(view: PlanView): HTMLElement {
  const h = el('header', 'plan-header');
  const title = el('div', 'title-row');
  title.append(el('h1', undefined, view.analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'));
  if (view.origin) title.append(el('span', 'muted origin', view.origin));
  h.append(title);
  const stats = el('div', 'stats');
  const stat = (label: string, value: string) => {
    const s = el('span', 'stat');
    s.append(el('span', 'stat-label', label), el('span', 'stat-value', value));
    stats.append(s);
  };
  stat('Total cost', view.model.totalCost.toFixed(2));
  stat('Rows (est.)', count(view.model.root.planRows));
  if (view.model.executionTime !== undefined) stat('Execution', ms(view.model.executionTime));
  if (view.model.planningTime !== undefined) stat('Planning', ms(view.model.planningTime));
  h.append(stats);
  const sql = el('details', 'sql');
  sql.append(el('summary', undefined, 'Statement'), el('pre', 'code', view.executedSql));
  h.append(sql);
  if (!view.analyze) {
    const actions = el('div', 'actions');
    actions.append(button('Explain Analyze (rolled back)', () => post({ type: 'explainAnalyze' }), true));
    h.append(actions);
  }
  return h;
}

function hypotheticalBanner(view: PlanView): HTMLElement {
  const b = el('div', 'banner');
  b.append(el('span', undefined, 'Plan with hypothetical index (created in a transaction, then rolled back):'));
  for (const ddl of view.withIndexes) b.append(el('pre', 'code', ddl));
  b.append(button('Show original plan', () => post({ type: 'explainOriginal' }), true));
  return b;
}

function warningsList(view: PlanView): HTMLElement {
  const box = el('section', 'warnings');
  box.append(el('h2', undefined, `Warnings (${view.model.warnings.length})`));
  const ul = el('ul');
  for (const w of view.model.warnings) {
    const li = el('li', 'warning');
    const a = el('a', undefined, w.message);
    a.href = '#';
    a.addEventListener('click', (e) => {
      e.preventDefault();
      state.tab = 'tree';
      save();
      render();
      const target = document.getElementById(`node-${w.nodeId}`);
      target?.scrollIntoView({ block: 'center' });
      target?.classList.add('flash');
    });
    li.append(a);
    ul.append(li);
  }
  box.append(ul);
  return box;
}

function contextDetails(view: PlanView): HTMLElement {
  const d = el('details', 'context');
  d.append(el('summary', undefined, 'How this plan was made'));
  const ul = el('ul');
  for (const p of view.parameters) {
    ul.append(el('li', undefined, `${p.text} = ${p.value}${p.source ? ` (a typical value of ${p.source})` : ''}`));
  }
  for (const n of view.notes) ul.append(el('li', undefined, n));
  for (const p of view.schemaProblems) ul.append(el('li', 'problem', `Schema statement not loaded — ${p.statement}: ${p.message}`));
  d.append(ul);
  return d;
}

function tabs(view: PlanView): HTMLElement {
  const current: Tab = state.tab ?? 'tree';
  const wrap = el('section', 'tabs');
  const bar = el('div', 'tab-bar');
  bar.setAttribute('role', 'tablist');
  const labels: [Tab, string][] = [['tree', 'Plan'], ['text', 'Text'], ['json', 'JSON']];
  for (const [id, label] of labels) {
    const t = el('button', `tab${id === current ? ' active' : ''}`, label);
    t.type = 'button';
    t.setAttribute('role', 'tab');
    t.setAttribute('aria-selected', String(id === current));
    t.addEventListener('click', () => {
      state.tab = id;
      save();
      render();
    });
    bar.append(t);
  }
  wrap.append(bar);
  const panel = el('div', 'tab-panel');
  if (current === 'tree') panel.append(tree(view));
  else {
    const text = current === 'text' ? view.text : view.json;
    const tools = el('div', 'actions');
    tools.append(button('Copy', () => post({ type: 'copy', text }), true));
    panel.append(tools, el('pre', 'code raw', text));
  }
  wrap.append(panel);
  return wrap;
}

function tree(view: PlanView): HTMLElement {
  const total = Math.max(view.model.totalCost, 1e-9);
  const totalTime = view.model.executionTime ?? 0;
  const ul = el('ul', 'tree');
  ul.append(nodeItem(view.model.root, view, total, totalTime));
  return ul;
}

function nodeItem(n: PlanNode, view: PlanView, total: number, totalTime: number): HTMLElement {
  const li = el('li', 'node-item');
  const card = el('div', 'node');
  card.id = `node-${n.id}`;
  if (n.id === view.model.costliestId) card.classList.add('costliest');
  else if (n.onCostliestPath) card.classList.add('hot-path');
  if (n.warnings.length) card.classList.add('has-warning');

  const head = el('div', 'node-head');
  if (n.subplanName) head.append(el('span', 'subplan', n.subplanName));
  head.append(el('span', 'node-type', n.label));
  if (n.id === view.model.costliestId) head.append(el('span', 'badge hot', 'costliest'));
  card.append(head);

  const metrics = el('div', 'metrics');
  let rows = `rows: ${count(n.planRows)} est.`;
  if (n.actualRows !== undefined) {
    rows += ` / ${count(n.actualRows)} actual`;
    if ((n.actualLoops ?? 1) > 1) rows += ` × ${count(n.actualLoops ?? 1)} loops`;
  }
  const rowsEl = el('span', 'metric', rows);
  if (n.estimateFactor !== undefined) {
    const f = n.estimateFactor >= 1 ? n.estimateFactor : 1 / Math.max(n.estimateFactor, 1e-9);
    if (f >= 10) rowsEl.append(el('span', 'badge miss', `${n.estimateFactor >= 1 ? 'under' : 'over'}-estimated ${Math.round(f)}×`));
  }
  metrics.append(rowsEl);
  metrics.append(el('span', 'metric', `cost: ${n.startupCost.toFixed(2)}..${n.totalCost.toFixed(2)}`));
  if (n.actualTotalTime !== undefined) metrics.append(el('span', 'metric', `time: ${ms(n.actualTotalTime)}`));
  card.append(metrics);

  card.append(bar('cost', n.exclusiveCost / total, `own cost ${n.exclusiveCost.toFixed(2)} (${pct(n.exclusiveCost / total)})`));
  if (n.exclusiveTime !== undefined && totalTime > 0) {
    card.append(bar('time', n.exclusiveTime / totalTime, `own time ${ms(n.exclusiveTime)} (${pct(n.exclusiveTime / totalTime)})`));
  }

  const props: [string, string | undefined][] = [
    ['Index Cond', n.indexCond],
    ['Recheck Cond', n.recheckCond],
    ['Hash Cond', n.hashCond],
    ['Merge Cond', n.mergeCond],
    ['Join Filter', n.joinFilter],
    ['Filter', n.filter],
    ['Rows Removed by Filter', n.rowsRemovedByFilter === undefined ? undefined : count(n.rowsRemovedByFilter)],
    ['Sort Key', n.sortKey?.join(', ')],
    ['Sort', n.sortMethod ? `${n.sortMethod}, ${count(n.sortSpaceUsed ?? 0)} kB ${n.sortSpaceType === 'Disk' ? 'on disk' : 'in memory'}` : undefined],
    ['Group Key', n.groupKey?.join(', ')],
    ['Heap Fetches', n.heapFetches === undefined ? undefined : count(n.heapFetches)],
    ['Buffers', n.buffers ? `shared hit ${count(n.buffers.sharedHit)}, read ${count(n.buffers.sharedRead)}${n.buffers.tempRead || n.buffers.tempWritten ? `, temp read ${count(n.buffers.tempRead)} written ${count(n.buffers.tempWritten)}` : ''}` : undefined],
  ];
  const dl = el('dl', 'props');
  for (const [k, v] of props) {
    if (v === undefined) continue;
    dl.append(el('dt', undefined, k), el('dd', 'code-inline', v));
  }
  if (dl.childElementCount) card.append(dl);
  for (const w of n.warnings) card.append(el('div', 'node-warning', w));
  li.append(card);

  if (n.children.length) {
    const ul = el('ul', 'tree');
    for (const c of n.children) ul.append(nodeItem(c, view, total, totalTime));
    li.append(ul);
  }
  return li;
}

function pct(f: number): string {
  const v = Math.max(0, Math.min(1, f)) * 100;
  return v >= 10 || v === 0 ? `${Math.round(v)}%` : `${v.toFixed(1)}%`;
}

function bar(kind: 'cost' | 'time', fraction: number, label: string): HTMLElement {
  const wrap = el('div', `bar-row ${kind}`);
  const track = el('div', 'bar-track');
  const fill = el('div', 'bar-fill');
  fill.style.width = `${Math.max(0, Math.min(100, fraction * 100)).toFixed(1)}%`;
  track.append(fill);
  track.setAttribute('role', 'img');
  track.setAttribute('aria-label', label);
  wrap.append(track, el('span', 'bar-label', label));
  return wrap;
}

function suggestionsSection(view: PlanView): HTMLElement {
  const s = el('section', 'suggestions');
  const sug = state.suggestions;
  if (!sug || view.withIndexes.length) return s;
  s.append(el('h2', undefined, 'Suggested indexes'));
  if (sug.state === 'loading') {
    s.append(el('p', 'muted', 'Verifying index candidates in the engine…'));
    return s;
  }
  if (sug.state === 'unavailable') {
    s.append(el('p', 'muted', sug.message));
    return s;
  }
  if (!sug.suggestions.length) {
    s.append(el('p', 'muted', 'No index lowers the cost of this plan by enough to suggest one.'));
    return s;
  }
  for (const x of sug.suggestions) s.append(suggestionCard(x));
  return s;
}

function suggestionCard(x: IndexSuggestion): HTMLElement {
  const card = el('div', 'suggestion');
  const head = el('div', 'node-head');
  head.append(el('span', 'badge', x.kind), el('span', 'node-type', `on ${x.table}`));
  card.append(head);
  const gain = x.costBefore > 0 ? 1 - x.costAfter / x.costBefore : 0;
  card.append(el('div', 'metrics', `cost ${x.costBefore.toFixed(2)} → ${x.costAfter.toFixed(2)} (${pct(gain)} lower)`));
  card.append(bar('cost', x.costBefore > 0 ? x.costAfter / x.costBefore : 0, `after: ${pct(x.costBefore > 0 ? x.costAfter / x.costBefore : 0)} of the current cost`));
  if (x.planBefore || x.planAfter) card.append(el('div', 'muted', `${x.planBefore ?? '?'} → ${x.planAfter ?? '?'}`));
  card.append(el('pre', 'code', x.ddl));
  if (x.reason) card.append(el('p', 'reason', x.reason));
  if (x.note) card.append(el('p', 'muted', x.note));
  const actions = el('div', 'actions');
  actions.append(button('Re-explain with this index', () => post({ type: 'explainWithIndex', ddl: x.ddl })));
  actions.append(button('Copy DDL', () => post({ type: 'copy', text: x.ddl }), true));
  card.append(actions);
  return card;
}

function showLoading(message: string, sql?: string): void {
  root.replaceChildren();
  const box = el('div', 'loading');
  box.append(el('div', 'spinner'), el('p', 'loading-message', message));
  if (sql) box.append(el('pre', 'code', sql));
  root.append(box);
}

function showError(sql: string, message: string): void {
  root.replaceChildren();
  const box = el('div', 'error');
  box.append(el('h1', undefined, 'Could not explain this statement'), el('p', 'error-message', message), el('pre', 'code', sql));
  root.append(box);
}

function post(msg: WebviewToHost): void {
  vscode.postMessage(msg);
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'loading':
      showLoading(msg.message, msg.sql);
      break;
    case 'progress': {
      const p = document.querySelector('.loading-message');
      if (p) p.textContent = msg.message;
      break;
    }
    case 'plan':
      state = { view: msg.view, suggestions: state.view?.sql === msg.view.sql ? state.suggestions : undefined, tab: state.tab };
      save();
      render();
      break;
    case 'error':
      showError(msg.sql, msg.message);
      break;
    case 'suggestions': {
      const { type: _type, ...rest } = msg;
      void _type;
      state.suggestions = rest as SuggestionsState;
      save();
      render();
      break;
    }
  }
});

render();
post({ type: 'ready' });
