/**
 * "Explain this query" / "Explain Analyze this query (rolled back)": finds the statement under
 * the cursor (or the selection) in a SQL file or in SQL embedded in TS/JS, and shows its plan
 * in the plan panel. Also the "Explain" CodeLens above each explainable statement.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { parseDialect, type Dialect } from '../core/dialect';
import { embeddedSqlAt, extractSql } from '../core/embedded/extract';
import { ormQueries, ormQueryAt } from '../core/embedded/orm/index';
import type { Catalog } from '../core/schema/types';
import { splitStatements } from '../core/sql/split';
import type { Connections } from './connections';
import { getEngineHost, type EngineHost } from './engineHost';
import { registerOpenPlan } from './openPlanCommand';
import { PlanPanel, type LivePlanSource } from './planPanel';
import type { WorkspaceSchema } from './workspaceSchema';

const SQL_LANGUAGES = ['sql'];
const SCRIPT_LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];
/** Statements EXPLAIN accepts; DDL and the rest get no lens. */
const EXPLAINABLE = /^\s*(\(\s*)*(select|with|insert|update|delete|merge|values|table)\b/i;
/** Past this many lenses a file gets no more (a 10,000-statement dump needs none). */
const MAX_LENSES = 500;

/** Arguments a CodeLens passes: which document and where the statement is. */
interface LensArgs {
  uri: string;
  start: number;
  end: number;
  /** The statement itself, when the caller already has it (the Queries view: SQL behind a project wrapper). */
  sql?: string;
}

/** Registers both explain commands and the CodeLens provider. */
export function registerExplain(context: vscode.ExtensionContext, schema: WorkspaceSchema, connections?: Connections): void {
  // Created now (cheap: the worker starts on the first explain) so other features can share it.
  const host = getEngineHost(context, schema);
  const explain = (analyze: boolean) => async (args?: LensArgs) => {
    const target = await findTarget(schema.catalog, args);
    if (!target) return;
    let live: LivePlanSource | undefined;
    try {
      live = connections ? await livePlanSource(connections) : undefined;
    } catch (err) {
      void vscode.window.showErrorMessage(`SQL Plan Advisor: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    PlanPanel.show(context, host, schema, { ...target, analyze, ...(live ? { live, dialect: live.dialect } : {}) });
  };
  const lenses = new ExplainLensProvider(schema);
  context.subscriptions.push(
    vscode.commands.registerCommand('sqlPlanAdvisor.explainQuery', explain(false)),
    vscode.commands.registerCommand('sqlPlanAdvisor.explainAnalyzeQuery', explain(true)),
    vscode.languages.registerCodeLensProvider([...SQL_LANGUAGES, ...SCRIPT_LANGUAGES].map((language) => ({ language })), lenses),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('sqlPlanAdvisor.codeLens.enabled')) lenses.refresh();
    }),
    // ORM calls get lenses once the schema that declares their models is read.
    schema.onDidChange(() => lenses.refresh()),
    lenses,
  );
  registerOpenPlan(context, host, schema);
  prewarmWhenSqlIsShown(context, host, connections);
}

/** The picked live server as a plan source (schema read from it), or undefined for the bundled engine. */
async function livePlanSource(connections: Connections): Promise<LivePlanSource | undefined> {
  const server = await connections.server();
  if (!server) return undefined;
  const schema = await server.schema();
  return {
    engine: server,
    dialect: server.dialect,
    server: `${server.capabilities.version} at ${server.target.display}`,
    catalog: schema.catalog,
    canVerify: server.dialect === 'postgresql' && server.capabilities.hypopg,
  };
}

/** Delay between a SQL editor appearing and the background engine start. */
const PREWARM_DELAY_MS = 3_000;

/**
 * Starting PostgreSQL (boot, schema, synthetic rows, ANALYZE) takes seconds, far more than a
 * first Explain should. Once a SQL editor is shown, and only then, start the engine in its
 * worker thread in the background, so the first Explain finds it ready. Off with
 * `sqlPlanAdvisor.engine.prewarm` for users who would rather not spend the memory. While a
 * live connection is the plan source the bundled engine is not warmed (a few hundred MB for
 * nothing), and one already warm is stopped; picking the bundled engine again warms it.
 */
function prewarmWhenSqlIsShown(context: vscode.ExtensionContext, host: EngineHost, connections?: Connections): void {
  let timer: NodeJS.Timeout | undefined;
  let warmed = false;
  const bundled = () => connections?.usesBundledEngine ?? true;
  const check = () => {
    if (warmed || timer || !bundled() || !vscode.workspace.getConfiguration('sqlPlanAdvisor').get<boolean>('engine.prewarm', true)) return;
    if (!vscode.window.visibleTextEditors.some((e) => SQL_LANGUAGES.includes(e.document.languageId))) return;
    timer = setTimeout(() => {
      timer = undefined;
      // The source may have changed to a live server during the delay.
      if (!bundled()) return;
      warmed = true;
      // A failed warm-up is not the user's concern yet: the first Explain retries and reports.
      host.start({ quiet: true }).catch(() => undefined);
    }, PREWARM_DELAY_MS);
  };
  const onSource = () => {
    if (bundled()) return check();
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (warmed) {
      warmed = false;
      void host.close();
    }
  };
  context.subscriptions.push(
    vscode.window.onDidChangeVisibleTextEditors(check),
    ...(connections ? [connections.onDidChange(onSource)] : []),
    { dispose: () => timer && clearTimeout(timer) },
  );
  check();
}

function dialect(): Dialect {
  return parseDialect(vscode.workspace.getConfiguration('sqlPlanAdvisor').get<string>('dialect')) ?? 'postgresql';
}

/** The statement to explain: the lens's range, else the selection, else the one at the cursor. */
async function findTarget(catalog: Catalog, args?: LensArgs): Promise<{ sql: string; dialect: Dialect; origin?: string; location?: vscode.Location } | undefined> {
  const d = dialect();
  if (args && typeof args.uri === 'string') {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
    const sql = typeof args.sql === 'string' && args.sql.trim() ? args.sql : statementFromLens(doc, args, d, catalog);
    return sql ? { sql, dialect: d, origin: origin(doc, args.start), location: location(doc, args.start) } : undefined;
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Open a SQL file (or a TS/JS file with SQL) and put the cursor in a statement to explain it.');
    return undefined;
  }
  const doc = editor.document;
  const sel = editor.selection;
  if (!sel.isEmpty) {
    const sql = doc.getText(sel).trim();
    if (sql) return { sql, dialect: d, origin: origin(doc, doc.offsetAt(sel.start)), location: location(doc, doc.offsetAt(sel.start)) };
  }
  const offset = doc.offsetAt(sel.active);
  const text = doc.getText();
  if (SCRIPT_LANGUAGES.includes(doc.languageId)) {
    const embedded = embeddedSqlAt(doc.fileName, text, offset, d);
    // An ORM call (Prisma…): explain the SQL its ORM sends; the plan panel shows that SQL.
    const orm = embedded ? undefined : ormQueryAt(doc.fileName, text, offset, catalog);
    if (orm) return { sql: orm.sql, dialect: d, origin: `${origin(doc, orm.start)} (${orm.source} call, rendered)` };
    if (!embedded) {
      void vscode.window.showInformationMessage('No SQL found at the cursor. Put it inside a query string (pool.query(`…`), sql`…`), or select the SQL text.');
      return undefined;
    }
    return { sql: embedded.sql, dialect: d, origin: origin(doc, embedded.start), location: location(doc, embedded.start) };
  }
  const statement = statementAt(text, offset, d);
  if (!statement) {
    void vscode.window.showInformationMessage('No SQL statement at the cursor.');
    return undefined;
  }
  return { sql: statement.text, dialect: d, origin: origin(doc, statement.start), location: location(doc, statement.start) };
}

/** The statement containing `offset`, or the nearest one before it (cursor after the `;`). */
export function statementAt(text: string, offset: number, d: Dialect): { text: string; start: number } | undefined {
  const statements = splitStatements(text, d);
  let best: { text: string; start: number } | undefined;
  for (const s of statements) {
    if (s.start <= offset) best = s;
    if (offset >= s.start && offset <= s.end) return s;
  }
  return best ?? statements[0];
}

function statementFromLens(doc: vscode.TextDocument, args: LensArgs, d: Dialect, catalog: Catalog): string | undefined {
  if (SCRIPT_LANGUAGES.includes(doc.languageId)) return embeddedSqlAt(doc.fileName, doc.getText(), args.start, d)?.sql ?? ormQueryAt(doc.fileName, doc.getText(), args.start, catalog)?.sql;
  const text = doc.getText().slice(args.start, args.end);
  return text.trim() || undefined;
}

/** Where the statement starts, for the plan panel's link back to the source. */
function location(doc: vscode.TextDocument, offset: number): vscode.Location {
  return new vscode.Location(doc.uri, doc.positionAt(offset));
}

function origin(doc: vscode.TextDocument, offset: number): string {
  return `${path.basename(doc.fileName)}:${doc.positionAt(offset).line + 1}`;
}

/** "Explain" and "Explain Analyze" above each statement EXPLAIN accepts. */
class ExplainLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly schema: WorkspaceSchema) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const config = vscode.workspace.getConfiguration('sqlPlanAdvisor');
    if (!config.get<boolean>('codeLens.enabled', true)) return [];
    const maxKb = config.get<number>('lint.maxFileSizeKb', 2048);
    const text = doc.getText();
    if (text.length > maxKb * 1024) return [];
    const d = dialect();
    const ranges: { start: number; end: number }[] = [];
    if (SCRIPT_LANGUAGES.includes(doc.languageId)) {
      if (!config.get<boolean>('embedded.enabled', true)) return [];
      for (const e of extractSql(doc.fileName, text, d)) if (EXPLAINABLE.test(e.sql)) ranges.push({ start: e.start, end: e.end });
      for (const q of ormQueries(doc.fileName, text, this.schema.catalog)) ranges.push({ start: q.start, end: q.end });
      ranges.sort((a, b) => a.start - b.start);
    } else {
      for (const s of splitStatements(text, d)) if (EXPLAINABLE.test(s.text)) ranges.push({ start: s.start, end: s.end });
    }
    const lenses: vscode.CodeLens[] = [];
    for (const r of ranges.slice(0, MAX_LENSES)) {
      const range = new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.start));
      const args: LensArgs = { uri: doc.uri.toString(), start: r.start, end: r.end };
      lenses.push(
        new vscode.CodeLens(range, { title: 'Explain', command: 'sqlPlanAdvisor.explainQuery', arguments: [args], tooltip: 'Show the PostgreSQL plan (bundled engine, synthetic data)' }),
        new vscode.CodeLens(range, { title: 'Explain Analyze', command: 'sqlPlanAdvisor.explainAnalyzeQuery', arguments: [args], tooltip: 'Run it in a transaction that is rolled back, and show actual rows and times' }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
