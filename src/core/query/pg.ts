/**
 * PostgreSQL front end of the query model: reads libpg-query's parse tree (PostgreSQL 18's own
 * grammar) into `model.ts`. The tree gives each node one `location` (a byte offset where the
 * node starts) and no end, so ranges are built from tokens: a node spans from its first to its
 * last located descendant, widened to close any parenthesis it opens (`lower(email` → the `)`)
 * and to the words that carry no location (`IS NULL`, `END`, type names like
 * `timestamp with time zone`).
 */
import { parsePgSync } from '../sql/pg/libpg';
import { matchingParen, tokenize, type Token } from '../sql/tokens';
import type {
  Assignment, ComparisonOp, Cte, Expr, FromItem, JoinKind, OrderItem, QueryBlock, QueryParse, QueryStatement, Range, Relation,
  SelectItem, StatementKind, TableRelation,
} from './model';
import { emptyBlock, finishStatement } from './walk';

// libpg-query's JSON is untyped here on purpose: the front end is the one place that reads it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PgNode = any;

const COMPARISON: Record<string, ComparisonOp> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '>': '>', '<=': '<=', '>=': '>=' };
const LIKE_OPS: Record<string, ComparisonOp> = { '~~': 'LIKE', '!~~': 'NOT LIKE', '~~*': 'ILIKE', '!~~*': 'NOT ILIKE', '~': 'SIMILAR TO', '!~': 'NOT SIMILAR TO' };
const TYPE_WORDS = new Set(['precision', 'varying', 'with', 'without', 'time', 'zone']);
const DML = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** Parses one statement's text with PostgreSQL's grammar into the query model. Never throws (except when the parser was not loaded). */
export function parsePgQuery(text: string): QueryParse {
  const prepared = preparePgQuery(text);
  const parsed = parsePgSync(prepared.parseable);
  if (!parsed.ok) return { ok: false, message: parsed.message, offset: parsed.offset };
  return readPgQuery(prepared, (parsed.tree.stmts ?? []).map((raw) => raw.stmt), 0);
}

/** A statement ready for PostgreSQL's parser: its tokens, and its text with `?`/`:name` placeholders masked. */
export interface PreparedPgQuery {
  text: string;
  tokens: Token[];
  parseable: string;
  placeholders: Set<number>;
}

/** Tokenizes a statement and masks its placeholders (the step before `parsePgSync`). */
export function preparePgQuery(text: string): PreparedPgQuery {
  const tokens = tokenize(text, 'postgresql');
  const { parseable, placeholders } = maskPlaceholders(text, tokens);
  return { text, tokens, parseable, placeholders };
}

/**
 * Reads parse-tree statements into the model. `byteBase` is the UTF-8 byte offset of the
 * statement's text in what was parsed: 0 alone, its place in the batch when several statements
 * were parsed in one call (every `location` in the tree counts from the batch's start).
 */
export function readPgQuery(prepared: PreparedPgQuery, stmts: PgNode[], byteBase: number): QueryParse {
  const reader = new PgReader(prepared.text, prepared.tokens, prepared.placeholders, byteBase);
  const statements: QueryStatement[] = [];
  for (const stmt of stmts) statements.push(reader.statement(stmt));
  return { ok: true, statements };
}

/**
 * PostgreSQL's grammar knows only `$n` parameters, but SQL from drivers and ORMs also carries
 * `?` and `:name` placeholders. Each is replaced by a number literal of the same length (offsets
 * stay put) and read back as a parameter. A `?` after an operand is the JSONB key-exists
 * operator (`data ? 'k'`), not a placeholder.
 */
function maskPlaceholders(text: string, tokens: Token[]): { parseable: string; placeholders: Set<number> } {
  const placeholders = new Set<number>();
  let out: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'param' || t.text.startsWith('$')) continue;
    // `data ? 'k'`, `@?`, `?|`, `?&`: JSONB operators, not placeholders.
    if (t.text === '?' && (followsOperand(tokens[i - 1]) || /[@#]/.test(text[t.start - 1] ?? '') || /[|&-]/.test(text[t.end] ?? ''))) continue;
    out = (out ?? text).slice(0, t.start) + '0'.padEnd(t.end - t.start, ' ') + (out ?? text).slice(t.end);
    placeholders.add(t.start);
  }
  return { parseable: out ?? text, placeholders };
}

const BEFORE_VALUE = new Set(['and', 'or', 'not', 'in', 'like', 'ilike', 'limit', 'offset', 'then', 'else', 'when', 'between', 'select', 'values', 'set', 'where', 'by', 'is', 'distinct', 'from', 'returning', 'any', 'all', 'some', 'array', 'fetch', 'first', 'next', 'having', 'on', 'case', 'as', 'using']);

function followsOperand(prev: Token | undefined): boolean {
  if (!prev) return false;
  if (prev.kind === 'word') return !BEFORE_VALUE.has(prev.value);
  return prev.kind === 'quoted' || prev.kind === 'string' || prev.kind === 'number' || prev.kind === 'param' || prev.text === ')' || prev.text === ']';
}

class PgReader {
  /** Byte offset → character offset, only for texts with non-ASCII characters. */
  private readonly byteToChar: Int32Array | undefined;

  constructor(private readonly text: string, private readonly tokens: Token[], private readonly placeholders: Set<number>, private readonly byteBase = 0) {
    this.byteToChar = /[^\x00-\x7f]/.test(text) ? buildByteMap(text) : undefined;
  }

  statement(node: PgNode): QueryStatement {
    const [type, body] = unwrap(node);
    if (type === 'ExplainStmt') return this.statement(body.query);
    if (DML.has(type)) {
      const kind = type.replace('Stmt', '').toLowerCase() as StatementKind;
      return finishStatement(kind, this.block(type, body));
    }
    // Utility statements with a query inside (CREATE VIEW / TABLE AS / MATERIALIZED VIEW, DECLARE, COPY (…), PREPARE).
    const inner = body?.query ?? body?.stmt;
    if (inner) {
      const [it, ib] = unwrap(inner);
      if (DML.has(it)) return finishStatement('utility', this.block(it, ib), type);
    }
    return finishStatement('utility', undefined, type);
  }

  // ---- offsets and ranges -------------------------------------------------------------

  private pos(location: number | undefined): number | undefined {
    if (typeof location !== 'number' || location < 0) return undefined;
    location -= this.byteBase;
    if (location < 0) return undefined;
    return this.byteToChar ? this.byteToChar[Math.min(location, this.byteToChar.length - 1)] : location;
  }

  /** Index of the token starting at a character offset (or the first one after it). */
  private tokenIndex(offset: number): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid].start < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The range of the token at a node's location. */
  private tokenRange(location: number | undefined): Range | undefined {
    const p = this.pos(location);
    if (p === undefined) return undefined;
    const t = this.tokens[this.tokenIndex(p)];
    return t ? { start: t.start, end: t.end } : undefined;
  }

  /** Widens a range so its parentheses and brackets balance. */
  private balance(r: Range | undefined): Range | undefined {
    if (!r) return r;
    const first = this.tokenIndex(r.start);
    let last = first;
    let depth = 0;
    let minDepth = 0;
    for (let i = first; i < this.tokens.length && this.tokens[i].end <= r.end; i++) {
      const t = this.tokens[i].text;
      if (t === '(' || t === '[') depth++;
      else if (t === ')' || t === ']') minDepth = Math.min(minDepth, --depth);
      last = i;
    }
    let s = first;
    let e = last;
    for (let need = -minDepth; need > 0 && s > 0; ) {
      const t = this.tokens[--s].text;
      if (t === ')' || t === ']') need++;
      else if (t === '(' || t === '[') need--;
    }
    for (let need = depth - minDepth; need > 0 && e < this.tokens.length - 1; ) {
      const t = this.tokens[++e].text;
      if (t === '(' || t === '[') need++;
      else if (t === ')' || t === ']') need--;
    }
    return { start: this.tokens[s]?.start ?? r.start, end: this.tokens[e]?.end ?? r.end };
  }

  /** Extends a range over following tokens while `more` accepts them. */
  private extend(r: Range, more: (t: Token, i: number) => boolean): Range {
    let i = this.tokenIndex(r.end);
    let end = r.end;
    while (i < this.tokens.length && more(this.tokens[i], i)) end = this.tokens[i++].end;
    return { start: r.start, end };
  }

  /** A dotted name starting at a location: `schema.table`, `t.col`, `t.*`, `"Quoted".x`. */
  private nameRange(location: number | undefined): Range | undefined {
    const r = this.tokenRange(location);
    if (!r) return undefined;
    let i = this.tokenIndex(r.end);
    let end = r.end;
    while (this.tokens[i]?.text === '.' && this.tokens[i + 1] && (this.tokens[i + 1].kind === 'word' || this.tokens[i + 1].kind === 'quoted' || this.tokens[i + 1].text === '*')) {
      end = this.tokens[i + 1].end;
      i += 2;
    }
    return { start: r.start, end };
  }

  /** A type name: words (with `with time zone`, `precision`, …), then `(…)` and `[…]`. */
  private typeRange(typeName: PgNode): Range | undefined {
    let r = this.nameRange(typeName?.location);
    if (!r) return undefined;
    r = this.extend(r, (t) => t.kind === 'word' && TYPE_WORDS.has(t.value));
    let i = this.tokenIndex(r.end);
    if (this.tokens[i]?.text === '(') {
      const close = matchingParen(this.tokens, i);
      if (close < this.tokens.length) {
        r = { start: r.start, end: this.tokens[close].end };
        i = close + 1;
      }
    }
    while (this.tokens[i]?.text === '[') {
      let j = i + 1;
      while (j < this.tokens.length && this.tokens[j].text !== ']') j++;
      if (j >= this.tokens.length) break;
      r = { start: r.start, end: this.tokens[j].end };
      i = j + 1;
    }
    return r;
  }

  private typeText(typeName: PgNode): string {
    const r = this.typeRange(typeName);
    if (r) {
      const toks = this.tokens.slice(this.tokenIndex(r.start), this.tokenIndex(r.end));
      // Drop a schema qualifier (`pg_catalog.`), keep the rest as written (words lower-cased).
      const dot = toks.findIndex((t) => t.text === '.');
      const rest = dot >= 0 && dot < 3 ? toks.slice(dot + 1) : toks;
      return rest.map((t) => (t.kind === 'word' ? t.value : t.kind === 'quoted' ? t.value : t.text)).join(' ').replace(/ ?([()[\],]) ?/g, '$1').replace(/,/g, ', ');
    }
    const names = (typeName?.names ?? []).map((n: PgNode) => n?.String?.sval).filter(Boolean);
    return String(names[names.length - 1] ?? '?');
  }

  // ---- statements and blocks -------------------------------------------------------------

  private block(type: string, b: PgNode): QueryBlock {
    switch (type) {
      case 'SelectStmt':
        return this.select(b);
      case 'InsertStmt':
        return this.insert(b);
      case 'UpdateStmt':
        return this.update(b);
      case 'DeleteStmt':
        return this.delete(b);
      case 'MergeStmt':
        return this.merge(b);
      default:
        return emptyBlock('select');
    }
  }

  private withCtes(block: QueryBlock, withClause: PgNode): void {
    for (const c of withClause?.ctes ?? []) {
      const cte = c.CommonTableExpr;
      if (!cte) continue;
      const [qt, qb] = unwrap(cte.ctequery);
      const query = this.block(qt, qb);
      const entry: Cte = { name: cte.ctename, query, recursive: !!withClause.recursive, range: this.tokenRange(cte.location) };
      block.ctes.push(entry);
    }
  }

  private select(s: PgNode): QueryBlock {
    if (s.op && s.op !== 'SETOP_NONE') {
      const block = emptyBlock('set');
      block.setOp = { op: s.op === 'SETOP_UNION' ? 'union' : s.op === 'SETOP_INTERSECT' ? 'intersect' : 'except', all: !!s.all };
      this.withCtes(block, s.withClause);
      block.branches = [this.select(s.larg), this.select(s.rarg)];
      this.tail(block, s);
      const ranges = block.branches.map((x) => x.range).filter(Boolean) as Range[];
      block.range = ranges.length ? { start: ranges[0].start, end: ranges[ranges.length - 1].end } : undefined;
      return block;
    }
    if (s.valuesLists) {
      const block = emptyBlock('values');
      block.values = s.valuesLists.map((row: PgNode) => (row.List?.items ?? []).map((x: PgNode) => this.expr(x)));
      block.range = this.blockRange(s);
      return block;
    }
    const block = emptyBlock('select');
    this.withCtes(block, s.withClause);
    if (s.distinctClause) block.distinct = true;
    block.selectList = this.targets(s.targetList);
    block.from = this.fromList(s.fromClause);
    if (s.whereClause) block.where = this.expr(s.whereClause);
    block.groupBy = (s.groupClause ?? []).map((g: PgNode) => this.expr(g));
    if (s.havingClause) block.having = this.expr(s.havingClause);
    this.tail(block, s);
    block.range = this.blockRange(s);
    return block;
  }

  /** ORDER BY, LIMIT / FETCH, OFFSET and locking clauses. */
  private tail(block: QueryBlock, s: PgNode): void {
    block.orderBy = (s.sortClause ?? []).map((x: PgNode) => this.orderItem(x.SortBy));
    if (s.limitCount) {
      block.limit = this.expr(s.limitCount);
      const i = block.limit.range ? this.tokenIndex(block.limit.range.start) : -1;
      block.limitSyntax = this.tokens[i - 1]?.value === 'limit' ? 'limit' : 'fetch';
    }
    if (s.limitOffset) {
      block.offset = this.expr(s.limitOffset);
      const r = block.offset.range;
      if (r) {
        let i = this.tokenIndex(r.start) - 1;
        while (i > 0 && this.tokens[i].text === '(') i--;
        const start = this.tokens[i]?.value === 'offset' ? this.tokens[i].start : r.start;
        block.offsetClause = { start, end: r.end };
        // `OFFSET n ROWS`
        const after = this.tokens[this.tokenIndex(r.end)];
        if (after?.kind === 'word' && (after.value === 'rows' || after.value === 'row')) block.offsetClause = { start, end: after.end };
      }
    }
    if (s.lockingClause) block.locking = s.lockingClause.map((l: PgNode) => String(l.LockingClause?.strength ?? '').replace('LCS_', '').toLowerCase());
  }

  /** From the SELECT (INSERT, UPDATE, …, VALUES) keyword to the last located descendant. */
  private blockRange(s: PgNode): Range | undefined {
    // The block starts at its own keyword; its CTEs are blocks of their own.
    const [min, max] = locationBounds({ ...s, withClause: undefined });
    if (min === undefined || max === undefined) return undefined;
    let i = this.tokenIndex(this.pos(min)!);
    while (i > 0 && !(this.tokens[i].kind === 'word' && /^(select|values|insert|update|delete|merge)$/.test(this.tokens[i].value))) i--;
    const endTok = this.tokens[this.tokenIndex(this.pos(max)!)];
    const end = endTok ? this.nameRange(max)?.end ?? endTok.end : this.text.length;
    return { start: this.tokens[i]?.start ?? 0, end };
  }

  private insert(s: PgNode): QueryBlock {
    const block = emptyBlock('insert');
    this.withCtes(block, s.withClause);
    block.target = this.rangeVar(s.relation);
    if (s.selectStmt) {
      const src = s.selectStmt.SelectStmt;
      if (src?.valuesLists && (!src.op || src.op === 'SETOP_NONE')) {
        block.values = src.valuesLists.map((row: PgNode) => (row.List?.items ?? []).map((x: PgNode) => this.expr(x)));
      } else if (src) {
        block.source = this.select(src);
      }
    }
    const oc = s.onConflictClause;
    if (oc) {
      block.set = this.assignments(oc.targetList);
      if (oc.whereClause) block.where = this.expr(oc.whereClause);
    }
    block.returning = this.targets(s.returningClause?.exprs ?? s.returningList);
    block.range = this.blockRange(s);
    return block;
  }

  private update(s: PgNode): QueryBlock {
    const block = emptyBlock('update');
    this.withCtes(block, s.withClause);
    block.target = this.rangeVar(s.relation);
    block.from = [{ relation: block.target }, ...this.fromList(s.fromClause)];
    block.set = this.assignments(s.targetList);
    if (s.whereClause) block.where = this.expr(s.whereClause);
    block.returning = this.targets(s.returningClause?.exprs ?? s.returningList);
    block.range = this.blockRange(s);
    return block;
  }

  private delete(s: PgNode): QueryBlock {
    const block = emptyBlock('delete');
    this.withCtes(block, s.withClause);
    block.target = this.rangeVar(s.relation);
    block.from = [{ relation: block.target }, ...this.fromList(s.usingClause)];
    if (s.whereClause) block.where = this.expr(s.whereClause);
    block.returning = this.targets(s.returningClause?.exprs ?? s.returningList);
    block.range = this.blockRange(s);
    return block;
  }

  private merge(s: PgNode): QueryBlock {
    const block = emptyBlock('merge');
    this.withCtes(block, s.withClause);
    block.target = this.rangeVar(s.relation);
    const source = this.fromList(s.sourceRelation ? [s.sourceRelation] : []);
    block.from = [{ relation: block.target }, ...source.map((f, i) => (i === 0 ? { ...f, join: 'inner' as JoinKind, on: s.joinCondition ? this.expr(s.joinCondition) : undefined } : f))];
    for (const w of s.mergeWhenClauses ?? []) {
      const c = w.MergeWhenClause;
      if (c?.targetList) block.set.push(...this.assignments(c.targetList));
    }
    block.returning = this.targets(s.returningClause?.exprs ?? s.returningList);
    block.range = this.blockRange(s);
    return block;
  }

  private targets(list: PgNode[] | undefined): SelectItem[] {
    return (list ?? []).map((t: PgNode) => {
      const rt = t.ResTarget;
      const expr = this.expr(rt?.val);
      const range = rt?.name ? this.extendAlias(expr.range, rt.name) : expr.range;
      return { expr, alias: rt?.name, range };
    });
  }

  /** A select item's range including `AS alias`. */
  private extendAlias(r: Range | undefined, alias: string): Range | undefined {
    if (!r) return r;
    let i = this.tokenIndex(r.end);
    if (this.tokens[i]?.value === 'as') i++;
    const t = this.tokens[i];
    return t && (t.kind === 'word' || t.kind === 'quoted') && t.value.toLowerCase() === alias.toLowerCase() ? { start: r.start, end: t.end } : r;
  }

  private assignments(list: PgNode[] | undefined): Assignment[] {
    const out: Assignment[] = [];
    for (const t of list ?? []) {
      const rt = t.ResTarget;
      if (!rt) continue;
      const value = this.expr(rt.val?.MultiAssignRef?.source ?? rt.val);
      const col = this.tokenRange(rt.location);
      out.push({ column: rt.name ?? '', value, range: col && value.range ? { start: col.start, end: value.range.end } : col });
    }
    return out;
  }

  private orderItem(sb: PgNode): OrderItem {
    const expr = this.expr(sb?.node);
    const item: OrderItem = { expr, range: expr.range };
    if (sb?.sortby_dir === 'SORTBY_DESC') item.direction = 'desc';
    else if (sb?.sortby_dir === 'SORTBY_ASC') item.direction = 'asc';
    if (sb?.sortby_nulls === 'SORTBY_NULLS_FIRST') item.nulls = 'first';
    else if (sb?.sortby_nulls === 'SORTBY_NULLS_LAST') item.nulls = 'last';
    if (expr.range) item.range = this.extend(expr.range, (t) => t.kind === 'word' && /^(asc|desc|nulls|first|last)$/.test(t.value));
    return item;
  }

  // ---- FROM ------------------------------------------------------------------------------

  private fromList(list: PgNode[] | undefined): FromItem[] {
    const out: FromItem[] = [];
    for (const item of list ?? []) this.fromItem(item, out);
    return out;
  }

  private fromItem(node: PgNode, out: FromItem[], join?: Omit<FromItem, 'relation'>): void {
    const [type, b] = unwrap(node);
    if (type === 'JoinExpr') {
      this.fromItem(b.larg, out);
      const kind: JoinKind = b.jointype === 'JOIN_LEFT' ? 'left' : b.jointype === 'JOIN_RIGHT' ? 'right' : b.jointype === 'JOIN_FULL' ? 'full' : b.quals || b.usingClause || b.isNatural ? 'inner' : 'cross';
      const j: Omit<FromItem, 'relation'> = { join: kind };
      if (b.isNatural) j.natural = true;
      if (b.quals) j.on = this.expr(b.quals);
      if (b.usingClause) j.using = b.usingClause.map((u: PgNode) => u.String?.sval).filter(Boolean);
      this.fromItem(b.rarg, out, j);
      return;
    }
    const relation = this.relation(type, b);
    if (relation) out.push({ relation, ...join });
  }

  private relation(type: string, b: PgNode): Relation | undefined {
    switch (type) {
      case 'RangeVar':
        return this.rangeVar(b);
      case 'RangeTableSample':
        return this.relation(...unwrap(b.relation));
      case 'RangeSubselect': {
        const [qt, qb] = unwrap(b.subquery);
        const query = this.block(qt, qb);
        return { kind: 'subquery', query, alias: b.alias?.aliasname, lateral: !!b.lateral, range: this.balance(query.range) };
      }
      case 'RangeFunction': {
        const fn = b.functions?.[0]?.List?.items?.[0];
        const expr = this.expr(fn);
        return { kind: 'function', expr, alias: b.alias?.aliasname, lateral: !!b.lateral, range: expr.range };
      }
      default: {
        const expr = this.expr({ [type]: b });
        return { kind: 'function', expr, alias: b?.alias?.aliasname, lateral: !!b?.lateral, range: expr.range };
      }
    }
  }

  private rangeVar(rv: PgNode): TableRelation {
    const r = this.nameRange(rv?.location);
    const rel: TableRelation = { kind: 'table', name: rv?.relname ?? '', range: r };
    if (rv?.schemaname) rel.schema = rv.schemaname;
    if (rv?.alias?.aliasname) rel.alias = rv.alias.aliasname;
    return rel;
  }

  // ---- expressions -------------------------------------------------------------------------

  /** Converts an expression node; unknown node kinds become `other` with their sub-expressions. */
  expr(node: PgNode): Expr {
    const [type, b] = unwrap(node);
    switch (type) {
      case 'ColumnRef': {
        const fields: PgNode[] = b.fields ?? [];
        const names = fields.map((f) => f.String?.sval as string | undefined);
        const range = this.nameRange(b.location);
        if (fields.length && fields[fields.length - 1].A_Star !== undefined) {
          return { kind: 'star', table: names[names.length - 2], range };
        }
        const column = names[names.length - 1] ?? '';
        const e: Expr = { kind: 'column', column, range };
        if (names.length >= 2) e.table = names[names.length - 2];
        if (names.length >= 3) e.schema = names[names.length - 3];
        return e;
      }
      case 'A_Const':
        return this.constant(b);
      case 'ParamRef': {
        const range = this.tokenRange(b.location);
        return { kind: 'param', name: range ? this.text.slice(range.start, range.end) : `$${b.number}`, range };
      }
      case 'TypeCast': {
        const inner = this.expr(b.arg);
        const typeRange = this.typeRange(b.typeName);
        const at = this.tokenRange(b.location);
        const atText = at ? this.text.slice(at.start, at.end).toLowerCase() : '';
        const syntax = atText === '::' ? '::' : atText === 'cast' ? 'cast' : inner.range && typeRange && typeRange.start < inner.range.start ? 'typed-literal' : '::';
        return { kind: 'cast', expr: inner, type: this.typeText(b.typeName), syntax, range: this.balance(union(inner.range, typeRange, at)) };
      }
      case 'FuncCall': {
        const names: string[] = (b.funcname ?? []).map((n: PgNode) => n.String?.sval).filter(Boolean);
        const args: Expr[] = (b.args ?? []).map((a: PgNode) => this.expr(a));
        let range = this.tokenRange(b.location);
        if (range && b.funcformat !== 'COERCE_SQL_SYNTAX') range = this.nameRange(b.location);
        const filter = b.agg_filter ? this.expr(b.agg_filter) : undefined;
        range = union(range, ...args.map((a) => a.range), filter?.range);
        if (range && b.funcformat !== 'COERCE_SQL_SYNTAX' && args.length === 0) {
          const i = this.tokenIndex(range.end);
          if (this.tokens[i]?.text === '(') range = { start: range.start, end: this.tokens[Math.min(matchingParen(this.tokens, i), this.tokens.length - 1)].end };
        }
        const e: Expr = { kind: 'function', name: (names[names.length - 1] ?? '').toLowerCase(), args, range: this.balance(range) };
        if (names.length > 1 && names[0] !== 'pg_catalog') e.schema = names[names.length - 2];
        if (b.agg_star) e.star = true;
        if (filter) e.filter = filter;
        if (b.over) e.window = true;
        return e;
      }
      case 'A_Expr':
        return this.aExpr(b);
      case 'BoolExpr': {
        const args: Expr[] = (b.args ?? []).map((a: PgNode) => this.expr(a));
        const range = this.balance(union(this.tokenRange(b.location), ...args.map((a) => a.range)));
        if (b.boolop === 'NOT_EXPR') {
          const inner = args[0];
          // `x NOT IN (SELECT …)` is NOT over `x IN (SELECT …)` in PostgreSQL's tree.
          if (inner?.kind === 'comparison' && inner.op === 'IN' && inner.right.kind === 'subquery' && isNotIn(this.text, inner)) {
            const opStart = this.tokenRange(b.location);
            return { ...inner, op: 'NOT IN', opRange: opStart && inner.opRange ? { start: opStart.start, end: inner.opRange.end } : inner.opRange, range };
          }
          return { kind: 'not', arg: inner, range };
        }
        return { kind: b.boolop === 'OR_EXPR' ? 'or' : 'and', args, range };
      }
      case 'NullTest':
      case 'BooleanTest': {
        const left = this.expr(b.arg);
        const at = this.tokenRange(b.location);
        const testType = String(b.nulltesttype ?? b.booltesttype ?? '');
        const negated = testType.includes('NOT');
        let opRange = at;
        if (at && negated) opRange = this.extend(at, (t) => t.value === 'not');
        const valueTok = opRange ? this.tokens[this.tokenIndex(opRange.end)] : undefined;
        const value = type === 'NullTest' ? 'null' : testType.endsWith('TRUE') ? 'true' : testType.endsWith('FALSE') ? 'false' : 'null';
        const right: Expr = { kind: 'literal', type: value === 'null' ? 'null' : 'boolean', value, range: valueTok ? { start: valueTok.start, end: valueTok.end } : undefined };
        return { kind: 'comparison', op: negated ? 'IS NOT' : 'IS', left, right, opRange, range: union(left.range, right.range, at) };
      }
      case 'SubLink':
        return this.subLink(b);
      case 'CaseExpr': {
        const args: Expr[] = [];
        if (b.arg) args.push(this.expr(b.arg));
        for (const w of b.args ?? []) {
          args.push(this.expr(w.CaseWhen?.expr), this.expr(w.CaseWhen?.result));
        }
        if (b.defresult) args.push(this.expr(b.defresult));
        return { kind: 'other', what: 'case', args, range: this.caseRange(b.location) ?? union(...args.map((a) => a.range)) };
      }
      case 'CoalesceExpr':
      case 'MinMaxExpr': {
        const args: Expr[] = (b.args ?? []).map((a: PgNode) => this.expr(a));
        const at = this.tokenRange(b.location);
        const name = at ? this.text.slice(at.start, at.end).toLowerCase() : type === 'CoalesceExpr' ? 'coalesce' : 'greatest';
        return { kind: 'function', name, args, range: this.balance(union(at, ...args.map((a) => a.range))) };
      }
      case 'SQLValueFunction': {
        const at = this.tokenRange(b.location);
        const name = at ? this.text.slice(at.start, at.end).toLowerCase() : String(b.op).replace('SVFOP_', '').toLowerCase();
        return { kind: 'function', name, args: [], range: this.balance(at && this.tokens[this.tokenIndex(at.end)]?.text === '(' ? { start: at.start, end: at.end + 1 } : at) };
      }
      case 'A_ArrayExpr': {
        const items: Expr[] = (b.elements ?? []).map((a: PgNode) => this.expr(a));
        return { kind: 'list', items, range: this.balance(union(this.tokenRange(b.location), ...items.map((a) => a.range), this.tokenRange(b.list_end))) };
      }
      case 'RowExpr': {
        const items: Expr[] = (b.args ?? []).map((a: PgNode) => this.expr(a));
        return { kind: 'list', items, range: this.balance(union(this.tokenRange(b.location), ...items.map((a) => a.range))) };
      }
      case 'List': {
        const items: Expr[] = (b.items ?? []).map((a: PgNode) => this.expr(a));
        return { kind: 'list', items, range: union(...items.map((a) => a.range)) };
      }
      default:
        return this.other(type, b);
    }
  }

  private constant(b: PgNode): Expr {
    let range = this.tokenRange(b.location);
    if (range && this.placeholders.has(range.start)) return { kind: 'param', name: this.text.slice(range.start, range.end), range };
    // A negative number starts at its `-`.
    if (range && this.text.slice(range.start, range.end) === '-') {
      const next = this.tokens[this.tokenIndex(range.end)];
      if (next) range = { start: range.start, end: next.end };
    }
    if (b.isnull) return { kind: 'literal', type: 'null', value: 'null', range };
    if (b.sval !== undefined) return { kind: 'literal', type: 'string', value: String(b.sval.sval ?? ''), range };
    if (b.boolval !== undefined) return { kind: 'literal', type: 'boolean', value: b.boolval.boolval ? 'true' : 'false', range };
    if (b.ival !== undefined) return { kind: 'literal', type: 'number', value: String(b.ival.ival ?? 0), range };
    if (b.fval !== undefined) return { kind: 'literal', type: 'number', value: String(b.fval.fval ?? '0'), range };
    if (b.bsval !== undefined) return { kind: 'literal', type: 'string', value: String(b.bsval.bsval ?? ''), range };
    return { kind: 'literal', type: 'null', value: 'null', range };
  }

  private aExpr(b: PgNode): Expr {
    const opName: string = (b.name ?? []).map((n: PgNode) => n.String?.sval).filter(Boolean).pop() ?? '';
    const left = b.lexpr ? this.expr(b.lexpr) : undefined;
    let right = this.expr(b.rexpr);
    const at = this.tokenRange(b.location);
    const comparison = (op: ComparisonOp, extra: { quantifier?: 'any' | 'all' } = {}): Expr => {
      // An operand as written includes its own parentheses: `LIKE ('%' || $1)`.
      if (left) left.range = this.withParens(left.range);
      right.range = this.withParens(right.range);
      const range = this.balance(union(left?.range, at, right.range));
      return { kind: 'comparison', op, left: left!, right, opRange: this.opRange(at, right.range), range, ...extra };
    };
    switch (b.kind) {
      case 'AEXPR_OP':
        if (left && COMPARISON[opName]) return comparison(COMPARISON[opName]);
        return { kind: 'operator', op: opName, left, right, range: this.balance(union(left?.range, at, right.range)) };
      case 'AEXPR_OP_ANY':
      case 'AEXPR_OP_ALL':
        if (left && COMPARISON[opName]) return comparison(COMPARISON[opName], { quantifier: b.kind === 'AEXPR_OP_ANY' ? 'any' : 'all' });
        return { kind: 'operator', op: opName, left, right, range: this.balance(union(left?.range, at, right.range)) };
      case 'AEXPR_DISTINCT':
        return comparison('IS DISTINCT FROM');
      case 'AEXPR_NOT_DISTINCT':
        return comparison('IS NOT DISTINCT FROM');
      case 'AEXPR_NULLIF':
        return { kind: 'function', name: 'nullif', args: left ? [left, right] : [right], range: this.balance(union(at, left?.range, right.range)) };
      case 'AEXPR_IN': {
        if (right.kind === 'list' && b.rexpr_list_start !== undefined) {
          const open = this.tokenRange(b.rexpr_list_start);
          const close = this.tokenRange(b.rexpr_list_end);
          right = { ...right, range: union(open, close, right.range) };
        }
        return comparison(opName === '<>' ? 'NOT IN' : 'IN');
      }
      case 'AEXPR_LIKE':
      case 'AEXPR_ILIKE':
      case 'AEXPR_SIMILAR': {
        // SIMILAR TO wraps its pattern in similar_to_escape(…).
        if (b.kind === 'AEXPR_SIMILAR' && right.kind === 'function' && right.name === 'similar_to_escape' && right.args[0]) right = right.args[0];
        return comparison(LIKE_OPS[opName] ?? 'LIKE');
      }
      case 'AEXPR_BETWEEN':
      case 'AEXPR_BETWEEN_SYM':
        return comparison('BETWEEN');
      case 'AEXPR_NOT_BETWEEN':
      case 'AEXPR_NOT_BETWEEN_SYM':
        return comparison('NOT BETWEEN');
      default:
        return { kind: 'other', what: String(b.kind).toLowerCase(), args: left ? [left, right] : [right], range: this.balance(union(left?.range, at, right.range)) };
    }
  }

  /** Widens a range over parentheses that wrap exactly it. */
  private withParens(r: Range | undefined): Range | undefined {
    if (!r) return r;
    let out = r;
    for (;;) {
      const i = this.tokenIndex(out.start);
      if (i === 0 || this.tokens[i - 1].text !== '(') return out;
      const close = matchingParen(this.tokens, i - 1);
      if (close >= this.tokens.length || this.tokens[close - 1]?.end !== out.end) return out;
      out = { start: this.tokens[i - 1].start, end: this.tokens[close].end };
    }
  }

  /** The operator's tokens: from its location up to the right operand, without `ANY (` / `(`. */
  private opRange(at: Range | undefined, right: Range | undefined): Range | undefined {
    if (!at) return undefined;
    if (!right || right.start <= at.start) return at;
    let j = this.tokenIndex(right.start) - 1;
    const first = this.tokenIndex(at.start);
    while (j > first && (this.tokens[j].text === '(' || /^(any|all|some|array)$/.test(this.tokens[j].value))) j--;
    return { start: at.start, end: this.tokens[j].end };
  }

  private subLink(b: PgNode): Expr {
    const [qt, qb] = unwrap(b.subselect);
    const query = this.block(qt, qb);
    const at = this.tokenRange(b.location);
    // The subquery with its parentheses.
    let qr = this.balance(query.range);
    if (qr) {
      const i = this.tokenIndex(qr.start);
      const close = i > 0 && this.tokens[i - 1].text === '(' ? matchingParen(this.tokens, i - 1) : -1;
      if (close > 0 && close < this.tokens.length) qr = { start: this.tokens[i - 1].start, end: this.tokens[close].end };
    }
    const sub: Expr = { kind: 'subquery', query, range: qr };
    switch (b.subLinkType) {
      case 'EXISTS_SUBLINK':
        return { kind: 'subquery', query, exists: true, range: union(at, qr) };
      case 'ANY_SUBLINK':
      case 'ALL_SUBLINK': {
        const left = this.expr(b.testexpr);
        const opName: string = (b.operName ?? []).map((n: PgNode) => n.String?.sval).filter(Boolean).pop() ?? '';
        const range = union(left.range, at, qr);
        const opRange = this.opRange(at, qr);
        if (!opName) return { kind: 'comparison', op: 'IN', left, right: sub, opRange, range };
        const op = COMPARISON[opName];
        if (!op) return { kind: 'other', what: 'sublink', args: [left, sub], range };
        return { kind: 'comparison', op, left, right: sub, quantifier: b.subLinkType === 'ANY_SUBLINK' ? 'any' : 'all', opRange, range };
      }
      case 'ARRAY_SUBLINK':
        return { kind: 'other', what: 'array', args: [sub], range: union(at, qr) };
      default:
        return sub;
    }
  }

  /** `CASE … END`, counting nested CASEs. */
  private caseRange(location: number | undefined): Range | undefined {
    const at = this.tokenRange(location);
    if (!at) return undefined;
    let depth = 0;
    for (let i = this.tokenIndex(at.start); i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (t.kind !== 'word') continue;
      if (t.value === 'case') depth++;
      else if (t.value === 'end' && --depth === 0) return { start: at.start, end: t.end };
    }
    return undefined;
  }

  /** Any other node: its sub-expressions (found generically) under `other`. */
  private other(type: string, b: PgNode): Expr {
    const args: Expr[] = [];
    const visit = (v: PgNode) => {
      if (!v || typeof v !== 'object') return;
      if (Array.isArray(v)) {
        for (const x of v) visit(x);
        return;
      }
      const keys = Object.keys(v);
      if (keys.length === 1 && /^[A-Z]/.test(keys[0])) {
        const [t] = unwrap(v);
        if (t === 'String' || t === 'Integer' || t === 'TypeName' || t === 'Alias') return;
        args.push(this.expr(v));
        return;
      }
      for (const k of keys) if (k !== 'location') visit(v[k]);
    };
    if (b && typeof b === 'object') for (const k of Object.keys(b)) if (k !== 'location') visit(b[k]);
    return { kind: 'other', what: type ? type.toLowerCase() : 'unknown', args, range: this.balance(union(this.tokenRange(b?.location), ...args.map((a) => a.range))) };
  }
}

/** `{ Type: body }` → [Type, body]; larg / rarg of set operations come without the wrapper. */
function unwrap(node: PgNode): [string, PgNode] {
  if (!node || typeof node !== 'object') return ['', undefined];
  const keys = Object.keys(node);
  if (keys.length === 1 && /^[A-Z]/.test(keys[0])) return [keys[0], node[keys[0]]];
  if ('targetList' in node || 'op' in node || 'valuesLists' in node) return ['SelectStmt', node];
  return ['', node];
}

/** Smallest and largest `location` anywhere under a node. */
function locationBounds(node: PgNode): [number | undefined, number | undefined] {
  let min: number | undefined;
  let max: number | undefined;
  const visit = (v: PgNode) => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    for (const k of Object.keys(v)) {
      const x = v[k];
      if (k === 'location' || k === 'stmt_location') {
        if (typeof x === 'number' && x >= 0) {
          if (min === undefined || x < min) min = x;
          if (max === undefined || x > max) max = x;
        }
      } else if (x && typeof x === 'object') visit(x);
    }
  };
  visit(node);
  return [min, max];
}

function union(...ranges: (Range | undefined)[]): Range | undefined {
  let out: Range | undefined;
  for (const r of ranges) {
    if (!r) continue;
    out = out ? { start: Math.min(out.start, r.start), end: Math.max(out.end, r.end) } : { ...r };
  }
  return out;
}

/** True when the text between the left operand and the subquery says `NOT IN`. */
function isNotIn(text: string, cmp: { left: Expr; right: Expr }): boolean {
  const a = cmp.left.range?.end;
  const b = cmp.right.range?.start;
  return a !== undefined && b !== undefined && /\bnot\s+in\b/i.test(text.slice(a, b));
}

function buildByteMap(text: string): Int32Array {
  const bytes = Buffer.byteLength(text, 'utf8');
  const map = new Int32Array(bytes + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 4 : 3;
    for (let k = 0; k < n && b + k <= bytes; k++) map[b + k] = i;
    b += n;
    if (n === 4) i++;
  }
  map[bytes] = text.length;
  return map;
}
