/**
 * not-in-subquery: `x NOT IN (SELECT y …)`. If the subquery yields a single NULL, NOT IN is
 * never true and the query silently returns nothing; and PostgreSQL cannot turn NOT IN into an
 * anti-join (it runs a hashed subplan, or a per-row subplan when the result is too big to hash).
 * `NOT EXISTS (SELECT 1 … WHERE y = x)` means what was intended and plans as an anti-join.
 */
import { Locator, predicateRoots, queryBlocks, resolveColumn, comparisons } from '../sql/ast';
import { findColumn } from '../schema/catalog';
import type { AstNode } from '../sql/parse';
import type { QueryBlock } from '../sql/ast';
import type { Finding, SqlRule } from './types';

/** True when the subquery's single output column is known to be NOT NULL (then the NULL trap cannot fire). */
function selectsNotNull(sub: AstNode, blocks: QueryBlock[]): boolean {
  const block = blocks.find((b) => b.node === sub);
  const col = sub?.columns?.[0]?.expr;
  if (!block || sub.columns.length !== 1 || col?.type !== 'column_ref') return false;
  const resolved = resolveColumn(col, block);
  if (!resolved) return false;
  // A column from the nullable side of an outer join can still be NULL.
  if (block.scope.some((e) => /left|right|full/i.test(String(e.node?.join ?? '')))) return false;
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
    const loc = new Locator(ctx.statement.text, ctx.dialect);
    const blocks = queryBlocks(ctx.ast, ctx.catalog);
    const out: Omit<Finding, 'severity' | 'ruleId'>[] = [];
    for (const block of blocks) {
      for (const root of predicateRoots(block)) {
        for (const cmp of comparisons(root)) {
          if (String(cmp.operator).toUpperCase() !== 'NOT IN') continue;
          const items = cmp.right?.type === 'expr_list' ? cmp.right.value : [];
          const sub = items.length === 1 ? items[0]?.ast : undefined;
          if (!sub || selectsNotNull(sub, blocks)) continue;
          const parts = loc.operands(cmp);
          if (!parts) continue;
          const left = ctx.statement.text.slice(parts.left.start, parts.left.end);
          out.push({
            message:
              `${left} NOT IN (SELECT …) returns no rows at all if the subquery yields a NULL, and cannot be planned as an anti-join. ` +
              `Use NOT EXISTS (SELECT 1 FROM … WHERE … = ${left}) instead.`,
            start: parts.op.start,
            end: parts.op.end,
          });
        }
      }
    }
    return out;
  },
};
