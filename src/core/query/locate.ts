/**
 * Source ranges for node-sql-parser ASTs, for the MySQL front end: the parser gives `loc` to
 * many expression nodes but not to column references, casts or literals, so those are found by
 * searching the statement's tokens inside the nearest located ancestor.
 */
import type { Dialect } from '../dialect';
import type { AstNode } from '../sql/parse';
import { matchingParen, tokenize, type Token } from '../sql/tokens';
import type { Range } from './model';

/** The name in an identifier node (string, `{expr:{value}}`, `{value}`), or undefined. */
export function identName(x: unknown): string | undefined {
  if (x == null) return undefined;
  if (typeof x === 'string') return x;
  if (typeof x === 'object') {
    const o = x as { expr?: unknown; value?: unknown };
    if (o.expr !== undefined) return identName(o.expr);
    if (typeof o.value === 'string') return o.value;
  }
  return undefined;
}

/** Column reference parts, or undefined for `*` / non-column nodes. */
export function columnRefParts(node: AstNode): { table?: string; column: string } | undefined {
  if (!node || node.type !== 'column_ref') return undefined;
  const column = identName(node.column);
  if (!column || column === '*') return undefined;
  const table = identName(node.table) ?? undefined;
  return { table: table || undefined, column };
}

/** Tokens of a statement; the last one is remembered, since every rule looks at the same text in a row. */
let lastTokens: { text: string; dialect: Dialect; tokens: Token[] } | undefined;
export function statementTokens(text: string, dialect: Dialect): Token[] {
  if (lastTokens && lastTokens.text === text && lastTokens.dialect === dialect) return lastTokens.tokens;
  const tokens = tokenize(text, dialect);
  lastTokens = { text, dialect, tokens };
  return tokens;
}

/**
 * Finds exact source ranges of AST nodes in one statement's text. Ranges are snapped to token
 * boundaries, so a trailing comment the parser folded into a `loc` is not part of the range.
 */
export class Locator {
  readonly tokens: Token[];
  constructor(readonly text: string, readonly dialect: Dialect) {
    this.tokens = statementTokens(text, dialect);
  }

  /** Snaps a raw range to the tokens fully inside it. */
  snap(r: Range): Range | undefined {
    const inside = this.tokensIn(r);
    if (inside.length === 0) return undefined;
    return { start: inside[0].start, end: inside[inside.length - 1].end };
  }

  /** Tokens fully inside a range. */
  tokensIn(r: Range): Token[] {
    const out: Token[] = [];
    for (let i = this.indexAt(r.start); i < this.tokens.length && this.tokens[i].start < r.end; i++) {
      if (this.tokens[i].end <= r.end) out.push(this.tokens[i]);
    }
    return out;
  }

  /** Token index of the first token starting at or after `offset`. */
  indexAt(offset: number): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid].start < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Source range of a node, searching `within` for nodes without `loc`. */
  range(node: AstNode, within: Range = { start: 0, end: this.text.length }): Range | undefined {
    if (!node || typeof node !== 'object') return undefined;
    if (node.loc && typeof node.loc.start?.offset === 'number') {
      return this.snap({ start: node.loc.start.offset, end: node.loc.end.offset });
    }
    switch (node.type) {
      case 'column_ref':
        return this.findColumnRef(node, within);
      case 'cast':
        return this.findCast(node, within);
      case 'single_quote_string':
      case 'string':
        return this.findToken(within, (t) => t.kind === 'string' && t.value === String(node.value));
      case 'number': {
        const v = Number(node.value);
        if (v >= 0) return this.findToken(within, (t) => t.kind === 'number' && Number(t.text) === v);
        // A negative literal is two tokens: `-` and the digits.
        const toks = this.tokensIn(within);
        const i = toks.findIndex((t, k) => t.kind === 'number' && Number(t.text) === -v && toks[k - 1]?.text === '-');
        return i > 0 ? { start: toks[i - 1].start, end: toks[i].end } : undefined;
      }
      case 'var':
      case 'param':
      case 'origin': {
        const text = node.type === 'var' ? `${node.prefix ?? '$'}${node.name}` : node.type === 'param' ? `:${node.value}` : String(node.value);
        return this.findToken(within, (t) => t.text.toLowerCase() === text.toLowerCase());
      }
      case 'binary_expr': {
        const l = this.range(node.left, within);
        const r = this.range(node.right, within);
        return l && r ? { start: l.start, end: r.end } : undefined;
      }
      default:
        return undefined;
    }
  }

  private findToken(within: Range, pred: (t: Token) => boolean): Range | undefined {
    const t = this.tokensIn(within).find(pred);
    return t ? { start: t.start, end: t.end } : undefined;
  }

  /** Finds `[schema.][table.]column` tokens inside `within`. */
  private findColumnRef(node: AstNode, within: Range): Range | undefined {
    const parts = columnRefParts(node);
    if (!parts) return undefined;
    const toks = this.tokensIn(within);
    const eq = (t: Token | undefined, name: string) => !!t && (t.kind === 'word' || t.kind === 'quoted') && (t.kind === 'word' ? t.value === name.toLowerCase() : t.value === name);
    for (let i = 0; i < toks.length; i++) {
      if (!eq(toks[i], parts.column)) continue;
      const prev = toks[i - 1];
      if (parts.table) {
        if (prev?.text === '.' && eq(toks[i - 2], parts.table)) {
          let s = i - 2;
          if (toks[s - 1]?.text === '.' && toks[s - 2]) s -= 2;
          return { start: toks[s].start, end: toks[i].end };
        }
        continue;
      }
      if (prev?.text === '.') continue;
      if (toks[i + 1]?.text === '(' || toks[i + 1]?.text === '.') continue; // a function name or a qualifier
      return { start: toks[i].start, end: toks[i].end };
    }
    return undefined;
  }

  /** `CAST(x AS t)` or `x::t`. */
  private findCast(node: AstNode, within: Range): Range | undefined {
    const inner = this.range(node.expr, within);
    if (!inner) return undefined;
    if (node.symbol === '::') {
      // The expression, then `::` and the type words (with an optional `(…)` and `[]`).
      let i = this.indexAt(inner.end);
      if (this.tokens[i]?.text !== '::') return undefined;
      i++;
      let end = inner.end;
      while (i < this.tokens.length) {
        const t = this.tokens[i];
        if (t.kind === 'word' || t.kind === 'quoted') {
          end = t.end;
          i++;
          // `double precision`, `timestamp with time zone`
          if (this.tokens[i]?.kind === 'word' && /^(precision|with|without|time|zone|varying)$/.test(this.tokens[i].value)) continue;
          if (this.tokens[i]?.text === '(') {
            const close = matchingParen(this.tokens, i);
            end = this.tokens[Math.min(close, this.tokens.length - 1)].end;
            i = close + 1;
          }
          while (this.tokens[i]?.text === '[' && this.tokens[i + 1]?.text === ']') {
            end = this.tokens[i + 1].end;
            i += 2;
          }
          break;
        }
        break;
      }
      return { start: inner.start, end };
    }
    // CAST ( expr AS type ): the nearest `cast (` before the expression.
    for (let i = this.indexAt(inner.start) - 1; i >= 1; i--) {
      const t = this.tokens[i];
      if (t.text === '(' && this.tokens[i - 1].kind === 'word' && /^(cast|convert)$/.test(this.tokens[i - 1].value)) {
        const close = matchingParen(this.tokens, i);
        if (close < this.tokens.length && this.tokens[close].end >= inner.end) return { start: this.tokens[i - 1].start, end: this.tokens[close].end };
        return undefined;
      }
      if (t.start < within.start) break;
    }
    return undefined;
  }

  /**
   * Ranges of the two operands of a located binary comparison, split at its operator token at
   * parenthesis depth 0 (works even when the operands themselves carry no `loc`).
   */
  operands(node: AstNode): { left: Range; op: Range; right: Range } | undefined {
    const whole = this.range(node);
    if (!whole) return undefined;
    const toks = this.tokensIn(whole);
    const opWords = String(node.operator).toLowerCase().split(/\s+/);
    let depth = 0;
    for (let i = 1; i < toks.length; i++) {
      const t = toks[i];
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
      if (depth !== 0) continue;
      const match = opWords.every((w, k) => {
        const x = toks[i + k];
        return !!x && (x.kind === 'word' ? x.value === w : x.text === w || (w === '!=' && x.text === '<>') || (w === '<>' && x.text === '!='));
      });
      if (!match) continue;
      const opEnd = toks[i + opWords.length - 1];
      if (i + opWords.length >= toks.length) return undefined;
      return {
        left: { start: toks[0].start, end: toks[i - 1].end },
        op: { start: t.start, end: opEnd.end },
        right: { start: toks[i + opWords.length].start, end: toks[toks.length - 1].end },
      };
    }
    return undefined;
  }
}
