/**
 * Repairs the few valid PostgreSQL shapes node-sql-parser rejects but the rules must see,
 * keeping a map back to the original offsets. Today: `x LIKE '%' || $1` (the parser only
 * accepts a parenthesised concatenation after LIKE/ILIKE), which is how leading-wildcard
 * searches are usually written.
 */
import type { Dialect } from '../dialect';
import { parseStatement, type ParseResult } from './parse';
import { tokenize, type Token } from './tokens';

export interface RepairedParse {
  result: ParseResult;
  /** The text that was parsed (the statement itself unless a repair was needed). */
  text: string;
  /** Maps an offset in `text` back to the original statement. */
  toOriginal(offset: number): number;
}

const STOP_WORDS = new Set(['and', 'or', 'escape', 'order', 'group', 'limit', 'offset', 'then', 'when', 'else', 'end', 'having', 'union', 'except', 'intersect', 'returning', 'window', 'fetch', 'for', 'on', 'join', 'where', 'from', 'as', 'asc', 'desc', 'is', 'not', 'similar', 'like', 'ilike']);

/** Parses a statement; when that fails, tries known repairs and parses again. */
export function parseWithRepairs(text: string, dialect: Dialect): RepairedParse {
  const identity = (o: number) => o;
  const result = parseStatement(text, dialect);
  if (result.ok || dialect !== 'postgresql' || !text.includes('||')) return { result, text, toOriginal: identity };
  const inserts = likeConcatInserts(tokenize(text, dialect));
  if (inserts.length === 0) return { result, text, toOriginal: identity };
  let repaired = '';
  let last = 0;
  for (const ins of inserts) {
    repaired += text.slice(last, ins.at) + ins.ch;
    last = ins.at;
  }
  repaired += text.slice(last);
  const second = parseStatement(repaired, dialect);
  if (!second.ok) return { result, text, toOriginal: identity };
  const newPositions = inserts.map((ins, i) => ins.at + i);
  const toOriginal = (o: number) => o - newPositions.filter((p) => p < o).length;
  return { result: second, text: repaired, toOriginal };
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
