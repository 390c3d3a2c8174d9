/**
 * "Open plan from clipboard" / "Open plan from file…": reads a plan someone already has —
 * psql's text EXPLAIN (ANALYZE) output or EXPLAIN (FORMAT JSON) — and shows it in the same
 * plan panel as the engine's plans. Parsing is core/plan/parseText; this is only the glue.
 */
import * as vscode from 'vscode';
import { buildPlanModel } from '../core/plan/model';
import { parsePlanInput } from '../core/plan/parseText';
import { renderPlanText } from '../core/plan/text';
import type { PlanView } from '../../webview/plan/protocol';
import type { EngineHost } from './engineHost';
import { PlanPanel } from './planPanel';
import type { WorkspaceSchema } from './workspaceSchema';

/** Largest plan file we read (a 2,000-node ANALYZE plan in JSON is a few MB). */
const MAX_BYTES = 50 * 1024 * 1024;

/** Registers both open-plan commands. */
export function registerOpenPlan(context: vscode.ExtensionContext, host: EngineHost, schema: WorkspaceSchema): void {
  const show = (text: string, from: string) => {
    let view: PlanView;
    try {
      view = openedView(text, from);
    } catch (err) {
      void vscode.window.showErrorMessage(`SQL Plan Advisor: could not read the plan ${from}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    PlanPanel.showOpened(context, host, schema, view);
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('sqlPlanAdvisor.openPlanFromClipboard', async () => {
      show(await vscode.env.clipboard.readText(), 'from the clipboard');
    }),
    vscode.commands.registerCommand('sqlPlanAdvisor.openPlanFromFile', async (uri?: vscode.Uri) => {
      const file =
        uri ??
        (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Query plans': ['json', 'txt', 'plan', 'sql', 'log'], 'All files': ['*'] }, title: 'Open a query plan' }))?.[0];
      if (!file) return;
      const stat = await vscode.workspace.fs.stat(file);
      if (stat.size > MAX_BYTES) {
        void vscode.window.showErrorMessage(`SQL Plan Advisor: ${file.fsPath} is ${Math.round(stat.size / 1048576)} MB; plans over 50 MB are not opened.`);
        return;
      }
      show(Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8'), `from ${vscode.workspace.asRelativePath(file)}`);
    }),
  );
}

/** The panel's view of a plan opened from text: no engine, so no re-explain or index advice. */
export function openedView(text: string, from: string): PlanView {
  const opened = parsePlanInput(text);
  const full = buildPlanModel(opened.plan);
  const { nodes: _nodes, ...model } = full;
  void _nodes;
  return {
    sql: '',
    executedSql: '',
    analyze: full.analyzed,
    model,
    text: renderPlanText(full),
    json: JSON.stringify(opened.plan, null, 2),
    parameters: [],
    notes: [],
    schemaProblems: [],
    withIndexes: [],
    opened: `Opened ${from} (${opened.format === 'json' ? 'JSON' : 'psql text'})`,
  };
}
