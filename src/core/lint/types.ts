import type { Dialect } from '../dialect';
import type { Catalog } from '../schema/types';
import type { Finding, Severity } from '../rules/types';
import type { MigrationSet } from '../migrations/set';

/** Severity override per rule id; `off` disables the rule. */
export type RuleSettings = Record<string, Severity | 'off'>;

export interface LintOptions {
  dialect: Dialect;
  catalog: Catalog;
  rules?: RuleSettings;
  /**
   * The workspace's ordered migrations: when given, the migration rules run on files of the set
   * and per-query findings inside migration folders drop to `querySeverity` (default info).
   */
  migrations?: { set: MigrationSet; querySeverity?: Severity | 'off' };
}

/** A finding with offsets into the whole document (not a statement). */
export type DocumentFinding = Finding;
