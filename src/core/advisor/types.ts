import type { OrmIndexForm } from '../schema/orm/indexSyntax';
import type { IndexKey } from '../schema/types';

/** Index advice as the CLI (`advise --format json`), the extension and the plan webview see it. */

export type SuggestionKind = 'composite' | 'covering' | 'partial' | 'expression' | 'single';

export interface IndexSuggestion {
  table: string;
  kind: SuggestionKind;
  /** Ready-to-run DDL for the dialect (`CREATE INDEX … ON … (…) [INCLUDE (…)] [WHERE …]`). */
  ddl: string;
  /** Estimated plan cost of the served queries without / with the index (engine-verified). */
  costBefore: number;
  costAfter: number;
  /** The queries this index serves (statement text). */
  queries: string[];
  /** Top plan node types before and after, e.g. "Seq Scan on orders" → "Index Only Scan using …". */
  planBefore?: string;
  planAfter?: string;
  /** Existing indexes this one makes redundant (leftmost prefix of the new key). */
  redundant?: string[];
  /** Why this shape: equality columns, range column, sort columns, INCLUDE… in plain words. */
  reason: string;
  /** False when the planner ignored the index; `note` then says why. */
  used: boolean;
  note?: string;
  /** Index name in the DDL. */
  name?: string;
  /** The same index in the ORM syntax of the table's schema (Prisma `@@index`…), when it has one. */
  orm?: OrmIndexForm;
  /** Size of the index as built in the engine (pg_relation_size), and the table's rows it was built on. */
  size?: { bytes: number; tableRows: number };
}

// ---------------------------------------------------------------------------------------------
// Analysis and candidate model (pure; `analyzeQuery` / `generateCandidates` in this folder).
// Engineer A's lint rules may call candidate generation directly, so these are public too.


/** How a predicate constrains a key: equality, an IN list / `= ANY(…)`, `IS NULL`, or a range. */
export type PredicateOp = 'eq' | 'in' | 'null' | 'range';

/** One sargable conjunct of WHERE / JOIN ON, on a column or an expression of one table. */
export interface Predicate {
  key: IndexKey;
  op: PredicateOp;
  /** What the key is compared with: a parameter, a literal, or another table's column. */
  value: 'param' | 'constant' | 'column' | 'expression';
  /** SQL text of the literal when `value` is `constant` (`'PENDING'`, `42`, `true`, `NULL`). */
  constant?: string;
}

/** What one statement (one SELECT block) asks of one table. */
export interface TableUsage {
  /** Catalog name (lower-case unless quoted in the DDL). */
  table: string;
  alias?: string;
  /** Sargable predicates on this table (filters; join equalities are in `joinKeys`). */
  predicates: Predicate[];
  /** Columns equated with another table's column (`o.user_id = u.id` → `user_id`). */
  joinKeys: string[];
  /** ORDER BY keys, only when every ORDER BY item belongs to this table. */
  orderBy: { key: IndexKey; descending: boolean }[];
  /** GROUP BY keys, only when every GROUP BY item belongs to this table. */
  groupBy: IndexKey[];
  /** Every column of this table the statement reads (select list, predicates, sort, group). */
  referenced: string[];
  /** `SELECT *` / `t.*` reads all columns: no covering index is possible. */
  selectAll: boolean;
}

export interface QueryAnalysis {
  sql: string;
  ok: boolean;
  /** Why the statement could not be analysed (parse error, not a SELECT/UPDATE/DELETE…). */
  message?: string;
  statementType?: 'select' | 'update' | 'delete';
  /** One entry per table per SELECT block, known tables only. */
  tables: TableUsage[];
  /** LIMIT of the outermost block when it is a number. */
  limit?: number;
  /** Tables the statement names that the catalog does not know (no advice for them). */
  unknownTables: string[];
}

/** A proposed index, before the engine has verified it. */
export interface Candidate {
  table: string;
  kind: SuggestionKind;
  /** Index name used in the DDL (and to recognise the index in a plan). */
  name: string;
  keys: IndexKey[];
  include: string[];
  /** Partial-index predicate (`status = 'PENDING'`). */
  where?: string;
  ddl: string;
  reason: string;
  /** Existing indexes whose keys are a leftmost prefix of this one's. */
  redundant: string[];
}

/** Data-distribution facts from the engine's `pg_stats` (used for selectivity and partial indexes). */
export interface ColumnStats {
  /** PostgreSQL semantics: > 0 distinct values; < 0 minus the fraction of rows that are distinct. */
  nDistinct: number;
  nullFrac: number;
  /** Most common values (as text, unquoted) with their frequencies. */
  mostCommon: { value: string; freq: number }[];
}

export interface TableStats {
  rows: number;
  columns: Map<string, ColumnStats>;
}

/** Table name → statistics. */
export type DataStats = Map<string, TableStats>;

/** One query found in the workspace. */
export interface WorkspaceQuery {
  sql: string;
  file: string;
  /** Offset of the statement in the file. */
  offset: number;
}

/** A workspace-level suggestion: one index and every query it serves. */
export interface WorkspaceSuggestion extends IndexSuggestion {
  /** Where the served queries are; `query` indexes into `queries`. */
  sources: { file: string; offset: number; query: number }[];
  /** Plain-words note on the write cost this extra index adds to its table. */
  writeCost: string;
}

export interface WorkspaceAdvice {
  suggestions: WorkspaceSuggestion[];
  /** Queries analysed (SELECT/UPDATE/DELETE on known tables). */
  queriesAnalyzed: number;
  /** Queries left out, with the reason (unparsable, unknown table, not a query…). */
  skipped: { file: string; offset: number; reason: string }[];
  /** General notes (e.g. "MySQL advice verified on the PostgreSQL engine: an approximation"). */
  notes: string[];
  /**
   * The distinct queries analysed and how many statements each stands for: statements with the
   * same PostgreSQL fingerprint (same shape, different constants) are one query.
   */
  queryOccurrences?: { sql: string; occurrences: number }[];
}
