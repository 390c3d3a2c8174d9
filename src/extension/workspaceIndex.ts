/**
 * The workspace index in the editor: TS/JS files are read and summarised in a worker thread
 * (dist/indexWorker.js) so the extension host never parses 1,500 files itself; the summaries
 * land in a `WorkspaceIndex` here, where answering "is this callee a SQL wrapper?" is a few
 * map lookups. Summaries are cached by content hash in the extension's workspace storage.
 * Until the index is ready, files are linted with what they declare themselves (fast first
 * diagnostics); `onDidChange` fires when it is, and lint re-runs with cross-file knowledge.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { readSqlFunctions, type SinkInfo, type SinkResolver } from '../core/embedded/sinks';
import { DEFAULT_RELAXED_GLOBS } from '../core/embedded/globs';
import type { WorkspaceIndex } from '../core/workspace/index';
import type { FileSummary } from '../core/workspace/summary';
import { nodeFileHost } from '../core/workspace/fileHost';

type IndexModule = typeof import('../core/workspace/index');
let indexModule: IndexModule | undefined;

/** The index module pulls in the TypeScript compiler: loaded when the index is built, never at activation. */
function indexCore(): IndexModule {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (indexModule ??= require('../core/workspace/index') as IndexModule);
}

const SOURCE_GLOB = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}';
const EXCLUDE_GLOB = '**/{node_modules,dist,out,build,.next,.git,coverage}/**';
const MAX_FILES = 20_000;
const CACHE_FILE = 'index-summaries.json';

/** Settings of embedded SQL that the index and the lint options share. */
export interface EmbeddedSettings {
  sqlFunctions: SinkInfo[];
  relaxedGlobs: string[];
}

/** Reads `sqlPlanAdvisor.embedded.sqlFunctions` and `sqlPlanAdvisor.nPlusOne.relaxedGlobs`. */
export function readEmbeddedSettings(): EmbeddedSettings {
  const c = vscode.workspace.getConfiguration('sqlPlanAdvisor');
  const { sinks } = readSqlFunctions(c.get('embedded.sqlFunctions'));
  const globs = c.get<unknown>('nPlusOne.relaxedGlobs');
  return { sqlFunctions: sinks, relaxedGlobs: Array.isArray(globs) ? globs.filter((g): g is string => typeof g === 'string') : [...DEFAULT_RELAXED_GLOBS] };
}

/** Builds and keeps the workspace index; answers sink questions for the lint service. */
export class WorkspaceIndexService implements vscode.Disposable {
  private index: WorkspaceIndex | undefined;
  private ready = false;
  private worker: Worker | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the index is built (or rebuilt after a settings change). */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private settings = readEmbeddedSettings();

  constructor(private readonly context: vscode.ExtensionContext) {
    const watcher = vscode.workspace.createFileSystemWatcher(SOURCE_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidChange((uri) => this.refreshFromDisk(uri)),
      watcher.onDidCreate((uri) => this.refreshFromDisk(uri)),
      watcher.onDidDelete((uri) => this.index?.remove(uri.fsPath)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('sqlPlanAdvisor.embedded.sqlFunctions') || e.affectsConfiguration('sqlPlanAdvisor.nPlusOne.relaxedGlobs')) {
          this.settings = readEmbeddedSettings();
          void this.build();
        }
      }),
    );
  }

  /**
   * Builds the index once a TS/JS document is open (now, or when the first one opens), so a
   * SQL-only session never loads the TypeScript compiler for it.
   */
  startWhenSourcesAppear(): void {
    const isSource = (d: vscode.TextDocument) => d.uri.scheme === 'file' && /^(typescript|typescriptreact|javascript|javascriptreact)$/.test(d.languageId);
    if (vscode.workspace.textDocuments.some(isSource)) {
      void this.build();
      return;
    }
    const sub = vscode.workspace.onDidOpenTextDocument((d) => {
      if (!isSource(d)) return;
      sub.dispose();
      void this.build();
    });
    this.disposables.push(sub);
  }

  /** Current settings (sinks, relaxed globs) for lint options. */
  get embeddedSettings(): EmbeddedSettings {
    return this.settings;
  }

  /** The resolver for a file, or undefined while the index builds (lint then sees same-file wrappers only). */
  resolverFor(file: string): SinkResolver | undefined {
    return this.ready ? this.index?.resolverFor(file) : undefined;
  }

  /** Keeps the index in step with an edited document (one file's summary, ~1 ms). */
  noteEdit(file: string, text: string): void {
    if (this.ready) this.index?.update(file, text);
  }

  private refreshFromDisk(uri: vscode.Uri): void {
    if (!this.ready || vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && d.isDirty)) return;
    const text = nodeFileHost.readFile(uri.fsPath);
    if (text !== undefined) this.index?.update(uri.fsPath, text);
  }

  /** Finds the workspace's TS/JS files and summarises them in the worker. */
  async build(): Promise<void> {
    const uris = await vscode.workspace.findFiles(SOURCE_GLOB, EXCLUDE_GLOB, MAX_FILES);
    const files = uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
    const cacheFile = this.cachePath();
    let cached: string | undefined;
    try {
      cached = cacheFile ? fs.readFileSync(cacheFile, 'utf8') : undefined;
    } catch {
      cached = undefined;
    }
    const next = new (indexCore().WorkspaceIndex)(nodeFileHost, { sqlFunctions: this.settings.sqlFunctions });
    this.worker?.terminate();
    const worker = new Worker(path.join(this.context.extensionUri.fsPath, 'dist', 'indexWorker.js'));
    this.worker = worker;
    await new Promise<void>((resolve) => {
      worker.on('message', (msg: { type: string; items?: { file: string; hash: string; summary: FileSummary }[]; message?: string }) => {
        if (msg.type === 'summaries') for (const it of msg.items ?? []) next.adopt(it.file, it.hash, it.summary);
        if (msg.type === 'indexed' || msg.type === 'error') {
          if (msg.type === 'error') console.error('[sql-plan-advisor] workspace index:', msg.message);
          resolve();
        }
      });
      worker.on('error', (err) => {
        console.error('[sql-plan-advisor] workspace index worker failed:', err);
        resolve();
      });
      worker.postMessage({ type: 'index', files, cached });
    });
    if (this.worker !== worker) return; // superseded by a newer build
    void worker.terminate();
    this.worker = undefined;
    // Open documents may be ahead of the disk.
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === 'file' && files.includes(doc.uri.fsPath)) next.update(doc.uri.fsPath, doc.getText());
    this.index = next;
    this.ready = true;
    this.saveCache();
    this.changed.fire();
  }

  private cachePath(): string | undefined {
    const dir = this.context.storageUri?.fsPath;
    return dir ? path.join(dir, CACHE_FILE) : undefined;
  }

  private saveCache(): void {
    const file = this.cachePath();
    if (!file || !this.index) return;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, indexCore().serializeSummaries(this.index.summariesByHash()));
    } catch (err) {
      console.error('[sql-plan-advisor] could not write the index cache:', err);
    }
  }

  dispose(): void {
    void this.worker?.terminate();
    for (const d of this.disposables) d.dispose();
  }
}
