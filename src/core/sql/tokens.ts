/**
 * A small SQL tokenizer with exact offsets. The rules use it to locate AST nodes that
 * node-sql-parser gives no location (column references, casts, `*`), the schema reader uses it
 * to read DDL the parser cannot, and `normalizeExpression` uses it so that `LOWER( email )` in a
 * query and `lower(email)` in an index compare equal.
 */
import type { Dialect } from '../dialect';
import { scanQuoted, skipComment } from './split';

export type TokenKind =
  | 'word' // identifier or keyword, unquoted
  | 'quoted' // "quoted" or `quoted` identifier
  | 'string' // '…', E'…', $$…$$
  | 'number'
  | 'param' // $1, ?, :name
  | 'op' // operators and punctuation
  ;

export interface Token {
  kind: TokenKind;
  /** Source text of the token. */
  text: string;
  start: number;
  end: number;
  /** Lower-cased text for words; unquoted name for quoted identifiers; value for strings. */
  value: string;
}

// Character classes by code, not regex: the tokenizer runs on every statement of every lint.
const isDigit = (c: number) => c >= 48 && c <= 57;
const isWordStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
const isWordPart = (c: number) => isWordStart(c) || isDigit(c) || c === 36;
const digit = (ch: string | undefined) => !!ch && isDigit(ch.charCodeAt(0));
const wordStart = (ch: string | undefined) => !!ch && isWordStart(ch.charCodeAt(0));
const wordPart = (ch: string | undefined) => !!ch && isWordPart(ch.charCodeAt(0));
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*)?\$/;
const MULTI_OPS: string[] = ['::', '<=', '>=', '<>', '!=', '||', '->>', '->', '#>>', '#>', '@>', '<@', '~~*', '!~~*', '~~', '!~~', '~*', '!~*', '=>', ':='];

const MULTI_START = new Set(MULTI_OPS.map((o) => o[0]));

/** Splits SQL text into tokens, skipping whitespace and comments. Never throws. */
export function tokenize(text: string, dialect: Dialect = 'postgresql'): Token[] {
  const out: Token[] = [];
  const n = text.length;
  const mysql = dialect === 'mysql';
  let i = 0;
  while (i < n) {
    const c = text[i];
    const next = text[i + 1] ?? '';
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    const afterComment = skipComment(text, i, mysql);
    if (afterComment > i) {
      i = afterComment;
      continue;
    }
    const start = i;
    if (c === "'" || ((c === 'E' || c === 'e' || c === 'N' || c === 'n') && next === "'" && !mysql)) {
      const q = c === "'" ? i : i + 1;
      const backslash = mysql || q !== i;
      const end = scanQuoted(text, q, "'", backslash);
      out.push({ kind: 'string', text: text.slice(start, end), start, end, value: unquote(text.slice(q, end), "'", backslash) });
      i = end;
      continue;
    }
    if (c === '"' || (mysql && c === '`')) {
      const end = scanQuoted(text, i, c, false);
      out.push({ kind: 'quoted', text: text.slice(start, end), start, end, value: unquote(text.slice(i, end), c, false) });
      i = end;
      continue;
    }
    if (c === '$') {
      if (digit(next)) {
        let j = i + 1;
        while (j < n && digit(text[j])) j++;
        out.push({ kind: 'param', text: text.slice(start, j), start, end: j, value: text.slice(start, j) });
        i = j;
        continue;
      }
      const m = mysql ? null : DOLLAR_TAG.exec(text.slice(i, i + 64));
      if (m) {
        const tag = m[0];
        const close = text.indexOf(tag, i + tag.length);
        const end = close < 0 ? n : close + tag.length;
        out.push({ kind: 'string', text: text.slice(start, end), start, end, value: text.slice(i + tag.length, close < 0 ? n : close) });
        i = end;
        continue;
      }
    }
    if (c === '?' && !(next === '|' || next === '&' || next === '-')) {
      out.push({ kind: 'param', text: '?', start, end: i + 1, value: '?' });
      i++;
      continue;
    }
    if (c === ':' && next !== ':' && wordStart(next) && text[i - 1] !== ':') {
      let j = i + 1;
      while (j < n && wordPart(text[j])) j++;
      out.push({ kind: 'param', text: text.slice(start, j), start, end: j, value: text.slice(start, j) });
      i = j;
      continue;
    }
    if (digit(c) || (c === '.' && digit(next))) {
      let j = i;
      while (j < n && digit(text[j])) j++;
      if (text[j] === '.' && text[j + 1] !== '.') {
        j++;
        while (j < n && digit(text[j])) j++;
      }
      if ((text[j] === 'e' || text[j] === 'E') && (digit(text[j + 1] ?? '') || ((text[j + 1] === '-' || text[j + 1] === '+') && digit(text[j + 2] ?? '')))) {
        j += 2;
        while (j < n && digit(text[j])) j++;
      }
      out.push({ kind: 'number', text: text.slice(start, j), start, end: j, value: text.slice(start, j) });
      i = j;
      continue;
    }
    if (wordStart(c)) {
      let j = i + 1;
      while (j < n && wordPart(text[j])) j++;
      const w = text.slice(start, j);
      out.push({ kind: 'word', text: w, start, end: j, value: w.toLowerCase() });
      i = j;
      continue;
    }
    const op = MULTI_START.has(c) ? MULTI_OPS.find((o) => text.startsWith(o, i)) : undefined;
    const len = op ? op.length : 1;
    const t = text.slice(i, i + len);
    out.push({ kind: 'op', text: t, start, end: i + len, value: t });
    i += len;
  }
  return out;
}


function unquote(raw: string, q: string, backslash: boolean): string {
  let body = raw.slice(1, raw.endsWith(q) && raw.length > 1 ? -1 : undefined);
  body = body.split(q + q).join(q);
  if (backslash) body = body.replace(/\\(.)/g, '$1');
  return body;
}

/** Index of the token that closes the parenthesis opened at `open` (or tokens.length). */
export function matchingParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'op') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return tokens.length;
}

/**
 * Canonical text of an expression, for comparing an index key with a query expression:
 * unquoted identifiers and keywords lower-cased, no whitespace or comments, redundant outer
 * parentheses and `::text` casts on bare columns dropped (pg_dump writes `lower((email)::text)`).
 * Qualifiers on column names are dropped too (`lower(u.email)` → `lower(email)`).
 */
export function normalizeExpression(text: string, dialect: Dialect = 'postgresql'): string {
  // Rules ask for the same texts over and over (every partial index's condition, per statement).
  const key = dialect + '\u0000' + text;
  let out = normalized.get(key);
  if (out === undefined) {
    if (normalized.size >= 4096) normalized.clear();
    out = normalizeUncached(text, dialect);
    normalized.set(key, out);
  }
  return out;
}

const normalized = new Map<string, string>();

function normalizeUncached(text: string, dialect: Dialect): string {
  let toks = tokenize(text, dialect);
  // Drop `x.` qualifiers: a word/quoted followed by '.' and another word/quoted.
  toks = toks.filter((t, i) => {
    const nx = toks[i + 1];
    const nx2 = toks[i + 2];
    if ((t.kind === 'word' || t.kind === 'quoted') && nx?.text === '.' && nx2 && (nx2.kind === 'word' || nx2.kind === 'quoted')) return false;
    if (t.text === '.' && i > 0 && (toks[i - 1].kind === 'word' || toks[i - 1].kind === 'quoted')) return false;
    return true;
  });
  // Drop `::text` / `::varchar` style casts (pg_dump adds them around columns in index keys).
  const cleaned: Token[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.text === '::' && toks[i + 1] && /^(text|character varying|varchar)$/.test(toks[i + 1].value)) {
      i++;
      continue;
    }
    cleaned.push(t);
  }
  // Remove parentheses that wrap a single identifier: `((email))` → `email`.
  let changed = true;
  let cur = cleaned;
  while (changed) {
    changed = false;
    const next: Token[] = [];
    for (let i = 0; i < cur.length; i++) {
      const t = cur[i];
      const prev = next[next.length - 1];
      const isCall = prev && (prev.kind === 'word' || prev.kind === 'quoted');
      if (t.text === '(' && !isCall && cur[i + 2]?.text === ')' && (cur[i + 1].kind === 'word' || cur[i + 1].kind === 'quoted')) {
        next.push(cur[i + 1]);
        i += 2;
        changed = true;
        continue;
      }
      next.push(t);
    }
    cur = next;
  }
  // Drop parentheses wrapping the whole expression.
  while (cur.length >= 2 && cur[0].text === '(' && matchingParen(cur, 0) === cur.length - 1) cur = cur.slice(1, -1);
  let out = '';
  let prev: Token | undefined;
  for (const t of cur) {
    const piece = t.kind === 'word' ? t.value : t.kind === 'quoted' ? (t.value === t.value.toLowerCase() ? t.value : `"${t.value}"`) : t.kind === 'string' ? `'${t.value.replace(/'/g, "''")}'` : t.text;
    // Keep a space only where two words would otherwise fuse (`x is null`).
    if (prev && /[A-Za-z0-9_"']$/.test(out) && /^[A-Za-z0-9_"']/.test(piece)) out += ' ';
    out += piece;
    prev = t;
  }
  return out;
}
