/**
 * Index-key expressions: renders the AST of `lower(email)` / `date_trunc('day', ts)` /
 * `created_at::date` as canonical SQL text, and compares such texts with the catalog's
 * expression keys regardless of case, spacing and redundant parentheses.
 */
import type { AstNode } from '../sql/parse';

/** A column reference inside an expression, before it is resolved to a table. */
export interface ColumnMention {
  qualifier?: string;
  column: string;
}

/** Name of an identifier node from either dialect's AST (`{expr:{value}}` in PostgreSQL, a string in MySQL). */
export function identifierName(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  const n = node as AstNode;
  if (n && typeof n === 'object') {
    if (n.expr && typeof n.expr.value === 'string') {
      return n.expr.type === 'double_quote_string' || n.expr.type === 'backticks_quote_string' ? n.expr.value : n.expr.value.toLowerCase();
    }
    if (typeof n.value === 'string') return n.value;
  }
  return undefined;
}

/** Column named by a `column_ref` node (lower-cased unless quoted), or undefined for `*`. */
export function columnOf(node: AstNode): ColumnMention | undefined {
  if (!node || node.type !== 'column_ref') return undefined;
  const raw = node.column;
  if (raw === '*') return undefined;
  let column: string | undefined;
  if (typeof raw === 'string') column = raw.toLowerCase();
  else column = identifierName(raw);
  if (!column || column === '*') return undefined;
  const qualifier = typeof node.table === 'string' && node.table ? node.table.toLowerCase() : undefined;
  return { qualifier, column };
}

/** Lower-case function name of a `function` node (last part of a qualified name). */
export function functionName(node: AstNode): string | undefined {
  if (!node || node.type !== 'function') return undefined;
  const name = node.name;
  if (typeof name === 'string') return name.toLowerCase();
  const parts: unknown[] = Array.isArray(name?.name) ? name.name : [];
  const last = parts[parts.length - 1] as AstNode;
  const text = typeof last === 'string' ? last : last?.value;
  return typeof text === 'string' ? text.toLowerCase() : undefined;
}

/** Functions whose value does not depend on the row: a call to one is not an index expression. */
const NON_ROW_FUNCTIONS = new Set(['now', 'current_date', 'current_timestamp', 'localtimestamp', 'any', 'all']);

/**
 * Renders an expression over columns of a single table as canonical SQL text with unqualified
 * column names, or undefined when it is not something an expression index can hold (no
 * column, aggregates, subqueries, parameters).
 */
export function renderKeyExpression(node: AstNode): { text: string; columns: ColumnMention[] } | undefined {
  const columns: ColumnMention[] = [];
  const text = render(node, columns, 0);
  if (text === undefined || columns.length === 0) return undefined;
  return { text, columns };
}

function render(node: AstNode, columns: ColumnMention[], depth: number): string | undefined {
  if (!node || depth > 20) return undefined;
  switch (node.type) {
    case 'column_ref': {
      const c = columnOf(node);
      if (!c) return undefined;
      columns.push(c);
      return quoteIfNeeded(c.column);
    }
    case 'single_quote_string':
      return `'${String(node.value).replace(/'/g, "''")}'`;
    case 'number':
      return String(node.value);
    case 'bool':
      return node.value ? 'true' : 'false';
    case 'function': {
      const name = functionName(node);
      if (!name || NON_ROW_FUNCTIONS.has(name)) return undefined;
      const args: AstNode[] = node.args?.value ?? [];
      const parts: string[] = [];
      for (const a of args) {
        const r = render(a, columns, depth + 1);
        if (r === undefined) return undefined;
        parts.push(r);
      }
      return `${name}(${parts.join(', ')})`;
    }
    case 'cast': {
      const inner = render(node.expr, columns, depth + 1);
      const target = node.target?.[0]?.dataType;
      if (inner === undefined || typeof target !== 'string') return undefined;
      return `(${inner})::${target.toLowerCase()}`;
    }
    case 'binary_expr': {
      if (!['+', '-', '*', '/', '||'].includes(node.operator)) return undefined;
      const l = render(node.left, columns, depth + 1);
      const r = render(node.right, columns, depth + 1);
      if (l === undefined || r === undefined) return undefined;
      return `(${l} ${node.operator} ${r})`;
    }
    default:
      return undefined;
  }
}

/** Double-quotes an identifier that PostgreSQL would otherwise fold or reject. */
export function quoteIfNeeded(name: string, dialect: 'postgresql' | 'mysql' = 'postgresql'): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name;
  return dialect === 'mysql' ? '`' + name.replace(/`/g, '``') + '`' : '"' + name.replace(/"/g, '""') + '"';
}

// Words that must be quoted as column names (the ones that plausibly appear in schemas).
const RESERVED = new Set(['user', 'order', 'group', 'select', 'from', 'where', 'table', 'check', 'default', 'limit', 'offset', 'desc', 'asc', 'to', 'end', 'primary', 'references', 'unique', 'column', 'constraint', 'all', 'and', 'or', 'not', 'in', 'is', 'null', 'on', 'as', 'case', 'when', 'then', 'else', 'index', 'key']);

/**
 * Canonical comparison form of an expression text: lower case outside string literals, no
 * whitespace, no redundant outer parentheses, no `::text` casts on literals.
 */
export function normalizeExpression(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") inString = !inString;
    if (!inString && /\s/.test(ch)) continue;
    out += inString ? ch : ch.toLowerCase();
  }
  out = out.replace(/('(?:[^']|'')*')::(text|charactervarying|varchar)/g, '$1');
  out = out.replace(/"/g, '');
  while (out.startsWith('(') && out.endsWith(')') && balanced(out.slice(1, -1))) out = out.slice(1, -1);
  return out;
}

function balanced(s: string): boolean {
  let depth = 0;
  let inString = false;
  for (const ch of s) {
    if (ch === "'") inString = !inString;
    if (inString) continue;
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
