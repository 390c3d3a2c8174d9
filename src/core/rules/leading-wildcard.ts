/**
 * leading-wildcard: `LIKE '%x'` (and ILIKE, NOT LIKE, `'%' || $1`, MySQL `CONCAT('%', ?)`).
 * A B-tree index orders values by their leading characters; a pattern that starts with a
 * wildcard has no fixed prefix to seek to, so every row is read.
 */
import type { Expr } from '../query/model';
import { resolveColumn } from '../query/scope';
import { comparisons, predicateRoots } from '../query/walk';
import { createIndexDdl, quoteIdent } from '../schema/indexes';
import type { Finding, SqlRule } from './types';

const LIKE_OPS = new Set(['LIKE', 'ILIKE', 'NOT LIKE', 'NOT ILIKE']);

/** The literal text a pattern certainly starts with, or undefined when it is not knowable. */
function knownPrefix(node: Expr | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'literal' && node.type === 'string') return node.value;
  if (node.kind === 'cast') return knownPrefix(node.expr);
  if (node.kind === 'operator' && node.op === '||') return knownPrefix(node.left);
  if (node.kind === 'function' && node.name === 'concat') return knownPrefix(node.args[0]);
  return undefined;
}

function startsWithWildcard(prefix: string | undefined): boolean {
  return prefix !== undefined && (prefix.startsWith('%') || prefix.startsWith('_'));
}

export const leadingWildcard: SqlRule = {
  kind: 'sql',
  id: 'leading-wildcard',
  description: 'Flags LIKE / ILIKE patterns that start with a wildcard, which no B-tree index can serve.',
  rationale:
    'A B-tree index is sorted by the leading characters of the value, so it can find `LIKE \'abc%\'` by seeking to "abc". ' +
    'A pattern starting with `%` or `_` has no fixed prefix to seek to: the database must read every row (or every index entry) and test it. ' +
    'PostgreSQL can serve such searches with a trigram GIN index (`pg_trgm`); MySQL with a FULLTEXT index and `MATCH … AGAINST`.',
  defaultSeverity: 'warning',
  needsSchema: false,
  examples: {
    bad: [
      "SELECT id FROM users WHERE email LIKE '%@example.com'",
      "SELECT id FROM products WHERE name ILIKE '%phone%'",
      "SELECT id FROM users WHERE name LIKE '%' || $1",
    ],
    good: [
      "SELECT id FROM users WHERE email LIKE 'alice%'",
      'SELECT id FROM users WHERE email LIKE $1',
    ],
  },
  fix: 'Add a trigram GIN index (PostgreSQL, `pg_trgm`) or a FULLTEXT index (MySQL), or search with a trailing wildcard only.',
  check(ctx) {
    const out: Omit<Finding, 'severity' | 'ruleId'>[] = [];
    for (const block of ctx.statements.flatMap((st) => st.blocks)) {
      for (const root of predicateRoots(block)) {
        for (const cmp of comparisons(root)) {
          if (!LIKE_OPS.has(cmp.op)) continue;
          const prefix = knownPrefix(cmp.right);
          if (!startsWithWildcard(prefix)) continue;
          const range = cmp.right.range;
          if (!range) continue;
          const resolved = cmp.left.kind === 'column' ? resolveColumn(cmp.left, block, ctx.catalog) : undefined;
          const left = cmp.left.range;
          const colText = left ? ctx.statement.text.slice(left.start, left.end) : 'the column';
          const op = cmp.op;
          let message = `The ${op} pattern starts with '${prefix![0]}', so no B-tree index on ${colText} can be used: every row is scanned.`;
          const finding: Omit<Finding, 'severity' | 'ruleId'> = { message, start: range.start, end: range.end };
          if (ctx.dialect === 'mysql') {
            message += ' Use a FULLTEXT index with MATCH … AGAINST, or a trailing wildcard only.';
            if (resolved) {
              finding.suggestedIndex = {
                table: resolved.table.name,
                ddl: `CREATE FULLTEXT INDEX ${resolved.table.name}_${resolved.column}_ft ON ${quoteIdent(resolved.table.name, 'mysql')} (${quoteIdent(resolved.column, 'mysql')});`,
              };
            }
          } else {
            const hasTrigram = resolved?.table.indexes.some((ix) => /^(gin|gist)$/.test(ix.method) && ix.keys[0]?.column === resolved.column);
            if (hasTrigram) continue; // a trigram index on the column serves the search
            message += ' Add a trigram index (pg_trgm) or use a trailing wildcard only.';
            if (resolved) {
              finding.suggestedIndex = {
                table: resolved.table.name,
                ddl: createIndexDdl(resolved.table, [`${quoteIdent(resolved.column, 'postgresql')} gin_trgm_ops`], 'postgresql', { method: 'gin', nameParts: [resolved.column], suffix: 'trgm_idx' }),
              };
            }
          }
          finding.message = message;
          out.push(finding);
        }
      }
    }
    return out;
  },
};
