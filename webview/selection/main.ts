/**
 * The database-selection view. Renders the questionnaire as native, labelled form controls and
 * ranks locally with the same pure model the extension uses, so a changed answer re-ranks at
 * once; the host is told about every change (it persists answers and writes the decision record).
 * Every string reaches the DOM through textContent or attributes: nothing is parsed as HTML.
 */
import { adviseSelection } from '../../src/core/selection/advise';
import { DEFAULT_ANSWERS, QUESTIONS, normaliseAnswers, type Question } from '../../src/core/selection/questions';
import type { HostToView, SelectionState, ViewCommand, ViewToHost } from '../../src/core/selection/protocol';
import type { Answers, RankedDatabase, SelectionAdvice } from '../../src/core/selection/types';

interface VsCodeApi {
  postMessage(msg: ViewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

let state: SelectionState = restoredState() ?? {
  answers: normaliseAnswers(DEFAULT_ANSWERS),
  signals: [],
  fromWorkspace: [],
  scanning: true,
};

/** Element factory: attributes are set as attributes and text as textContent, never as HTML. */
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Array<Node | string | undefined | false>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) {
    if (c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

function restoredState(): SelectionState | undefined {
  const s = vscode.getState() as Partial<SelectionState> | undefined;
  if (!s || typeof s !== 'object' || !s.answers) return undefined;
  return {
    answers: normaliseAnswers(s.answers),
    signals: Array.isArray(s.signals) ? s.signals : [],
    fromWorkspace: Array.isArray(s.fromWorkspace) ? s.fromWorkspace : [],
    shardKeyHint: typeof s.shardKeyHint === 'string' ? s.shardKeyHint : undefined,
    scanning: false,
  };
}

// ---- Layout: built once; output sections re-render on every answer change -----------------

const topPick = h('div', { id: 'top-pick', class: 'top-pick', 'aria-hidden': 'true' });
const summary = h('section', { id: 'summary', 'aria-labelledby': 'summary-title' });
const live = h('div', { id: 'live', class: 'visually-hidden', 'aria-live': 'polite', role: 'status' });
const signalsSection = h('section', { id: 'signals', 'aria-labelledby': 'signals-title' });
const form = h('form', { id: 'questions', 'aria-labelledby': 'questions-title' });
const rankingSection = h('section', { id: 'ranking-section', 'aria-labelledby': 'ranking-title' });
const architecture = h('section', { id: 'architecture', 'aria-labelledby': 'architecture-title' });

function layout(): void {
  const actions = h(
    'div',
    { class: 'actions', role: 'toolbar', 'aria-label': 'Decision record' },
    button('copy-markdown', 'Copy as Markdown', 'copyMarkdown'),
    button('save-record', 'Save decision record', 'saveDecisionRecord'),
    button('reset-answers', 'Reset to workspace signals', 'reset', true),
  );
  form.addEventListener('change', onFormChange);
  form.addEventListener('submit', (e) => e.preventDefault());
  app.replaceChildren(topPick, summary, actions, live, signalsSection, form, rankingSection, architecture);
  app.removeAttribute('aria-busy');
  // The pinned "top pick" line appears only once the full recommendation has scrolled away.
  new IntersectionObserver(([entry]) => topPick.classList.toggle('shown', !entry.isIntersecting)).observe(summary);
}

function button(id: string, label: string, command: ViewCommand, secondary = false): HTMLButtonElement {
  const b = h('button', { id, type: 'button', class: secondary ? 'secondary' : undefined }, label);
  b.addEventListener('click', () => vscode.postMessage({ type: 'command', command }));
  return b;
}

// ---- Questionnaire --------------------------------------------------------------------------

function renderForm(): void {
  const title = h('h2', { id: 'questions-title' }, 'Workload');
  form.replaceChildren(title, ...QUESTIONS.map(renderQuestion));
}

function fromWorkspaceBadge(q: Question): HTMLElement | undefined {
  if (!state.fromWorkspace.includes(q.id)) return undefined;
  return h('span', { class: 'badge', id: `q-${q.id}-origin`, title: 'Pre-filled from signals found in the workspace' }, 'from workspace');
}

function renderQuestion(q: Question): HTMLElement {
  const badge = fromWorkspaceBadge(q);
  const helpId = `q-${q.id}-help`;
  const describedBy = [helpId, badge ? `q-${q.id}-origin` : ''].filter(Boolean).join(' ');
  if (q.kind === 'one') {
    const value = state.answers[q.id] as string;
    const select = h('select', { id: `q-${q.id}`, name: q.id, 'aria-describedby': describedBy });
    for (const c of q.choices) select.append(h('option', { value: c.value, selected: c.value === value }, c.label));
    return h(
      'div',
      { class: 'question' },
      h('label', { for: `q-${q.id}` }, q.label),
      badge,
      select,
      h('div', { class: 'help', id: helpId }, q.help),
    );
  }
  const chosen = state.answers[q.id] as string[];
  const boxes = q.choices.map((c) => {
    const id = `q-${q.id}-${c.value}`;
    return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, name: q.id, value: c.value, checked: chosen.includes(c.value) }), h('label', { for: id }, c.label));
  });
  return h(
    'fieldset',
    { class: 'question', id: `q-${q.id}`, 'aria-describedby': describedBy },
    h('legend', {}, q.label, badge ? ' ' : '', badge),
    ...boxes,
    h('div', { class: 'help', id: helpId }, q.help),
  );
}

function readForm(): Answers {
  const data = new FormData(form);
  const raw: Record<string, unknown> = {};
  for (const q of QUESTIONS) raw[q.id] = q.kind === 'one' ? data.get(q.id) : data.getAll(q.id);
  return normaliseAnswers(raw);
}

function onFormChange(e: Event): void {
  const answers = readForm();
  const target = e.target as HTMLInputElement | HTMLSelectElement;
  // An answer the user touched is theirs now, no longer "from workspace".
  const changed = target?.name;
  const fromWorkspace = state.fromWorkspace.filter((id) => id !== changed);
  if (fromWorkspace.length !== state.fromWorkspace.length) document.getElementById(`q-${changed}-origin`)?.remove();
  state = { ...state, answers, fromWorkspace };
  vscode.setState(state);
  vscode.postMessage({ type: 'answers', answers });
  renderOutput(true);
}

// ---- Output -----------------------------------------------------------------------------------

function renderOutput(announce: boolean): void {
  const advice = adviseSelection(state.answers, { shardKeyHint: state.shardKeyHint });
  renderSummary(advice);
  renderSignals();
  renderRanking(advice);
  renderArchitecture(advice);
  if (announce) live.textContent = `Ranking updated. Top: ${advice.winner.name}, score ${advice.winner.score}.`;
}

function renderSummary(advice: SelectionAdvice): void {
  const w = advice.winner;
  // Stays in view while the questionnaire scrolls, so every change shows its effect.
  topPick.replaceChildren('Top pick: ', h('strong', {}, w.name), ` · ${w.score}`, advice.ranking[1] ? ` (next: ${advice.ranking[1].name} · ${advice.ranking[1].score})` : '');
  const parts: Array<Node | undefined> = [
    h('h2', { id: 'summary-title' }, 'Recommendation'),
    h('p', { class: 'winner', id: 'winner', 'data-db': w.id }, h('strong', {}, w.name), ` — score ${w.score}`, ' ', capBadge(w), ' ', acidBadge(w)),
    h('p', { id: 'verdict' }, advice.verdict),
    advice.tippedBy.length
      ? h('p', { id: 'tipped-by', class: 'tipped' }, 'Tipped by: ', advice.tippedBy.slice(0, 3).map((t) => `${t.need} (+${t.delta} over PostgreSQL)`).join(', '))
      : undefined,
  ];
  summary.replaceChildren(...parts.filter((p): p is Node => p !== undefined));
}

function renderSignals(): void {
  const title = h('h2', { id: 'signals-title' }, 'Workspace signals');
  if (state.scanning && state.signals.length === 0) {
    signalsSection.replaceChildren(title, h('p', { class: 'muted' }, 'Scanning the workspace…'));
    return;
  }
  if (state.signals.length === 0) {
    signalsSection.replaceChildren(title, h('p', { class: 'muted' }, 'No schema or queries found; answers start from defaults.'));
    return;
  }
  signalsSection.replaceChildren(
    title,
    h('ul', { class: 'signals' }, ...state.signals.map((s) => h('li', { 'data-testid': 'signal', 'data-signal': s.id }, ...withCode(s.text)))),
  );
}

/** Splits `a \`b\` c` into text and <code> nodes: signal texts quote names in backticks. */
function withCode(text: string): Node[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? h('code', {}, part) : document.createTextNode(part)));
}

function capBadge(r: RankedDatabase): HTMLElement {
  return h('span', { class: `badge cap-${r.cap.toLowerCase()}`, title: r.capNote }, r.cap);
}

function acidBadge(r: RankedDatabase): HTMLElement {
  return h('span', { class: `badge g-${r.guarantees.toLowerCase()}`, title: r.guaranteesNote }, r.guarantees);
}

/** Entries the user opened or closed, so a re-rank keeps them that way (default: only the winner is open). */
const userOpen = new Map<string, boolean>();

function renderRanking(advice: SelectionAdvice): void {
  const best = Math.max(1, advice.ranking[0].score);
  const items = advice.ranking.map((r) => {
    const details = h(
      'details',
      { open: userOpen.get(r.id) ?? r.rank === 1 },
      h(
        'summary',
        {},
        h('span', { class: 'rank' }, `${r.rank}.`),
        ' ',
        h('span', { class: 'name', 'data-testid': 'ranking-name' }, r.name),
        ' ',
        h('span', { class: 'score', 'data-testid': 'ranking-score' }, String(r.score)),
        ' ',
        capBadge(r),
        ' ',
        acidBadge(r),
      ),
      scoreBar(r.score, best),
      reasonList('For', r.reasonsFor.map((c) => c.text), 'for'),
      reasonList('Against', r.reasonsAgainst.map((c) => c.text), 'against'),
      h('p', { class: 'note' }, h('strong', {}, 'Under partition: '), `${r.cap}. ${r.capNote}`),
      h('p', { class: 'note' }, h('strong', {}, 'Guarantees: '), `${r.guarantees}. ${r.guaranteesNote}`),
      r.pairWith.length ? h('p', { class: 'note' }, h('strong', {}, 'Pair with: '), r.pairWith.join('; ')) : undefined,
    );
    // `click` (also fired by Enter/Space on the summary) is the user's action; `toggle` would also
    // fire for the programmatic `open` set above.
    details.querySelector('summary')!.addEventListener('click', () => userOpen.set(r.id, !details.open));
    return h('li', { 'data-testid': 'ranking', 'data-db': r.id, 'data-rank': String(r.rank), 'aria-label': `${r.rank}. ${r.name}, score ${r.score}` }, details);
  });
  rankingSection.replaceChildren(h('h2', { id: 'ranking-title' }, 'Ranking'), h('ol', { id: 'ranking', class: 'ranking' }, ...items));
}

function scoreBar(score: number, best: number): HTMLElement {
  const fill = h('div', { class: 'bar-fill' });
  // CSSOM writes are allowed under the CSP (no inline style attributes are parsed).
  fill.style.width = `${Math.max(0, Math.min(100, (score / best) * 100)).toFixed(1)}%`;
  return h('div', { class: 'bar', 'aria-hidden': 'true' }, fill);
}

function reasonList(title: string, reasons: string[], kind: 'for' | 'against'): HTMLElement | undefined {
  if (reasons.length === 0) return undefined;
  return h('div', { class: `reasons ${kind}` }, h('h4', {}, title), h('ul', {}, ...reasons.map((t) => h('li', {}, t))));
}

function renderArchitecture(advice: SelectionAdvice): void {
  const rep = advice.replication;
  const sh = advice.sharding;
  architecture.replaceChildren(
    h('h2', { id: 'architecture-title' }, 'Architecture'),
    h(
      'section',
      { id: 'replication', 'aria-labelledby': 'replication-title' },
      h('h3', { id: 'replication-title' }, `Replication: ${rep.title}`),
      h('p', {}, rep.summary),
      h('ul', {}, ...rep.details.map((d) => h('li', {}, d))),
    ),
    h(
      'section',
      { id: 'sharding', 'aria-labelledby': 'sharding-title' },
      h('h3', { id: 'sharding-title' }, sh.needed ? `Sharding: ${sh.strategy}` : 'Sharding: not needed'),
      h('p', {}, sh.summary),
      sh.shardKey ? h('p', {}, h('strong', {}, 'Shard key: '), h('code', {}, sh.shardKey)) : undefined,
      sh.expensiveQueries.length ? h('div', { class: 'reasons against' }, h('h4', {}, 'Made expensive'), h('ul', {}, ...sh.expensiveQueries.map((q) => h('li', {}, q)))) : undefined,
      sh.details.length ? h('ul', {}, ...sh.details.map((d) => h('li', {}, d))) : undefined,
    ),
    h(
      'section',
      { id: 'ladder', 'aria-labelledby': 'ladder-title' },
      h('h3', { id: 'ladder-title' }, 'Scaling ladder'),
      h(
        'ol',
        { class: 'ladder' },
        ...advice.ladder.steps.map((s) =>
          h('li', { class: `step ${s.status}`, 'data-step': s.id, 'aria-current': s.id === advice.ladder.reached ? 'step' : undefined }, h('span', { class: 'step-title' }, s.title), ' ', h('span', { class: 'badge' }, s.status), h('div', { class: 'help' }, s.why)),
        ),
      ),
    ),
  );
}

// ---- Wiring -----------------------------------------------------------------------------------

window.addEventListener('message', (e: MessageEvent<HostToView>) => {
  const msg = e.data;
  if (!msg || msg.type !== 'state') return;
  state = { ...msg.state, answers: normaliseAnswers(msg.state.answers) };
  vscode.setState(state);
  // Rebuilding the form must not steal the keyboard user's place.
  const focused = document.activeElement?.id;
  renderForm();
  renderOutput(false);
  if (focused) document.getElementById(focused)?.focus();
});

layout();
renderForm();
renderOutput(false);
vscode.postMessage({ type: 'ready' });
