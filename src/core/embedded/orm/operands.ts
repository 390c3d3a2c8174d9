/**
 * Reading call arguments as query operands: a bound value (`$n`), or a LIKE pattern whose
 * wildcards are visible in the source (`'%' + q`, `` `%${q}%` ``, `'%phone'`), so the
 * leading-wildcard rule sees what the database will see.
 */
import ts = require('typescript');
import { unwrap } from '../source';
import type { Operand } from './model';

/** A pattern argument: its literal head and tail around one unknown part, or a literal. */
export function patternOperand(e: ts.Expression | undefined): Operand {
  if (!e) return { kind: 'param' };
  const n = unwrap(e);
  if (ts.isStringLiteralLike(n)) return { kind: 'pattern', head: n.text, tail: '', literal: true };
  if (ts.isTemplateExpression(n)) {
    const spans = n.templateSpans;
    return { kind: 'pattern', head: n.head.text, tail: spans.length === 1 ? spans[0].literal.text : '' };
  }
  if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = unwrap(n.left);
    const r = unwrap(n.right);
    const head = ts.isStringLiteralLike(l) ? l.text : ts.isBinaryExpression(l) ? headOf(l) : '';
    const tail = ts.isStringLiteralLike(r) ? r.text : '';
    return { kind: 'pattern', head, tail };
  }
  return { kind: 'param' };
}

function headOf(b: ts.BinaryExpression): string {
  const l = unwrap(b.left);
  return ts.isStringLiteralLike(l) ? l.text : '';
}

/** `null` as a value (`where('deleted_at', null)`). */
export function isNullLiteral(e: ts.Expression | undefined): boolean {
  return !!e && unwrap(e).kind === ts.SyntaxKind.NullKeyword;
}

/** Number of elements of an array literal argument; 1 when not a literal. */
export function listLength(e: ts.Expression | undefined): number {
  const n = e && unwrap(e);
  return n && ts.isArrayLiteralExpression(n) ? Math.max(1, n.elements.length) : 1;
}

/** SQL comparison operators an ORM may pass as a string (`'>='`, `'like'`, `'<>'`). */
export const SQL_OPERATORS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=', 'like', 'ilike', 'not like', 'not ilike', 'in', 'not in', 'is', 'is not']);
