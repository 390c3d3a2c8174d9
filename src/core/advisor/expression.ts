/**
 * Index-key expressions: renders the query model's `lower(email)` / `date_trunc('day', ts)` /
 * `created_at::date` as canonical SQL text, and compares such texts with the catalog's
 * expression keys regardless of case, spacing and redundant parentheses.
 */
import type { Expr } from '../query/model';

/** A column reference inside an expression, before it is resolved to a table. */
export interface ColumnMention {
  qualifier?: string;
  column: string;
}

/** Functions whose value does not depend on the row: a call to one is not an index expression. */
const NON_ROW_FUNCTIONS = new Set(['now', 'current_date', 'current_timestamp', 'localtimestamp', 'any', 'all', 'extract']);

/**
 * Renders an expression over columns of a single table as canonical SQL text with unqualified
 * column names, or undefined when it is not something an expression index can hold (no
 * column, aggregates, subqueries, parameters). `spell` gives the catalog's spelling of a column.
 */
export function renderKeyExpression(node: Expr, spell: (m: ColumnMention) => string = (m) => m.column): { text: string; columns: ColumnMention[] } | undefined {
  const columns: ColumnMention[] = [];
  const text = render(node, columns, spell, 0);
  if (text === undefined || columns.length === 0) return undefined;
  return { text, columns };
}

function render(node: Expr, columns: ColumnMention[], spell: (m: ColumnMention) => string, depth: number): string | undefined {
  if (depth > 20) return undefined;
  switch (node.kind) {
    case 'column': {
      const c: ColumnMention = { column: node.column, ...(node.table ? { qualifier: node.table.toLowerCase() } : {}) };
      columns.push(c);
      return quoteIfNeeded(spell(c));
    }
    case 'literal':
      if (node.type === 'string') return `'${node.value.replace(/'/g, "''")}'`;
      if (node.type === 'number' || node.type === 'boolean') return node.value;
      return undefined;
    case 'function': {
      if (NON_ROW_FUNCTIONS.has(node.name) || node.star || node.window || node.filter) return undefined;
      const parts: string[] = [];
      for (const a of node.args) {
        const r = render(a, columns, spell, depth + 1);
        if (r === undefined) return undefined;
        parts.push(r);
      }
      return `${node.name}(${parts.join(', ')})`;
    }
    case 'cast': {
      const inner = render(node.expr, columns, spell, depth + 1);
      if (inner === undefined) return undefined;
      return `(${inner})::${node.type.toLowerCase()}`;
    }
    case 'operator': {
      if (!node.left || !['+', '-', '*', '/', '||'].includes(node.op)) return undefined;
      const l = render(node.left, columns, spell, depth + 1);
      const r = render(node.right, columns, spell, depth + 1);
      if (l === undefined || r === undefined) return undefined;
      return `(${l} ${node.op} ${r})`;
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
