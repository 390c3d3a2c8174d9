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
}
