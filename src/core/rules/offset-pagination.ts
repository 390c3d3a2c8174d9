/**
 * offset-pagination: `LIMIT 20 OFFSET $1` (or a large literal offset, or MySQL `LIMIT 5000, 20`).
 * The database must produce and discard every skipped row, so each page costs more than the
 * last; keyset pagination (`WHERE (sort_key, id) > (…)`) costs the same on every page.
 */
import { columnRefParts, Locator, queryBlocks } from '../sql/ast';
import type { AstNode } from '../sql/parse';
import type { Finding, SqlRule } from './types';

/** Offsets below this, written as literals, are first pages: cheap, and not worth a warning. */
const SMALL_OFFSET = 1000;

/** The offset value node of a LIMIT clause, if the clause has one. */
function offsetOf(limit: AstNode): AstNode | undefined {
  if (!limit || !Array.isArray(limit.value)) return undefined;
  if (limit.seperator === 'offset') return limit.value[1];
  if (limit.seperator === ',') return limit.value[0]; // MySQL: LIMIT offset, count
  return undefined;
}

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
    const loc = new Locator(ctx.statement.text, ctx.dialect);
    const toks = loc.tokens;
    const out: Omit<Finding, 'severity' | 'ruleId'>[] = [];
    const blocks = queryBlocks(ctx.ast, ctx.catalog).filter((b) => offsetOf(b.node.limit) !== undefined);
    if (blocks.length === 0) return out;
    // Offset clauses in text order; they pair with the blocks that have one, also in text order.
    const sites: { start: number; end: number }[] = [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (t.kind === 'word' && t.value === 'offset' && toks[i + 1]) {
        let j = i + 1;
        let depth = 0;
        // The offset expression runs to the end, a closing parenthesis, or the next clause.
        for (; j < toks.length; j++) {
          const x = toks[j];
          if (x.text === '(') depth++;
          else if (x.text === ')') {
            if (depth === 0) break;
            depth--;
          } else if (depth === 0 && x.kind === 'word' && /^(limit|fetch|for|union|except|intersect|rows?)$/.test(x.value)) break;
        }
        sites.push({ start: t.start, end: toks[j - 1].end });
      } else if (ctx.dialect === 'mysql' && t.kind === 'word' && t.value === 'limit' && toks[i + 2]?.text === ',') {
        sites.push({ start: t.start, end: toks[i + 3]?.end ?? toks[i + 2].end });
      }
    }
    if (sites.length !== blocks.length) return out;
    blocks.forEach((block, k) => {
      const value = offsetOf(block.node.limit);
      if (value?.type === 'number' && Number(value.value) < SMALL_OFFSET) return;
      const site = sites[k];
      const keys = (block.node.orderby ?? []).map((o: AstNode) => columnRefParts(o?.expr)?.column).filter(Boolean) as string[];
      const keyText = keys.length === 1 ? keys[0] : keys.length ? `(${keys.join(', ')})` : '(sort_key, id)';
      const written = ctx.statement.text.slice(site.start, site.end);
      out.push({
        message:
          `${written} makes the database read and discard every skipped row, so each page is slower than the last. ` +
          `Paginate by key instead: remember the last row's ${keyText} and ask for the rows after it (WHERE ${keyText} > (…)), served by an index on ${keyText}.`,
        start: site.start,
        end: site.end,
      });
    });
    return out;
  },
};
