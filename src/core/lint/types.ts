import type { Dialect } from '../dialect';
import type { Catalog } from '../schema/types';
import type { Finding, Severity } from '../rules/types';
import type { SinkInfo, SinkResolver } from '../embedded/sinks';
import type { ReceiverTypes } from '../embedded/typeReceivers';
import type { MigrationSet } from '../migrations/set';

/** Severity override per rule id; `off` disables the rule. */
export type RuleSettings = Record<string, Severity | 'off'>;

export interface LintOptions {
  dialect: Dialect;
  catalog: Catalog;
  rules?: RuleSettings;
  /** Options for SQL embedded in TS/JS (project wrappers, N+1 relaxed paths). */
  embedded?: EmbeddedLintOptions;
  /**
   * The workspace's ordered migrations: when given, the migration rules run on files of the set
   * and per-query findings inside migration folders drop to `querySeverity` (default info).
   */
  migrations?: { set: MigrationSet; querySeverity?: Severity | 'off' };
}

/** Cross-file knowledge and settings for TS/JS sources. */
export interface EmbeddedLintOptions {
  /** The workspace index's answers for a file; without it only same-file wrappers are seen. */
  resolverFor?(fileName: string): SinkResolver | undefined;
  /** Extra sinks named in settings (`sqlFunctions`). */
  sqlFunctions?: readonly SinkInfo[];
  /** Globs (tests, seeds, migrations) where `n-plus-one` reports at `info`. */
  relaxedGlobs?: readonly string[];
  /** The project's type information (a tsconfig with node_modules): N+1 judges receivers by type first. */
  receiverTypes?: ReceiverTypes;
}

/** A finding with offsets into the whole document (not a statement). */
export type DocumentFinding = Finding;
