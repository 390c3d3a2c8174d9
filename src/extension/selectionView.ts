/**
 * The database-selection sidebar view and its three commands (copy as Markdown, save decision
 * record, reset). VS Code glue only: it gathers the workspace's schema and queries, asks the
 * core for signals and advice, persists the team's answers in workspaceState, and relays
 * messages to the webview, which ranks locally.
 */
import * as vscode from 'vscode';
import { parseDialect, type Dialect } from '../core/dialect';
import { adviseSelection } from '../core/selection/advise';
import { renderDecisionRecord } from '../core/selection/markdown';
import { makeNonce, selectionPageHtml } from '../core/selection/page';
import type { HostToView, SelectionState, ViewToHost } from '../core/selection/protocol';
import { DEFAULT_ANSWERS, QUESTIONS, normaliseAnswers, prefilledAnswers } from '../core/selection/questions';
import { computeSignals } from '../core/selection/signals';
import type { Answers, QuestionId, WorkspaceSignals } from '../core/selection/types';
import type { WorkspaceSchema } from './workspaceSchema';

const VIEW_ID = 'sqlPlanAdvisor.selection';
/** workspaceState key: only the answers the team changed, so the rest keep following the workspace. */
const OVERRIDES_KEY = 'sqlPlanAdvisor.selection.overrides';
/** Caps that keep the scan cheap in big repositories; signals are proportions, not totals. */
const MAX_SQL_FILES = 1000;
const MAX_CODE_FILES = 400;
const MAX_FILE_BYTES = 1024 * 1024;
const CODE_GLOB = '**/*.{ts,tsx,js,jsx,mjs,cjs}';
const EXCLUDE_GLOB = '{**/node_modules/**,**/dist/**,**/out/**,**/.git/**,**/*.min.js,**/*.d.ts}';

/** Registers the selection view provider and its commands. */
export function registerSelectionView(context: vscode.ExtensionContext, schema: WorkspaceSchema): void {
  const provider = new SelectionViewProvider(context, schema);
  context.subscriptions.push(
    provider,
    vscode.window.registerWebviewViewProvider(VIEW_ID, provider, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.commands.registerCommand('sqlPlanAdvisor.selection.copyMarkdown', () => provider.copyMarkdown()),
    vscode.commands.registerCommand('sqlPlanAdvisor.selection.saveDecisionRecord', () => provider.saveDecisionRecord()),
    vscode.commands.registerCommand('sqlPlanAdvisor.selection.reset', () => provider.reset()),
  );
}

class SelectionViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private signals: WorkspaceSignals | undefined;
  private scanning: Promise<void> | undefined;
  private rescanTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly schema: WorkspaceSchema,
  ) {
    // The scan runs only once the view has been opened; afterwards it follows the workspace.
    this.disposables.push(
      schema.onDidChange(() => this.scheduleRescan()),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (/\.(sql|[cm]?[jt]sx?)$/.test(d.fileName)) this.scheduleRescan();
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const root = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [root] };
    view.webview.html = selectionPageHtml({
      cspSource: view.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(root, 'selection.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(root, 'selection.css')).toString(),
    });
    view.webview.onDidReceiveMessage((m: ViewToHost) => this.onMessage(m), undefined, this.disposables);
    view.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
    });
  }

  private async onMessage(m: ViewToHost): Promise<void> {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'ready':
        this.post();
        if (!this.signals) await this.scan();
        return;
      case 'answers':
        await this.saveAnswers(normaliseAnswers(m.answers, this.prefilled()));
        return;
      case 'command':
        if (m.command === 'copyMarkdown') return this.copyMarkdown();
        if (m.command === 'saveDecisionRecord') return this.saveDecisionRecord();
        if (m.command === 'reset') return this.reset();
    }
  }

  /** The answers the workspace suggests (defaults where it says nothing). */
  private prefilled(): Answers {
    return this.signals ? prefilledAnswers(this.signals) : normaliseAnswers(DEFAULT_ANSWERS);
  }

  private overrides(): Partial<Answers> {
    return this.context.workspaceState.get<Partial<Answers>>(OVERRIDES_KEY) ?? {};
  }

  /** Current answers: workspace suggestions, overlaid with what the team chose. */
  private answers(): Answers {
    return normaliseAnswers({ ...this.prefilled(), ...this.overrides() });
  }

  /** Stores only the answers that differ from the workspace's suggestion. */
  private async saveAnswers(answers: Answers): Promise<void> {
    const base = this.prefilled();
    const overrides: Record<string, unknown> = {};
    for (const q of QUESTIONS) {
      if (JSON.stringify(answers[q.id]) !== JSON.stringify(base[q.id])) overrides[q.id] = answers[q.id];
    }
    await this.context.workspaceState.update(OVERRIDES_KEY, overrides);
  }

  private state(): SelectionState {
    const overrides = this.overrides();
    const fromWorkspace = Object.keys(this.signals?.answers ?? {}).filter((k) => !(k in overrides)) as QuestionId[];
    return {
      answers: this.answers(),
      signals: this.signals?.signals ?? [],
      fromWorkspace,
      shardKeyHint: this.signals?.shardKeyHint?.column,
      scanning: !this.signals,
    };
  }

  private post(): void {
    const msg: HostToView = { type: 'state', state: this.state() };
    void this.view?.webview.postMessage(msg);
  }

  private scheduleRescan(): void {
    if (!this.signals) return;
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    this.rescanTimer = setTimeout(() => void this.scan(), 1000);
  }

  /** Reads schema and queries, recomputes the signals and refreshes the view. */
  scan(): Promise<void> {
    if (this.scanning) return this.scanning;
    this.scanning = (async () => {
      try {
        await this.schema.ready();
        const dialect = this.dialect();
        const queries = await collectQueries(dialect);
        this.signals = computeSignals({ catalog: this.schema.catalog, queries, dialect });
      } catch (err) {
        // A failed scan must not leave the view spinning: show defaults and say why.
        this.signals = { signals: [{ id: 'scan-failed', text: `Workspace scan failed: ${err instanceof Error ? err.message : String(err)}` }], answers: {}, tableCount: 0, queryCount: 0 };
      } finally {
        this.scanning = undefined;
      }
      this.post();
    })();
    return this.scanning;
  }

  private dialect(): Dialect {
    return parseDialect(vscode.workspace.getConfiguration('sqlPlanAdvisor').get<string>('dialect')) ?? 'postgresql';
  }

  private async record(): Promise<string> {
    if (!this.signals) await this.scan();
    const answers = this.answers();
    const state = this.state();
    return renderDecisionRecord({
      answers,
      advice: adviseSelection(answers, { shardKeyHint: state.shardKeyHint }),
      signals: state.signals,
      date: new Date().toISOString().slice(0, 10),
      fromWorkspace: new Set(state.fromWorkspace),
    });
  }

  async copyMarkdown(): Promise<void> {
    await vscode.env.clipboard.writeText(await this.record());
    void vscode.window.showInformationMessage('Database decision record copied to the clipboard as Markdown.');
  }

  /** Writes the record as the next numbered ADR in docs/adr/ of the first workspace folder, and opens it. */
  async saveDecisionRecord(): Promise<void> {
    const text = await this.record();
    const folder = vscode.workspace.workspaceFolders?.[0];
    let target: vscode.Uri | undefined;
    if (folder) {
      const dir = vscode.Uri.joinPath(folder.uri, 'docs', 'adr');
      target = vscode.Uri.joinPath(dir, `${await nextAdrNumber(dir)}-database-selection.md`);
    } else {
      target = await vscode.window.showSaveDialog({ filters: { Markdown: ['md'] }, saveLabel: 'Save decision record' });
    }
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
    await vscode.window.showTextDocument(target, { preview: false });
    void vscode.window.showInformationMessage(`Decision record saved to ${vscode.workspace.asRelativePath(target)}.`);
  }

  async reset(): Promise<void> {
    await this.context.workspaceState.update(OVERRIDES_KEY, undefined);
    this.signals = undefined;
    this.post();
    await this.scan();
  }

  dispose(): void {
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    for (const d of this.disposables) d.dispose();
  }
}

/** `0001`, `0002`…: one past the highest numbered record already in the folder. */
async function nextAdrNumber(dir: vscode.Uri): Promise<string> {
  let max = 0;
  try {
    for (const [name] of await vscode.workspace.fs.readDirectory(dir)) {
      const m = /^(\d+)-/.exec(name);
      if (m) max = Math.max(max, Number(m[1]));
    }
  } catch {
    // No docs/adr yet: this is the first record.
  }
  return String(max + 1).padStart(4, '0');
}

/** SQL texts in the workspace: .sql files, and SQL embedded in TS/JS when enabled. */
async function collectQueries(dialect: Dialect): Promise<string[]> {
  const out: string[] = [];
  for (const uri of await vscode.workspace.findFiles('**/*.sql', EXCLUDE_GLOB, MAX_SQL_FILES)) {
    const text = await readSmall(uri);
    if (text !== undefined) out.push(text);
  }
  if (!vscode.workspace.getConfiguration('sqlPlanAdvisor').get<boolean>('embedded.enabled', true)) return out;
  // Loaded on demand: the TypeScript-based extractor is heavy and only this scan needs it here.
  const { extractSql } = await import('../core/embedded/extract');
  for (const uri of await vscode.workspace.findFiles(CODE_GLOB, EXCLUDE_GLOB, MAX_CODE_FILES)) {
    const text = await readSmall(uri);
    if (text === undefined || !/select|insert|update|delete/i.test(text)) continue;
    for (const e of extractSql(uri.fsPath, text, dialect)) out.push(e.sql);
  }
  return out;
}

async function readSmall(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_FILE_BYTES) return undefined;
    const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    return text.includes('\u0000') ? undefined : text;
  } catch {
    return undefined;
  }
}
