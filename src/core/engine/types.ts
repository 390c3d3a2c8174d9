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
  /** Dialect of the schema and queries; MySQL is approximated by PostgreSQL (default postgresql). */
  dialect?: 'postgresql' | 'mysql';
  /**
   * A gzipped PGlite data directory of an empty cluster (`scripts/build-engine-snapshot.js`);
   * starting from it skips initdb. Default: `pglite-snapshot.tgz` next to the bundle, if present.
   */
  snapshotPath?: string;
  /** Folder where a snapshot is cached after a cold start, for the next start (extension global storage). */
  cacheDir?: string;
  /** Run initdb even when a snapshot exists (the benchmark measures both). */
  noSnapshot?: boolean;
  /**
   * Fill every table when the engine starts, instead of each table the first time a statement
   * reads it (the default: a large schema then costs what the queried tables cost).
   */
  eagerRows?: boolean;
  /** Called with a short status line while the engine starts (for progress UI). */
  onProgress?: (message: string) => void;
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
  /** Values given to parameters, in order of appearance (for display). */
  parameters?: { text: string; value: string; source?: string }[];
  /** Row counts (pg_class.reltuples) of the relations the plan reads, for plain-words warnings. */
  relationRows?: Record<string, number>;
  /**
   * Size of each index created for this request (`withIndexes`), measured with
   * pg_relation_size after the real build on the engine's rows, with the table's row count.
   */
  indexSizes?: { name: string; table: string; bytes: number; tableRows: number }[];
  /** Things the user should know about how the plan was obtained (MySQL approximation, generic plan…). */
  notes?: string[];
}

export interface PlanEngine {
  /** Schema statements the engine could not load (it loaded the rest). */
  readonly schemaProblems: SchemaLoadProblem[];
  explain(req: ExplainRequest): Promise<ExplainResult>;
  /**
   * Runs one read-only statement (e.g. `SELECT … FROM pg_stats`) and returns its rows. Optional:
   * the index advisor uses it for data-distribution facts (partial indexes) when present.
   */
  query?(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}
