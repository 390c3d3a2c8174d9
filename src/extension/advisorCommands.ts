/**
 * "Suggest indexes for workspace": collects the queries of every `.sql` and TS/JS file, has the
 * advisor verify candidates in the engine (worker thread, via the engine host), writes a
 * Markdown report with the DDL, opens it, and offers to insert the DDL into a migration file
 * (through "Add suggested index…", which knows the workspace's migration layout).
 */
import * as vscode from 'vscode';
import { adviseWorkspace, workspaceReportMarkdown } from '../core/advisor';
import { collectQueries } from '../core/advisor/collect';
import { loadQueryParsers } from '../core/query/parse';
import { migrationSql } from '../core/advisor/report';
import type { WorkspaceAdvice, WorkspaceQuery } from '../core/advisor/types';
import { parseDialect, type Dialect } from '../core/dialect';
import type { Catalog } from '../core/schema/types';
import { getEngineHost } from './engineHost';
import type { WorkspaceSchema } from './workspaceSchema';

export const SUGGEST_INDEXES_FOR_WORKSPACE = 'sqlPlanAdvisor.suggestIndexesForWorkspace';
const ADD_SUGGESTED_INDEX = 'sqlPlanAdvisor.addSuggestedIndex';

const QUERY_FILES = '**/*.{sql,ts,tsx,js,jsx,mjs,cjs}';
const EXCLUDE = '{**/node_modules/**,**/dist/**,**/out/**,**/.git/**,**/*.d.ts,**/*.min.js}';
const MAX_FILES = 5000;
/** Files above this are bundles or dumps, not hand-written queries. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;
const REPORT_PATH = ['.sql-plan-advisor', 'index-report.md'];

/** Registers the workspace index-advice command. */
export function registerAdvisorCommands(context: vscode.ExtensionContext, schema: WorkspaceSchema): void {
  context.subscriptions.push(vscode.commands.registerCommand(SUGGEST_INDEXES_FOR_WORKSPACE, () => suggestForWorkspace(context, schema)));
}

async function suggestForWorkspace(context: vscode.ExtensionContext, schema: WorkspaceSchema): Promise<void> {
  await loadQueryParsers();
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) {
    void vscode.window.showWarningMessage('Suggest indexes for workspace: open a folder first.');
    return;
  }
  await schema.ready();
  if (schema.catalog.tables.size === 0) {
    void vscode.window.showWarningMessage(
      'Suggest indexes: no CREATE TABLE found in the schema files (setting sqlPlanAdvisor.schemaFiles), so there is nothing to index.',
    );
    return;
  }
  const dialect: Dialect = parseDialect(vscode.workspace.getConfiguration('sqlPlanAdvisor').get<string>('dialect')) ?? 'postgresql';
  let advice: WorkspaceAdvice | undefined;
  try {
    advice = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Suggest indexes', cancellable: true },
      async (progress, token) => {
        progress.report({ message: 'collecting queries…' });
        const queries = await workspaceQueries(dialect, token, schema.catalog);
        if (token.isCancellationRequested) return undefined;
        if (queries.length === 0) return { suggestions: [], queriesAnalyzed: 0, skipped: [], notes: ['No SELECT, UPDATE or DELETE statements were found.'] };
        progress.report({ message: `verifying candidates for ${queries.length} queries in the engine…` });
        const engine = getEngineHost(context, schema);
        let last = 0;
        return adviseWorkspace(queries, schema.catalog, engine, {
          dialect,
          isCancelled: () => token.isCancellationRequested,
          onProgress: (done, total) => {
            const pct = Math.floor((done / total) * 100);
            progress.report({ message: `${done}/${total} queries verified`, increment: pct - last });
            last = pct;
          },
        });
      },
    );
  } catch (err) {
    void vscode.window.showErrorMessage(`Suggest indexes failed: ${String((err as Error)?.message ?? err)}`);
    return;
  }
  if (!advice) return;
  await showReport(root, workspaceReportMarkdown(advice, { generatedAt: new Date(), dialect }));
  if (advice.suggestions.length === 0) {
    void vscode.window.showInformationMessage(`No index would lower the plan cost of the ${advice.queriesAnalyzed} queries analysed. Report: ${REPORT_PATH.join('/')}`);
    return;
  }
  const insert = 'Insert into a migration…';
  const copy = 'Copy DDL';
  const n = advice.suggestions.length;
  const choice = await vscode.window.showInformationMessage(
    `${n} verified index${n === 1 ? '' : 'es'} suggested for ${advice.queriesAnalyzed} queries. Insert the DDL into a migration file?`,
    insert,
    copy,
  );
  const ddl = migrationSql(advice.suggestions, undefined, dialect);
  if (choice === insert) {
    await vscode.commands.executeCommand(ADD_SUGGESTED_INDEX, { table: advice.suggestions[0].table, ddl });
  } else if (choice === copy) {
    await vscode.env.clipboard.writeText(ddl);
    void vscode.window.setStatusBarMessage('Suggested index DDL copied', 3000);
  }
}

/** Writes the report under the workspace root and opens it; a read-only folder gets an unsaved editor instead. */
async function showReport(root: vscode.Uri, markdown: string): Promise<void> {
  const uri = vscode.Uri.joinPath(root, ...REPORT_PATH);
  try {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(root, ...REPORT_PATH.slice(0, -1)));
    await vscode.workspace.fs.writeFile(uri, Buffer.from(markdown, 'utf8'));
    await vscode.window.showTextDocument(uri, { preview: false });
  } catch {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
    await vscode.window.showTextDocument(doc, { preview: false });
  }
}

/** Every query in the workspace's `.sql` and TS/JS files (open editors' unsaved text wins). */
async function workspaceQueries(dialect: Dialect, token: vscode.CancellationToken, catalog: Catalog): Promise<WorkspaceQuery[]> {
  const uris = await vscode.workspace.findFiles(QUERY_FILES, EXCLUDE, MAX_FILES, token);
  uris.sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true }));
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
  const queries: WorkspaceQuery[] = [];
  for (const uri of uris) {
    if (token.isCancellationRequested) break;
    let text: string;
    const doc = open.get(uri.toString());
    if (doc) text = doc.getText();
    else {
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.size > MAX_FILE_BYTES) continue;
        text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      } catch {
        continue; // Deleted or unreadable since the search: not part of the workspace any more.
      }
    }
    queries.push(...collectQueries(vscode.workspace.asRelativePath(uri), text, dialect, catalog));
  }
  return queries;
}
