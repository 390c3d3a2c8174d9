/**
 * select-star: `SELECT *` and `SELECT t.*`, in subqueries and CTEs too. Reading every column
 * defeats covering (index-only) scans and ships data nobody asked for.
 *
 * Deliberately NOT flagged: `count(*)` (no columns are read), and `EXISTS (SELECT * …)` /
 * `NOT EXISTS (SELECT * …)`: the select list of an EXISTS subquery is never evaluated, so the
 * star costs nothing there and `SELECT 1` would only be a matter of taste.
 */
import type { QueryBlock } from '../query/model';
import { blockScope } from '../query/scope';
import { quoteIdent } from '../schema/indexes';
import type { Catalog } from '../schema/types';
import type { Finding, Fix, SqlRule, SqlRuleContext } from './types';

/** The columns a star stands for, qualified when the block reads several relations; undefined if unknown. */
function expansion(block: QueryBlock, catalog: Catalog, star: { table?: string; written?: string }, dialect: SqlRuleContext['dialect']): string | undefined {
  const scope = blockScope(block, catalog);
  const name = star.table;
  const qualifier = star.written;
  const entries = name !== undefined ? scope.filter((s) => s.name.toLowerCase() === name.toLowerCase()) : scope;
  if (entries.length === 0 || entries.some((e) => !e.table || e.table.columns.length === 0)) return undefined;
  // Qualify when the block joins several relations or names one through an alias.
  const qualify = qualifier !== undefined || scope.length > 1 || scope.some((e) => e.name !== e.relation);
  const cols: string[] = [];
  for (const e of entries) {
    const prefix = qualifier ? qualifier + '.' : qualify ? quoteIdent(e.name, dialect) + '.' : '';
    for (const c of e.table!.columns) cols.push(prefix + quoteIdent(c.name, dialect));
  }
  return cols.join(', ');
}

export const selectStar: SqlRule = {
  kind: 'sql',
  id: 'select-star',
  description: 'Flags `SELECT *` and `SELECT t.*`, which read every column and rule out index-only scans.',
  rationale:
    'With `SELECT *` the database must fetch whole rows, so an index that holds every column the query needs (a covering index, `INCLUDE (…)`) ' +
    'can never give an Index Only Scan; the query also breaks or silently changes when columns are added, and ships data nobody uses. ' +
    'Not flagged: `count(*)`, and `EXISTS (SELECT * …)`, whose select list PostgreSQL and MySQL never evaluate.',
  defaultSeverity: 'info',
  needsSchema: false,
  examples: {
    bad: ['SELECT * FROM orders WHERE user_id = $1', 'SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id'],
    good: ['SELECT id, total FROM orders WHERE user_id = $1', 'SELECT count(*) FROM orders', 'SELECT id FROM users u WHERE EXISTS (SELECT * FROM orders o WHERE o.user_id = u.id)'],
  },
  fix: 'Expand the star into the table\'s columns (quick fix when the schema knows the tables), then drop the ones you do not need.',
  check(ctx) {
    const out: Omit<Finding, 'severity' | 'ruleId'>[] = [];
    for (const block of ctx.statements.flatMap((st) => st.blocks)) {
      if (block.kind !== 'select' || block.inExists) continue;
      for (const item of block.selectList) {
        const star = item.expr;
        if (star.kind !== 'star' || !star.range) continue;
        const written = ctx.statement.text.slice(star.range.start, star.range.end);
        // The qualifier as written (`"Order".*` keeps its quotes in the expansion).
        const qualifier = star.table !== undefined ? written.slice(0, written.lastIndexOf('.')).trim() : undefined;
        const what = qualifier ? `every column of ${qualifier}` : 'every column';
        const finding: Omit<Finding, 'severity' | 'ruleId'> = {
          message: `SELECT ${written} reads ${what}, which rules out an index-only scan and ships unused data; list the columns you need.`,
          start: star.range.start,
          end: star.range.end,
        };
        const cols = expansion(block, ctx.catalog, { table: star.table, written: qualifier }, ctx.dialect);
        if (cols) {
          const fix: Fix = { title: `Expand ${written} into its columns`, edits: [{ start: star.range.start, end: star.range.end, newText: cols }] };
          finding.fixes = [fix];
        }
        out.push(finding);
      }
    }
    return out.sort((a, b) => a.start - b.start);
  },
};
