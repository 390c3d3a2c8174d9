/**
 * Messages between the plan panel host (src/extension/planPanel.ts) and the plan webview
 * (webview/plan/main.ts). Imported by both so either side's change breaks the other's build.
 * Types only: nothing here may pull Node or VS Code code into the browser bundle.
 */
import type { IndexSuggestion } from '../../src/core/advisor/types';
import type { PlanModel } from '../../src/core/plan/model';

/** The plan model as sent: the flat `nodes` list is rebuilt in the webview from the tree. */
export type PlanTree = Omit<PlanModel, 'nodes'>;

/** Everything the webview draws for one explain. */
export interface PlanView {
  /** The statement as the user wrote it. */
  sql: string;
  /** The statement sent to PostgreSQL (parameters replaced). */
  executedSql: string;
  analyze: boolean;
  model: PlanTree;
  /** PostgreSQL's classic text rendering. */
  text: string;
  /** The EXPLAIN JSON, pretty-printed. */
  json: string;
  parameters: { text: string; value: string; source?: string }[];
  notes: string[];
  /** Schema statements the engine could not load. */
  schemaProblems: { statement: string; message: string }[];
  /** Hypothetical indexes this plan was made with (re-explain with an index). */
  withIndexes: string[];
  /** Where the statement came from, e.g. "queries.sql:12". */
  origin?: string;
  /** Set when the header can link back to the statement's source line. */
  originLink?: boolean;
  /**
   * Set for a plan opened from the clipboard or a file (or a live server): a label for the
   * header; the engine actions (Explain Analyze, index advice) do not apply to it.
   */
  opened?: string;
  /** Tables and indexes whose definition the host can open (scan nodes link to them). */
  definitions?: { tables: string[]; indexes: string[] };
}

export type SuggestionsState =
  | { state: 'loading' }
  | { state: 'done'; suggestions: IndexSuggestion[] }
  | { state: 'unavailable'; message: string };

export type HostToWebview =
  | { type: 'loading'; sql: string; analyze: boolean; message: string }
  | { type: 'progress'; message: string }
  | { type: 'plan'; view: PlanView }
  | { type: 'error'; sql: string; message: string }
  | ({ type: 'suggestions' } & SuggestionsState);

export type WebviewToHost =
  | { type: 'ready' }
  /** Re-run the explain with one hypothetical index (rolled back afterwards). */
  | { type: 'explainWithIndex'; ddl: string }
  /** Re-run the explain as it was first asked (no hypothetical index). */
  | { type: 'explainOriginal' }
  /** Re-run as EXPLAIN ANALYZE (rolled back). */
  | { type: 'explainAnalyze' }
  /** Copy text (DDL, plan) to the clipboard. */
  | { type: 'copy'; text: string }
  /** Open the statement's source line in the editor. */
  | { type: 'openSource' }
  /** Open a table's or index's definition (DDL or ORM declaration). */
  | { type: 'openDefinition'; kind: 'table' | 'index'; name: string }
  /** Save the graph as a picture: SVG text, or a PNG as a base64 data URL. */
  | { type: 'export'; format: 'svg' | 'png'; data: string; suggestedName: string };
