/**
 * not-in-subquery: `x NOT IN (SELECT y …)`. If the subquery yields a single NULL, NOT IN is
 * never true and the query silently returns nothing; and PostgreSQL cannot turn NOT IN into an
 * anti-join (it runs a hashed subplan, or a per-row subplan when the result is too big to hash).
 * `NOT EXISTS (SELECT 1 … WHERE y = x)` means what was intended and plans as an anti-join.
 */
import type { QueryBlock } from '../query/model';
import { blockScope, resolveColumn } from '../query/scope';
import { comparisons, predicateRoots } from '../query/walk';
import { findColumn } from '../schema/catalog';
import type { Catalog } from '../schema/types';
import type { Finding, SqlRule } from './types';

/** True when the subquery's single output column is known to be NOT NULL (then the NULL trap cannot fire). */
function selectsNotNull(block: QueryBlock, catalog: Catalog): boolean {
  const col = block.selectList[0]?.expr;
  if (block.kind !== 'select' || block.selectList.length !== 1 || col?.kind !== 'column') return false;
  const resolved = resolveColumn(col, block, catalog);
  if (!resolved) return false;
  // A column from the nullable side of an outer join can still be NULL.
  if (blockScope(block, catalog).some((e) => e.item.join === 'left' || e.item.join === 'right' || e.item.join === 'full')) return false;
  return findColumn(resolved.table, resolved.column)?.notNull === true || resolved.table.primaryKey.includes(resolved.column);
}

export const notInSubquery: SqlRule = {
  kind: 'sql',
  id: 'not-in-subquery',
  description: 'Flags `NOT IN (SELECT …)`, which returns no rows when the subquery yields a NULL and cannot be planned as an anti-join.',
  rationale:
    '`x NOT IN (SELECT y …)` is true only if x differs from every y; when any y is NULL the comparison is unknown, so the query returns no rows at all. ' +
    'PostgreSQL also cannot turn NOT IN into an anti-join: it evaluates a hashed subplan, or re-runs the subquery for each outer row when the result does not fit in memory. ' +
    '`NOT EXISTS (SELECT 1 FROM … WHERE y = x)` says what is meant, ignores NULLs, and is planned as an anti-join that can use an index on y. ' +
    'Not flagged when the schema shows the subquery selects a NOT NULL column (then only the planning concern remains and the result is correct), nor for `NOT IN (1, 2, 3)` lists.',
  defaultSeverity: 'warning',
  needsSchema: false,
  examples: {
    bad: ['SELECT id FROM products WHERE id NOT IN (SELECT product_id FROM order_items)'],
    good: [
      'SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)',
      "SELECT id FROM orders WHERE status NOT IN ('CANCELLED', 'REFUNDED')",
    ],
  },
  fix: 'Rewrite as `NOT EXISTS (SELECT 1 FROM … WHERE y = x)`.',
  check(ctx) {
    const out: Omit<Finding, 'severity' | 'ruleId'>[] = [];
    for (const block of ctx.statements.flatMap((st) => st.blocks)) {
      for (const root of predicateRoots(block)) {
        for (const cmp of comparisons(root)) {
          if (cmp.op !== 'NOT IN' || cmp.right.kind !== 'subquery') continue;
          if (selectsNotNull(cmp.right.query, ctx.catalog)) continue;
          const leftRange = cmp.left.range;
          const opRange = cmp.opRange;
          if (!leftRange || !opRange) continue;
          const left = ctx.statement.text.slice(leftRange.start, leftRange.end);
          out.push({
            message:
              `${left} NOT IN (SELECT …) returns no rows at all if the subquery yields a NULL, and cannot be planned as an anti-join. ` +
              `Use NOT EXISTS (SELECT 1 FROM … WHERE … = ${left}) instead.`,
            start: opRange.start,
            end: opRange.end,
          });
        }
      }
    }
    return out;
  },
};
