/**
 * The shape of a migration rule: the same metadata as the SQL rules, but `check` sees one
 * migration file in the context of the whole ordered migration set and the final catalog, so
 * it can tell a table created earlier in this migration from one that already held data.
 */
import type { Catalog } from '../schema/types';
import type { Finding, RuleMeta } from '../rules/types';
import type { MigrationFile, MigrationSet } from './set';

export interface MigrationRuleContext {
  file: MigrationFile;
  set: MigrationSet;
  /** The schema after every migration ran. */
  catalog: Catalog;
}

export interface MigrationRule extends RuleMeta {
  kind: 'migration';
  /** Returns findings with offsets into `ctx.file.text`. */
  check(ctx: MigrationRuleContext): Omit<Finding, 'severity' | 'ruleId'>[];
}
