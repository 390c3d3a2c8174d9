/**
 * function-on-column: `WHERE LOWER(email) = …`, `date_trunc('day', ts) = …`, `CAST(col AS …)`,
 * `col::date` in WHERE / JOIN ON. An index stores the column's values, not the function's
 * results, so the planner cannot seek with it — unless an expression index on exactly that
 * expression exists, in which case the rule stays silent.
 */
import type { Expr, QueryBlock, Range } from '../query/model';
import { resolveColumn } from '../query/scope';
import { columnsIn, comparisons, conjuncts, isConstant, literalValue, predicateRoots } from '../query/walk';
import { normalizeExpression } from '../sql/tokens';
import { findColumn } from '../schema/catalog';
import { createIndexDdl, indexesLeadingWithExpression } from '../schema/indexes';
import type { Finding, Fix, SqlRule, SqlRuleContext } from './types';

type Comparison = Extract<Expr, { kind: 'comparison' }>;

/** Operators whose column side an index could serve if the column were bare. */
const INDEXABLE_OPS = new Set(['=', '<', '>', '<=', '>=', 'IN', 'BETWEEN', 'LIKE', 'ILIKE', 'IS']);

/** Function-shaped syntax that is not a transformation of the column (node-sql-parser reads `= ANY(…)` as a call). */
const NOT_TRANSFORMS = new Set(['any', 'all', 'some', 'exists', 'not', 'row']);

/** True when the node transforms a column (function call, cast, EXTRACT) rather than being one. */
function wrapsColumn(node: Expr): boolean {
  const isWrapper = (node.kind === 'function' && !node.window && !NOT_TRANSFORMS.has(node.name)) || (node.kind === 'cast' && node.syntax !== 'typed-literal');
  return isWrapper && columnsIn(node).length > 0;
}

/** Date-bucketing shapes that a range on the bare column can replace, with the bucket size. */
function dateBucket(node: Expr): { column: Expr; unit: 'day' | 'month' | 'year' } | undefined {
  if (node.kind === 'function') {
    const args = node.args;
    if (node.name === 'date_trunc' && args.length === 2 && args[1].kind === 'column') {
      const unit = (literalValue(args[0])?.value ?? '').toLowerCase();
      if (unit === 'day' || unit === 'month' || unit === 'year') return { column: args[1], unit };
    }
    if (node.name === 'date' && args.length === 1 && args[0].kind === 'column') return { column: args[0], unit: 'day' };
    if (node.name === 'year' && args.length === 1 && args[0].kind === 'column') return { column: args[0], unit: 'year' };
    if (node.name === 'extract' && args.length === 2 && args[1].kind === 'column' && (literalValue(args[0])?.value ?? '').toLowerCase() === 'year') {
      return { column: args[1], unit: 'year' };
    }
  }
  if (node.kind === 'cast' && node.expr.kind === 'column' && node.type === 'date') return { column: node.expr, unit: 'day' };
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

/**
 * A range rewrite for `bucket(col) = 'YYYY-MM-DD'`, as message text and (for literals) a fix.
 * The constant side may be a typed literal or a cast (`DATE '2024-03-01'`, `'2024-03-01'::date`).
 */
function rangeRewrite(
  ctx: SqlRuleContext, cmp: Comparison, fnSide: 'left' | 'right', bucket: { column: Expr; unit: 'day' | 'month' | 'year' },
  wholeRange: Range, needsParens: boolean,
): { text: string; fix?: Fix } | undefined {
  if (cmp.op !== '=' || cmp.quantifier) return undefined;
  const colRange = bucket.column.range;
  if (!colRange) return undefined;
  const col = ctx.statement.text.slice(colRange.start, colRange.end);
  const fn = cmp[fnSide];
  const other = fnSide === 'left' ? cmp.right : cmp.left;
  const lit = literalValue(other);
  // `year(col) = 2024` / `extract(year from col) = 2024` compare with a year number.
  const yearNumber = bucket.unit === 'year' && lit?.type === 'number' && /^\d{1,4}$/.test(lit.value) && Number(lit.value) > 0;
  const startDate = yearNumber ? `${lit!.value.padStart(4, '0')}-01-01` : lit?.type === 'string' ? lit.value : undefined;
  const isDateFunction = !(bucket.unit === 'year' && !yearNumber && fn.kind === 'function' && (fn.name === 'extract' || fn.name === 'year'));
  if (startDate !== undefined && isDateFunction) {
    const next = nextBucket(startDate, bucket.unit);
    if (!next) return undefined;
    const text = `${col} >= '${startDate}' AND ${col} < '${next}'`;
    const newText = needsParens ? `(${text})` : text;
    return { text, fix: { title: `Rewrite as a range on ${col}`, edits: [{ start: wholeRange.start, end: wholeRange.end, newText }] } };
  }
  const otherRange = other.range;
  if (!otherRange || !isDateFunction) return undefined;
  const value = ctx.statement.text.slice(otherRange.start, otherRange.end);
  const step = ctx.dialect === 'mysql' ? `INTERVAL 1 ${bucket.unit.toUpperCase()}` : `interval '1 ${bucket.unit}'`;
  return { text: `${col} >= ${value} AND ${col} < ${value} + ${step}` };
}

/** Checks one side of a comparison; returns a finding when it wraps a column. */
function checkSide(ctx: SqlRuleContext, block: QueryBlock, cmp: Comparison, side: 'left' | 'right', topLevel: boolean): Omit<Finding, 'severity' | 'ruleId'> | undefined {
  const node = cmp[side];
  const other = cmp[side === 'left' ? 'right' : 'left'];
  if (!wrapsColumn(node)) return undefined;
  // The other side must be something an index lookup could be keyed by: a value, or another table's column.
  if (!isConstant(other) && other.kind !== 'column') return undefined;
  const range = node.range;
  if (!range) return undefined;
  const written = ctx.statement.text.slice(range.start, range.end);
  const expression = normalizeExpression(written, ctx.dialect);
  const refs = columnsIn(node);
  const resolved = refs.length === 1 ? resolveColumn(refs[0], block, ctx.catalog) : undefined;
  if (resolved && indexesLeadingWithExpression(resolved.table, expression).length > 0) return undefined;
  const colName = resolved?.column ?? refs.map((r) => (r.range ? ctx.statement.text.slice(r.range.start, r.range.end) : '')).filter(Boolean).join(', ');
  const what = node.kind === 'cast' ? 'casts' : 'wraps';
  let message = `${written} ${what} the column ${colName || 'in an expression'}, so an index on ${colName || 'the column'} cannot be used for this comparison.`;
  const finding: Omit<Finding, 'severity' | 'ruleId'> = { message, start: range.start, end: range.end };
  const bucket = dateBucket(node);
  const whole = cmp.range;
  let rewritten = false;
  if (bucket && whole) {
    const rewrite = rangeRewrite(ctx, cmp, side, bucket, whole, !topLevel);
    if (rewrite) {
      rewritten = true;
      message += ` Rewrite it as a range on the bare column: ${rewrite.text}.`;
      if (rewrite.fix) finding.fixes = [rewrite.fix];
    }
  }
  // PostgreSQL rejects index expressions that are not IMMUTABLE: date functions and casts of a
  // timestamptz depend on the session time zone, so only the range rewrite can help there.
  const colType = resolved ? findColumn(resolved.table, resolved.column)?.type ?? '' : '';
  const zoned = ctx.dialect === 'postgresql' && /timestamptz|with time zone/.test(colType) && (bucket !== undefined || node.kind === 'cast');
  if (resolved && zoned) {
    if (!rewritten) message += ` Compare ${resolved.column} with a range instead (an expression index on a timestamptz date bucket is not allowed: it depends on the time zone).`;
  } else if (resolved) {
    const key = node.kind === 'function' ? expression : `(${expression})`;
    const ddl = createIndexDdl(resolved.table, [key], ctx.dialect, { nameParts: [expression] });
    if (ctx.dialect !== 'mysql' || node.kind === 'function') {
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
    const out: Omit<Finding, 'severity' | 'ruleId'>[] = [];
    for (const block of ctx.statements.flatMap((st) => st.blocks)) {
      for (const root of predicateRoots(block)) {
        const top = new Set(conjuncts(root));
        for (const cmp of comparisons(root)) {
          if (!INDEXABLE_OPS.has(cmp.op)) continue;
          for (const side of ['left', 'right'] as const) {
            const f = checkSide(ctx, block, cmp, side, top.has(cmp));
            if (f) out.push(f);
          }
        }
      }
    }
    return out;
  },
};
