/**
 * The Queries view: every query the workspace sends (SQL files, embedded SQL, SQL behind the
 * project's own wrappers), grouped by file or by table, each with its lint findings count.
 * Click opens the query; the context menu explains it. The inventory is built in the index
 * worker (dist/indexWorker.js), so a large workspace never blocks the editor.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { parseDialect } from '../core/dialect';
import type { InventoryEntry } from '../core/workspace/worker';
import { readEmbeddedSettings } from './workspaceIndex';
import type { WorkspaceSchema } from './workspaceSchema';

type Grouping = 'file' | 'table';

type Node =
  | { kind: 'group'; label: string; items: InventoryEntry[]; grouping: Grouping }
  | { kind: 'query'; item: InventoryEntry; grouping: Grouping }
  | { kind: 'message'; label: string };

const FILES_GLOB = '**/*.{sql,ts,tsx,mts,cts,js,jsx,mjs,cjs}';
const EXCLUDE_GLOB = '**/{node_modules,dist,out,build,.next,.git,coverage}/**';

/** One line of SQL for a tree label. */
function oneLine(sql: string, max = 44): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

/** Tree data for the Queries view. */
export class QueriesProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private items: InventoryEntry[] | undefined;
  private loading: Promise<void> | undefined;
  private grouping: Grouping = 'file';
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly schema: WorkspaceSchema,
  ) {}

  /** Groups the tree by file or by table. */
  setGrouping(g: Grouping): void {
    this.grouping = g;
    void vscode.commands.executeCommand('setContext', 'sqlPlanAdvisor.queries.grouping', g);
    this.changed.fire(undefined);
  }

  /** Rebuilds the inventory (in the worker) and redraws. */
  refresh(): Promise<void> {
    this.loading = this.load().finally(() => {
      this.loading = undefined;
      this.changed.fire(undefined);
    });
    this.changed.fire(undefined);
    return this.loading;
  }

  private async load(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      this.items = [];
      return;
    }
    // The schema (ORM models included) turns ORM calls into queries: read it before listing.
    await this.schema.ready();
    const uris = await vscode.workspace.findFiles(FILES_GLOB, EXCLUDE_GLOB, 20_000);
    const settings = readEmbeddedSettings();
    const dialect = parseDialect(vscode.workspace.getConfiguration('sqlPlanAdvisor').get<string>('dialect')) ?? 'postgresql';
    const worker = new Worker(path.join(this.extensionUri.fsPath, 'dist', 'indexWorker.js'));
    try {
      this.items = await new Promise<InventoryEntry[]>((resolve) => {
        worker.on('message', (msg: { type: string; items?: InventoryEntry[]; message?: string }) => {
          if (msg.type === 'inventory') resolve(msg.items ?? []);
          if (msg.type === 'error') {
            console.error('[sql-plan-advisor] query inventory:', msg.message);
            resolve([]);
          }
        });
        worker.on('error', (err) => {
          console.error('[sql-plan-advisor] query inventory worker failed:', err);
          resolve([]);
        });
        worker.postMessage({
          type: 'inventory',
          files: uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath),
          root: folder.uri.fsPath,
          dialect,
          schema: this.schema.sources,
          sqlFunctions: settings.sqlFunctions,
          relaxedGlobs: settings.relaxedGlobs,
        });
      });
    } finally {
      void worker.terminate();
    }
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      if (!this.items) {
        if (!this.loading) void this.refresh();
        return [{ kind: 'message', label: 'Finding queries…' }];
      }
      if (this.items.length === 0) return [{ kind: 'message', label: 'No queries found in this workspace.' }];
      const groups = new Map<string, InventoryEntry[]>();
      for (const it of this.items) {
        const keys = this.grouping === 'file' ? [it.file] : it.tables.length ? it.tables : ['(no table)'];
        for (const k of keys) groups.set(k, [...(groups.get(k) ?? []), it]);
      }
      return [...groups.keys()].sort().map((label) => ({ kind: 'group', label, items: groups.get(label)!, grouping: this.grouping }));
    }
    if (node.kind === 'group') return node.items.map((item) => ({ kind: 'query', item, grouping: node.grouping }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'message') return new vscode.TreeItem(node.label);
    if (node.kind === 'group') {
      const t = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      const findings = node.items.reduce((n, i) => n + i.findings, 0);
      t.description = `${node.items.length} ${node.items.length === 1 ? 'query' : 'queries'}${findings ? ` · ${findings} finding${findings === 1 ? '' : 's'}` : ''}`;
      t.iconPath = new vscode.ThemeIcon(node.grouping === 'file' ? 'file-code' : 'table');
      if (node.grouping === 'file') t.resourceUri = vscode.Uri.file(node.items[0].path);
      return t;
    }
    const q = node.item;
    const t = new vscode.TreeItem(oneLine(q.sql));
    const where = node.grouping === 'table' ? `${q.file}:${q.line} · ` : `line ${q.line} · `;
    t.description = `${where}${q.source}${q.dialect !== 'postgresql' && q.dialect !== 'mysql' ? ` · ${q.dialect}` : ''}${q.findings ? ` · ${q.findings} finding${q.findings === 1 ? '' : 's'}` : ''}`;
    t.tooltip = new vscode.MarkdownString().appendCodeblock(q.sql, 'sql').appendMarkdown(`\n\n${q.source} · ${q.dialect} · ${q.tables.join(', ') || 'no table'}`);
    t.iconPath = new vscode.ThemeIcon(q.findings ? 'warning' : 'database');
    t.contextValue = q.dialect === 'postgresql' ? 'sqlQuery.explainable' : 'sqlQuery';
    const range = new vscode.Range(q.line - 1, q.column - 1, q.endLine - 1, q.endColumn - 1);
    t.command = { command: 'vscode.open', title: 'Open query', arguments: [vscode.Uri.file(q.path), { selection: range }] };
    return t;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Registers the Queries view and its commands. */
export function registerQueriesView(context: vscode.ExtensionContext, schema: WorkspaceSchema): QueriesProvider {
  const provider = new QueriesProvider(context.extensionUri, schema);
  let timer: NodeJS.Timeout | undefined;
  const view = vscode.window.createTreeView('sqlPlanAdvisor.queries', { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(
    provider,
    view,
    vscode.commands.registerCommand('sqlPlanAdvisor.queries.refresh', () => provider.refresh()),
    vscode.commands.registerCommand('sqlPlanAdvisor.queries.groupByTable', () => provider.setGrouping('table')),
    vscode.commands.registerCommand('sqlPlanAdvisor.queries.groupByFile', () => provider.setGrouping('file')),
    vscode.commands.registerCommand('sqlPlanAdvisor.queries.explain', (node?: { kind: string; item?: InventoryEntry }) => {
      const q = node?.item;
      if (!q) return;
      return vscode.commands.executeCommand('sqlPlanAdvisor.explainQuery', { uri: vscode.Uri.file(q.path).toString(), start: q.start, end: q.end, sql: q.sql });
    }),
    // Saved files change the inventory; refresh while the view is shown (debounced).
    vscode.workspace.onDidSaveTextDocument(() => {
      if (!view.visible) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void provider.refresh(), 1500);
    }),
    // A changed schema (a new ORM model or index) changes which ORM calls are queries and their findings.
    schema.onDidChange(() => {
      if (!view.visible) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void provider.refresh(), 1500);
    }),
    { dispose: () => timer && clearTimeout(timer) },
  );
  void vscode.commands.executeCommand('setContext', 'sqlPlanAdvisor.queries.grouping', 'file');
  return provider;
}
