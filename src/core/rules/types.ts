/**
 * The shape every lint rule shares, after ESLint: metadata (id, description, rationale,
 * examples) plus a pure `check` that returns findings with ranges and optional fixes.
 * Rules never print, read files or know the editor.
 */
import type { OrmIndexForm } from '../schema/orm/indexSyntax';
import type { Dialect } from '../dialect';
import type { QueryStatement } from '../query/model';
import type { Catalog } from '../schema/types';
import type { Statement } from '../sql/split';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A text replacement; offsets are in the coordinates of the text the finding refers to. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

/** Structured payload for fixes the editor performs itself (e.g. "insert CREATE INDEX into…"). */
export interface SuggestedIndex {
  table: string;
  ddl: string;
  /** The same index in the ORM syntax of the table's schema (Prisma `@@index`…), when it has one. */
  orm?: OrmIndexForm;
}

export interface Finding {
  ruleId: string;
  message: string;
  severity: Severity;
  /** Range, as offsets into the checked text (the statement text for SQL rules). */
  start: number;
  end: number;
  fixes?: Fix[];
  suggestedIndex?: SuggestedIndex;
}

export interface SqlRuleContext {
  statement: Statement;
  /** The statement in the query model (normally one; more when the text held several). */
  statements: QueryStatement[];
  catalog: Catalog;
  dialect: Dialect;
}

export interface RuleMeta {
  id: string;
  /** One sentence, shown in settings and docs. */
  description: string;
  /** Why the pattern defeats an index, in plain words (docs and hover). */
  rationale: string;
  defaultSeverity: Severity;
  /** True when the rule needs table/index knowledge and stays silent without it. */
  needsSchema: boolean;
  examples: { bad: string[]; good: string[] };
  /** Short description of the fix, for docs. */
  fix?: string;
}

export interface SqlRule extends RuleMeta {
  kind: 'sql';
  /** Returns findings with offsets relative to `ctx.statement.text`. */
  check(ctx: SqlRuleContext): Omit<Finding, 'severity' | 'ruleId'>[];
}

/** Base URL of rule documentation; each rule's page is `${RULE_DOCS_BASE}${id}.md`. */
export const RULE_DOCS_BASE = 'https://github.com/sql-plan-advisor/sql-plan-advisor/blob/main/docs/rules/';
