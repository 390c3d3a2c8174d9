/**
 * Quick fixes for lint findings: the exact text edits a rule proposes (`finding.fixes`), and
 * for a suggested index "Add suggested index…" (pick a migration/schema file or a new one and
 * insert the CREATE INDEX there) and "Copy CREATE INDEX". Findings come from the lint
 * service's record of what it reported, never from re-parsing.
 */
import * as vscode from 'vscode';
import { parseDialect } from '../core/dialect';
import { concurrentIndexDdl, planIndexMigration } from '../core/migrations/advice';
import type { SuggestedIndex } from '../core/rules/types';
import { findTable } from '../core/schema/catalog';
import { ormIndexChange } from '../core/schema/orm/indexEdits';
import { ddlInsertion, indexTargets, type IndexTarget } from './indexTargets';
import { DIAGNOSTIC_SOURCE, type LintService } from './lintDiagnostics';
import { findingsFor, LINTED_LANGUAGE_IDS } from './lintModel';
import type { WorkspaceSchema } from './workspaceSchema';

export const ADD_SUGGESTED_INDEX = 'sqlPlanAdvisor.addSuggestedIndex';
/** Internal command (not in the palette): copies a suggested index's DDL. */
export const COPY_SUGGESTED_INDEX = 'sqlPlanAdvisor.copySuggestedIndex';
/** Internal command: writes a suggested index in the ORM's own syntax (schema edit or new migration). */
export const ADD_ORM_INDEX = 'sqlPlanAdvisor.addOrmIndex';
/** Internal command: copies a suggested index in the ORM schema's syntax. */
export const COPY_ORM_INDEX = 'sqlPlanAdvisor.copyOrmIndex';


class LintCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly lint: LintService) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && d.code !== undefined);
    if (ours.length === 0) return [];
    const findings = this.lint.findingsFor(doc);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const ruleId = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
      const start = doc.offsetAt(diagnostic.range.start);
      const end = doc.offsetAt(diagnostic.range.end);
      for (const finding of findingsFor(findings, ruleId, start, end)) {
        finding.fixes?.forEach((fix, i) => {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.isPreferred = i === 0;
          action.edit = new vscode.WorkspaceEdit();
          for (const e of fix.edits) {
            action.edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.newText);
          }
          actions.push(action);
        });
        if (finding.suggestedIndex) {
          const add = new vscode.CodeAction(`Add suggested index on ${finding.suggestedIndex.table}…`, vscode.CodeActionKind.QuickFix);
          add.diagnostics = [diagnostic];
          add.command = { command: ADD_SUGGESTED_INDEX, title: add.title, arguments: [finding.suggestedIndex] };
          const copy = new vscode.CodeAction('Copy CREATE INDEX statement', vscode.CodeActionKind.QuickFix);
          copy.diagnostics = [diagnostic];
          copy.command = { command: COPY_SUGGESTED_INDEX, title: copy.title, arguments: [finding.suggestedIndex] };
          const orm = finding.suggestedIndex.orm;
          if (orm) {
            // Prisma: an exact insertion into schema.prisma. Drizzle and TypeORM: an edit of the
            // declaring file; Knex and Sequelize: a new migration (both computed when run, from
            // the file's current text). Copying the declaration stays available beside it.
            const migration = orm.origin === 'knex' || orm.origin === 'sequelize';
            const title = migration
              ? `Add index on ${finding.suggestedIndex.table} in a new ${orm.origin === 'knex' ? 'Knex' : 'Sequelize'} migration`
              : `Add ${short(orm.syntax)} to ${orm.file ?? 'the schema'}`;
            if (orm.file && (orm.edit || orm.origin !== 'prisma')) {
              const addOrm = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
              addOrm.diagnostics = [diagnostic];
              addOrm.isPreferred = true;
              addOrm.command = { command: ADD_ORM_INDEX, title: addOrm.title, arguments: [finding.suggestedIndex] };
              actions.push(addOrm);
            }
            const copyOrm = new vscode.CodeAction(`Copy ${short(orm.syntax)}`, vscode.CodeActionKind.QuickFix);
            copyOrm.diagnostics = [diagnostic];
            copyOrm.command = { command: COPY_ORM_INDEX, title: copyOrm.title, arguments: [finding.suggestedIndex] };
            actions.push(copyOrm);
          }
          actions.push(add, copy);
        }
      }
    }
    return actions;
  }
}

/** A declaration short enough for a quick-fix title. */
function short(syntax: string): string {
  return syntax.length > 60 ? syntax.slice(0, 59) + '…' : syntax;
}

function isSuggestedIndex(value: unknown): value is SuggestedIndex {
  const v = value as SuggestedIndex | undefined;
  return !!v && typeof v.ddl === 'string' && typeof v.table === 'string';
}

/** Asks where the index goes, writes it there and shows the result. */
async function addSuggestedIndex(schema: WorkspaceSchema, lint: LintService, suggestion: unknown): Promise<void> {
  if (!isSuggestedIndex(suggestion)) {
    void vscode.window.showWarningMessage('Add suggested index: use the quick fix on a missing-index finding.');
    return;
  }
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) {
    await vscode.env.clipboard.writeText(suggestion.ddl);
    void vscode.window.showInformationMessage('No folder is open, so the CREATE INDEX statement was copied to the clipboard.');
    return;
  }
  await schema.ready();
  const targets = indexTargets(schema.sources, schema.catalog, suggestion.table, suggestion.ddl);
  // A new migration builds the index without blocking writes (CONCURRENTLY on PostgreSQL, outside
  // any transaction), in the project's own migration format when it has a migration folder.
  const dialect = parseDialect(vscode.workspace.getConfiguration('sqlPlanAdvisor').get<string>('dialect')) ?? 'postgresql';
  const set = lint.migrationSet;
  const plan = set ? planIndexMigration(set, suggestion.ddl, new Date()) : undefined;
  if (plan) targets[0] = { kind: 'new', file: plan.file, detail: plan.detail };
  const picked = await vscode.window.showQuickPick(
    targets.map((t) => ({ label: t.kind === 'new' ? `$(new-file) ${t.file}` : `$(file) ${t.file}`, description: t.detail, target: t })),
    { title: 'Add suggested index', placeHolder: `Where should "${suggestion.ddl}" go?` },
  );
  if (!picked) return;
  if (picked.target.kind === 'new') {
    await writeNewMigration(resolveTarget(schema, root, picked.target), plan?.text ?? ddlInsertion('', concurrentIndexDdl(suggestion.ddl, dialect)));
    return;
  }
  await insertDdl(resolveTarget(schema, root, picked.target), suggestion.ddl);
}

/** Maps a workspace-relative schema path back to the URI it was read from. */
function resolveTarget(schema: WorkspaceSchema, root: vscode.Uri, target: IndexTarget): vscode.Uri {
  return schema.uriOf(target.file) ?? vscode.Uri.joinPath(root, ...target.file.split('/'));
}

/** Writes a new migration file (creating its folder) and opens it; an existing file is never overwritten. */
async function writeNewMigration(uri: vscode.Uri, text: string): Promise<void> {
  try {
    await vscode.workspace.fs.stat(uri);
    void vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(uri)} already exists; the index was not written.`);
    return;
  } catch {
    // Not there yet: the usual case.
  }
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  await vscode.window.showTextDocument(uri);
}

async function insertDdl(uri: vscode.Uri, ddl: string): Promise<void> {
  let exists = true;
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    exists = false;
  }
  if (!exists) {
    await vscode.workspace.fs.writeFile(uri, Buffer.from(ddlInsertion('', ddl), 'utf8'));
    await vscode.window.showTextDocument(uri);
    return;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const wasDirty = doc.isDirty;
  const end = doc.lineAt(doc.lineCount - 1).range.end;
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, end, ddlInsertion(doc.getText(), ddl));
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Could not insert the index into ${vscode.workspace.asRelativePath(uri)}.`);
    return;
  }
  // Saving lets the schema watcher pick the index up (and clear the finding) at once; a file
  // that already had unsaved changes is left for the user to save.
  if (!wasDirty) await doc.save();
  const editor = await vscode.window.showTextDocument(doc);
  editor.revealRange(doc.lineAt(Math.max(0, doc.lineCount - 2)).range);
}

/**
 * Adds the ORM form of an index: Prisma's insertion into schema.prisma, a Drizzle/TypeORM edit of
 * the declaring file, or a new Knex/Sequelize migration; saves it and says what to run next.
 */
async function addOrmIndex(schema: WorkspaceSchema, lint: LintService, suggestion: unknown): Promise<void> {
  if (!isSuggestedIndex(suggestion) || !suggestion.orm?.file) return;
  const { orm } = suggestion;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uriOf = (file: string) => schema.uriOf(file) ?? (root ? vscode.Uri.joinPath(root, ...file.split('/')) : undefined);
  const uri = uriOf(orm.file!);
  if (!uri) return;
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  if (orm.edit) {
    edit.insert(uri, doc.positionAt(orm.edit.offset), orm.edit.newText);
  } else {
    await schema.ready();
    const table = findTable(schema.catalog, suggestion.table);
    const dialect = parseDialect(vscode.workspace.getConfiguration('sqlPlanAdvisor').get<string>('dialect')) ?? 'postgresql';
    const change = table && ormIndexChange(table, suggestion.ddl, { fileText: doc.getText(), migrations: lint.migrationSet, dialect, now: new Date() });
    if (!change) {
      await vscode.env.clipboard.writeText(orm.syntax);
      void vscode.window.showWarningMessage(`Could not place ${orm.syntax} in ${orm.file} automatically; it was copied to the clipboard.`);
      return;
    }
    if (change.kind === 'new') {
      const target = root && vscode.Uri.joinPath(root, ...change.file.split('/'));
      if (!target) return;
      await writeNewMigration(target, change.text);
      if (change.then) void vscode.window.showInformationMessage(`Wrote ${change.file} (${change.detail}). Next: ${change.then}.`);
      return;
    }
    for (const e of change.edits) edit.replace(uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.newText);
  }
  const wasDirty = doc.isDirty;
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Could not add ${orm.syntax} to ${orm.file}.`);
    return;
  }
  // Saving lets the schema watcher re-read the model (and clear the finding); unsaved work is the user's to save.
  if (!wasDirty) await doc.save();
  await vscode.window.showTextDocument(doc);
  if (orm.then) void vscode.window.showInformationMessage(`Added ${orm.syntax}. Next: ${orm.then}.`);
}

/** Registers the quick-fix provider and the suggested-index commands. */
export function registerCodeActions(context: vscode.ExtensionContext, lint: LintService, schema: WorkspaceSchema): void {
  const selector = LINTED_LANGUAGE_IDS.map((language) => ({ language }));
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(selector, new LintCodeActions(lint), {
      providedCodeActionKinds: LintCodeActions.kinds,
    }),
    vscode.commands.registerCommand(ADD_SUGGESTED_INDEX, (suggestion: unknown) => addSuggestedIndex(schema, lint, suggestion)),
    vscode.commands.registerCommand(ADD_ORM_INDEX, (suggestion: unknown) => addOrmIndex(schema, lint, suggestion)),
    vscode.commands.registerCommand(COPY_ORM_INDEX, async (suggestion: unknown) => {
      if (!isSuggestedIndex(suggestion) || !suggestion.orm) return;
      await vscode.env.clipboard.writeText(suggestion.orm.syntax);
      void vscode.window.setStatusBarMessage(`Copied; add it in ${suggestion.orm.file ?? 'the schema'}${suggestion.orm.then ? `, then ${suggestion.orm.then}` : ''}`, 5000);
    }),
    vscode.commands.registerCommand(COPY_SUGGESTED_INDEX, async (suggestion: unknown) => {
      if (!isSuggestedIndex(suggestion)) return;
      await vscode.env.clipboard.writeText(suggestion.ddl);
      void vscode.window.setStatusBarMessage('CREATE INDEX statement copied', 3000);
    }),
  );
}
