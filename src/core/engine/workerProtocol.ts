/**
 * Messages between the extension host and the engine worker thread (`worker.ts`), typed on
 * both sides. Requests carry an id; the worker answers each with a result or an error.
 */
import type { Catalog, SchemaSource } from '../schema/types';
import type { EngineOptions, ExplainRequest, ExplainResult, SchemaLoadProblem } from './types';
import type { StartupStats } from './pgliteEngine';

/** Engine options that can cross a thread boundary (no callbacks). */
export type WorkerEngineOptions = Omit<EngineOptions, 'onProgress'>;

export type HostToWorker =
  | { type: 'start'; sources: SchemaSource[]; catalog: Catalog; options: WorkerEngineOptions }
  | { type: 'explain'; id: number; request: ExplainRequest }
  | { type: 'query'; id: number; sql: string }
  | { type: 'close' };

export type WorkerToHost =
  | { type: 'progress'; message: string }
  | { type: 'ready'; schemaProblems: SchemaLoadProblem[]; startup: StartupStats }
  | { type: 'start-failed'; message: string }
  | { type: 'explained'; id: number; result: ExplainResult }
  | { type: 'rows'; id: number; rows: Record<string, unknown>[] }
  /** `userError`: the request was at fault (bad SQL), not the engine. */
  | { type: 'failed'; id: number; message: string; userError: boolean }
  | { type: 'closed' };
