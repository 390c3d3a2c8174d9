/**
 * The extension's handle on the plan engine. The engine (PGlite, ≈ 0.5 s to start and a few
 * hundred MB) lives in a worker thread (dist/engineWorker.js) so the editor never waits on
 * it; it starts lazily on the first request, with a progress notification, is reused across
 * explains, and is thrown away and rebuilt when the workspace schema or the engine settings
 * change. Implements `PlanEngine`, so the index advisor can use it like the in-process engine.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import * as vscode from 'vscode';
import type { ExplainRequest, ExplainResult, PlanEngine, SchemaLoadProblem } from '../core/engine/types';
import type { HostToWorker, WorkerToHost } from '../core/engine/workerProtocol';
import { parseDialect } from '../core/dialect';
import type { WorkspaceSchema } from './workspaceSchema';

/** Timeouts after which a request is abandoned and the worker restarted (WASM cannot be interrupted). */
const EXPLAIN_TIMEOUT_MS = 30_000;
const ANALYZE_TIMEOUT_MS = 120_000;
const START_TIMEOUT_MS = 180_000;

export interface EngineHost extends PlanEngine, vscode.Disposable {
  /**
   * Starts the engine now (normally it starts on the first request). `quiet` reports progress
   * in the status bar instead of a notification: for a background warm-up nobody asked for.
   */
  start(options?: { quiet?: boolean }): Promise<void>;
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Fires after the engine was (re)started, with the schema statements it could not load. */
  readonly onDidStart: vscode.Event<SchemaLoadProblem[]>;
}

let instance: WorkerEngineHost | undefined;

/**
 * The extension-wide engine host. The first call must pass the workspace schema (the explain
 * feature does so at activation); later callers such as the index advisor may omit it.
 */
export function getEngineHost(context: vscode.ExtensionContext, schema?: WorkspaceSchema): EngineHost {
  if (!instance) {
    if (!schema) throw new Error('the engine host needs the workspace schema on first use');
    instance = new WorkerEngineHost(context, schema);
    context.subscriptions.push(instance);
  }
  return instance;
}

interface Pending {
  resolve: (msg: WorkerToHost) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** A request the user got wrong (bad SQL): show the message, not a crash report. */
export class EngineRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineRequestError';
  }
}

class WorkerEngineHost implements EngineHost {
  private worker: Worker | undefined;
  private starting: Promise<void> | undefined;
  private problems: SchemaLoadProblem[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly started = new vscode.EventEmitter<SchemaLoadProblem[]>();
  private readonly disposables: vscode.Disposable[] = [this.started];
  readonly onDidStart = this.started.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly schema: WorkspaceSchema,
  ) {
    this.disposables.push(
      schema.onDidChange(() => this.reset('the workspace schema changed')),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('sqlPlanAdvisor.engine') || e.affectsConfiguration('sqlPlanAdvisor.dialect')) {
          this.reset('the engine settings changed');
        }
      }),
    );
  }

  get schemaProblems(): SchemaLoadProblem[] {
    return this.problems;
  }

  start(options: { quiet?: boolean } = {}): Promise<void> {
    if (!this.starting) {
      this.starting = this.startWorker(options.quiet ?? false).catch((err) => {
        this.starting = undefined;
        throw err;
      });
    }
    return this.starting;
  }

  async explain(request: ExplainRequest): Promise<ExplainResult> {
    await this.start();
    const reply = await this.request({ type: 'explain', id: 0, request }, request.analyze ? ANALYZE_TIMEOUT_MS : EXPLAIN_TIMEOUT_MS);
    if (reply.type !== 'explained') throw new Error('unexpected reply from the engine');
    return reply.result;
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    await this.start();
    const reply = await this.request({ type: 'query', id: 0, sql }, EXPLAIN_TIMEOUT_MS);
    if (reply.type !== 'rows') throw new Error('unexpected reply from the engine');
    return reply.rows;
  }

  async close(): Promise<void> {
    this.reset('the engine was closed');
  }

  dispose(): void {
    this.reset('the extension is shutting down');
    for (const d of this.disposables) d.dispose();
    if (instance === this) instance = undefined;
  }

  private async startWorker(quiet: boolean): Promise<void> {
    await this.schema.ready();
    const config = vscode.workspace.getConfiguration('sqlPlanAdvisor');
    const worker = new Worker(path.join(this.context.extensionPath, 'dist', 'engineWorker.js'));
    this.worker = worker;
    worker.on('message', (msg: WorkerToHost) => this.onMessage(msg));
    worker.on('error', (err) => this.onWorkerGone(worker, `the engine failed: ${err.message}`));
    worker.on('exit', (code) => this.onWorkerGone(worker, `the engine stopped (exit code ${code})`));

    await vscode.window.withProgress(
      {
        location: quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
        title: 'SQL Plan Advisor',
        cancellable: false,
      },
      (progress) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            reject(new Error('the engine did not start within 3 minutes'));
            void worker.terminate();
          }, START_TIMEOUT_MS);
          const listener = (msg: WorkerToHost) => {
            if (msg.type === 'progress') progress.report({ message: msg.message });
            else if (msg.type === 'ready') {
              this.problems = msg.schemaProblems;
              finish();
              this.started.fire(msg.schemaProblems);
              resolve();
            } else if (msg.type === 'start-failed') {
              finish();
              reject(new Error(`the PostgreSQL engine could not start: ${msg.message}`));
            }
          };
          const onExit = () => {
            finish();
            reject(new Error('the engine stopped while starting'));
          };
          const finish = () => {
            clearTimeout(timer);
            worker.off('message', listener);
            worker.off('exit', onExit);
          };
          worker.on('message', listener);
          worker.on('exit', onExit);
          const message: HostToWorker = {
            type: 'start',
            sources: this.schema.sources,
            catalog: this.schema.catalog,
            options: {
              // Settings objects are read-only Proxies that postMessage cannot clone: copy them.
              rows: { ...config.get<Record<string, number>>('engine.rows', {}) },
              defaultRows: config.get<number>('engine.defaultRows', 10_000),
              dialect: parseDialect(config.get<string>('dialect')) ?? 'postgresql',
              cacheDir: this.context.globalStorageUri.fsPath,
            },
          };
          worker.postMessage(message);
        }),
    );
  }

  private request(msg: HostToWorker & { id: number }, timeoutMs: number): Promise<WorkerToHost> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('the engine is not running'));
    const id = this.nextId++;
    return new Promise<WorkerToHost>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the engine did not answer within ${Math.round(timeoutMs / 1000)} s; it was restarted`));
        this.reset('a request timed out');
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ ...msg, id });
    });
  }

  private onMessage(msg: WorkerToHost): void {
    if (msg.type !== 'explained' && msg.type !== 'rows' && msg.type !== 'failed') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.type === 'failed') p.reject(msg.userError ? new EngineRequestError(msg.message) : new Error(msg.message));
    else p.resolve(msg);
  }

  private onWorkerGone(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.starting = undefined;
    this.rejectAll(reason);
  }

  /** Drops the current engine; the next request starts a fresh one. */
  private reset(reason: string): void {
    const worker = this.worker;
    this.worker = undefined;
    this.starting = undefined;
    this.rejectAll(reason);
    if (worker) {
      // Ask for a clean close (PGlite releases its memory), then make sure the thread is gone.
      worker.postMessage({ type: 'close' } satisfies HostToWorker);
      setTimeout(() => void worker.terminate(), 2000).unref();
    }
  }

  private rejectAll(reason: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(reason));
      this.pending.delete(id);
    }
  }
}
