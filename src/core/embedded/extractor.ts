/**
 * The extractor behind extract.ts (loaded on first use, with the TypeScript compiler).
 * Finds SQL embedded in TS/JS — string and template literals passed to known query APIs and
 * `sql`-tagged templates — and rebuilds each as plain SQL text with a per-character map back
 * into the file, so SQL rules can run on the text and report in the TS file.
 *
 * Values are followed where they are knowable: concatenations (`'… LIKE ' + "'%" + x + "'"`),
 * `const` strings in scope, nested `sql` fragments. Unknown parts (template holes, unknown
 * operands) become parameters of the dialect (`$N` for PostgreSQL, `?` for MySQL); `?`
 * placeholders written for knex/mysql2/sqlite become `$N` when linting as PostgreSQL, because
 * the PostgreSQL parser rejects `?`. A bound value known to start with `%`
 * (`pool.query('… LIKE $1', [`%${q}`])`, Prisma `LIKE ${'%' + q}`) is written
 * `LIKE '%' || $1` (MySQL: `CONCAT('%', ?)`) so the leading-wildcard rule sees the pattern.
 */
import ts = require('typescript');
import type { Dialect } from '../dialect';
import { familyOfQueryReceiver, isDbReceiverName, looksLikeStatement, SQL_ARG_METHODS, sqlTagName, type ApiFamily } from './apis';
import { MAX_SOURCE_LENGTH, type EmbeddedParam, type EmbeddedSql } from './extract';
import { dialectOfName, dialectOfPackage, isLintedDialect, type CalleeRef, type PlaceholderStyle, type SinkDialect, type SinkInfo, type SinkResolver } from './sinks';
import { lastName, parseSource, resolveConst, unwrap } from './source';
import { calleeRef, scopedCallee } from '../workspace/summary';

type QuoteStyle = "'" | '"' | '`';
type SqlState = 'code' | 'squote' | 'dquote' | 'btick' | 'line' | 'block';

/** One decoded character of a JS literal and the file range of its source spelling. */
interface SourceChar {
  ch: string;
  start: number;
  end: number;
}

/** Accumulates SQL text with, per character, its file range and the literal it came from. */
class SqlBuilder {
  text = '';
  readonly fileStart: number[] = [];
  readonly fileEnd: number[] = [];
  /** Index into `quotes` of the literal the char came from; -1 for synthesized text. */
  readonly seg: number[] = [];
  readonly quotes: QuoteStyle[] = [];
  readonly params: EmbeddedParam[] = [];
  /** True for characters we wrote (placeholders, `'%' ||`), which have no exact source. */
  readonly synth: boolean[] = [];
  private state: SqlState = 'code';
  /** Ordinal of the last `?` seen: bound values are matched to `?` by position. */
  private questionOrdinal = 0;

  /** Named placeholders (`{{id}}`, `:id`, `@id`) seen so far → the parameter written for them. */
  private readonly named = new Map<string, string>();
  /** Value parameters written so far in wrapper SQL (see valuePlaceholder). */
  private values = 0;

  /**
   * @param wildcardValue whether bound value N (1-based) is known to start with `%` — then
   *   `LIKE $N` is written `LIKE '%' || $N` so the leading-wildcard rule can see it.
   */
  constructor(
    readonly dialect: Dialect,
    private readonly rewriteQuestionMarks: boolean,
    private readonly wildcardValue: (n: number) => boolean = () => false,
    /** Placeholder spellings a wrapper rewrites into bound parameters (sinks only). */
    private readonly placeholders: readonly PlaceholderStyle[] = [],
    /** True for wrapper SQL: a hole where no value can stand is a spliced fragment, not a parameter. */
    readonly fragmentHoles = false,
  ) {}

  /**
   * Recognises a named placeholder at `chars[i]` in the wrapper's style and writes it as a
   * parameter (`{{id::uuid}}` → `$1::uuid`; the same name reuses its number). Returns the
   * number of chars consumed, or 0.
   */
  private namedPlaceholder(chars: SourceChar[], i: number): number {
    if (this.state !== 'code' || this.placeholders.length === 0) return 0;
    const c = chars[i].ch;
    const ahead = () => chars.slice(i, i + 80).map((x) => x.ch).join('');
    let m: RegExpExecArray | null = null;
    let type: string | undefined;
    if (c === '{' && this.placeholders.includes('curly') && chars[i + 1]?.ch === '{') {
      m = /^\{\{\s*([A-Za-z_][\w$]*)\s*(?:::\s*([A-Za-z_][\w ]*?(?:\[\])?))?\s*\}\}/.exec(ahead());
      type = m?.[2];
    } else if (c === ':' && this.placeholders.includes('colon') && chars[i - 1]?.ch !== ':' && /[A-Za-z_]/.test(chars[i + 1]?.ch ?? '')) {
      m = /^:([A-Za-z_][\w$]*)/.exec(ahead());
    } else if (c === '@' && this.placeholders.includes('at') && chars[i - 1]?.ch !== '@' && /[A-Za-z_]/.test(chars[i + 1]?.ch ?? '')) {
      m = /^@([A-Za-z_][\w$]*)/.exec(ahead());
    }
    if (!m) return 0;
    const len = m[0].length;
    const start = chars[i].start;
    const end = chars[i + len - 1].end;
    let placeholder = this.dialect === 'mysql' ? '?' : this.named.get(m[1]) ?? this.valuePlaceholder();
    if (this.dialect !== 'mysql') this.named.set(m[1], placeholder);
    if (type && this.dialect !== 'mysql') placeholder += '::' + type.trim();
    this.addParam(placeholder, start, end, undefined);
    return len;
  }

  /** True when the SQL so far ends where a value cannot start (`… = 1 ${and}`): the hole is a fragment. */
  private atFragmentPosition(): boolean {
    if (this.state !== 'code') return false;
    const before = this.text.replace(/\s+$/, '');
    if (before === '') return true;
    if (/[=<>(,+\-*/|%]$/.test(before) || /::$/.test(before)) return false;
    return !/\b(in|like|ilike|is|then|else|when|and|or|not|between|values|limit|offset|select|by|from|join|into|update|table|set|where|on|having|as|return|returning|case|distinct|any|all|exists|interval)$/i.test(before);
  }

  /** True when the SQL so far ends with LIKE/ILIKE outside quotes. */
  private afterLike(): boolean {
    return this.state === 'code' && /\b(i?like)\s*$/i.test(this.text);
  }

  /** Writes `'%' || ` (PostgreSQL) or `CONCAT('%', ` (MySQL), mapped to the parameter's range. */
  private openWildcard(start: number, end: number): void {
    for (const ch of this.dialect === 'mysql' ? "CONCAT('%', " : "'%' || ") this.push(ch, start, end, -1, true);
  }

  private closeWildcard(start: number, end: number): void {
    if (this.dialect === 'mysql') this.push(')', start, end, -1, true);
  }

  /** Appends decoded literal characters, rewriting `?`/`??` placeholders outside SQL quotes. */
  appendLiteral(chars: SourceChar[], quote: QuoteStyle | undefined): void {
    const segId = quote ? this.quotes.push(quote) - 1 : -1;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      const named = this.namedPlaceholder(chars, i);
      if (named > 0) {
        i += named - 1;
        continue;
      }
      if (this.state === 'code' && c.ch === '?' && this.rewriteQuestionMarks) {
        const next = chars[i + 1]?.ch;
        if (next === '?') {
          // knex/mysql2 `??` binds an identifier.
          this.questionOrdinal++;
          this.addParam(this.identifierPlaceholder(), c.start, chars[i + 1].end, undefined);
          i++;
          continue;
        }
        if (next !== '|' && next !== '&') {
          const wildcard = this.afterLike() && this.wildcardValue(++this.questionOrdinal);
          if (wildcard) this.openWildcard(c.start, c.end);
          if (this.dialect === 'postgresql') this.addParam(this.valuePlaceholder(), c.start, c.end, undefined);
          else this.push(c.ch, c.start, c.end, segId);
          if (wildcard) this.closeWildcard(c.start, c.end);
          continue;
        }
      }
      if (this.state === 'code' && c.ch === '$' && this.dialect === 'postgresql' && /[0-9]/.test(chars[i + 1]?.ch ?? '')) {
        let j = i + 1;
        while (j < chars.length && /[0-9]/.test(chars[j].ch)) j++;
        const n = Number(chars.slice(i + 1, j).map((x) => x.ch).join(''));
        if (this.afterLike() && this.wildcardValue(n)) this.openWildcard(c.start, chars[j - 1].end);
      }
      this.push(c.ch, c.start, c.end, segId);
    }
  }

  /** Appends a parameter for an unknown JS expression. */
  appendUnknown(expr: ts.Node, sf: ts.SourceFile, fileStart: number, fileEnd: number, nextText: string, wildcard = false): void {
    const before = this.text.replace(/\s+$/, '');
    let placeholder: string;
    if (this.state !== 'code') {
      // Inside a SQL string or comment the value is just text; keep it visibly parameter-like.
      placeholder = this.valuePlaceholder();
    } else if (this.fragmentHoles && this.atFragmentPosition()) {
      // `WHERE a = {{a}} ${filterQuery}`: a condition or clause spliced in by the wrapper's caller.
      placeholder = '';
    } else if (/\b(from|join|into|update|table)$/i.test(before) || /^\s*\./.test(nextText) || /\.$/.test(before)) {
      placeholder = this.identifierPlaceholder();
    } else if (/\bin$/i.test(before)) {
      // postgres.js `IN ${sql(ids)}` expands to a parenthesised list.
      placeholder = `(${this.valuePlaceholder()})`;
    } else if (this.afterLike() && wildcard) {
      // A bound value such as `'%' + term`: the pattern starts with a wildcard.
      this.openWildcard(fileStart, fileEnd);
      this.addParam(this.valuePlaceholder(), fileStart, fileEnd, expr.getText(sf));
      this.closeWildcard(fileStart, fileEnd);
      return;
    } else {
      placeholder = this.valuePlaceholder();
    }
    this.addParam(placeholder, fileStart, fileEnd, expr.getText(sf));
  }

  private valuePlaceholder(): string {
    if (this.dialect === 'mysql') return '?';
    // Wrapper SQL numbers only real values (fragments and repeated names take no number),
    // as the wrapper does when it rewrites them; elsewhere every hole counts, as drivers do.
    return `$${this.fragmentHoles ? ++this.values : this.params.length + 1}`;
  }

  private identifierPlaceholder(): string {
    return `__p${this.params.length + 1}`;
  }

  private addParam(placeholder: string, fileStart: number, fileEnd: number, expression: string | undefined): void {
    const sqlStart = this.text.length;
    for (const ch of placeholder) this.push(ch, fileStart, fileEnd, -1, true);
    this.params.push({ placeholder, sqlStart, sqlEnd: this.text.length, fileStart, fileEnd, expression });
  }

  private push(ch: string, start: number, end: number, segId: number, synth = false): void {
    const prev = this.text.length > 0 ? this.text[this.text.length - 1] : '';
    this.text += ch;
    this.synth.push(synth);
    this.fileStart.push(start);
    this.fileEnd.push(end);
    this.seg.push(segId);
    this.advanceState(prev, ch);
  }

  /** Tracks whether the SQL written so far ends inside a string, identifier or comment. */
  private advanceState(prev: string, ch: string): void {
    switch (this.state) {
      case 'code':
        if (ch === "'") this.state = 'squote';
        else if (ch === '"') this.state = 'dquote';
        else if (ch === '`' && this.dialect === 'mysql') this.state = 'btick';
        else if (ch === '-' && prev === '-') this.state = 'line';
        else if (ch === '*' && prev === '/') this.state = 'block';
        break;
      case 'squote':
        if (ch === "'") this.state = 'code'; // '' re-enters squote on the next quote
        break;
      case 'dquote':
        if (ch === '"') this.state = 'code';
        break;
      case 'btick':
        if (ch === '`') this.state = 'code';
        break;
      case 'line':
        if (ch === '\n') this.state = 'code';
        break;
      case 'block':
        if (ch === '/' && prev === '*') this.state = 'code';
        break;
    }
  }
}

/** Decodes the body of a string/template literal part, keeping each char's source range. */
function decodeLiteralBody(text: string, from: number, to: number): SourceChar[] {
  const out: SourceChar[] = [];
  let i = from;
  while (i < to) {
    const c = text[i];
    if (c !== '\\') {
      out.push({ ch: c, start: i, end: i + 1 });
      i++;
      continue;
    }
    const e = text[i + 1];
    const start = i;
    if (e === undefined) break;
    if (e === '\r' || e === '\n' || e === '\u2028' || e === '\u2029') {
      // Line continuation: contributes nothing.
      i += e === '\r' && text[i + 2] === '\n' ? 3 : 2;
      continue;
    }
    let ch: string;
    let len = 2;
    switch (e) {
      case 'n': ch = '\n'; break;
      case 't': ch = '\t'; break;
      case 'r': ch = '\r'; break;
      case 'b': ch = '\b'; break;
      case 'f': ch = '\f'; break;
      case 'v': ch = '\v'; break;
      case '0': ch = '\0'; break;
      case 'x': {
        const hex = text.slice(i + 2, i + 4);
        ch = /^[0-9a-fA-F]{2}$/.test(hex) ? String.fromCharCode(parseInt(hex, 16)) : 'x';
        len = /^[0-9a-fA-F]{2}$/.test(hex) ? 4 : 2;
        break;
      }
      case 'u': {
        const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(text.slice(i + 2, i + 10));
        const plain = /^[0-9a-fA-F]{4}/.exec(text.slice(i + 2, i + 6));
        if (braced) {
          ch = String.fromCodePoint(Math.min(parseInt(braced[1], 16), 0x10ffff));
          len = 2 + braced[0].length;
        } else if (plain) {
          ch = String.fromCharCode(parseInt(plain[0], 16));
          len = 6;
        } else ch = 'u';
        break;
      }
      default:
        ch = e;
    }
    // A code point outside the BMP decodes to two UTF-16 units; both map to the escape.
    for (const unit of ch.split('')) out.push({ ch: unit, start, end: start + len });
    i += len;
  }
  return out;
}

/** Source range of the body of a literal or template part (between its delimiters). */
function literalBody(node: ts.Node, sf: ts.SourceFile): { from: number; to: number; quote: QuoteStyle } {
  const text = sf.text;
  const start = node.getStart(sf);
  const end = node.end;
  const open = text[start];
  const quote: QuoteStyle = open === "'" || open === '"' ? open : '`';
  let from = start + 1;
  let to = end;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || node.kind === ts.SyntaxKind.TemplateTail) {
    if (end - start >= 2 && text[end - 1] === (ts.isStringLiteral(node) ? open : '`')) to = end - 1;
  } else {
    // TemplateHead `…${ and TemplateMiddle }…${
    if (text.slice(end - 2, end) === '${') to = end - 2;
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || node.kind === ts.SyntaxKind.TemplateHead) {
    from = start + 1;
  }
  return { from: Math.min(from, to), to, quote };
}

const MAX_RESOLVE_DEPTH = 8;
/** Largest gap (`' +\n  '`) between consecutive SQL chars still shown as one range. */
const MAX_CONCAT_GAP = 200;

/** True when the expression's string value is known to start with `%` (`'%' + term`, `\`%${q}%\``). */
function startsWithPercent(expr: ts.Expression, depth = 0): boolean {
  const e = unwrap(expr);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text.startsWith('%');
  if (ts.isTemplateExpression(e)) return e.head.text.startsWith('%');
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return startsWithPercent(e.left, depth);
  if (ts.isIdentifier(e) && depth < MAX_RESOLVE_DEPTH) {
    const init = resolveConst(e.text, e);
    return init !== undefined && startsWithPercent(init, depth + 1);
  }
  return false;
}

/** Appends the value of a JS expression to the builder; returns false if nothing was knowable. */
class ValueReader {
  constructor(private readonly sf: ts.SourceFile, private readonly b: SqlBuilder) {}

  /** True when at least part of the expression's string value can be known statically. */
  isKnowable(expr: ts.Expression, depth = 0): boolean {
    const e = unwrap(expr);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e)) return true;
    if (ts.isTaggedTemplateExpression(e)) return sqlTagName(e.tag) !== undefined;
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      return this.isKnowable(e.left, depth) || this.isKnowable(e.right, depth);
    }
    if (ts.isIdentifier(e) && depth < MAX_RESOLVE_DEPTH) {
      const init = resolveConst(e.text, e);
      return init !== undefined && this.isKnowable(init, depth + 1);
    }
    return false;
  }

  /** Appends an expression's string value; unknown parts become parameters. */
  append(expr: ts.Expression, nextText = '', depth = 0): void {
    const e = unwrap(expr);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) {
      const { from, to, quote } = literalBody(e, this.sf);
      this.b.appendLiteral(decodeLiteralBody(this.sf.text, from, to), quote);
      return;
    }
    if (ts.isTemplateExpression(e)) {
      this.appendTemplate(e, depth, false);
      return;
    }
    if (ts.isTaggedTemplateExpression(e) && sqlTagName(e.tag)) {
      // A nested sql`…` fragment is spliced in, as postgres.js/slonik/Prisma do at run time.
      const t = e.template;
      if (ts.isNoSubstitutionTemplateLiteral(t)) this.append(t, nextText, depth);
      else this.appendTemplate(t, depth, true);
      return;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken && this.isKnowable(e, depth)) {
      // Flatten the left-leaning chain iteratively: long concatenations must not recurse deeply.
      const operands: ts.Expression[] = [];
      let cur: ts.Expression = e;
      while (ts.isBinaryExpression(cur) && cur.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        operands.push(cur.right);
        cur = unwrap(cur.left);
      }
      operands.push(cur);
      operands.reverse();
      for (let i = 0; i < operands.length; i++) {
        this.appendOperand(operands[i], this.peekText(operands[i + 1]) ?? nextText, depth);
      }
      return;
    }
    if (ts.isNumericLiteral(e)) {
      this.b.appendLiteral(decodeLiteralBody(this.sf.text, e.getStart(this.sf), e.end), undefined);
      return;
    }
    if (ts.isIdentifier(e) && depth < MAX_RESOLVE_DEPTH) {
      const init = resolveConst(e.text, e);
      if (init && this.isKnowable(init, depth + 1)) {
        this.append(init, nextText, depth + 1);
        return;
      }
    }
    this.b.appendUnknown(e, this.sf, e.getStart(this.sf), e.end, nextText);
  }

  private appendOperand(op: ts.Expression, nextText: string, depth: number): void {
    const u = unwrap(op);
    if (ts.isNumericLiteral(u) || this.isKnowable(u, depth)) this.append(u, nextText, depth);
    else this.b.appendUnknown(u, this.sf, u.getStart(this.sf), u.end, nextText);
  }

  /** The literal text that follows a hole, for deciding the placeholder (`${schema}.users`). */
  private peekText(expr: ts.Expression | undefined): string | undefined {
    if (!expr) return undefined;
    const e = unwrap(expr);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
    if (ts.isTemplateExpression(e)) return e.head.text;
    return undefined;
  }

  /**
   * Appends a template. In a plain template a hole is string interpolation, so a `const`
   * string there is spliced in; in a sql-tagged one every hole is a bound parameter except
   * nested sql fragments.
   */
  private appendTemplate(t: ts.TemplateExpression, depth: number, tagged: boolean): void {
    const head = literalBody(t.head, this.sf);
    this.b.appendLiteral(decodeLiteralBody(this.sf.text, head.from, head.to), '`');
    for (const span of t.templateSpans) {
      const lit = literalBody(span.literal, this.sf);
      const hole = unwrap(span.expression);
      if (ts.isTaggedTemplateExpression(hole) && sqlTagName(hole.tag)) {
        this.append(hole, span.literal.text, depth);
      } else if (!tagged && depth < MAX_RESOLVE_DEPTH && ts.isIdentifier(hole) && this.isKnowable(hole, depth)) {
        this.append(hole, span.literal.text, depth + 1);
      } else {
        // The hole's file range includes `${` and `}` so findings on it cover what the user sees.
        const holeStart = span.expression.getFullStart() - 2;
        const holeEnd = span.literal.getStart(this.sf) + 1;
        this.b.appendUnknown(span.expression, this.sf, holeStart, holeEnd, span.literal.text, tagged && startsWithPercent(span.expression));
      }
      this.b.appendLiteral(decodeLiteralBody(this.sf.text, lit.from, lit.to), '`');
    }
  }
}

/** What a call or tagged template hands to the database, before its text is built. */
interface SqlCarrier {
  expr: ts.Expression;
  api: string;
  family: ApiFamily;
  /** Range of the SQL argument in the file. */
  start: number;
  end: number;
  /** Values bound to `$N`/`?` (`pool.query(sql, [a, b])`), when written inline. */
  bound?: readonly ts.Expression[];
  /** The project function (wrapper) the SQL is passed to, when it is one. */
  sink?: SinkInfo;
  /** Engine of the receiver when traced to a client package (`createClient()` of @clickhouse/client). */
  engine?: SinkDialect;
}

/** Callee of a call as a symbol path; `this.x` inside `class C` becomes `C.x`. */
function calleeOf(expr: ts.Expression): CalleeRef | undefined {
  let cls: string | undefined;
  for (let p: ts.Node | undefined = expr.parent; p && !cls; p = p.parent) {
    if ((ts.isClassDeclaration(p) || ts.isClassExpression(p)) && p.name) cls = p.name.text;
  }
  return calleeRef(expr, cls);
}

const SINK_SQL_KEYS = new Set(['text', 'sql', 'query', 'sqlText']);

/** The SQL argument of a call to a wrapper (`rawQuery(sql, params)`, `run({ query })`). */
function carrierOfSinkCall(call: ts.CallExpression, sf: ts.SourceFile, resolver: SinkResolver): SqlCarrier | undefined {
  const written = calleeOf(call.expression);
  const ref = written && scopedCallee(written, call);
  if (!ref) return undefined;
  const sink = resolver.sinkFor(ref);
  if (!sink || call.arguments.length <= sink.argIndex) return undefined;
  let arg = unwrap(call.arguments[sink.argIndex]);
  if (ts.isObjectLiteralExpression(arg)) {
    const prop = arg.properties.find(
      (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && SINK_SQL_KEYS.has(p.name.text),
    );
    if (!prop) return undefined;
    arg = unwrap(prop.initializer);
  }
  if (ts.isTaggedTemplateExpression(arg) && sqlTagName(arg.tag)) return undefined;
  return { expr: arg, api: `${[written.root, ...written.members].join('.')}`, family: 'driver', start: arg.getStart(sf), end: arg.end, sink };
}

/** Per-file map from local names to the client package engine they come from (`import { createClient } from '@clickhouse/client'`). */
function clientEngines(sf: ts.SourceFile): Map<string, SinkDialect> {
  const byLocal = new Map<string, SinkDialect>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !st.importClause) continue;
    const d = dialectOfPackage(st.moduleSpecifier.text);
    if (!d || d === 'postgresql' || d === 'mysql' || d === 'sqlite') continue;
    const c = st.importClause;
    if (c.name) byLocal.set(c.name.text, d);
    const nb = c.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) byLocal.set(nb.name.text, d);
    if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) byLocal.set(el.name.text, d);
  }
  if (byLocal.size === 0) return byLocal;
  // const clickhouse = createClient(…) / new BigQuery()
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      let e = unwrap(node.initializer);
      if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
      if (ts.isCallExpression(e) || ts.isNewExpression(e)) {
        let root: ts.Expression = unwrap(e.expression);
        while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = unwrap(root.expression);
        const d = ts.isIdentifier(root) ? byLocal.get(root.text) : undefined;
        if (d) byLocal.set(node.name.text, d);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return byLocal;
}

/** Engine of a call's receiver, traced to a client package, or named like one. */
function receiverEngine(call: ts.CallExpression, engines: Map<string, SinkDialect>): SinkDialect | undefined {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  let root: ts.Expression = unwrap(callee.expression);
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = unwrap(root.expression);
  const byOrigin = ts.isIdentifier(root) ? engines.get(root.text) : undefined;
  return byOrigin ?? dialectOfName(lastName(callee.expression));
}

/** Recognises a call that passes SQL text as its first argument (`pool.query('…')`). */
function carrierOfCall(call: ts.CallExpression, sf: ts.SourceFile, engines: Map<string, SinkDialect>): SqlCarrier | undefined {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const spec = SQL_ARG_METHODS.get(method);
  if (!spec || call.arguments.length === 0) return undefined;
  const receiver = lastName(callee.expression);
  if (spec.needsDbReceiver && !isDbReceiverName(receiver)) return undefined;
  let arg = unwrap(call.arguments[0]);
  if (ts.isObjectLiteralExpression(arg)) {
    // pg `client.query({ text, values })`, mysql2 `query({ sql, values })`.
    const prop = arg.properties.find(
      (p): p is ts.PropertyAssignment =>
        ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
        (p.name.text === 'text' || p.name.text === 'sql' || ((p.name.text === 'query' || p.name.text === 'sqlText') && receiverEngine(call, engines) !== undefined)),
    );
    if (!prop) return undefined;
    arg = unwrap(prop.initializer);
  }
  // A sql`…` argument is extracted as a tagged template on its own.
  if (ts.isTaggedTemplateExpression(arg) && sqlTagName(arg.tag)) return undefined;
  const family = method === 'query' || method === 'execute' ? familyOfQueryReceiver(receiver) : spec.family;
  return { expr: arg, api: `${receiver ?? '(…)'}.${method}`, family, start: arg.getStart(sf), end: arg.end, bound: boundValues(call, method) };
}

/** The values a call binds to its SQL's placeholders, when they are written inline. */
function boundValues(call: ts.CallExpression, method: string): readonly ts.Expression[] | undefined {
  if (method === '$queryRawUnsafe' || method === '$executeRawUnsafe') return call.arguments.slice(1);
  const second = call.arguments[1] ? unwrap(call.arguments[1]) : undefined;
  if (second && ts.isArrayLiteralExpression(second)) return second.elements;
  const first = unwrap(call.arguments[0]);
  if (ts.isObjectLiteralExpression(first)) {
    // pg `{ text, values: [...] }`
    const values = first.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'values');
    const v = values && unwrap(values.initializer);
    if (v && ts.isArrayLiteralExpression(v)) return v.elements;
  }
  return undefined;
}

/** True when a tagged template sits inside a hole of another sql`…` (it is spliced there). */
function isNestedFragment(node: ts.TaggedTemplateExpression): boolean {
  let p: ts.Node | undefined = node.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p))) p = p.parent;
  if (!p || !ts.isTemplateSpan(p)) return false;
  const tpl = p.parent;
  return ts.isTemplateExpression(tpl) && ts.isTaggedTemplateExpression(tpl.parent) && sqlTagName(tpl.parent.tag) !== undefined;
}

/** Builds the EmbeddedSql for a carrier, or undefined when the text is not a SQL statement. */
function build(c: SqlCarrier, sf: ts.SourceFile, dialect: Dialect, tagged: boolean): EmbeddedSql | undefined {
  const bound = c.bound ?? [];
  const engine = c.sink?.dialect ?? c.engine;
  // SQL for another engine is kept as written: its placeholders are not ours to rewrite.
  const foreign = engine !== undefined && !isLintedDialect(engine, dialect);
  const b = new SqlBuilder(
    dialect,
    !tagged && !foreign,
    (n) => n >= 1 && n <= bound.length && startsWithPercent(bound[n - 1]),
    foreign ? [] : c.sink?.placeholders ?? [],
    c.sink !== undefined,
  );
  const reader = new ValueReader(sf, b);
  if (!tagged && !reader.isKnowable(c.expr)) return undefined;
  reader.append(c.expr);
  if (!looksLikeStatement(b.text)) return undefined;
  return makeEmbedded(b, c, engine === undefined || engine === 'default' ? dialect : engine);
}

function makeEmbedded(b: SqlBuilder, c: SqlCarrier, engine: SinkDialect): EmbeddedSql {
  const { text, fileStart, fileEnd, seg, quotes } = b;
  const n = text.length;
  const synthetic = (i: number) => b.synth[i];
  return {
    sql: text,
    start: c.start,
    end: c.end,
    api: c.api,
    family: c.family,
    wrapper: c.sink?.name,
    engine,
    params: b.params,
    toFileOffset(o) {
      if (o < 0 || o > n || n === 0) return undefined;
      if (o === n) return synthetic(n - 1) ? undefined : fileEnd[n - 1];
      return synthetic(o) ? undefined : fileStart[o];
    },
    toFileRange(s, e) {
      if (n === 0) return undefined;
      const a = Math.max(0, Math.min(s, n - 1));
      const z = Math.max(a + 1, Math.min(e, n));
      let last = a;
      // Stop at the first jump backwards or far away: that text came from a `const` elsewhere.
      for (let i = a + 1; i < z; i++) {
        if (fileStart[i] < fileStart[last] || fileStart[i] - fileEnd[last] > MAX_CONCAT_GAP) break;
        last = i;
      }
      return { start: fileStart[a], end: Math.max(fileEnd[last], fileStart[a]) };
    },
    mapEdit(s, e, newText) {
      if (s < 0 || e > n || s > e) return undefined;
      let segId: number;
      let start: number;
      let end: number;
      if (s === e) {
        if (s < n && seg[s] >= 0) {
          segId = seg[s];
          start = end = fileStart[s];
        } else if (s > 0 && seg[s - 1] >= 0) {
          segId = seg[s - 1];
          start = end = fileEnd[s - 1];
        } else return undefined;
      } else {
        segId = seg[s];
        if (segId < 0) return undefined;
        for (let i = s; i < e; i++) {
          if (seg[i] !== segId || fileEnd[i] - fileStart[i] !== 1) return undefined;
          if (i > s && fileStart[i] !== fileEnd[i - 1]) return undefined;
        }
        start = fileStart[s];
        end = fileEnd[e - 1];
      }
      return { start, end, newText: escapeFor(quotes[segId], newText) };
    },
  };
}

/** Escapes text for insertion inside a JS literal delimited by `quote`. */
function escapeFor(quote: QuoteStyle, text: string): string {
  let out = text.replace(/\\/g, '\\\\');
  if (quote === '`') return out.replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  out = out.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  return quote === "'" ? out.replace(/'/g, "\\'") : out.replace(/"/g, '\\"');
}

const cache = new Map<string, EmbeddedSql[]>();
const CACHE_CAPACITY = 32;

/**
 * Every SQL statement embedded in a TS/JS file, in source order. Never throws: syntax errors
 * in the file leave the parts TypeScript recovered; oversize or binary input yields [].
 */
export function extractSqlImpl(fileName: string, text: string, dialect: Dialect, resolver?: SinkResolver): EmbeddedSql[] {
  if (text.length > MAX_SOURCE_LENGTH || text.slice(0, 8192).includes('\u0000')) return [];
  const key = dialect + '\u0000' + (resolver?.version ?? '') + '\u0000' + fileName + '\u0000' + text;
  const hit = cache.get(key);
  if (hit) return hit;
  let result: EmbeddedSql[];
  try {
    result = extractFrom(parseSource(fileName, text), dialect, resolver);
  } catch {
    // Pathological nesting can exhaust the stack in a tree walk; the file is then skipped.
    result = [];
  }
  cache.set(key, result);
  if (cache.size > CACHE_CAPACITY) cache.delete(cache.keys().next().value as string);
  return result;
}

/** Extraction over an already parsed source file. */
export function extractFrom(sf: ts.SourceFile, dialect: Dialect, resolver?: SinkResolver): EmbeddedSql[] {
  const out: EmbeddedSql[] = [];
  const engines = clientEngines(sf);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const c = (resolver && resolver.mayHaveSinks !== false && carrierOfSinkCall(node, sf, resolver)) || carrierOfCall(node, sf, engines);
      if (c && !c.sink) c.engine ??= receiverEngine(node, engines);
      const e = c && build(c, sf, dialect, false);
      if (e) out.push(e);
    } else if (ts.isTaggedTemplateExpression(node)) {
      const tag = sqlTagName(node.tag);
      if (tag && !isNestedFragment(node)) {
        const carrier = { expr: node, api: tag.api, family: tag.family, start: node.getStart(sf), end: node.end };
        const e = build(carrier, sf, dialect, true);
        if (e) out.push(e);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  out.sort((a, b) => a.start - b.start);
  return out;
}
