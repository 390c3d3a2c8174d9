/**
 * MySQL front end of the query model: reads node-sql-parser's MySQL AST into `model.ts`.
 * node-sql-parser gives `loc` to many expression nodes but not to column references, casts,
 * `*` or query blocks, so those ranges come from the statement's tokens (`locate.ts`); SELECT
 * blocks are matched to their SELECT keywords in text order (the parser visits them in the same
 * order: CTEs, the block, its subqueries, then UNION branches).
 */
import { parseStatement, type AstNode } from '../sql/parse';
import type { Token } from '../sql/tokens';
import { columnRefParts, identName, Locator } from './locate';
import type { ComparisonOp, Expr, FromItem, JoinKind, QueryBlock, QueryParse, QueryStatement, Range, SelectItem, StatementKind } from './model';
import { emptyBlock, finishStatement } from './walk';

const COMPARISON: Record<string, ComparisonOp> = {
  '=': '=', '<>': '<>', '!=': '<>', '<': '<', '>': '>', '<=': '<=', '>=': '>=', IN: 'IN', 'NOT IN': 'NOT IN', BETWEEN: 'BETWEEN',
  'NOT BETWEEN': 'NOT BETWEEN', LIKE: 'LIKE', 'NOT LIKE': 'NOT LIKE', ILIKE: 'ILIKE', 'NOT ILIKE': 'NOT ILIKE', IS: 'IS', 'IS NOT': 'IS NOT',
};

/** Words that end a select list at its own parenthesis depth. */
const LIST_END = new Set(['from', 'into', 'where', 'group', 'having', 'order', 'limit', 'offset', 'union', 'except', 'intersect', 'window', 'fetch', 'for', 'returning']);

/** Parses one MySQL statement into the query model. Never throws. */
export function parseMysqlQuery(text: string): QueryParse {
  const parsed = parseStatement(text, 'mysql');
  if (!parsed.ok) return { ok: false, message: parsed.message, offset: parsed.offset };
  const reader = new MysqlReader(text);
  try {
    return { ok: true, statements: parsed.ast.map((a) => reader.statement(a)) };
  } catch (err) {
    if (err instanceof RangeError) return { ok: false, message: 'statement is too deeply nested to analyse' };
    throw err;
  }
}

interface StarSite {
  range: Range;
  qualifier?: string;
}

class MysqlReader {
  private readonly loc: Locator;
  private readonly selects: Token[];
  private readonly stars: StarSite[][];
  private readonly offsets: Range[];
  private selectIndex = 0;
  private offsetIndex = 0;

  constructor(private readonly text: string) {
    this.loc = new Locator(text, 'mysql');
    this.selects = this.loc.tokens.filter((t) => t.kind === 'word' && t.value === 'select');
    this.stars = findStars(this.loc.tokens);
    this.offsets = findOffsetClauses(this.loc.tokens);
  }

  statement(ast: AstNode): QueryStatement {
    const type = String(ast?.type ?? '');
    const kinds: Record<string, StatementKind> = { select: 'select', insert: 'insert', replace: 'insert', update: 'update', delete: 'delete' };
    const kind = kinds[type];
    if (kind) return finishStatement(kind, this.block(ast));
    // CREATE VIEW … AS SELECT / CREATE TABLE … AS SELECT: the query inside.
    const inner = ast?.select ?? ast?.as ?? ast?.view?.select;
    if (inner && typeof inner === 'object' && inner.type === 'select') return finishStatement('utility', this.block(inner), type);
    return finishStatement('utility', undefined, type || 'unknown');
  }

  private block(ast: AstNode): QueryBlock {
    if (ast?.type === 'select') {
      if (!ast._next) return this.select(ast);
      const set = emptyBlock('set');
      const op = String(ast.set_op ?? 'union').toLowerCase();
      set.setOp = { op: op.startsWith('intersect') ? 'intersect' : op.startsWith('except') || op.startsWith('minus') ? 'except' : 'union', all: /\ball\b/.test(op) };
      const branches: QueryBlock[] = [];
      for (let n: AstNode = ast; n; n = n._next) branches.push(this.select(n));
      set.branches = branches;
      set.range = branches[0].range;
      return set;
    }
    if (ast?.type === 'update' || ast?.type === 'delete' || ast?.type === 'insert' || ast?.type === 'replace') return this.write(ast);
    return emptyBlock('select');
  }

  private select(ast: AstNode): QueryBlock {
    const block = emptyBlock('select');
    for (const cte of ast.with ?? []) {
      const name = identName(cte?.name);
      const q = cte?.stmt?.ast ?? cte?.stmt;
      if (name && q) block.ctes.push({ name, query: this.block(q) });
    }
    const index = this.selectIndex++;
    const kw = this.selects[index];
    if (kw) block.range = { start: kw.start, end: kw.end };
    if (ast.distinct) block.distinct = true;
    const stars = [...(this.stars[index] ?? [])];
    block.selectList = (Array.isArray(ast.columns) ? ast.columns : []).map((c: AstNode) => {
      const expr = this.expr(c?.expr);
      if (expr.kind === 'star') {
        const site = stars.findIndex((s) => (s.qualifier ?? '').toLowerCase() === (expr.table ?? '').toLowerCase());
        if (site >= 0) expr.range = stars.splice(site, 1)[0].range;
      }
      const item: SelectItem = { expr, range: expr.range };
      const alias = typeof c?.as === 'string' ? c.as : identName(c?.as);
      if (alias) item.alias = alias;
      return item;
    });
    block.from = this.fromList(ast.from);
    if (ast.where) block.where = this.expr(ast.where);
    const groups: AstNode[] = Array.isArray(ast.groupby) ? ast.groupby : Array.isArray(ast.groupby?.columns) ? ast.groupby.columns : [];
    block.groupBy = groups.map((g) => this.expr(g));
    if (ast.having) block.having = this.expr(ast.having);
    block.orderBy = (ast.orderby ?? []).map((o: AstNode) => {
      const expr = this.expr(o?.expr);
      const dir = String(o?.type ?? '').toUpperCase();
      return { expr, range: expr.range, ...(dir === 'DESC' ? { direction: 'desc' as const } : dir === 'ASC' ? { direction: 'asc' as const } : {}) };
    });
    this.limit(block, ast.limit);
    if (ast.locking_read) block.locking = [String(ast.locking_read?.prefix ?? ast.locking_read).toLowerCase()];
    return block;
  }

  private limit(block: QueryBlock, limit: AstNode): void {
    const values: AstNode[] = Array.isArray(limit?.value) ? limit.value : [];
    if (values.length === 0) return;
    if (limit.seperator === ',') {
      block.offset = this.expr(values[0]);
      block.limit = this.expr(values[1]);
      block.limitSyntax = 'mysql-comma';
    } else {
      block.limit = this.expr(values[0]);
      block.limitSyntax = 'limit';
      if (limit.seperator === 'offset' && values[1]) block.offset = this.expr(values[1]);
    }
    if (block.offset) block.offsetClause = this.offsets[this.offsetIndex++];
  }

  private write(ast: AstNode): QueryBlock {
    const kind = ast.type === 'replace' ? 'insert' : (ast.type as 'insert' | 'update' | 'delete');
    const block = emptyBlock(kind);
    const targets = this.fromList(ast.type === 'update' ? ast.table : ast.type === 'delete' ? ast.from ?? ast.table : ast.table);
    const first = targets[0]?.relation;
    if (first?.kind === 'table') block.target = first;
    if (kind === 'insert') {
      if (ast.values?.type === 'select') block.source = this.block(ast.values);
      else block.values = (ast.values?.values ?? ast.values ?? []).map((row: AstNode) => (row?.value ?? []).map((v: AstNode) => this.expr(v)));
    } else if (kind === 'update') {
      block.from = [...targets, ...this.fromList(ast.from)];
      block.set = (ast.set ?? []).map((s: AstNode) => ({ column: String(identName(s?.column) ?? ''), value: this.expr(s?.value) }));
    } else {
      // DELETE lists its table twice (in `table` and `from`).
      block.from = targets.filter((t, i) => i === 0 || t.relation.kind !== 'table' || first?.kind !== 'table' || t.relation.name !== first.name || t.relation.alias !== first.alias);
    }
    if (ast.where) block.where = this.expr(ast.where);
    block.orderBy = (ast.orderby ?? []).map((o: AstNode) => ({ expr: this.expr(o?.expr) }));
    this.limit(block, ast.limit);
    return block;
  }

  private fromList(list: AstNode[] | null | undefined): FromItem[] {
    const out: FromItem[] = [];
    for (const item of Array.isArray(list) ? list : []) {
      if (!item || typeof item !== 'object') continue;
      const alias = typeof item.as === 'string' && item.as ? item.as : identName(item.as);
      const join = joinKind(item.join);
      const base: Omit<FromItem, 'relation'> = join ? { join } : {};
      if (item.on) base.on = this.expr(item.on);
      if (Array.isArray(item.using)) base.using = item.using.map((u: unknown) => (typeof u === 'string' ? u : identName(u) ?? '')).filter(Boolean);
      if (item.expr?.ast) {
        out.push({ relation: { kind: 'subquery', query: this.block(item.expr.ast), alias: alias ?? undefined }, ...base });
      } else if (item.expr) {
        out.push({ relation: { kind: 'function', expr: this.expr(item.expr), alias: alias ?? undefined }, ...base });
      } else {
        const name = typeof item.table === 'string' ? item.table : identName(item.table);
        if (!name) continue;
        out.push({ relation: { kind: 'table', name, ...(item.db ? { schema: String(item.db) } : {}), ...(alias ? { alias } : {}) }, ...base });
      }
    }
    return out;
  }

  /** Converts an expression; `within` narrows the token search for nodes without a location. */
  expr(node: AstNode, within?: Range): Expr {
    if (!node || typeof node !== 'object') return { kind: 'other', what: 'empty', args: [] };
    const range = this.loc.range(node, within) ?? undefined;
    const inner = range ?? within;
    if (node.ast && typeof node.ast === 'object') return { kind: 'subquery', query: this.block(node.ast), range };
    switch (node.type) {
      case 'column_ref': {
        if (node.column === '*' || identName(node.column) === '*') {
          const table = identName(node.table);
          return { kind: 'star', ...(table ? { table } : {}) };
        }
        const parts = columnRefParts(node);
        if (!parts) return { kind: 'other', what: 'column', args: [], range };
        return { kind: 'column', column: parts.column, ...(parts.table ? { table: parts.table } : {}), range };
      }
      case 'number':
        return { kind: 'literal', type: 'number', value: String(node.value), range };
      case 'single_quote_string':
      case 'double_quote_string':
      case 'string':
      case 'natural_string':
      case 'hex_string':
        return { kind: 'literal', type: 'string', value: String(node.value), range };
      case 'bool':
        return { kind: 'literal', type: 'boolean', value: node.value ? 'true' : 'false', range };
      case 'null':
        return { kind: 'literal', type: 'null', value: 'null', range };
      case 'origin':
        if (node.value === '?') return { kind: 'param', name: '?', range };
        return { kind: 'function', name: String(node.value).toLowerCase(), args: [], range };
      case 'var':
        return { kind: 'param', name: `${node.prefix ?? '@'}${node.name}`, range };
      case 'param':
        return { kind: 'param', name: `:${node.value}`, range };
      case 'binary_expr':
        return this.binary(node, inner);
      case 'unary_expr': {
        const op = String(node.operator).toUpperCase();
        if (op === 'NOT EXISTS') {
          const sub = this.expr(node.expr, inner);
          return { kind: 'not', arg: sub.kind === 'subquery' ? { ...sub, exists: true } : sub, range };
        }
        const arg = this.expr(node.expr, inner);
        if (op === 'NOT' || op === '!') return { kind: 'not', arg, range };
        return { kind: 'operator', op, right: arg, range };
      }
      case 'function': {
        const name = functionName(node) ?? '';
        const args: AstNode[] = node.args?.value ?? (node.args ? [node.args] : []);
        if (name === 'exists' && args.length === 1 && args[0]?.ast) return { kind: 'subquery', query: this.block(args[0].ast), exists: true, range };
        return { kind: 'function', name, args: args.map((a) => this.expr(a, inner)), range, ...(node.over ? { window: true } : {}) };
      }
      case 'aggr_func': {
        const arg = node.args?.expr;
        const star = arg?.type === 'star';
        return { kind: 'function', name: String(node.name).toLowerCase(), args: arg && !star ? [this.expr(arg, inner)] : [], ...(star ? { star: true } : {}), range, ...(node.over ? { window: true } : {}) };
      }
      case 'cast':
        return { kind: 'cast', expr: this.expr(node.expr, inner), type: String(node.target?.[0]?.dataType ?? '?').toLowerCase(), syntax: node.symbol === '::' ? '::' : 'cast', range };
      case 'extract':
        return {
          kind: 'function', name: 'extract', range,
          args: [{ kind: 'literal', type: 'string', value: String(node.args?.field ?? '').toLowerCase() }, this.expr(node.args?.source, inner)],
        };
      case 'expr_list': {
        const items: AstNode[] = node.value ?? [];
        if (items.length === 1 && items[0]?.ast) return { kind: 'subquery', query: this.block(items[0].ast), range };
        return { kind: 'list', items: items.map((x) => this.expr(x, inner)), range };
      }
      case 'interval':
        return { kind: 'other', what: 'interval', args: [this.expr(node.expr, inner)], range };
      case 'case': {
        const args: Expr[] = [];
        if (node.expr) args.push(this.expr(node.expr, inner));
        for (const a of node.args ?? []) {
          if (a?.cond) args.push(this.expr(a.cond, inner));
          if (a?.result) args.push(this.expr(a.result, inner));
        }
        return { kind: 'other', what: 'case', args, range };
      }
      default:
        return { kind: 'other', what: String(node.type ?? 'unknown'), args: this.children(node, inner), range };
    }
  }

  private binary(node: AstNode, within: Range | undefined): Expr {
    const op = String(node.operator).toUpperCase();
    const range = this.loc.range(node, within) ?? undefined;
    if (op === 'AND' || op === 'OR') {
      const kind = op === 'AND' ? 'and' : 'or';
      const args: Expr[] = [];
      const flatten = (n: AstNode) => {
        if (n?.type === 'binary_expr' && String(n.operator).toUpperCase() === op && !n.parentheses) {
          flatten(n.left);
          flatten(n.right);
        } else args.push(this.expr(n, range ?? within));
      };
      flatten(node);
      return { kind, args, range };
    }
    const parts = this.loc.operands(node);
    const left = this.expr(node.left, parts?.left ?? range ?? within);
    let right = this.expr(node.right, parts?.right ?? range ?? within);
    if (parts) {
      left.range = parts.left;
      right.range = parts.right;
    }
    const cmp = COMPARISON[op];
    if (cmp) {
      if ((op === 'IN' || op === 'NOT IN') && right.kind === 'list' && right.items.length === 1 && right.items[0].kind === 'subquery') right = { ...right.items[0], range: right.range };
      return { kind: 'comparison', op: cmp, left, right, opRange: parts?.op, range };
    }
    return { kind: 'operator', op: op === '||' ? '||' : String(node.operator), left, right, range };
  }

  /** Sub-expressions of an unknown node kind. */
  private children(node: AstNode, within: Range | undefined): Expr[] {
    const out: Expr[] = [];
    for (const key of Object.keys(node)) {
      if (key === 'loc' || key === 'type') continue;
      const v = node[key];
      const list = Array.isArray(v) ? v : [v];
      for (const x of list) if (x && typeof x === 'object' && (typeof x.type === 'string' || x.ast)) out.push(this.expr(x, within));
    }
    return out;
  }
}

function joinKind(join: unknown): JoinKind | undefined {
  if (typeof join !== 'string' || !join) return undefined;
  const j = join.toUpperCase();
  if (j.startsWith('LEFT')) return 'left';
  if (j.startsWith('RIGHT')) return 'right';
  if (j.startsWith('FULL')) return 'full';
  if (j.startsWith('CROSS')) return 'cross';
  return 'inner';
}

/** Lower-cased function name of a function node (`db.fn` → `fn`). */
function functionName(node: AstNode): string | undefined {
  const n = node?.name;
  if (typeof n === 'string') return n.toLowerCase();
  const parts = Array.isArray(n?.name) ? n.name : [];
  return identName(parts[parts.length - 1])?.toLowerCase();
}

/** `*` / `t.*` select-list items per SELECT keyword, found in the tokens (the parser gives them no location). */
function findStars(tokens: Token[]): StarSite[][] {
  const out: StarSite[][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'word' || t.value !== 'select') continue;
    const sites: StarSite[] = [];
    out.push(sites);
    let j = i + 1;
    while (tokens[j]?.kind === 'word' && /^(distinct|all|distinctrow|high_priority|straight_join|sql_no_cache|sql_calc_found_rows)$/.test(tokens[j].value)) j++;
    let depth = 0;
    let itemStart = j;
    for (; j <= tokens.length; j++) {
      const x = tokens[j];
      const atEnd = !x || (depth === 0 && (x.text === ',' || x.text === ')' || (x.kind === 'word' && LIST_END.has(x.value))));
      if (atEnd) {
        const item = tokens.slice(itemStart, j);
        if (item.length === 1 && item[0].text === '*') sites.push({ range: { start: item[0].start, end: item[0].end } });
        else if (item.length >= 3 && item[item.length - 1].text === '*' && item[item.length - 2].text === '.') {
          const q = item[item.length - 3];
          sites.push({ range: { start: item[0].start, end: item[item.length - 1].end }, qualifier: q.kind === 'quoted' ? q.value : q.text });
        }
        if (!x || x.text !== ',') break;
        itemStart = j + 1;
        continue;
      }
      if (x.text === '(') depth++;
      else if (x.text === ')') depth--;
    }
  }
  return out;
}

/** `OFFSET …` clauses and MySQL `LIMIT o, n`, in text order. */
function findOffsetClauses(toks: Token[]): Range[] {
  const sites: Range[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === 'word' && t.value === 'offset' && toks[i + 1]) {
      let j = i + 1;
      let depth = 0;
      for (; j < toks.length; j++) {
        const x = toks[j];
        if (x.text === '(') depth++;
        else if (x.text === ')') {
          if (depth === 0) break;
          depth--;
        } else if (depth === 0 && x.kind === 'word' && /^(limit|fetch|for|union|except|intersect|rows?)$/.test(x.value)) break;
      }
      sites.push({ start: t.start, end: toks[j - 1].end });
    } else if (t.kind === 'word' && t.value === 'limit' && toks[i + 2]?.text === ',') {
      sites.push({ start: t.start, end: toks[i + 3]?.end ?? toks[i + 2].end });
    }
  }
  return sites;
}
