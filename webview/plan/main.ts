/**
 * The plan webview: draws the model the host computed (it never interprets EXPLAIN itself;
 * layout, metrics, stats and diffs come from the pure core/plan modules). Tabs: Graph, Grid,
 * Stats, Icicle, Compare, Text, JSON and Query. Every string goes into the page through
 * `textContent` / attributes, never as HTML. State (tab, metric, history of this session's
 * plans) is saved with `setState` so the panel survives being hidden and restored.
 */
import type { IndexSuggestion } from '../../src/core/advisor/types';
import type { Direction } from '../../src/core/plan/layout';
import type { MetricId } from '../../src/core/plan/metrics';
import { icicleScene } from '../../src/core/plan/scene';
import { compareView, type CompareState, type HistoryEntry } from './compareView';
import { nodeDetails } from './details';
import { button, count, el, ms, pct, select, svgFromScene, withNodes, type ViewModel } from './dom';
import { graphView } from './graphView';
import { gridView, type GridState } from './gridView';
import type { HostToWebview, PlanView, SuggestionsState, WebviewToHost } from './protocol';
import { statsView } from './statsView';

interface VsCodeApi {
  postMessage(msg: WebviewToHost): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type Tab = 'graph' | 'grid' | 'stats' | 'icicle' | 'compare' | 'text' | 'json' | 'query';

interface SavedState {
  view?: PlanView;
  suggestions?: SuggestionsState;
  tab?: Tab;
  metric?: MetricId;
  direction?: Direction;
  selected?: number;
  grid?: GridState;
  icicle?: 'exclusiveCost' | 'exclusiveTime';
  history?: HistoryEntry[];
  compare?: CompareState;
  /** Set by "Compare with this index": the next plan opens in the Compare tab. */
  compareNext?: boolean;
}

/** Warnings listed before the rest fold into "N more". */
const WARNINGS_SHOWN = 8;

/** Plans kept for Compare; older ones drop off. */
const HISTORY_MAX = 10;

const vscode = acquireVsCodeApi();
let state: SavedState = vscode.getState() ?? {};
let vm: ViewModel | undefined = state.view ? withNodes(state.view.model) : undefined;
const root = document.getElementById('root') as HTMLElement;

function save(): void {
  vscode.setState(state);
}

function post(msg: WebviewToHost): void {
  vscode.postMessage(msg);
}

function render(): void {
  root.replaceChildren();
  const view = state.view;
  if (!view || !vm) {
    root.append(el('p', 'muted', 'Run “Explain this query” on a SQL statement, or “Open plan from clipboard / file”, to see a plan here.'));
    return;
  }
  root.append(header(view, vm));
  if (view.withIndexes.length) root.append(hypotheticalBanner(view));
  root.append(el('p', 'summary', view.model.summary));
  if (view.model.warnings.length) root.append(warningsList(view));
  if (view.notes.length || view.parameters.length || view.schemaProblems.length) root.append(contextDetails(view));
  root.append(tabs(view, vm));
  root.append(suggestionsSection(view));
}

function header(view: PlanView, model: ViewModel): HTMLElement {
  const h = el('header', 'plan-header');
  const title = el('div', 'title-row');
  title.append(el('h1', undefined, view.analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'));
  if (view.opened) title.append(el('span', 'badge source', view.opened));
  else if (model.source) title.append(el('span', 'badge source', model.source));
  if (view.origin) {
    if (view.originLink) {
      const a = el('a', 'origin', view.origin);
      a.href = '#';
      a.title = 'Go to the statement in its source file';
      a.addEventListener('click', (e) => {
        e.preventDefault();
        post({ type: 'openSource' });
      });
      title.append(a);
    } else title.append(el('span', 'muted origin', view.origin));
  }
  h.append(title);
  const stats = el('div', 'stats');
  const stat = (label: string, value: string) => {
    const s = el('span', 'stat');
    s.append(el('span', 'stat-label', label), el('span', 'stat-value', value));
    stats.append(s);
  };
  stat('Total cost', view.model.totalCost.toFixed(2));
  stat('Rows (est.)', count(view.model.root.planRows));
  stat('Nodes', String(model.nodes.length));
  if (view.model.executionTime !== undefined) stat('Execution', ms(view.model.executionTime));
  if (view.model.planningTime !== undefined) stat('Planning', ms(view.model.planningTime));
  h.append(stats);
  if (!view.analyze && !view.opened) {
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
  let list = ul;
  view.model.warnings.forEach((w, i) => {
    // A large plan can carry hundreds of warnings: the first few show, the rest fold away.
    if (i === WARNINGS_SHOWN) {
      const more = el('details', 'more-warnings');
      more.append(el('summary', undefined, `${view.model.warnings.length - WARNINGS_SHOWN} more`));
      list = el('ul');
      more.append(list);
      box.append(ul, more);
    }
    const li = el('li', 'warning');
    const a = el('a', undefined, w.message);
    a.href = '#';
    a.addEventListener('click', (e) => {
      e.preventDefault();
      showNode(w.nodeId);
    });
    li.append(a);
    list.append(li);
  });
  if (!ul.parentElement) box.append(ul);
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

/** Opens the Graph tab with node `id` selected and its details shown. */
function showNode(id: number): void {
  state.tab = 'graph';
  state.selected = id;
  save();
  render();
  (document.querySelector(`g.node[data-id="${id}"]`) as SVGGElement | null)?.focus();
}

const TABS: [Tab, string][] = [
  ['graph', 'Graph'],
  ['grid', 'Grid'],
  ['stats', 'Stats'],
  ['icicle', 'Icicle'],
  ['compare', 'Compare'],
  ['text', 'Text'],
  ['json', 'JSON'],
  ['query', 'Query'],
];

function tabs(view: PlanView, model: ViewModel): HTMLElement {
  const current: Tab = state.tab ?? 'graph';
  const wrap = el('section', 'tabs');
  const bar = el('div', 'tab-bar');
  bar.setAttribute('role', 'tablist');
  for (const [id, label] of TABS) {
    const t = el('button', `tab${id === current ? ' active' : ''}`, label);
    t.type = 'button';
    t.id = `tab-${id}`;
    t.setAttribute('role', 'tab');
    t.setAttribute('aria-selected', String(id === current));
    t.setAttribute('aria-controls', 'tab-panel');
    t.tabIndex = id === current ? 0 : -1;
    t.addEventListener('click', () => {
      state.tab = id;
      save();
      render();
      document.getElementById(`tab-${id}`)?.focus();
    });
    bar.append(t);
  }
  // Arrow keys move between tabs, as in any tab list.
  bar.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = TABS.findIndex(([id]) => id === current);
    const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length][0];
    document.getElementById(`tab-${next}`)?.click();
  });
  wrap.append(bar);
  const panel = el('div', 'tab-panel');
  panel.id = 'tab-panel';
  panel.setAttribute('role', 'tabpanel');
  panel.setAttribute('aria-labelledby', `tab-${current}`);
  switch (current) {
    case 'graph': {
      const sel = state.selected !== undefined && model.nodes[state.selected] ? state.selected : undefined;
      panel.append(
        graphView(model, {
          metric: state.metric ?? (model.analyzed ? 'exclusiveTime' : 'exclusiveCost'),
          direction: state.direction ?? 'TB',
          selected: sel,
          details: sel !== undefined ? nodeDetails(model.nodes[sel], view, post) : undefined,
          onMetric: (m) => {
            state.metric = m;
            save();
          },
          onDirection: (d) => {
            state.direction = d;
            save();
            render();
          },
          onSelect: (id) => showNode(id),
          post,
        }),
      );
      break;
    }
    case 'grid':
      panel.append(
        gridView(model, state.grid ?? { sortBy: model.analyzed ? 'exclusiveTime' : 'exclusiveCost', descending: true }, (g, redraw) => {
          state.grid = g;
          save();
          if (redraw) render();
        }, showNode),
      );
      break;
    case 'stats':
      panel.append(statsView(model));
      break;
    case 'icicle':
      panel.append(icicle(model));
      break;
    case 'compare':
      panel.append(
        compareView(state.history ?? [], state.compare ?? {}, (c) => {
          state.compare = c;
          save();
          render();
        }),
      );
      break;
    default: {
      const text = current === 'text' ? view.text : current === 'json' ? view.json : view.executedSql;
      const tools = el('div', 'actions');
      tools.append(button('Copy', () => post({ type: 'copy', text }), true));
      panel.append(tools);
      if (current === 'query' && view.sql.trim() !== view.executedSql.trim()) {
        panel.append(el('h3', undefined, 'As written'), el('pre', 'code raw query-sql', view.sql), el('h3', undefined, 'As executed'));
      }
      if (!text) panel.append(el('p', 'muted', current === 'query' ? 'This plan was opened without its statement.' : 'Nothing to show.'));
      else panel.append(el('pre', `code raw${current === 'query' ? ' query-sql' : ''}`, text));
    }
  }
  wrap.append(panel);
  return wrap;
}

function icicle(model: ViewModel): HTMLElement {
  const wrap = el('div', 'icicle-tab');
  const metric = model.analyzed ? state.icicle ?? 'exclusiveTime' : 'exclusiveCost';
  const tools = el('div', 'graph-toolbar');
  const options = [{ value: 'exclusiveCost' as const, label: 'Cost' }, ...(model.analyzed ? [{ value: 'exclusiveTime' as const, label: 'Time' }] : [])];
  tools.append(select('Width by', options, metric, (m) => {
    state.icicle = m;
    save();
    render();
  }));
  tools.append(el('span', 'muted', 'Each bar spans its share of the total, inputs below; click a bar for its details.'));
  wrap.append(tools);
  const svg = svgFromScene(icicleScene(model, metric));
  svg.setAttribute('width', '100%');
  svg.removeAttribute('height');
  svg.addEventListener('click', (e) => {
    const g = (e.target as Element).closest<SVGGElement>('g[data-id]');
    if (g) showNode(Number(g.dataset.id));
  });
  svg.addEventListener('keydown', (e) => {
    const g = (e.target as Element).closest<SVGGElement>('g[data-id]');
    if (g && e.key === 'Enter') showNode(Number(g.dataset.id));
  });
  wrap.append(svg);
  return wrap;
}

function suggestionsSection(view: PlanView): HTMLElement {
  const s = el('section', 'suggestions');
  const sug = state.suggestions;
  if (!sug || view.withIndexes.length || view.opened) return s;
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
  const track = el('div', 'bar-track');
  const fill = el('div', 'bar-fill');
  fill.style.width = `${Math.max(0, Math.min(100, (x.costBefore > 0 ? x.costAfter / x.costBefore : 0) * 100)).toFixed(1)}%`;
  track.append(fill);
  track.setAttribute('role', 'img');
  track.setAttribute('aria-label', `after: ${pct(x.costBefore > 0 ? x.costAfter / x.costBefore : 0)} of the current cost`);
  card.append(track);
  if (x.planBefore || x.planAfter) card.append(el('div', 'muted', `${x.planBefore ?? '?'} → ${x.planAfter ?? '?'}`));
  card.append(el('pre', 'code', x.ddl));
  if (x.reason) card.append(el('p', 'reason', x.reason));
  if (x.note) card.append(el('p', 'muted', x.note));
  const actions = el('div', 'actions');
  actions.append(
    button('Compare with this index', () => {
      state.compareNext = true;
      save();
      post({ type: 'explainWithIndex', ddl: x.ddl });
    }),
    button('Re-explain with this index', () => post({ type: 'explainWithIndex', ddl: x.ddl }), true),
    button('Copy DDL', () => post({ type: 'copy', text: x.ddl }), true),
  );
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

function historyTitle(view: PlanView): string {
  if (view.withIndexes.length) {
    const name = /INDEX\s+(?:CONCURRENTLY\s+)?(?:IF NOT EXISTS\s+)?("[^"]+"|\S+)\s+ON/i.exec(view.withIndexes[0])?.[1];
    return `with index ${name ?? view.withIndexes[0].slice(0, 40)}`;
  }
  const what = view.opened ?? view.origin ?? view.executedSql.replace(/\s+/g, ' ').slice(0, 40);
  return `${view.analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} ${what}`;
}

/** Records a plan in the session history; a plan with a suggested index is compared with its original. */
function remember(view: PlanView): void {
  const history = state.history ?? [];
  const id = (history[history.length - 1]?.id ?? 0) + 1;
  const original = [...history].reverse().find((h) => h.view.sql === view.sql && !h.view.withIndexes.length);
  // Compare needs the model, not the raw text and JSON: keep the saved state small.
  history.push({ id, title: historyTitle(view), view: { ...view, json: '', text: '' } });
  state.history = history.slice(-HISTORY_MAX);
  if (view.withIndexes.length && original) {
    state.compare = { before: original.id, after: id };
    if (state.compareNext) state.tab = 'compare';
  }
  state.compareNext = false;
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
    case 'plan': {
      const sameQuery = state.view?.sql === msg.view.sql;
      state.view = msg.view;
      state.suggestions = sameQuery ? state.suggestions : undefined;
      state.selected = undefined;
      vm = withNodes(msg.view.model);
      remember(msg.view);
      save();
      render();
      break;
    }
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
