import type { Dialect } from '../dialect';
import type { Catalog } from '../schema/types';
import type { Finding, Severity } from '../rules/types';

/** Severity override per rule id; `off` disables the rule. */
export type RuleSettings = Record<string, Severity | 'off'>;

export interface LintOptions {
  dialect: Dialect;
  catalog: Catalog;
  rules?: RuleSettings;
}

/** A finding with offsets into the whole document (not a statement). */
export type DocumentFinding = Finding;
