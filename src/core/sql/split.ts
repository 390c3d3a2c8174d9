/**
 * Splits a SQL document into statements with exact source offsets.
 *
 * A tokenizer-level scan (not a parser) so it never fails: it understands `--` and nested
 * `/* *\/` comments, '…' strings (with '' and, for E'…' or MySQL, backslash escapes), "…" and
 * `…` quoted identifiers and PostgreSQL dollar-quoted bodies ($$…$$, $tag$…$tag$), and only
 * splits on semicolons outside all of them. Leading comments and whitespace are excluded
 * from a statement's range so that findings map onto the statement itself.
 */
import type { Dialect } from '../dialect';

export interface Statement {
  /** Statement text, without the terminating semicolon. */
  text: string;
  /** Offset of the first significant character in the document. */
  start: number;
  /** Offset just past the last significant character (before the semicolon). */
  end: number;
  /** 0-based position of the statement in the document. */
  index: number;
}

const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*)?\$/;

const ATOMIC_HOLDER = /^create\s+(or\s+replace\s+)?(function|procedure)\b/i;
const isLetter = (ch: string) => (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_';
const isWordChar = (ch: string | undefined) => !!ch && (isLetter(ch) || (ch >= '0' && ch <= '9') || ch === '$');
/** `isWordChar` by character code (the word loop runs for every character of every word). */
const isWordCode = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;

export function splitStatements(source: string, dialect: Dialect = 'postgresql'): Statement[] {
  const out: Statement[] = [];
  const n = source.length;
  const mysql = dialect === 'mysql';
  let i = 0;
  // First/last offsets of significant (non-comment, non-space) characters in the segment.
  let sigStart = -1;
  let sigEnd = -1;

  const mark = (from: number, to: number) => {
    if (sigStart < 0) sigStart = from;
    sigEnd = to;
  };
  // Inside `CREATE FUNCTION … BEGIN ATOMIC … END` (SQL-standard bodies, PostgreSQL 14+) the
  // semicolons separate the body's statements: depth counts BEGIN ATOMIC/CASE against END.
  let atomicDepth = 0;
  let lastWord = '';
  const flush = () => {
    atomicDepth = 0;
    lastWord = '';
    if (sigStart >= 0) {
      out.push({ text: source.slice(sigStart, sigEnd), start: sigStart, end: sigEnd, index: out.length });
    }
    sigStart = -1;
    sigEnd = -1;
  };

  while (i < n) {
    const c = source[i];
    // Only `-`, `/` and MySQL's `#` can open a comment: skip the call for every other character.
    const afterComment = c === '-' || c === '/' || c === '#' ? skipComment(source, i, mysql) : i;
    if (afterComment > i) {
      i = afterComment;
      continue;
    }
    if (c === '\\' && !mysql && sigStart < 0) {
      // A psql meta-command (`\connect db`, pg_dump's `\restrict key`) runs to the end of its
      // line and is not SQL: neither the catalog nor the rules have anything to read in it.
      const nl = source.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c === ';' && atomicDepth > 0) {
      mark(i, i + 1);
      i++;
      continue;
    }
    if (c === ';') {
      flush();
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === "'") {
      const prev = i > 0 ? source[i - 1] : '';
      const backslashEscapes = mysql || prev === 'E' || prev === 'e';
      const end = scanQuoted(source, i, "'", backslashEscapes);
      mark(i, end);
      i = end;
      continue;
    }
    if (c === '"' || (mysql && c === '`')) {
      const end = scanQuoted(source, i, c, false);
      mark(i, end);
      i = end;
      continue;
    }
    if (c === '$' && !mysql) {
      const m = DOLLAR_TAG.exec(source.slice(i, i + 64));
      // `$1` is a parameter, not a tag: tags cannot start with a digit, which the regex enforces.
      if (m) {
        const tag = m[0];
        const close = source.indexOf(tag, i + tag.length);
        const end = close < 0 ? n : close + tag.length;
        mark(i, end);
        i = end;
        continue;
      }
    }
    if (!mysql && isLetter(c) && !(i > 0 && isWordChar(source[i - 1]))) {
      let j = i + 1;
      while (j < n && isWordCode(source.charCodeAt(j))) j++;
      // Only BEGIN, ATOMIC, CASE and END matter: skip the allocation for every other word.
      const len = j - i;
      const word = len >= 3 && len <= 6 && 'abceABCE'.includes(c) ? source.slice(i, j).toLowerCase() : '';
      if (atomicDepth > 0) {
        if (word === 'case') atomicDepth++;
        else if (word === 'end') atomicDepth--;
      } else if (word === 'atomic' && lastWord === 'begin' && sigStart >= 0 && ATOMIC_HOLDER.test(source.slice(sigStart, i))) {
        atomicDepth = 1;
      }
      lastWord = word;
      mark(i, j);
      i = j;
      continue;
    }
    mark(i, i + 1);
    i++;
  }
  flush();
  return out;
}

/**
 * When a comment starts at `i` (`--…`, MySQL `#…`, or a block comment), returns the offset just
 * past it (a line comment stops before its newline); otherwise returns `i`. PostgreSQL block
 * comments nest; MySQL's do not, but honouring nesting there is harmless.
 */
export function skipComment(s: string, i: number, mysql: boolean): number {
  const c = s[i];
  const next = s[i + 1];
  if ((c === '-' && next === '-') || (mysql && c === '#')) {
    const nl = s.indexOf('\n', i);
    return nl < 0 ? s.length : nl;
  }
  if (c === '/' && next === '*') {
    let depth = 1;
    let j = i + 2;
    while (j < s.length && depth > 0) {
      if (s[j] === '/' && s[j + 1] === '*') {
        depth++;
        j += 2;
      } else if (s[j] === '*' && s[j + 1] === '/') {
        depth--;
        j += 2;
      } else j++;
    }
    return j;
  }
  return i;
}

/** Returns the offset just past a quoted run starting at `start` (doubling the quote escapes it). */
export function scanQuoted(s: string, start: number, q: string, backslash: boolean): number {
  let j = start + 1;
  while (j < s.length) {
    const ch = s[j];
    if (backslash && ch === '\\') {
      j += 2;
      continue;
    }
    if (ch === q) {
      if (s[j + 1] === q) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return s.length;
}
