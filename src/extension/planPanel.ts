/**
 * Hosts the plan webview: one panel beside the editor, reused by each Explain. It asks the
 * engine host for the plan, turns it into the plan model (core/plan) and posts it; the
 * webview only draws. After a plain explain it asks the index advisor for verified
 * suggestions, and re-explains with a hypothetical index when the user asks.
 */
import * as vscode from 'vscode';
import { suggestIndexes } from '../core/advisor';
import { loadQueryParsers } from '../core/query/parse';
import type { Dialect } from '../core/dialect';
import { buildPlanModel } from '../core/plan/model';
import { renderPlanText } from '../core/plan/text';
import { planPageHtml } from '../../webview/plan/page';
import { makeNonce } from '../core/webviewPage';
import type { HostToWebview, PlanView, WebviewToHost } from '../../webview/plan/protocol';
import type { PlanEngine } from '../core/engine/types';
import type { Catalog } from '../core/schema/types';
import type { EngineHost } from './engineHost';
import type { WorkspaceSchema } from './workspaceSchema';

/** What the user asked to explain. */
export interface ExplainTarget {
  sql: string;
  analyze: boolean;
  dialect: Dialect;
  /** Where it came from, shown in the panel ("queries.sql:12"). */
  origin?: string;
  /** The statement's place in its file: the panel header links back to it. */
  location?: vscode.Location;
  /** Plan on this live server instead of the bundled engine. */
  live?: LivePlanSource;
}

/** A live server as the panel's plan source. */
export interface LivePlanSource {
  engine: PlanEngine;
  /** The server's dialect (the target's dialect setting does not apply to it). */
  dialect: Dialect;
  /** "PostgreSQL 15.18 at db.internal:5432/shop": the panel names the server the plan came from. */
  server: string;
  catalog: Catalog;
  /** Candidates can be verified on the server (HypoPG); otherwise the panel says how to get advice. */
  canVerify: boolean;
}

export class PlanPanel implements vscode.Disposable {
  private static current: PlanPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private target: ExplainTarget;
  /** Bumped per run so a slow earlier answer never overwrites a newer one. */
  private generation = 0;
  private webviewReady: Promise<void>;

  /** Shows the panel (creating or reusing it) and explains `target` in it. */
  static show(context: vscode.ExtensionContext, host: EngineHost, schema: WorkspaceSchema, target: ExplainTarget): void {
    void PlanPanel.reveal(context, host, schema, target).run({ analyze: target.analyze });
  }

  /** Shows a plan that was not made by the engine (opened from the clipboard or a file). */
  static showOpened(context: vscode.ExtensionContext, host: EngineHost, schema: WorkspaceSchema, view: PlanView): void {
    const current = PlanPanel.reveal(context, host, schema, { sql: view.sql, analyze: view.analyze, dialect: 'postgresql' });
    current.generation++;
    current.panel.title = 'Query plan (opened)';
    void current.post({ type: 'plan', view: { ...view, definitions: current.definitions() } });
  }

  /** The one panel, created on first use, brought beside the editor, now showing `target`. */
  private static reveal(context: vscode.ExtensionContext, host: EngineHost, schema: WorkspaceSchema, target: ExplainTarget): PlanPanel {
    if (PlanPanel.current) {
      PlanPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      PlanPanel.current.target = target;
      return PlanPanel.current;
    }
    const panel = vscode.window.createWebviewPanel('sqlPlanAdvisor.plan', 'Query plan', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview')],
    });
    PlanPanel.current = new PlanPanel(panel, context, host, schema, target);
    return PlanPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly host: EngineHost,
    private readonly schema: WorkspaceSchema,
    target: ExplainTarget,
  ) {
    this.target = target;
    let markReady: () => void = () => undefined;
    this.webviewReady = new Promise((resolve) => (markReady = resolve));
    panel.webview.html = planHtml(panel.webview, context.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'activity-icon.svg');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((msg: WebviewToHost) => {
        if (msg.type === 'ready') markReady();
        else void this.onMessage(msg);
      }),
    );
  }

  private async onMessage(msg: WebviewToHost): Promise<void> {
    switch (msg.type) {
      case 'explainWithIndex':
        await this.run({ analyze: this.target.analyze, withIndexes: [msg.ddl] });
        break;
      case 'explainOriginal':
        await this.run({ analyze: this.target.analyze });
        break;
      case 'explainAnalyze':
        this.target = { ...this.target, analyze: true };
        await this.run({ analyze: true });
        break;
      case 'copy':
        await vscode.env.clipboard.writeText(msg.text);
        void vscode.window.setStatusBarMessage('SQL Plan Advisor: copied to the clipboard', 2500);
        break;
      case 'openSource': {
        const loc = this.target.location;
        if (loc) await vscode.window.showTextDocument(loc.uri, { selection: loc.range, viewColumn: vscode.ViewColumn.One });
        break;
      }
      case 'openDefinition':
        await this.openDefinition(msg.kind, msg.name);
        break;
      case 'export':
        await exportPicture(msg.format, msg.data, msg.suggestedName);
        break;
    }
  }

  /** Tables and indexes of the workspace schema whose declaration can be opened. */
  private definitions(): { tables: string[]; indexes: string[] } {
    const tables: string[] = [];
    const indexes: string[] = [];
    for (const t of this.schema.catalog.tables.values()) {
      if (t.source) tables.push(t.name);
      for (const i of t.indexes) if (i.source) indexes.push(i.name);
    }
    return { tables, indexes };
  }

  /** Opens the DDL (or ORM declaration) of a table or index the plan names. */
  private async openDefinition(kind: 'table' | 'index', name: string): Promise<void> {
    let source;
    for (const t of this.schema.catalog.tables.values()) {
      if (kind === 'table' && t.name === name) source = t.source;
      if (kind === 'index') source ??= t.indexes.find((i) => i.name === name)?.source;
    }
    const uri = source && this.schema.uriOf(source.file);
    if (!source || !uri) {
      void vscode.window.showInformationMessage(`SQL Plan Advisor: no definition of ${kind} ${name} in the workspace schema.`);
      return;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    const start = doc.positionAt(source.offset);
    const end = source.end !== undefined ? doc.positionAt(source.end) : start;
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(start, end), viewColumn: vscode.ViewColumn.One });
  }

  private async post(msg: HostToWebview): Promise<void> {
    await this.webviewReady;
    await this.panel.webview.postMessage(msg);
  }

  /** Explains the current target (optionally with hypothetical indexes) and shows the result. */
  private async run(opts: { analyze: boolean; withIndexes?: string[] }): Promise<void> {
    const gen = ++this.generation;
    const target = this.target;
    this.panel.title = opts.analyze ? 'Query plan (analyze)' : 'Query plan';
    await this.post({
      type: 'loading',
      sql: target.sql,
      analyze: opts.analyze,
      message: opts.withIndexes ? 'Planning with the hypothetical index…' : target.live ? `Planning on ${target.live.server}…` : 'Planning… (the first Explain also starts the PostgreSQL engine)',
    });
    let view: PlanView;
    const engine = target.live?.engine ?? this.host;
    try {
      const result = await engine.explain({ sql: target.sql, analyze: opts.analyze, withIndexes: opts.withIndexes });
      const { nodes: _nodes, ...model } = buildPlanModel(result.plan, { relationRows: result.relationRows });
      void _nodes;
      // The header names the server the plan came from (the bundled engine needs no badge).
      if (target.live) model.source = target.live.server;
      view = {
        sql: target.sql,
        executedSql: result.executedSql,
        analyze: opts.analyze,
        model,
        text: renderPlanText({ ...model, nodes: [] }),
        json: JSON.stringify([result.plan], null, 2),
        parameters: result.parameters ?? [],
        notes: result.notes ?? [],
        schemaProblems: engine.schemaProblems,
        withIndexes: opts.withIndexes ?? [],
        origin: target.origin,
        originLink: !!target.location,
        definitions: this.definitions(),
      };
    } catch (err) {
      if (gen !== this.generation) return;
      await this.post({ type: 'error', sql: target.sql, message: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (gen !== this.generation) return;
    await this.post({ type: 'plan', view });
    if (!opts.withIndexes) await this.suggest(gen, target);
  }

  private async suggest(gen: number, target: ExplainTarget): Promise<void> {
    if (target.live && !target.live.canVerify) {
      const message = `Index advice for ${target.live.server} is verified with HypoPG on the server, which is not available here; run \`sql-plan-advisor advise --database-url …\` to verify in the bundled engine mirroring the server.`;
      await this.post({ type: 'suggestions', state: 'unavailable', message });
      return;
    }
    await this.post({ type: 'suggestions', state: 'loading' });
    try {
      await loadQueryParsers();
      const engine = target.live?.engine ?? this.host;
      const catalog = target.live?.catalog ?? this.schema.catalog;
      const suggestions = await suggestIndexes(target.sql, catalog, engine, { dialect: target.live?.dialect ?? target.dialect });
      if (gen === this.generation) await this.post({ type: 'suggestions', state: 'done', suggestions });
    } catch (err) {
      if (gen === this.generation) {
        await this.post({ type: 'suggestions', state: 'unavailable', message: `No index advice: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
  }

  dispose(): void {
    if (PlanPanel.current === this) PlanPanel.current = undefined;
    this.generation++;
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}

/** Saves an exported graph picture where the user chooses. */
async function exportPicture(format: 'svg' | 'png', data: string, suggestedName: string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, suggestedName) : undefined,
    filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
    title: 'Export the plan graph',
  });
  if (!target) return;
  const bytes = format === 'svg' ? Buffer.from(data, 'utf8') : Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64');
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.setStatusBarMessage(`SQL Plan Advisor: plan graph saved to ${target.fsPath}`, 4000);
}

/** The webview page: our bundled script and stylesheet only, under a nonce-based CSP. */
function planHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = makeNonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'plan.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'plan.css'));
  return planPageHtml({ nonce, cspSource: webview.cspSource, scriptUri: script.toString(), styleUri: style.toString() });
}

