/**
 * offset-pagination: `LIMIT 20 OFFSET $1` (or a large literal offset, or MySQL `LIMIT 5000, 20`).
 * The database must produce and discard every skipped row, so each page costs more than the
 * last; keyset pagination (`WHERE (sort_key, id) > (…)`) costs the same on every page.
 */
import type { Finding, SqlRule } from './types';

/** Offsets below this, written as literals, are first pages: cheap, and not worth a warning. */
const SMALL_OFFSET = 1000;

export const offsetPagination: SqlRule = {
  kind: 'sql',
  id: 'offset-pagination',
  description: 'Flags OFFSET pagination with a parameter or a large offset, which reads and discards every skipped row.',
  rationale:
    '`OFFSET n` does not jump to row n: the database produces the first n rows (through the index or a sort) and throws them away. ' +
    'Page 1,000 of a 20-row listing reads 20,000 rows, so deep pages get slower and slower, and rows shift between pages when data changes. ' +
    'Keyset pagination remembers the last row\'s sort key and asks for the rows after it (`WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT 20`); ' +
    'with an index on the sort key every page costs the same. Literal offsets below 1,000 are not flagged.',
  defaultSeverity: 'info',
  needsSchema: false,
  examples: {
    bad: ['SELECT id, total FROM orders ORDER BY created_at DESC LIMIT 20 OFFSET $1', 'SELECT id FROM events ORDER BY id LIMIT 50 OFFSET 100000'],
    good: ['SELECT id, total FROM orders WHERE created_at < $1 ORDER BY created_at DESC LIMIT 20', 'SELECT id FROM events ORDER BY id LIMIT 50 OFFSET 100'],
  },
  fix: 'Paginate by key: `WHERE (sort_key, id) > ($last_sort_key, $last_id) ORDER BY sort_key, id LIMIT n`, with an index on (sort_key, id).',
  check(ctx) {
    const out: Omit<Finding, 'severity' | 'ruleId'>[] = [];
    for (const block of ctx.statements.flatMap((st) => st.blocks)) {
      const site = block.offsetClause;
      if (!block.offset || !site) continue;
      if (block.offset.kind === 'literal' && block.offset.type === 'number' && Number(block.offset.value) < SMALL_OFFSET) continue;
      const keys = block.orderBy.map((o) => (o.expr.kind === 'column' && o.expr.range ? ctx.statement.text.slice(o.expr.range.start, o.expr.range.end).split('.').pop() : undefined)).filter(Boolean) as string[];
      const keyText = keys.length === 1 ? keys[0] : keys.length ? `(${keys.join(', ')})` : '(sort_key, id)';
      const written = ctx.statement.text.slice(site.start, site.end);
      out.push({
        message:
          `${written} makes the database read and discard every skipped row, so each page is slower than the last. ` +
          `Paginate by key instead: remember the last row's ${keyText} and ask for the rows after it (WHERE ${keyText} > (…)), served by an index on ${keyText}.`,
        start: site.start,
        end: site.end,
      });
    }
    return out.sort((a, b) => a.start - b.start);
  },
};
