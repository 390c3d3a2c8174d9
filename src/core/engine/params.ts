/**
 * Query parameters (`$1`, `?`, `:name`, template-literal holes `${…}`) cannot be planned as
 * written: EXPLAIN needs values, and the plan depends on them (a rare status uses an index, a
 * common one does not). This module finds each parameter, works out which column it is
 * compared with and how (equality, range side, LIKE, IN, ANY, LIMIT…), and splices in the
 * values the engine picks from that column's statistics. Token-based, so it works on SQL the
 * parser cannot read.
 */
import type { Dialect } from '../dialect';
import { matchingParen, tokenize, type Token } from '../sql/tokens';

/** How a parameter is used, which decides what a representative value is. */
export type ParamRole =
  | 'eq' // col = $1, col IN ($1, $2), SET col = $1, VALUES (…, $1, …)
  | 'lt' // col < $1, col <= $1 (a value near the low end keeps it selective)
  | 'gt' // col > $1, col >= $1
  | 'between-low'
  | 'between-high'
  | 'like' // col LIKE $1 (a prefix pattern)
  | 'array' // col = ANY($1)
  | 'limit'
  | 'offset'
  | 'unknown';

export interface ParamSlot {
  /** The parameter as written (`$1`, `?`, `:id`, `${user.id}`). */
  text: string;
  start: number;
  end: number;
  role: ParamRole;
  /** Table (as written, lower-cased, possibly schema-qualified) and column it is compared with. */
  table?: string;
  column?: string;
}

/** Column names (lower-cased) of a table, in declaration order, or undefined if unknown. */
export type ColumnLookup = (table: string) => string[] | undefined;

const KEYWORDS = new Set([
  'where', 'join', 'inner', 'left', 'right', 'full', 'outer', 'cross', 'on', 'using', 'group', 'order', 'limit',
  'offset', 'having', 'set', 'values', 'select', 'natural', 'union', 'except', 'intersect', 'returning', 'window',
  'for', 'lateral', 'as', 'and', 'or', 'default', 'fetch', 'into', 'from',
]);
const COMPARISON: Record<string, ParamRole> = { '=': 'eq', '<>': 'eq', '!=': 'eq', '<': 'lt', '<=': 'lt', '>': 'gt', '>=': 'gt' };
const FLIP: Record<ParamRole, ParamRole> = { lt: 'gt', gt: 'lt' } as Record<ParamRole, ParamRole>;
const VALUE_CONTEXT = new Set(['in', 'like', 'ilike', 'between', 'and', 'or', 'limit', 'offset', 'values', 'set', 'any', 'all', 'then', 'else', 'when', 'select', 'not', 'is', 'where', 'by', 'first', 'next']);

/** A hole of a template literal, which the extractor may hand over verbatim. */
const HOLE = /\$\{/g;

/**
 * Finds the parameters of one statement. `columnsOf` resolves unqualified columns to the
 * tables the statement names.
 */
export function findParameters(sql: string, dialect: Dialect, columnsOf: ColumnLookup): ParamSlot[] {
  const masked = maskHoles(sql);
  const tokens = tokenize(masked.text, dialect);
  const tables = tableRefs(tokens);
  const slots: ParamSlot[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind !== 'param') continue;
    if (t.text === '?' && dialect !== 'mysql' && !questionIsParam(tokens, k)) continue;
    const found = classify(tokens, k);
    const slot: ParamSlot = { text: sql.slice(t.start, t.end), start: t.start, end: t.end, role: found.role };
    if (found.column?.startsWith('#') && found.table) {
      // INSERT without a column list: the n-th column in declaration order.
      found.column = columnsOf(found.table)?.[Number(found.column.slice(1))];
    }
    if (found.column) {
      const table = resolveTable(found.qualifier, found.column, tables, columnsOf) ?? found.table;
      if (table) {
        slot.table = table;
        slot.column = found.column;
      }
    }
    slots.push(slot);
  }
  return slots;
}

/** Replaces each slot's text with its value (SQL text); slots without a value are left as written. */
export function bindParameters(sql: string, slots: ParamSlot[], values: (string | undefined)[]): string {
  let out = sql;
  const order = slots.map((s, i) => ({ s, v: values[i] })).sort((a, b) => b.s.start - a.s.start);
  for (const { s, v } of order) {
    if (v === undefined) continue;
    out = out.slice(0, s.start) + v + out.slice(s.end);
  }
  return out;
}

/**
 * Template holes `${expr}` become a same-length `:h…` parameter so the tokenizer sees one
 * parameter and offsets stay those of the original text.
 */
function maskHoles(sql: string): { text: string } {
  let text = sql;
  HOLE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HOLE.exec(sql))) {
    let depth = 1;
    let j = m.index + 2;
    while (j < sql.length && depth > 0) {
      if (sql[j] === '{') depth++;
      else if (sql[j] === '}') depth--;
      j++;
    }
    const len = j - m.index;
    text = text.slice(0, m.index) + (':h' + 'x'.repeat(Math.max(0, len - 2))) + text.slice(j);
    HOLE.lastIndex = j;
  }
  return { text };
}

/** In PostgreSQL `?` is also a jsonb operator: treat it as a parameter only where a value goes. */
function questionIsParam(tokens: Token[], k: number): boolean {
  const prev = tokens[k - 1];
  if (!prev) return false;
  if (prev.kind === 'op') return prev.text !== ')' && prev.text !== ']';
  return prev.kind === 'word' && VALUE_CONTEXT.has(prev.value);
}

interface TableRef {
  name: string;
  alias?: string;
}

/** Tables named after FROM / JOIN / UPDATE / INTO (and comma-separated FROM lists), with aliases. */
function tableRefs(tokens: Token[]): TableRef[] {
  const refs: TableRef[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const v = tokens[k].kind === 'word' ? tokens[k].value : '';
    if (v !== 'from' && v !== 'join' && v !== 'update' && v !== 'into') continue;
    let j = k + 1;
    for (;;) {
      if (tokens[j]?.value === 'only' || tokens[j]?.value === 'lateral') j++;
      const read = readName(tokens, j);
      if (!read) break;
      j = read.next;
      let alias: string | undefined;
      if (tokens[j]?.value === 'as') j++;
      const a = tokens[j];
      if (a && (a.kind === 'quoted' || (a.kind === 'word' && !KEYWORDS.has(a.value)))) {
        alias = a.kind === 'quoted' ? a.value : a.value;
        j++;
      }
      refs.push({ name: read.name, alias });
      if (v === 'from' && tokens[j]?.text === ',') {
        j++;
        continue;
      }
      break;
    }
  }
  return refs;
}

/** Reads `name` or `schema.name` at `j`; undefined when a subquery or anything else is there. */
function readName(tokens: Token[], j: number): { name: string; next: number } | undefined {
  const a = tokens[j];
  if (!a || (a.kind !== 'word' && a.kind !== 'quoted') || (a.kind === 'word' && KEYWORDS.has(a.value))) return undefined;
  const b = tokens[j + 1];
  const c = tokens[j + 2];
  if (b?.text === '.' && c && (c.kind === 'word' || c.kind === 'quoted')) return { name: `${a.value}.${c.value}`, next: j + 3 };
  return { name: a.value, next: j + 1 };
}

function resolveTable(qualifier: string | undefined, column: string, refs: TableRef[], columnsOf: ColumnLookup): string | undefined {
  if (qualifier) {
    const ref = refs.find((r) => r.alias === qualifier) ?? refs.find((r) => r.name === qualifier || r.name.endsWith('.' + qualifier));
    return ref?.name;
  }
  for (const r of refs) if (columnsOf(r.name)?.includes(column)) return r.name;
  return undefined;
}

interface Classified {
  role: ParamRole;
  column?: string;
  qualifier?: string;
  /** Table when known directly (INSERT column lists). */
  table?: string;
}

/** Reads the column reference ending at token `end` (going left): `col`, `t.col`, `fn(t.col)`, `col::type`. */
function columnBefore(tokens: Token[], end: number): { column: string; qualifier?: string } | undefined {
  let e = end;
  // `col::text` — skip a cast.
  if (tokens[e]?.kind === 'word' && tokens[e - 1]?.text === '::') e -= 2;
  const t = tokens[e];
  if (!t) return undefined;
  if (t.text === ')') {
    // A one-argument function call around a column: lower(email), date(created_at).
    let open = e;
    let depth = 0;
    for (; open >= 0; open--) {
      if (tokens[open].text === ')') depth++;
      else if (tokens[open].text === '(') {
        depth--;
        if (depth === 0) break;
      }
    }
    const inner = tokens.slice(open + 1, e).filter((x) => x.kind === 'word' || x.kind === 'quoted');
    if (open > 0 && tokens[open - 1].kind === 'word' && inner.length >= 1 && inner.length <= 3) return columnBefore(tokens, e - 1);
    return undefined;
  }
  if (t.kind !== 'word' && t.kind !== 'quoted') return undefined;
  if (t.kind === 'word' && (KEYWORDS.has(t.value) || VALUE_CONTEXT.has(t.value))) return undefined;
  if (tokens[e - 1]?.text === '.' && (tokens[e - 2]?.kind === 'word' || tokens[e - 2]?.kind === 'quoted')) {
    return { column: t.value, qualifier: tokens[e - 2].value };
  }
  return { column: t.value };
}

/** Reads the column reference starting at token `start` (going right): `col`, `t.col`. */
function columnAfter(tokens: Token[], start: number): { column: string; qualifier?: string } | undefined {
  const a = tokens[start];
  if (!a || (a.kind !== 'word' && a.kind !== 'quoted') || (a.kind === 'word' && KEYWORDS.has(a.value))) return undefined;
  if (tokens[start + 1]?.text === '.' && tokens[start + 2] && (tokens[start + 2].kind === 'word' || tokens[start + 2].kind === 'quoted')) {
    return { column: tokens[start + 2].value, qualifier: a.value };
  }
  if (tokens[start + 1]?.text === '(') return undefined;
  return { column: a.value };
}

function classify(tokens: Token[], k: number): Classified {
  let p = k - 1;
  // `$1::int` / `CAST($1 AS int)` — the cast does not change what the value is compared with.
  if (tokens[p]?.text === '(' && tokens[p - 1]?.value === 'cast') p -= 2;
  const prev = tokens[p];
  const prevValue = prev?.kind === 'word' ? prev.value : prev?.text;
  if (prevValue === 'limit' || prevValue === 'first' || prevValue === 'next') return { role: 'limit' };
  if (prevValue === 'offset') return { role: 'offset' };

  if (prev && COMPARISON[prev.text] && prev.kind === 'op') {
    const col = columnBefore(tokens, p - 1);
    if (col || !(tokens[k + 1]?.kind === 'op' && COMPARISON[tokens[k + 1].text])) return { role: COMPARISON[prev.text], ...col };
  }
  if (prevValue === 'like' || prevValue === 'ilike' || prevValue === '~~' || prevValue === '~~*') {
    const col = columnBefore(tokens, tokens[p - 1]?.value === 'not' ? p - 2 : p - 1);
    return { role: 'like', ...col };
  }
  if (prevValue === 'between') {
    const col = columnBefore(tokens, tokens[p - 1]?.value === 'not' ? p - 2 : p - 1);
    return { role: 'between-low', ...col };
  }
  if (prevValue === 'and') {
    // `col BETWEEN x AND $2`: look back for BETWEEN at the same depth, two tokens or a little more.
    for (let j = p - 1, depth = 0; j >= 0 && j >= p - 12; j--) {
      const tj = tokens[j];
      if (tj.text === ')') depth++;
      else if (tj.text === '(') depth--;
      if (depth < 0) break;
      if (depth === 0 && tj.value === 'and') break;
      if (depth === 0 && tj.value === 'between') {
        const col = columnBefore(tokens, tokens[j - 1]?.value === 'not' ? j - 2 : j - 1);
        return { role: 'between-high', ...col };
      }
    }
  }
  if (prev?.text === '(' || prev?.text === ',') {
    // Find the enclosing parenthesis and what precedes it.
    let open = p;
    if (prev.text === ',') {
      for (let depth = 0; open >= 0; open--) {
        const tj = tokens[open];
        if (tj.text === ')') depth++;
        else if (tj.text === '(') {
          if (depth === 0) break;
          depth--;
        }
      }
    }
    const before = tokens[open - 1];
    if (before?.value === 'in') {
      const col = columnBefore(tokens, tokens[open - 2]?.value === 'not' ? open - 3 : open - 2);
      return { role: 'eq', ...col };
    }
    if ((before?.value === 'any' || before?.value === 'all') && COMPARISON[tokens[open - 2]?.text ?? '']) {
      return { role: 'array', ...columnBefore(tokens, open - 3) };
    }
    if (before?.value === 'values' || (before?.text === ',' && tokens[open - 2]?.text === ')')) {
      return insertColumn(tokens, open, k);
    }
  }
  // Parameter on the left: `$1 = col`, `$1 < col`.
  const next = tokens[k + 1];
  if (next && next.kind === 'op' && COMPARISON[next.text]) {
    const col = columnAfter(tokens, k + 2);
    if (col) {
      const role = COMPARISON[next.text];
      return { role: FLIP[role] ?? role, ...col };
    }
  }
  return { role: 'unknown' };
}

/** `INSERT INTO t (a, b) VALUES ($1, $2)`: the column at the same position of the column list. */
function insertColumn(tokens: Token[], open: number, k: number): Classified {
  let position = 0;
  for (let j = open + 1, depth = 0; j < k; j++) {
    const tj = tokens[j];
    if (tj.text === '(') depth++;
    else if (tj.text === ')') depth--;
    else if (tj.text === ',' && depth === 0) position++;
  }
  const into = tokens.findIndex((t) => t.value === 'into');
  if (into < 0) return { role: 'eq' };
  const name = readName(tokens, into + 1);
  if (!name) return { role: 'eq' };
  if (tokens[name.next]?.text === '(') {
    const close = matchingParen(tokens, name.next);
    const cols = tokens.slice(name.next + 1, close).filter((t) => t.kind === 'word' || t.kind === 'quoted');
    const col = cols[position];
    return col ? { role: 'eq', column: col.value, table: name.name } : { role: 'eq' };
  }
  // No column list: the table's declaration order, resolved by the caller's lookup.
  return { role: 'eq', table: name.name, column: `#${position}` };
}
