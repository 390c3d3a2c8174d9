/**
 * Repairs the few valid PostgreSQL shapes node-sql-parser rejects but the rules must see,
 * keeping a map back to the original offsets:
 * - `x LIKE '%' || $1`: the parser only accepts a parenthesised concatenation after LIKE/ILIKE,
 *   and this is how leading-wildcard searches are usually written → parentheses are inserted;
 * - casts of bind parameters (`$1::uuid`, `$2::int[]`), `FOR UPDATE [SKIP LOCKED]` / `FOR SHARE`
 *   locking clauses, `FETCH FIRST n ROWS ONLY` → blanked with spaces (or rewritten to
 *   `LIMIT n` padded to the same length), so every other offset stays where it was.
 * Quick fixes that touch a blanked region are dropped by the linter (see `blanked`).
 */
import type { Dialect } from '../dialect';
import { parseStatement, type ParseResult } from './parse';
import { matchingParen, tokenize, type Token } from './tokens';

export interface RepairedParse {
  result: ParseResult;
  /** The text that was parsed (the statement itself unless a repair was needed). */
  text: string;
  /** Maps an offset in `text` back to the original statement. */
  toOriginal(offset: number): number;
  /** Ranges of the original text that were blanked out before parsing (original offsets). */
  blanked: { start: number; end: number }[];
}

const STOP_WORDS = new Set(['and', 'or', 'escape', 'order', 'group', 'limit', 'offset', 'then', 'when', 'else', 'end', 'having', 'union', 'except', 'intersect', 'returning', 'window', 'fetch', 'for', 'on', 'join', 'where', 'from', 'as', 'asc', 'desc', 'is', 'not', 'similar', 'like', 'ilike']);

/** Parses a statement; when that fails, tries known repairs and parses again. */
export function parseWithRepairs(text: string, dialect: Dialect): RepairedParse {
  const identity = (o: number) => o;
  const result = parseStatement(text, dialect);
  const unrepaired: RepairedParse = { result, text, toOriginal: identity, blanked: [] };
  if (result.ok || dialect !== 'postgresql') return unrepaired;
  const toks = tokenize(text, dialect);
  const { text: blankedText, blanked } = blankUnsupported(text, toks);
  const inserts = blankedText.includes('||') ? likeConcatInserts(blanked.length ? tokenize(blankedText, dialect) : toks) : [];
  if (inserts.length === 0 && blanked.length === 0) return unrepaired;
  let repaired = '';
  let last = 0;
  for (const ins of inserts) {
    repaired += blankedText.slice(last, ins.at) + ins.ch;
    last = ins.at;
  }
  repaired += blankedText.slice(last);
  const second = parseStatement(repaired, dialect);
  if (!second.ok) return unrepaired;
  const newPositions = inserts.map((ins, i) => ins.at + i);
  const toOriginal = (o: number) => o - newPositions.filter((p) => p < o).length;
  return { result: second, text: repaired, toOriginal, blanked };
}

/** Same-length rewrites of syntax the parser rejects and the rules do not need. */
function blankUnsupported(text: string, toks: Token[]): { text: string; blanked: { start: number; end: number }[] } {
  const blanked: { start: number; end: number }[] = [];
  let out = text;
  const replace = (start: number, end: number, by = '') => {
    out = out.slice(0, start) + by.padEnd(end - start, ' ') + out.slice(end);
    blanked.push({ start, end });
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    // `$1::type`, `$1::type(…)`, `$1::type[]`, `$1::character varying`
    if (t.kind === 'param' && toks[i + 1]?.text === '::' && toks[i + 2] && (toks[i + 2].kind === 'word' || toks[i + 2].kind === 'quoted')) {
      let j = i + 2;
      while (toks[j + 1] && toks[j + 1].kind === 'word' && /^(varying|precision|with|without|time|zone)$/.test(toks[j + 1].value)) j++;
      if (toks[j + 1]?.text === '(') j = matchingParen(toks, j + 1);
      while (toks[j + 1]?.text === '[' && toks[j + 2]?.text === ']') j += 2;
      if (j >= toks.length) break;
      replace(toks[i + 1].start, toks[j].end);
      i = j;
      continue;
    }
    if (t.kind === 'word' && t.value === 'fetch' && /^(first|next)$/.test(toks[i + 1]?.value ?? '')) {
      // FETCH FIRST [n] ROW[S] ONLY → LIMIT n
      let j = i + 2;
      const count = toks[j] && (toks[j].kind === 'number' || toks[j].kind === 'param') ? toks[j++] : undefined;
      if (/^rows?$/.test(toks[j]?.value ?? '') && toks[j + 1]?.value === 'only') {
        replace(t.start, toks[j + 1].end, `LIMIT ${count?.text ?? '1'}`);
        i = j + 1;
      }
      continue;
    }
    if (t.kind === 'word' && t.value === 'for' && /^(update|share|no|key)$/.test(toks[i + 1]?.value ?? '')) {
      // A trailing locking clause: FOR UPDATE / FOR NO KEY UPDATE / FOR SHARE [OF t] [NOWAIT | SKIP LOCKED]
      const rest = toks.slice(i + 1);
      if (rest.every((x) => x.kind === 'word' || x.kind === 'quoted' || x.text === ',' || x.text === '.')) {
        replace(t.start, toks[toks.length - 1].end);
        break;
      }
    }
  }
  return { text: out, blanked };
}

/** Parenthesis insertions that wrap each `LIKE a || b` right-hand side. */
function likeConcatInserts(toks: Token[]): { at: number; ch: string }[] {
  const out: { at: number; ch: string }[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind !== 'word' || (t.value !== 'like' && t.value !== 'ilike')) continue;
    const first = toks[i + 1];
    if (!first || first.text === '(') continue;
    let depth = 0;
    let j = i + 1;
    let end = i + 1;
    let sawConcat = false;
    for (; j < toks.length; j++) {
      const x = toks[j];
      if (x.text === '(') depth++;
      else if (x.text === ')') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && (x.text === ',' || (x.kind === 'word' && STOP_WORDS.has(x.value)))) break;
      if (depth === 0 && x.text === '||') sawConcat = true;
      end = j;
    }
    if (sawConcat) {
      out.push({ at: first.start, ch: '(' }, { at: toks[end].end, ch: ')' });
      i = end;
    }
  }
  return out.sort((a, b) => a.at - b.at);
}
