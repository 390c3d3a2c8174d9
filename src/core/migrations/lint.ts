/**
 * Migration-aware linting for one file: runs the migration rules (lock safety, index hygiene)
 * on it in the context of the ordered migration set, and lowers the per-query rules' findings
 * inside migrations — a backfill in a migration runs once, so an index for it would cost on
 * every write forever to save one slow run.
 */
import { buildCatalog } from '../schema/catalog';
import type { Catalog } from '../schema/types';
import type { DocumentFinding, RuleSettings } from '../lint/types';
import type { Severity } from '../rules/types';
import { blockingIndexBuild } from '../rules/blocking-index-build';
import { concurrentIndexInTransaction } from '../rules/concurrent-index-in-transaction';
import { redundantIndex } from '../rules/redundant-index';
import { unindexedForeignKey } from '../rules/unindexed-foreign-key';
import type { MigrationRule } from './rule';
import { findMigrationFile, type MigrationSet } from './set';

/** The migration rules, in documentation order. */
export const migrationRules: readonly MigrationRule[] = [blockingIndexBuild, concurrentIndexInTransaction, redundantIndex, unindexedForeignKey];

const MIGRATION_RULE_IDS = new Set(migrationRules.map((r) => r.id));

/** Default severity of per-query findings inside migrations (`sqlPlanAdvisor.migrations.queryRuleSeverity`). */
export const DEFAULT_MIGRATION_QUERY_SEVERITY: Severity = 'info';

export interface MigrationLintOptions {
  set: MigrationSet;
  catalog: Catalog;
  rules?: RuleSettings;
  /** Severity for per-query rules' findings inside migration folders; `off` drops them. */
  querySeverity?: Severity | 'off';
}

/**
 * Adds the migration rules' findings for `file` to the per-query `findings` of the same text,
 * lowering the latter when the file is a migration. `file` is the key the set and the catalog
 * use (a path suffix match also works). Never throws.
 */
export function withMigrationFindings(file: string, text: string, findings: DocumentFinding[], opts: MigrationLintOptions): DocumentFinding[] {
  const entry = findMigrationFile(opts.set, file);
  // The set was read from disk; an edited buffer is checked only when it matches what was read.
  if (!entry || entry.text !== text) return findings;
  let out = findings;
  if (entry.place.folder) {
    const lowered = opts.querySeverity ?? DEFAULT_MIGRATION_QUERY_SEVERITY;
    out = lowered === 'off'
      ? findings.filter((f) => !isQueryFinding(f))
      : findings.map((f) => (isQueryFinding(f) ? { ...f, severity: lowered } : f));
  }
  const extra: DocumentFinding[] = [];
  const catalog = entry.place.folder ? migrationCatalog(opts.set) : opts.catalog;
  for (const rule of migrationRules) {
    const setting = opts.rules?.[rule.id];
    if (setting === 'off') continue;
    if (rule.needsSchema && catalog.tables.size === 0) continue;
    try {
      for (const f of rule.check({ file: entry, set: opts.set, catalog })) extra.push({ ...f, ruleId: rule.id, severity: setting ?? rule.defaultSeverity });
    } catch {
      // A rule must never take linting down; an unexpected shape means "no opinion".
    }
  }
  if (extra.length === 0) return out;
  return [...out, ...extra].sort((a, b) => a.start - b.start || a.end - b.end);
}

const catalogs = new WeakMap<MigrationSet, Catalog>();

/**
 * The schema the migrations themselves build, replayed in apply order. A migration's indexes and
 * keys are judged against it, not the workspace catalog, where a model declaration
 * (`schema.prisma`, a TypeORM entity) read after the migrations replaces their tables — and with
 * them where each index was declared.
 */
function migrationCatalog(set: MigrationSet): Catalog {
  let catalog = catalogs.get(set);
  if (!catalog) {
    catalog = buildCatalog(set.files.filter((f) => f.place.folder).map((f) => ({ file: f.file, text: f.text })), set.dialect);
    catalogs.set(set, catalog);
  }
  return catalog;
}

/** A finding about a query (or loop) in the file, not about the migration's own DDL or syntax. */
function isQueryFinding(f: DocumentFinding): boolean {
  return !MIGRATION_RULE_IDS.has(f.ruleId) && f.ruleId !== 'parse-error';
}
