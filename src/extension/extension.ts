/**
 * Extension entry: wires providers and commands to the core. Kept thin and cheap so that
 * activation stays well under 100 ms; the engine starts lazily on the first Explain.
 * Each feature registers itself from its own module.
 */
import * as vscode from 'vscode';
import { registerAdvisorCommands } from './advisorCommands';
import { registerCodeActions } from './codeActions';
import { Connections } from './connections';
import { registerExplain } from './explainCommand';
import { registerLinting } from './lintDiagnostics';
import { registerLintHover } from './lintHover';
import { registerQueriesView } from './queriesView';
import { registerSelectionView } from './selectionView';
import { WorkspaceIndexService } from './workspaceIndex';
import { WorkspaceSchema } from './workspaceSchema';

export function activate(context: vscode.ExtensionContext): void {
  const schema = new WorkspaceSchema();
  context.subscriptions.push(
    schema,
    vscode.commands.registerCommand('sqlPlanAdvisor.reloadSchema', async () => {
      await schema.refresh();
      const tables = schema.catalog.tables.size;
      const problems = schema.catalog.problems.length;
      void vscode.window.showInformationMessage(
        `SQL Plan Advisor: schema reloaded from ${schema.sources.length} file(s): ${tables} table(s)` +
          (problems ? `, ${problems} statement(s) not understood.` : '.'),
      );
    }),
  );
  // Read the workspace DDL in the background; activation does not wait for it.
  void schema.refresh();
  // SQL wrappers across files: indexed in a worker, in the background.
  const workspaceIndex = new WorkspaceIndexService(context);
  context.subscriptions.push(workspaceIndex);
  workspaceIndex.startWhenSourcesAppear();
  const lint = registerLinting(context, schema, workspaceIndex);
  registerCodeActions(context, lint, schema);
  registerLintHover(context, lint);
  const connections = new Connections(context);
  context.subscriptions.push(connections);
  registerExplain(context, schema, connections);
  registerAdvisorCommands(context, schema);
  registerSelectionView(context, schema);
  registerQueriesView(context, schema);
}

export function deactivate(): void {
  // Disposables registered on the context are disposed by VS Code.
}
