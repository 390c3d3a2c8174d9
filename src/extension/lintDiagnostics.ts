/**
 * Live lint diagnostics for SQL documents and for SQL embedded in TS/JS documents.
 *
 * Each SQL document gets its own `SqlLinter`, which caches results per statement, so a
 * keystroke re-checks only the statement being edited; TS/JS documents go through
 * `lintDocument` (the embedded scan caches per file text) and are debounced like SQL.
 * The findings behind each document's diagnostics are kept so quick fixes and hovers use
 * exactly what was reported instead of re-parsing.
 */
import * as vscode from 'vscode';
import { parseDialect, type Dialect } from '../core/dialect';
import { lintDocument } from '../core/lint/document';
import { loadQueryParsers } from '../core/query/parse';
import { SqlLinter } from '../core/lint/linter';
import type { DocumentFinding, LintOptions, RuleSettings } from '../core/lint/types';
import { ruleById } from '../core/rules/index';
import type { Severity } from '../core/rules/types';
import { DEFAULT_MIGRATION_QUERY_SEVERITY, withMigrationFindings } from '../core/migrations/lint';
import { WorkspaceMigrations } from './workspaceMigrations';
import type { MigrationSet } from '../core/migrations/set';
import { splitStatements } from '../core/sql/split';
import {
  diagnosticSeverityIndex,
  isOversized,
  KeyedDebouncer,
  lintFileName,
  lintMode,
  oversizeMessage,
  ruleSettingsFrom,
  type LintMode,
} from './lintModel';
import { lintInSlices } from './progressiveLint';
import type { WorkspaceIndexService } from './workspaceIndex';
import type { WorkspaceSchema } from './workspaceSchema';

export const DIAGNOSTIC_SOURCE = 'sql-plan-advisor';

/** Documents with more statements than this are linted in slices when nothing is cached. */
const SLICED_LINT_MIN_STATEMENTS = 100;
/** Work per slice of a sliced lint before the extension host gets a turn. */
const SLICE_MS = 30;

const SEVERITIES = [
  vscode.DiagnosticSeverity.Error,
  vscode.DiagnosticSeverity.Warning,
  vscode.DiagnosticSeverity.Information,
  vscode.DiagnosticSeverity.Hint,
];

interface Settings {
  dialect: Dialect;
  rules: RuleSettings;
  embedded: boolean;
  debounceMs: number;
  maxFileSizeKb: number;
  migrationQuerySeverity: Severity | 'off';
}

function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('sqlPlanAdvisor');
  return {
    dialect: parseDialect(c.get<string>('dialect')) ?? 'postgresql',
    rules: ruleSettingsFrom(c.get('rules')),
    embedded: c.get<boolean>('embedded.enabled', true),
    debounceMs: Math.max(0, c.get<number>('lint.debounceMs', 250)),
    maxFileSizeKb: c.get<number>('lint.maxFileSizeKb', 2048),
    migrationQuerySeverity: c.get<Severity | 'off'>('migrations.queryRuleSeverity', DEFAULT_MIGRATION_QUERY_SEVERITY),
  };
}

/** What was reported for one document version. */
export interface LintedDocument {
  version: number;
  findings: DocumentFinding[];
}

/** The running lint service; code actions and hovers read findings through it. */
export class LintService implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('sql-plan-advisor');
  private readonly linters = new Map<string, SqlLinter>();
  private readonly results = new Map<string, LintedDocument>();
  private readonly debouncer = new KeyedDebouncer();
  /** SQL documents whose linter has nothing cached (new, or after a schema/settings change). */
  private readonly cold = new Set<string>();
  /** Latest sliced run per document; an older run stops when a newer one starts. */
  private readonly runs = new Map<string, number>();
  private runCounter = 0;
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private settings = readSettings();
  /** False until PostgreSQL's parser (WASM) is loaded; linting starts once it is. */
  private parsersReady = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly schema: WorkspaceSchema,
    /** Cross-file SQL wrappers and querying functions; optional so tests can lint without it. */
    private readonly workspaceIndex?: WorkspaceIndexService,
    private readonly migrations?: WorkspaceMigrations,
  ) {
    const ws = vscode.workspace;
    // The index finished (or was rebuilt): re-lint with cross-file knowledge.
    if (workspaceIndex) this.disposables.push(workspaceIndex.onDidChange(() => this.invalidateAll()));
    this.disposables.push(
      ws.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      ws.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.schedule(e.document, this.settings.debounceMs);
      }),
      ws.onDidSaveTextDocument((doc) => this.schedule(doc, 0)),
      ws.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
      ws.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('sqlPlanAdvisor')) return;
        const previous = this.settings;
        this.settings = readSettings();
        // Cached per-statement results depend on dialect and rule settings: start afresh.
        if (previous.dialect !== this.settings.dialect) this.linters.clear();
        this.invalidateAll();
      }),
      schema.onDidChange(() => this.invalidateAll()),
    );
    loadQueryParsers().then(
      () => {
        this.parsersReady = true;
        this.lintAllOpen();
      },
      (err) => console.error('[sql-plan-advisor] loading the PostgreSQL parser failed:', err),
    );
    if (migrations) this.disposables.push(migrations.onDidChange(() => this.lintAllOpen()));
  }

  /** The workspace's ordered migrations, once read (for advice written as a migration). */
  get migrationSet(): MigrationSet | undefined {
    return this.migrations?.current;
  }

  /** Marks every cached result stale (the catalog or settings changed) and re-lints. */
  private invalidateAll(): void {
    for (const key of this.linters.keys()) this.cold.add(key);
    this.lintAllOpen();
  }

  /** Lints every open document now (after a schema or settings change, and at startup). */
  lintAllOpen(): void {
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  /**
   * Findings for the document's current version; lints synchronously when the stored ones
   * are stale (an edit still inside the debounce window), so fixes never use old offsets.
   */
  findingsFor(doc: vscode.TextDocument): DocumentFinding[] {
    const key = doc.uri.toString();
    const stored = this.results.get(key);
    if (stored && stored.version === doc.version) return stored.findings;
    if (!this.modeOf(doc) || !this.parsersReady) return [];
    this.debouncer.cancel(key);
    return this.lintNow(doc);
  }

  /** Findings currently shown for the document, or none while an edit awaits re-linting. */
  reportedFindings(doc: vscode.TextDocument): DocumentFinding[] {
    const stored = this.results.get(doc.uri.toString());
    return stored && stored.version === doc.version ? stored.findings : [];
  }

  /** URI of a rule's documentation page shipped with the extension (`docs/rules/<id>.md`). */
  ruleDocUri(ruleId: string): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'docs', 'rules', `${ruleId}.md`);
  }

  private modeOf(doc: vscode.TextDocument): LintMode {
    return lintMode(doc.languageId, doc.uri.scheme, this.settings.embedded);
  }

  private schedule(doc: vscode.TextDocument, delayMs: number): void {
    const key = doc.uri.toString();
    if (!this.modeOf(doc)) {
      // Language changed away from SQL/TS, or embedded scanning was switched off.
      if (this.results.has(key)) this.forget(doc.uri);
      return;
    }
    this.debouncer.schedule(key, delayMs, () => {
      // Before the parser is loaded there is nothing to do: loading re-lints every open document.
      if (doc.isClosed || !this.parsersReady) return;
      if (this.cold.has(key) || !this.linters.has(key)) void this.lintSliced(doc);
      else this.lintNow(doc);
    });
  }

  /**
   * Lints a SQL document whose linter has nothing cached without blocking the extension host
   * (small documents are simply linted at once). Publishes only the complete result.
   */
  private async lintSliced(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const text = doc.getText();
    if (this.modeOf(doc) !== 'sql' || isOversized(text.length, this.settings.maxFileSizeKb) || splitStatements(text, this.settings.dialect).length <= SLICED_LINT_MIN_STATEMENTS) {
      this.lintNow(doc);
      return;
    }
    const run = ++this.runCounter;
    this.runs.set(key, run);
    const version = doc.version;
    const opts = this.lintOptions();
    let findings: DocumentFinding[] | undefined;
    try {
      findings = await lintInSlices(this.linterFor(key), text, opts, {
        sliceMs: SLICE_MS,
        // A newer run, an edit, a schema change or closing the document makes this run moot.
        isCancelled: () => doc.isClosed || this.runs.get(key) !== run || doc.version !== version || opts.catalog !== this.schema.catalog,
      });
    } catch (err) {
      console.error(`[sql-plan-advisor] linting ${key} failed:`, err);
      findings = [];
    }
    if (findings === undefined || this.runs.get(key) !== run) return;
    this.runs.delete(key);
    this.cold.delete(key);
    this.publish(doc, version, findings);
  }

  private lintOptions(): LintOptions {
    const index = this.workspaceIndex;
    const embedded = index
      ? { resolverFor: (f: string) => index.resolverFor(f), sqlFunctions: index.embeddedSettings.sqlFunctions, relaxedGlobs: index.embeddedSettings.relaxedGlobs }
      : undefined;
    return { dialect: this.settings.dialect, catalog: this.schema.catalog, rules: this.settings.rules, embedded };
  }

  private linterFor(key: string): SqlLinter {
    let linter = this.linters.get(key);
    if (!linter) this.linters.set(key, (linter = new SqlLinter()));
    return linter;
  }

  private lintNow(doc: vscode.TextDocument): DocumentFinding[] {
    const key = doc.uri.toString();
    const mode = this.modeOf(doc);
    const text = doc.getText();
    let findings: DocumentFinding[] = [];
    if (isOversized(text.length, this.settings.maxFileSizeKb)) {
      const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), oversizeMessage(text.length, this.settings.maxFileSizeKb), vscode.DiagnosticSeverity.Information);
      d.source = DIAGNOSTIC_SOURCE;
      this.collection.set(doc.uri, [d]);
      this.results.set(key, { version: doc.version, findings });
      return findings;
    }
    const opts = this.lintOptions();
    // A synchronous lint supersedes any sliced run in progress.
    this.runs.delete(key);
    try {
      if (mode === 'sql') {
        findings = this.linterFor(key).lint(text, opts);
        this.cold.delete(key);
      } else if (mode === 'source') {
        this.workspaceIndex?.noteEdit(doc.fileName, text);
        findings = lintDocument(lintFileName(doc.fileName, doc.languageId), text, opts);
      }
    } catch (err) {
      // The core promises never to throw; if it does, keep the editor usable and say so once.
      console.error(`[sql-plan-advisor] linting ${doc.uri.toString()} failed:`, err);
      findings = [];
    }
    this.publish(doc, doc.version, findings);
    return findings;
  }

  private publish(doc: vscode.TextDocument, version: number, perQuery: DocumentFinding[]): void {
    const findings = this.withMigrationRules(doc, perQuery);
    this.results.set(doc.uri.toString(), { version, findings });
    this.collection.set(doc.uri, findings.map((f) => this.toDiagnostic(doc, f)));
  }

  /** Adds the migration rules' findings and lowers per-query ones inside migration folders. */
  private withMigrationRules(doc: vscode.TextDocument, findings: DocumentFinding[]): DocumentFinding[] {
    const set = this.migrations?.current;
    if (!set || doc.uri.scheme !== 'file') return findings;
    return withMigrationFindings(vscode.workspace.asRelativePath(doc.uri), doc.getText(), findings, {
      set,
      catalog: this.schema.catalog,
      rules: this.settings.rules,
      querySeverity: this.settings.migrationQuerySeverity,
    });
  }

  private toDiagnostic(doc: vscode.TextDocument, f: DocumentFinding): vscode.Diagnostic {
    const range = new vscode.Range(doc.positionAt(f.start), doc.positionAt(Math.max(f.start, f.end)));
    const d = new vscode.Diagnostic(range, f.message, SEVERITIES[diagnosticSeverityIndex(f.severity)]);
    d.source = DIAGNOSTIC_SOURCE;
    // Rules with documentation link to it from the Problems panel and the hover.
    d.code = ruleById(f.ruleId) ? { value: f.ruleId, target: this.ruleDocUri(f.ruleId) } : f.ruleId;
    return d;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.debouncer.cancel(key);
    this.linters.delete(key);
    this.cold.delete(key);
    this.runs.delete(key);
    this.results.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    this.debouncer.cancelAll();
    for (const d of this.disposables) d.dispose();
    this.linters.clear();
    this.results.clear();
  }
}

/**
 * Starts live linting. Open documents are linted once the workspace schema has loaded (so
 * schema-aware rules speak from the first pass; `ready()` joins the load `activate` started);
 * later opens and edits are linted as they come.
 */
export function registerLinting(context: vscode.ExtensionContext, schema: WorkspaceSchema, workspaceIndex?: WorkspaceIndexService): LintService {
  const migrations = new WorkspaceMigrations(schema);
  const service = new LintService(context.extensionUri, schema, workspaceIndex, migrations);
  context.subscriptions.push(migrations, service);
  void migrations.rebuild();
  void schema.ready().then(
    () => service.lintAllOpen(),
    () => service.lintAllOpen(),
  );
  return service;
}
