/**
 * missing-index (needs schema): a known table is filtered (WHERE equality/range), joined
 * (JOIN … ON) or sorted under a LIMIT by columns that no index leads with, so the database
 * reads the whole table. One finding per table per query block, with DDL in leftmost-prefix order.
 */
import { describeColumns, isServed, skippedPrefixIndexes, suggestedDdl, suggestedKeys, tableAccesses, type TableAccess } from './table-access';
import type { Finding, SqlRule } from './types';

/** "filters on a, b and sorts (with LIMIT) by c". */
function clauseWords(a: TableAccess): string {
  const parts: string[] = [];
  const filtered = [...a.equality, ...a.range];
  if (filtered.length) parts.push(`filters on ${describeColumns(filtered)}`);
  if (a.sort.length) parts.push(`sorts (with LIMIT) by ${describeColumns(a.sort)}`);
  return parts.join(' and ');
}

export const missingIndex: SqlRule = {
  kind: 'sql',
  id: 'missing-index',
  description: 'Flags WHERE, JOIN ON and ORDER BY … LIMIT columns of a known table that no index leads with, and suggests the index.',
  rationale:
    'Without an index whose first key is the filtered (or joined, or sorted-and-limited) column, the database can only answer by reading every row of the table. ' +
    'A B-tree index is usable when the query constrains its leading column, so the suggested index lists equality columns first, then one range column, ' +
    'then the ORDER BY columns. The rule only speaks about tables and columns the schema declares; primary keys and unique constraints count as indexes; ' +
    'a composite index that merely does not lead with the column is reported by `leftmost-prefix` instead; ' +
    'conditions under OR and on boolean columns are not used for suggestions (an index rarely helps there).',
  defaultSeverity: 'warning',
  needsSchema: true,
  examples: {
    bad: [
      'SELECT id, amount FROM payments WHERE account_id = $1 AND created_at > $2',
      'SELECT id FROM events ORDER BY created_at DESC LIMIT 20',
    ],
    good: [
      'SELECT id, email FROM users WHERE id = $1 -- primary key',
      'SELECT id FROM orders WHERE user_id = $1 -- CREATE INDEX orders_user_id_idx ON orders (user_id) exists',
    ],
  },
  fix: 'Create the suggested index (`CREATE INDEX payments_account_id_created_at_idx ON payments (account_id, created_at);`).',
  check(ctx) {
    const actx = { text: ctx.statement.text, dialect: ctx.dialect, catalog: ctx.catalog };
    const out: Omit<Finding, 'severity' | 'ruleId'>[] = [];
    for (const block of ctx.statements.flatMap((st) => st.blocks)) {
      for (const access of tableAccesses(block, actx)) {
        if (isServed(access) || skippedPrefixIndexes(access).length > 0) continue;
        const uses = [...access.equality, ...access.range, ...access.sort];
        const located = uses.filter((u) => u.range).sort((x, y) => x.range!.start - y.range!.start);
        const first = located[0];
        if (!first?.range) continue;
        const keys = suggestedKeys(access);
        const ddl = suggestedDdl(access, ctx.dialect);
        const cols = describeColumns(uses);
        out.push({
          message: `No index on ${access.table.name} leads with ${uses.length > 1 ? 'any of ' : ''}${cols}: this query ${clauseWords(access)}, so it reads the whole table. Add an index on (${keys.join(', ')}).`,
          start: first.range.start,
          end: first.range.end,
          suggestedIndex: { table: access.table.name, ddl },
        });
      }
    }
    return out;
  },
};
