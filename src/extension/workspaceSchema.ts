/**
 * The workspace's schema catalog, kept current: reads the DDL files matched by
 * `sqlPlanAdvisor.schemaFiles` (in path order, so numbered migrations apply in order) and
 * rebuilds when any of them is created, changed or deleted.
 */
import * as vscode from 'vscode';
import { parseDialect } from '../core/dialect';
import { loadCatalog } from '../core/schema/catalog';
import type { Catalog, SchemaSource } from '../core/schema/types';

const MAX_SCHEMA_FILE_BYTES = 5 * 1024 * 1024;

export class WorkspaceSchema implements vscode.Disposable {
  private current: Catalog = { tables: new Map(), problems: [] };
  private currentSources: SchemaSource[] = [];
  private uriByFile = new Map<string, vscode.Uri>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private pending: Promise<void> | undefined;
  private firstLoad: Promise<void> | undefined;
  private fingerprint: string | undefined;
  private version = 0;
  /** Sequence number of the newest load; an older load finishing late must not win. */
  private latestLoad = 0;

  /** Fires after the catalog was rebuilt. */
  readonly onDidChange = this.changed.event;

  constructor() {
    const rebuild = () => void this.refresh();
    for (const pattern of this.patterns()) {
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      watcher.onDidChange(rebuild);
      watcher.onDidCreate(rebuild);
      watcher.onDidDelete(rebuild);
      this.disposables.push(watcher);
    }
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('sqlPlanAdvisor.schemaFiles') || e.affectsConfiguration('sqlPlanAdvisor.dialect')) rebuild();
      }),
    );
  }

  get catalog(): Catalog {
    return this.current;
  }

  /** The DDL files the catalog was built from, in the order applied. */
  get sources(): SchemaSource[] {
    return this.currentSources;
  }

  /** The URI a source was read from, by its `SchemaSource.file` (workspace-relative path). */
  uriOf(file: string): vscode.Uri | undefined {
    return this.uriByFile.get(file);
  }

  /** Increments on every rebuild; caches key on it. */
  get generation(): number {
    return this.version;
  }

  /**
   * Resolves once the first build, and any rebuild under way, has finished. Never starts a
   * rebuild of its own once the catalog exists: a rebuild fires `onDidChange`, which restarts
   * the engine and re-lints every open document.
   */
  ready(): Promise<void> {
    return this.pending ?? this.firstLoad ?? this.refresh();
  }

  /** Re-reads all schema files and rebuilds the catalog. */
  refresh(): Promise<void> {
    const pending = this.load().finally(() => {
      if (this.pending === pending) this.pending = undefined;
    });
    this.pending = pending;
    this.firstLoad ??= pending;
    return pending;
  }

  private patterns(): string[] {
    return vscode.workspace.getConfiguration('sqlPlanAdvisor').get<string[]>('schemaFiles', ['**/*.sql']);
  }

  private async load(): Promise<void> {
    const seq = ++this.latestLoad;
    const uris: vscode.Uri[] = [];
    for (const pattern of this.patterns()) {
      uris.push(...(await vscode.workspace.findFiles(pattern, '**/node_modules/**', 2000)));
    }
    const unique = [...new Map(uris.map((u) => [u.toString(), u])).values()];
    unique.sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true }));
    const sources: SchemaSource[] = [];
    const uriByFile = new Map<string, vscode.Uri>();
    for (const uri of unique) {
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.size > MAX_SCHEMA_FILE_BYTES) continue;
        const bytes = await vscode.workspace.fs.readFile(uri);
        const file = vscode.workspace.asRelativePath(uri);
        sources.push({ file, text: Buffer.from(bytes).toString('utf8') });
        uriByFile.set(file, uri);
      } catch {
        // A file deleted between find and read is simply not part of the schema.
      }
    }
    if (seq !== this.latestLoad) return;
    const dialect = parseDialect(vscode.workspace.getConfiguration('sqlPlanAdvisor').get<string>('dialect')) ?? 'postgresql';
    const catalog = await loadCatalog(sources, dialect);
    if (seq !== this.latestLoad) return;
    this.currentSources = sources;
    this.uriByFile = uriByFile;
    this.current = catalog;
    this.version++;
    // `schemaFiles` matches query files too (DDL often sits beside queries), so most saves
    // change no table or index. Only a real schema change restarts the engine and re-lints.
    const fingerprint = catalogFingerprint(this.current);
    if (fingerprint === this.fingerprint) return;
    this.fingerprint = fingerprint;
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** What the schema says, without where it was said: equal for edits that change no DDL. */
function catalogFingerprint(catalog: Catalog): string {
  return JSON.stringify([...catalog.tables.values(), catalog.problems.map((p) => p.message)], (key, value) =>
    key === 'source' || key === 'offset' ? undefined : value,
  );
}
