/**
 * The rule registry: the SQL rules the linter runs, plus metadata-only registrations (rules
 * that live elsewhere, such as `n-plus-one` on TS/JS sources) so that docs and settings list
 * every rule id.
 */
import type { RuleMeta, SqlRule } from './types';
import { expressionOnColumn } from './expression-on-column';
import { functionOnColumn } from './function-on-column';
import { leadingWildcard } from './leading-wildcard';
import { leftmostPrefix } from './leftmost-prefix';
import { missingIndex } from './missing-index';
import { notInSubquery } from './not-in-subquery';
import { offsetPagination } from './offset-pagination';
import { selectStar } from './select-star';

/** The SQL rules, in documentation order. */
export const sqlRules: SqlRule[] = [
  functionOnColumn,
  expressionOnColumn,
  leadingWildcard,
  selectStar,
  missingIndex,
  leftmostPrefix,
  notInSubquery,
  offsetPagination,
];

const extraMeta = new Map<string, RuleMeta>();

/** Registers metadata of a rule implemented outside the SQL linter (docs, settings, SARIF). */
export function registerRuleMeta(meta: RuleMeta): void {
  extraMeta.set(meta.id, meta);
}

/** Metadata of any known rule, SQL or registered, by id. */
export function ruleById(id: string): RuleMeta | undefined {
  return sqlRules.find((r) => r.id === id) ?? extraMeta.get(id);
}

/**
 * Documentation order of the rules registered from elsewhere. Registration follows module load
 * order, which differs between the CLI, the extension and a test run, so docs must not.
 */
const REGISTERED_ORDER = ['n-plus-one', 'blocking-index-build', 'concurrent-index-in-transaction', 'redundant-index', 'unindexed-foreign-key'];

function registeredRank(id: string): number {
  const i = REGISTERED_ORDER.indexOf(id);
  return i < 0 ? REGISTERED_ORDER.length : i;
}

/** Every known rule's metadata: the SQL rules, then registered ones in documentation order. */
export function allRuleMeta(): RuleMeta[] {
  const registered = [...extraMeta.values()].filter((m) => !sqlRules.some((r) => r.id === m.id));
  registered.sort((a, b) => registeredRank(a.id) - registeredRank(b.id) || a.id.localeCompare(b.id));
  return [...sqlRules, ...registered];
}

/** The SQL rules the linter runs (a function so the linter always sees the full list). */
export function allSqlRules(): readonly SqlRule[] {
  return sqlRules;
}
