/**
 * expression-on-column: arithmetic on the column side of a comparison (`age + 1 = 30`,
 * `total / 100 >= 50`, `price * 2 > x`). The index holds `age`, not `age + 1`; moving the
 * arithmetic to the constant side (`age = 29`) makes the predicate indexable again.
 */
import type { Expr, QueryBlock } from '../query/model';
import { resolveColumn } from '../query/scope';
import { comparisons, isConstant, predicateRoots } from '../query/walk';
import type { Catalog } from '../schema/types';
import { findColumn } from '../schema/catalog';
import type { Finding, SqlRule } from './types';

const ARITH = new Set(['+', '-', '*', '/']);
const FLIP: Record<string, string> = { '=': '=', '<>': '<>', '!=': '!=', '<': '>', '>': '<', '<=': '>=', '>=': '<=' };
const REWRITABLE_OPS = new Set(Object.keys(FLIP));
const INTEGER_TYPES = /^(small|big)?int|^integer|^(small|big)?serial|^tinyint|^mediumint/;

/** A decimal as an exact scaled integer: 12.5 → { n: 125n, scale: 1 }. */
interface Dec {
  n: bigint;
  scale: number;
}

function parseDec(text: string): Dec | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const frac = m[3] ?? '';
  return { n: BigInt(m[1] + m[2] + frac), scale: frac.length };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const s = Math.max(a.scale, b.scale);
  return [a.n * 10n ** BigInt(s - a.scale), b.n * 10n ** BigInt(s - b.scale), s];
}

function formatDec(d: Dec): string {
  const neg = d.n < 0n;
  let digits = (neg ? -d.n : d.n).toString().padStart(d.scale + 1, '0');
  if (d.scale > 0) digits = digits.slice(0, -d.scale) + '.' + digits.slice(-d.scale);
  if (digits.includes('.')) digits = digits.replace(/0+$/, '').replace(/\.$/, '');
  return (neg && digits !== '0' ? '-' : '') + digits;
}

/** Exact decimal arithmetic; undefined when a quotient does not terminate within 12 digits. */
function arith(a: Dec, op: string, b: Dec): Dec | undefined {
  const [x, y, s] = align(a, b);
  if (op === '+') return { n: x + y, scale: s };
  if (op === '-') return { n: x - y, scale: s };
  if (op === '*') return { n: a.n * b.n, scale: a.scale + b.scale };
  if (y === 0n) return undefined;
  for (let extra = 0; extra <= 12; extra++) {
    const num = x * 10n ** BigInt(extra);
    if (num % y === 0n) return { n: num / y, scale: extra };
  }
  return undefined;
}

/** `col op k` / `k op col` with a plain column and a numeric literal or parameter. */
interface Shape {
  column: Extract<Expr, { kind: 'column' }>;
  arithOp: string;
  constant: Expr;
  columnFirst: boolean;
}

function shapeOf(node: Expr): Shape | undefined {
  if (node.kind !== 'operator' || !node.left || !ARITH.has(node.op)) return undefined;
  if (node.left.kind === 'column' && isConstant(node.right)) return { column: node.left, arithOp: node.op, constant: node.right, columnFirst: true };
  if (node.right.kind === 'column' && isConstant(node.left)) return { column: node.right, arithOp: node.op, constant: node.left, columnFirst: false };
  return undefined;
}

/** A plain numeric literal (not a cast, which could change the arithmetic's type). */
function numberOf(node: Expr, text: string): Dec | undefined {
  if (node.kind === 'literal' && node.type === 'number') return parseDec(text);
  return undefined;
}

/** The rewritten comparison `col op' value`, or undefined when no exact, safe rewrite exists. */
function rewrite(block: QueryBlock, catalog: Catalog, shape: Shape, cmpOp: string, kText: string, cText: string, kNode: Expr, cNode: Expr, colText: string): string | undefined {
  const k = numberOf(kNode, kText);
  const c = numberOf(cNode, cText);
  const resolved = resolveColumn(shape.column, block, catalog);
  const colType = resolved ? findColumn(resolved.table, resolved.column)?.type ?? '' : '';
  let op = cmpOp;
  const { arithOp, columnFirst } = shape;
  if (arithOp === '+' || arithOp === '-') {
    // col + k ⋚ c → col ⋚ c - k;  col - k ⋚ c → col ⋚ c + k;  k - col ⋚ c → col ⋛ k - c.
    let inverse: string;
    let left: string;
    let right: string;
    if (arithOp === '-' && !columnFirst) {
      op = FLIP[op];
      inverse = '-';
      left = kText;
      right = cText;
    } else {
      inverse = arithOp === '+' ? '-' : '+';
      left = cText;
      right = kText;
    }
    if (k && c) {
      const v = arith(parseDec(left)!, inverse, parseDec(right)!);
      return v ? `${colText} ${op} ${formatDec(v)}` : undefined;
    }
    return `${colText} ${op} ${left} ${inverse} ${right}`;
  }
  // Multiplication and division: only with numeric literals we can compute exactly, so no
  // integer division sneaks in; division of an integer column truncates, so skip it.
  if (!k || !c || k.n === 0n) return undefined;
  if (arithOp === '/' && !columnFirst) return undefined;
  if (arithOp === '/' && (!colType || INTEGER_TYPES.test(colType))) return undefined;
  const v = arithOp === '*' ? arith(c, '/', k) : arith(c, '*', k);
  if (!v) return undefined;
  if (k.n < 0n) op = FLIP[op];
  return `${colText} ${op} ${formatDec(v)}`;
}

export const expressionOnColumn: SqlRule = {
  kind: 'sql',
  id: 'expression-on-column',
  description: 'Flags arithmetic on the column side of a comparison (`age + 1 = 30`), which keeps an index on the column from being used.',
  rationale:
    'An index on `age` is sorted by `age`, not by `age + 1`. When the column is part of an arithmetic expression the planner cannot seek into the index ' +
    'and evaluates the expression for every row. Moving the arithmetic to the constant side (`age = 29`) gives the same rows and an indexable predicate. ' +
    'The quick fix computes the constant exactly and flips the operator when multiplying or dividing by a negative number; it is not offered for ' +
    'division of integer (or unknown-type) columns, where SQL truncates.',
  defaultSeverity: 'warning',
  needsSchema: false,
  examples: {
    bad: ['SELECT id FROM users WHERE age + 1 = 30', 'SELECT id FROM orders WHERE total / 100 >= 50', 'SELECT id FROM products WHERE price * 2 > $1'],
    good: ['SELECT id FROM users WHERE age = 29', 'SELECT id FROM orders WHERE total >= 5000', 'SELECT age + 1 FROM users WHERE id = $1'],
  },
  fix: 'Move the arithmetic to the constant side (`age + 1 = 30` → `age = 29`).',
  check(ctx) {
    const out: Omit<Finding, 'severity' | 'ruleId'>[] = [];
    const text = ctx.statement.text;
    for (const block of ctx.statements.flatMap((st) => st.blocks)) {
      for (const root of predicateRoots(block)) {
        for (const cmp of comparisons(root)) {
          const cmpOp = cmp.op;
          if (cmp.quantifier || (!REWRITABLE_OPS.has(cmpOp) && cmpOp !== 'BETWEEN' && cmpOp !== 'IN')) continue;
          for (const side of ['left', 'right'] as const) {
            const shape = shapeOf(cmp[side]);
            const otherNode = cmp[side === 'left' ? 'right' : 'left'];
            if (!shape || !isConstant(otherNode)) continue;
            const exprRange = cmp[side].range;
            const cRange = otherNode.range;
            if (!exprRange || !cRange) continue;
            const colRange = shape.column.range;
            const kRange = shape.constant.range;
            const written = text.slice(exprRange.start, exprRange.end);
            const colText = colRange ? text.slice(colRange.start, colRange.end) : 'the column';
            let message = `${written} applies arithmetic to ${colText}, so an index on ${colText} cannot be used for this comparison.`;
            const finding: Omit<Finding, 'severity' | 'ruleId'> = { message, start: exprRange.start, end: exprRange.end };
            if (colRange && kRange && REWRITABLE_OPS.has(cmpOp)) {
              // Normalise so the expression is on the left: `30 = age + 1` means `age + 1 = 30`.
              const op = side === 'left' ? cmpOp : FLIP[cmpOp];
              const newText = rewrite(block, ctx.catalog, shape, op, text.slice(kRange.start, kRange.end), text.slice(cRange.start, cRange.end), shape.constant, otherNode, colText);
              if (newText) {
                message += ` Move the arithmetic to the other side: ${newText}.`;
                const left = cmp.left.range!;
                const right = cmp.right.range!;
                finding.fixes = [{ title: `Rewrite as ${newText}`, edits: [{ start: Math.min(left.start, right.start), end: Math.max(left.end, right.end), newText }] }];
              } else {
                message += ' Move the arithmetic to the constant side.';
              }
            } else {
              message += ' Move the arithmetic to the constant side.';
            }
            finding.message = message;
            out.push(finding);
          }
        }
      }
    }
    return out;
  },
};
