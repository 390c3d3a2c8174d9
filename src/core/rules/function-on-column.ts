/**
 * function-on-column: `WHERE LOWER(email) = …`, `date_trunc('day', ts) = …`, `CAST(col AS …)`,
 * `col::date` in WHERE / JOIN ON. An index stores the column's values, not the function's
 * results, so the planner cannot seek with it — unless an expression index on exactly that
 * expression exists, in which case the rule stays silent.
 */
import {
  columnRefsIn, comparisons, conjuncts, functionName, isValueLike, Locator, predicateRoots, queryBlocks, resolveColumn,
  type QueryBlock, type Range,
} from '../sql/ast';
import type { AstNode } from '../sql/parse';
import { normalizeExpression } from '../sql/tokens';
import { findColumn } from '../schema/catalog';
import { createIndexDdl, indexesLeadingWithExpression } from '../schema/indexes';
import type { Finding, Fix, SqlRule, SqlRuleContext } from './types';

/** Operators whose column side an index could serve if the column were bare. */
const INDEXABLE_OPS = new Set(['=', '<', '>', '<=', '>=', 'IN', 'BETWEEN', 'LIKE', 'ILIKE', 'IS']);

/** Function-shaped nodes that are syntax, not a transformation of the column. */
const NOT_TRANSFORMS = new Set(['any', 'all', 'some', 'exists', 'not', 'row']);

/** True when the node transforms a column (function call, cast, EXTRACT) rather than being one. */
function wrapsColumn(node: AstNode): boolean {
  if (!node || typeof node !== 'object') return false;
  const isWrapper =
    (node.type === 'function' && !NOT_TRANSFORMS.has(functionName(node) ?? '')) || node.type === 'cast' || node.type === 'extract';
  return isWrapper && columnRefsIn(node).length > 0;
}

/** Date-bucketing shapes that a range on the bare column can replace, with the bucket size. */
function dateBucket(node: AstNode): { column: AstNode; unit: 'day' | 'month' | 'year' } | undefined {
  if (node.type === 'function') {
    const name = functionName(node);
    const args: AstNode[] = node.args?.value ?? [];
    if (name === 'date_trunc' && args.length === 2 && args[1]?.type === 'column_ref') {
      const unit = String(args[0]?.value ?? '').toLowerCase();
      if (unit === 'day' || unit === 'month' || unit === 'year') return { column: args[1], unit };
    }
    if (name === 'date' && args.length === 1 && args[0]?.type === 'column_ref') return { column: args[0], unit: 'day' };
    if (name === 'year' && args.length === 1 && args[0]?.type === 'column_ref') return { column: args[0], unit: 'year' };
  }
  if (node.type === 'extract' && String(node.args?.field).toLowerCase() === 'year' && node.args?.source?.type === 'column_ref') {
    return { column: node.args.source, unit: 'year' };
  }
  if (node.type === 'cast' && node.expr?.type === 'column_ref' && String(node.target?.[0]?.dataType ?? '').toLowerCase() === 'date') {
    return { column: node.expr, unit: 'day' };
  }
  return undefined;
}

/** `'2024-03-01'` + one day/month/year, when the literal is a plain date at the bucket's start. */
function nextBucket(date: string, unit: 'day' | 'month' | 'year'): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if ((unit === 'month' && d !== 1) || (unit === 'year' && (d !== 1 || mo !== 1))) return undefined;
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return undefined;
  if (unit === 'day') t.setUTCDate(t.getUTCDate() + 1);
  else if (unit === 'month') t.setUTCMonth(t.getUTCMonth() + 1);
  else t.setUTCFullYear(t.getUTCFullYear() + 1);
  return t.toISOString().slice(0, 10);
}

function node(cmp: AstNode, side: 'left' | 'right'): AstNode {
  return cmp[side];
}

/** A range rewrite for `bucket(col) = 'YYYY-MM-DD'`, as message text and (for literals) a fix. */
function rangeRewrite(
  ctx: SqlRuleContext, loc: Locator, cmp: AstNode, fnSide: 'left' | 'right', bucket: { column: AstNode; unit: 'day' | 'month' | 'year' },
  wholeRange: Range, needsParens: boolean,
): { text: string; fix?: Fix } | undefined {
  if (cmp.operator !== '=') return undefined;
  const colRange = loc.range(bucket.column, wholeRange);
  if (!colRange) return undefined;
  const col = ctx.statement.text.slice(colRange.start, colRange.end);
  const other = fnSide === 'left' ? cmp.right : cmp.left;
  // `year(col) = 2024` / `extract(year from col) = 2024` compare with a year number.
  const yearNumber = bucket.unit === 'year' && other?.type === 'number' && Number.isInteger(other.value) && other.value > 0 && other.value < 10000;
  const startDate = yearNumber ? `${String(other.value).padStart(4, '0')}-01-01` : other?.type === 'single_quote_string' || other?.type === 'string' ? String(other.value) : undefined;
  const isDateFunction = !(bucket.unit === 'year' && !yearNumber && (node(cmp, fnSide)?.type === 'extract' || functionName(node(cmp, fnSide)) === 'year'));
  if (startDate !== undefined && isDateFunction) {
    const next = nextBucket(startDate, bucket.unit);
    if (!next) return undefined;
    const text = `${col} >= '${startDate}' AND ${col} < '${next}'`;
    const newText = needsParens ? `(${text})` : text;
    return { text, fix: { title: `Rewrite as a range on ${col}`, edits: [{ start: wholeRange.start, end: wholeRange.end, newText }] } };
  }
  const otherRange = loc.operands(cmp)?.[fnSide === 'left' ? 'right' : 'left'];
  if (!otherRange || !isDateFunction) return undefined;
  const value = ctx.statement.text.slice(otherRange.start, otherRange.end);
  const step = ctx.dialect === 'mysql' ? `INTERVAL 1 ${bucket.unit.toUpperCase()}` : `interval '1 ${bucket.unit}'`;
  return { text: `${col} >= ${value} AND ${col} < ${value} + ${step}` };
}

/** Checks one side of a comparison; returns a finding when it wraps a column. */
function checkSide(ctx: SqlRuleContext, loc: Locator, block: QueryBlock, cmp: AstNode, side: 'left' | 'right', topLevel: boolean): Omit<Finding, 'severity' | 'ruleId'> | undefined {
  const node = cmp[side];
  const other = cmp[side === 'left' ? 'right' : 'left'];
  if (!wrapsColumn(node)) return undefined;
  // The other side must be something an index lookup could be keyed by: a value, or another table's column.
  const otherIsValue = isValueLike(other) || other?.type === 'column_ref' || (other?.type === 'expr_list' && isValueLike(other));
  if (!otherIsValue) return undefined;
  const parts = loc.operands(cmp);
  const range = parts?.[side] ?? loc.range(node, loc.range(cmp));
  if (!range) return undefined;
  const written = ctx.statement.text.slice(range.start, range.end);
  const expression = normalizeExpression(written, ctx.dialect);
  const refs = columnRefsIn(node);
  const resolved = refs.length === 1 ? resolveColumn(refs[0], block) : undefined;
  if (resolved && indexesLeadingWithExpression(resolved.table, expression).length > 0) return undefined;
  const colName = resolved?.column ?? refs.map((r) => ctx.statement.text.slice(loc.range(r, range)?.start ?? 0, loc.range(r, range)?.end ?? 0)).filter(Boolean).join(', ');
  const what = node.type === 'cast' ? 'casts' : 'wraps';
  let message = `${written} ${what} the column ${colName || 'in an expression'}, so an index on ${colName || 'the column'} cannot be used for this comparison.`;
  const finding: Omit<Finding, 'severity' | 'ruleId'> = { message, start: range.start, end: range.end };
  const bucket = dateBucket(node);
  const whole = loc.range(cmp);
  let rewritten = false;
  if (bucket && whole) {
    const rewrite = rangeRewrite(ctx, loc, cmp, side, bucket, whole, !topLevel);
    if (rewrite) {
      rewritten = true;
      message += ` Rewrite it as a range on the bare column: ${rewrite.text}.`;
      if (rewrite.fix) finding.fixes = [rewrite.fix];
    }
  }
  // PostgreSQL rejects index expressions that are not IMMUTABLE: date functions and casts of a
  // timestamptz depend on the session time zone, so only the range rewrite can help there.
  const colType = resolved ? findColumn(resolved.table, resolved.column)?.type ?? '' : '';
  const zoned = ctx.dialect === 'postgresql' && /timestamptz|with time zone/.test(colType) && (bucket !== undefined || node.type === 'cast');
  if (resolved && zoned) {
    if (!rewritten) message += ` Compare ${resolved.column} with a range instead (an expression index on a timestamptz date bucket is not allowed: it depends on the time zone).`;
  } else if (resolved) {
    const key = node.type === 'function' ? expression : `(${expression})`;
    const ddl = createIndexDdl(resolved.table, [key], ctx.dialect, { nameParts: [expression] });
    if (ctx.dialect !== 'mysql' || node.type === 'function') {
      finding.suggestedIndex = { table: resolved.table.name, ddl: ctx.dialect === 'mysql' ? ddl.replace(`(${key})`, `((${expression}))`) : ddl };
    }
    message += rewritten ? ` Or create an expression index on ${expression}.` : ` Create an expression index on ${expression}, or compare the bare column.`;
  } else if (!rewritten) {
    message += ' Create an expression index on it, or compare the bare column.';
  }
  finding.message = message;
  return finding;
}

export const functionOnColumn: SqlRule = {
  kind: 'sql',
  id: 'function-on-column',
  description: 'Flags predicates that wrap a column in a function or cast, which keeps a plain index on the column from being used.',
  rationale:
    'An index stores the column\'s values in order. `WHERE lower(email) = $1` asks about the *result* of `lower()`, which the index does not store, ' +
    'so the planner cannot seek into it and reads every row instead. Either compare the bare column (date buckets become a range: ' +
    '`ts >= \'2024-01-01\' AND ts < \'2024-01-02\'`) or create an expression index on exactly the expression used. ' +
    'Functions in the select list, aggregates, HAVING, and expressions that an expression index already covers are not flagged.',
  defaultSeverity: 'warning',
  needsSchema: false,
  examples: {
    bad: [
      "SELECT id FROM users WHERE lower(email) = 'a@example.com'",
      "SELECT id FROM events WHERE date_trunc('day', created_at) = '2024-03-01'",
      "SELECT id FROM orders WHERE CAST(created_at AS date) = '2024-03-01'",
    ],
    good: [
      'SELECT lower(email) FROM users WHERE id = $1',
      "SELECT id FROM events WHERE created_at >= '2024-03-01' AND created_at < '2024-03-02'",
      'SELECT count(*) FROM users GROUP BY org_id HAVING count(*) > 1',
    ],
  },
  fix: 'Create an expression index on the expression (`CREATE INDEX … ON users (lower(email))`), or rewrite a date bucket as a range on the bare column (quick fix for literal dates).',
  check(ctx) {
    const loc = new Locator(ctx.statement.text, ctx.dialect);
    const out: Omit<Finding, 'severity' | 'ruleId'>[] = [];
    for (const block of queryBlocks(ctx.ast, ctx.catalog)) {
      for (const root of predicateRoots(block)) {
        const top = new Set(conjuncts(root));
        for (const cmp of comparisons(root)) {
          if (!INDEXABLE_OPS.has(String(cmp.operator).toUpperCase())) continue;
          for (const side of ['left', 'right'] as const) {
            const f = checkSide(ctx, loc, block, cmp, side, top.has(cmp));
            if (f) out.push(f);
          }
        }
      }
    }
    return out;
  },
};
