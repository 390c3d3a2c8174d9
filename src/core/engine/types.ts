/**
 * Contract of the plan engine (PGlite: real PostgreSQL in WASM). Implemented in-process for
 * the CLI and tests, and behind a worker thread for the extension host; the advisor and the
 * explain command depend only on this interface.
 */

export interface EngineOptions {
  /** Synthetic rows per table (lower-cased table name → count). */
  rows?: Record<string, number>;
  /** Rows for tables not named in `rows`. */
  defaultRows?: number;
}

/** A DDL statement PGlite rejected while loading the schema; loading continued. */
export interface SchemaLoadProblem {
  statement: string;
  message: string;
}

export interface ExplainRequest {
  sql: string;
  /** Run EXPLAIN (ANALYZE, BUFFERS) inside a transaction that is always rolled back. */
  analyze?: boolean;
  /**
   * Index DDL (`CREATE INDEX …`) applied only for this request, inside a transaction that is
   * rolled back afterwards (hypothetical indexes for the advisor and "re-explain with index").
   */
  withIndexes?: string[];
  /** Run VACUUM before planning, so the visibility map allows Index Only Scans. */
  vacuum?: boolean;
}

export interface ExplainResult {
  /** The PostgreSQL EXPLAIN (FORMAT JSON) element that holds "Plan". */
  plan: Record<string, unknown>;
  /** The statement actually sent, after parameters were given representative values. */
  executedSql: string;
  /** Total estimated cost of the root node. */
  totalCost: number;
}

export interface PlanEngine {
  /** Schema statements the engine could not load (it loaded the rest). */
  readonly schemaProblems: SchemaLoadProblem[];
  explain(req: ExplainRequest): Promise<ExplainResult>;
  close(): Promise<void>;
}
