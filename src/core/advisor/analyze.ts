/**
 * Predicate analysis: what one statement asks of each table it reads — equality and IN
 * predicates, range predicates, join keys, ORDER BY (with direction), GROUP BY, LIMIT, the
 * columns it reads, constant predicates (partial-index material) and expressions on columns.
 * Pure: works from the parsed AST and the catalog only.
 */
import type { Dialect } from '../dialect';
import type { Catalog, IndexKey, Table } from '../schema/types';
import { parseStatement, type AstNode } from '../sql/parse';
import { columnOf, identifierName, renderKeyExpression, type ColumnMention } from './expression';
import type { Predicate, PredicateOp, QueryAnalysis, TableUsage } from './types';

/** A table as seen from one SELECT block, with the columns the block reads from it. */
interface ScopeTable {
  usage: TableUsage;
  table: Table;
  refs: Set<string>;
}

interface Scope {
  /** Alias (or table name when unaliased) → table. */
  byName: Map<string, ScopeTable>;
  list: ScopeTable[];
  /** Select-list aliases → expression, for ORDER BY / GROUP BY by output name. */
  outputs: Map<string, AstNode>;
  selectList: AstNode[];
}

interface Context {
  catalog: Catalog;
  usages: TableUsage[];
  unknown: Set<string>;
  cteNames: Set<string>;
  depth: number;
}

/** Analyses one statement; never throws (unparsable or unsupported input yields `ok: false`). */
export function analyzeQuery(sql: string, catalog: Catalog, dialect: Dialect): QueryAnalysis {
  const parsed = parseStatement(sql, dialect);
  if (!parsed.ok) {
    return { sql, ok: false, message: `could not parse the statement: ${parsed.message}`, tables: [], unknownTables: [] };
  }
  const ast = parsed.ast[0];
  const type = ast?.type;
  if (type !== 'select' && type !== 'update' && type !== 'delete') {
    return { sql, ok: false, message: 'only SELECT, UPDATE and DELETE statements get index advice', tables: [], unknownTables: [] };
  }
  const ctx: Context = { catalog, usages: [], unknown: new Set(), cteNames: new Set(), depth: 0 };
  let limit: number | undefined;
  try {
    if (type === 'select') {
      analyzeSelect(ast, ctx);
      limit = limitOf(ast);
    } else {
      analyzeWrite(ast, ctx);
    }
  } catch (err) {
    // Deeply nested input can exhaust the stack; that is a clear "cannot analyse", not a crash.
    const message = err instanceof RangeError ? 'the statement is too deeply nested to analyse' : `analysis failed: ${String((err as Error)?.message ?? err)}`;
    return { sql, ok: false, message, tables: [], unknownTables: [] };
  }
  return {
    sql,
    ok: true,
    statementType: type,
    tables: ctx.usages,
    limit,
    unknownTables: [...ctx.unknown],
  };
}

/**
 * Looks a FROM-list name up in the catalog (unqualified, case-folded unless quoted). The
 * catalog is keyed by lower-cased name, so a quoted mixed-case table (`"Order"`, as Prisma
 * creates them) is found through its folded key.
 */
export function lookupTable(catalog: Catalog, name: string): Table | undefined {
  return catalog.tables.get(name) ?? catalog.tables.get(name.toLowerCase());
}

/** LIMIT count when it is a literal (`LIMIT 10`, `LIMIT 10 OFFSET 5`, MySQL `LIMIT 5, 10`). */
function limitOf(ast: AstNode): number | undefined {
  const values: AstNode[] = Array.isArray(ast?.limit?.value) ? ast.limit.value : [];
  const item = ast?.limit?.seperator === ',' ? values[1] : values[0];
  return item?.type === 'number' ? Number(item.value) : undefined;
}

const MAX_DEPTH = 32;

/** Analyses a SELECT block, its CTEs, derived tables, subqueries and UNION branches. */
function analyzeSelect(ast: AstNode, ctx: Context): void {
  if (!ast || ast.type !== 'select' || ctx.depth > MAX_DEPTH) return;
  ctx.depth++;
  try {
    for (const cte of ast.with ?? []) {
      const name = identifierName(cte?.name);
      if (name) ctx.cteNames.add(name.toLowerCase());
      analyzeSelect(cte?.stmt?.ast ?? cte?.stmt, ctx);
    }
    const scope = buildScope(ast.from, ctx);
    scope.selectList = Array.isArray(ast.columns) ? ast.columns : [];
    for (const item of scope.selectList) {
      const alias = typeof item?.as === 'string' ? item.as.toLowerCase() : identifierName(item?.as);
      if (alias) scope.outputs.set(alias.toLowerCase(), item.expr);
      markSelectAll(item?.expr, scope);
      collectRefs(item?.expr, scope, ctx);
    }
    for (const from of ast.from ?? []) {
      if (from?.on) applyConditions(from.on, scope, ctx);
      if (Array.isArray(from?.using)) applyUsing(from, scope);
    }
    applyConditions(ast.where, scope, ctx);
    collectRefs(ast.having, scope, ctx);
    applyGroupBy(ast.groupby, scope, ctx);
    applyOrderBy(ast.orderby, scope, ctx);
    finishScope(scope, ctx);
    if (ast._next) analyzeSelect(ast._next, ctx);
  } finally {
    ctx.depth--;
  }
}

/** UPDATE / DELETE: the target table's WHERE is what an index can serve. */
function analyzeWrite(ast: AstNode, ctx: Context): void {
  const from = ast.type === 'update' ? [...(ast.table ?? []), ...(ast.from ?? [])] : ast.from ?? ast.table ?? [];
  const scope = buildScope(from, ctx);
  for (const s of ast.set ?? []) collectRefs(s?.value, scope, ctx);
  applyConditions(ast.where, scope, ctx);
  finishScope(scope, ctx);
}

function buildScope(from: AstNode[] | null | undefined, ctx: Context): Scope {
  const scope: Scope = { byName: new Map(), list: [], outputs: new Map(), selectList: [] };
  for (const item of from ?? []) {
    if (!item) continue;
    if (item.expr?.ast) {
      analyzeSelect(item.expr.ast, ctx);
      continue;
    }
    if (typeof item.table !== 'string') continue;
    const name = item.table.toLowerCase();
    if (ctx.cteNames.has(name) && !item.db) continue;
    const table = lookupTable(ctx.catalog, item.table);
    if (!table) {
      ctx.unknown.add(item.db ? `${item.db}.${item.table}` : item.table);
      continue;
    }
    const alias = typeof item.as === 'string' && item.as ? item.as.toLowerCase() : undefined;
    const usage: TableUsage = {
      table: table.name,
      alias,
      predicates: [],
      joinKeys: [],
      orderBy: [],
      groupBy: [],
      referenced: [],
      selectAll: false,
    };
    const st: ScopeTable = { usage, table, refs: new Set() };
    scope.list.push(st);
    scope.byName.set(alias ?? name, st);
    if (alias) scope.byName.set(`\u0000${name}`, st);
  }
  return scope;
}

function finishScope(scope: Scope, ctx: Context): void {
  for (const st of scope.list) {
    for (const p of st.usage.predicates) if (p.key.column) st.refs.add(p.key.column);
    for (const k of st.usage.joinKeys) st.refs.add(k);
    // First-mention order (select list first), so INCLUDE lists read like the query.
    st.usage.referenced = [...st.refs];
    ctx.usages.push(st.usage);
  }
}

/** Finds the scope table a column mention belongs to (by qualifier, or by unique column name). */
function resolve(m: ColumnMention, scope: Scope): ScopeTable | undefined {
  if (m.qualifier) return scope.byName.get(m.qualifier) ?? scope.byName.get(`\u0000${m.qualifier}`);
  const owners = scope.list.filter((st) => st.table.columns.some((c) => c.name === m.column));
  return owners.length === 1 ? owners[0] : undefined;
}

function markSelectAll(expr: AstNode, scope: Scope): void {
  if (!expr || expr.type !== 'column_ref' || expr.column !== '*') return;
  if (expr.table) {
    const st = scope.byName.get(String(expr.table).toLowerCase());
    if (st) st.usage.selectAll = true;
  } else {
    for (const st of scope.list) st.usage.selectAll = true;
  }
}

/** Records every column the expression reads; nested SELECTs are analysed as their own blocks. */
function collectRefs(node: AstNode, scope: Scope, ctx: Context, depth = 0): void {
  if (!node || typeof node !== 'object' || depth > 200) return;
  if (Array.isArray(node)) {
    for (const n of node) collectRefs(n, scope, ctx, depth + 1);
    return;
  }
  if (node.ast && typeof node.ast === 'object' && node.ast.type === 'select') {
    analyzeSelect(node.ast, ctx);
    return;
  }
  if (node.type === 'select') {
    analyzeSelect(node, ctx);
    return;
  }
  if (node.type === 'column_ref') {
    const m = columnOf(node);
    if (m) {
      const st = resolve(m, scope);
      if (st && st.table.columns.some((c) => c.name === m.column)) st.refs.add(m.column);
    }
    return;
  }
  for (const key of Object.keys(node)) {
    if (key === 'loc') continue;
    const v = node[key];
    if (v && typeof v === 'object') collectRefs(v, scope, ctx, depth + 1);
  }
}

/** Splits a condition into its AND-ed conjuncts. */
function conjuncts(node: AstNode, out: AstNode[] = [], depth = 0): AstNode[] {
  if (!node || depth > 500) return out;
  if (node.type === 'binary_expr' && String(node.operator).toUpperCase() === 'AND') {
    conjuncts(node.left, out, depth + 1);
    conjuncts(node.right, out, depth + 1);
  } else out.push(node);
  return out;
}

/** An indexable key of one scope table: a column or an expression over its columns. */
interface KeyHit {
  st: ScopeTable;
  key: IndexKey;
}

function keyOf(node: AstNode, scope: Scope): KeyHit | undefined {
  if (!node) return undefined;
  if (node.type === 'column_ref') {
    const m = columnOf(node);
    if (!m) return undefined;
    const st = resolve(m, scope);
    if (!st || !st.table.columns.some((c) => c.name === m.column)) return undefined;
    return { st, key: { column: m.column } };
  }
  // Arithmetic on a column (`total / 100 > 5`) is better rewritten than indexed
  // (expression-on-column's fix), so only function calls and casts become expression keys.
  if (node.type === 'function' || node.type === 'cast') {
    const r = renderKeyExpression(node);
    if (!r) return undefined;
    const owners = new Set(r.columns.map((c) => resolve(c, scope)));
    if (owners.size !== 1) return undefined;
    const st = [...owners][0];
    if (!st) return undefined;
    return { st, key: { expression: r.text } };
  }
  return undefined;
}

/** Classifies the value side of a comparison; undefined when it reads the same table. */
function valueKind(node: AstNode, st: ScopeTable, scope: Scope): { kind: Predicate['value']; constant?: string } | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'var':
    case 'param':
      return { kind: 'param' };
    case 'origin':
      return node.value === '?' ? { kind: 'param' } : { kind: 'expression' };
    case 'single_quote_string':
    case 'string':
      return { kind: 'constant', constant: `'${String(node.value).replace(/'/g, "''")}'` };
    case 'number':
      return { kind: 'constant', constant: String(node.value) };
    case 'bool':
      return { kind: 'constant', constant: node.value ? 'true' : 'false' };
    case 'null':
      return { kind: 'constant', constant: 'NULL' };
    case 'cast':
      if (['single_quote_string', 'number', 'bool'].includes(node.expr?.type)) return valueKind(node.expr, st, scope);
      break;
    case 'column_ref': {
      const m = columnOf(node);
      const other = m ? resolve(m, scope) : undefined;
      if (other === st) return undefined;
      // A column this block cannot resolve belongs to an outer query (a correlated
      // subquery): per outer row it is a fixed value, like a parameter.
      return other ? { kind: 'column' } : { kind: 'param' };
    }
  }
  if (readsTable(node, st, scope, 0)) return undefined;
  return { kind: 'expression' };
}

function readsTable(node: AstNode, st: ScopeTable, scope: Scope, depth: number): boolean {
  if (!node || typeof node !== 'object' || depth > 100) return false;
  if (node.type === 'column_ref') {
    const m = columnOf(node);
    return !!m && resolve(m, scope) === st;
  }
  if (node.ast) return false;
  for (const key of Object.keys(node)) {
    if (key !== 'loc' && node[key] && typeof node[key] === 'object' && readsTable(node[key], st, scope, depth + 1)) return true;
  }
  return false;
}

const FLIP: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '=': '=' };

function applyConditions(where: AstNode, scope: Scope, ctx: Context): void {
  if (!where) return;
  collectRefs(where, scope, ctx);
  for (const c of conjuncts(where)) applyConjunct(c, scope);
}

function applyConjunct(c: AstNode, scope: Scope): void {
  if (!c || c.type !== 'binary_expr') return;
  let op = String(c.operator).toUpperCase();
  const left = keyOf(c.left, scope);
  const right = keyOf(c.right, scope);
  if (op === '=' && left?.key.column && right?.key.column && left.st !== right.st) {
    addJoinKey(left.st, left.key.column);
    addJoinKey(right.st, right.key.column);
    return;
  }
  let hit: KeyHit | undefined;
  let other: AstNode;
  if (left) {
    hit = left;
    other = c.right;
  } else if (right && FLIP[op]) {
    hit = right;
    other = c.left;
    op = FLIP[op];
  } else return;
  const predicate = predicateFor(op, hit, other, scope);
  if (predicate && !hit.st.usage.predicates.some((p) => sameKey(p.key, predicate.key) && p.op === predicate.op)) {
    hit.st.usage.predicates.push(predicate);
  }
}

function predicateFor(op: string, hit: KeyHit, other: AstNode, scope: Scope): Predicate | undefined {
  const make = (pop: PredicateOp, v: { kind: Predicate['value']; constant?: string }): Predicate => ({
    key: hit.key,
    op: pop,
    value: v.kind,
    ...(v.constant !== undefined ? { constant: v.constant } : {}),
  });
  switch (op) {
    case '=': {
      const fn = other?.type === 'function' ? String(other.name?.name?.[0]?.value ?? '').toUpperCase() : '';
      if (fn === 'ANY') return make('in', { kind: 'param' });
      const v = valueKind(other, hit.st, scope);
      if (!v || v.kind === 'column') return undefined;
      return make('eq', v);
    }
    case 'IN': {
      const list: AstNode[] = other?.type === 'expr_list' ? other.value ?? [] : [];
      if (list.length === 1 && !list[0]?.ast) {
        const v = valueKind(list[0], hit.st, scope);
        return v && v.kind !== 'column' ? make('eq', v) : undefined;
      }
      if (list.some((x) => x && readsTable(x, hit.st, scope, 0))) return undefined;
      return make('in', { kind: list.every((x) => x?.type === 'var' || x?.type === 'origin') ? 'param' : 'constant' });
    }
    case 'IS':
      return other?.type === 'null' ? make('null', { kind: 'constant', constant: 'NULL' }) : undefined;
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const v = valueKind(other, hit.st, scope);
      if (!v || v.kind === 'column') return undefined;
      return make('range', v);
    }
    case 'BETWEEN': {
      const list: AstNode[] = other?.value ?? [];
      if (list.some((x) => readsTable(x, hit.st, scope, 0))) return undefined;
      return make('range', { kind: list.every((x) => x?.type === 'var' || x?.type === 'origin') ? 'param' : 'constant' });
    }
    default:
      return undefined;
  }
}

function applyUsing(from: AstNode, scope: Scope): void {
  for (const col of from.using as unknown[]) {
    const name = (typeof col === 'string' ? col : identifierName(col))?.toLowerCase();
    if (!name) continue;
    for (const st of scope.list) {
      if (st.table.columns.some((c) => c.name === name)) addJoinKey(st, name);
    }
  }
}

function addJoinKey(st: ScopeTable, column: string): void {
  if (!st.usage.joinKeys.includes(column)) st.usage.joinKeys.push(column);
}

/** Resolves an ORDER BY / GROUP BY item: a column, an expression, a select-list position or alias. */
function sortKeyOf(expr: AstNode, scope: Scope): KeyHit | undefined {
  if (expr?.type === 'number' && Number.isInteger(expr.value)) {
    const item = scope.selectList[Number(expr.value) - 1];
    return item ? keyOf(item.expr, scope) : undefined;
  }
  const direct = keyOf(expr, scope);
  if (direct) return direct;
  if (expr?.type === 'column_ref' && !expr.table) {
    const m = columnOf(expr);
    const aliased = m ? scope.outputs.get(m.column) : undefined;
    if (aliased) return keyOf(aliased, scope);
  }
  return undefined;
}

function applyOrderBy(orderby: AstNode[] | null | undefined, scope: Scope, ctx: Context): void {
  if (!Array.isArray(orderby) || orderby.length === 0) return;
  const keys: { hit: KeyHit; descending: boolean }[] = [];
  for (const item of orderby) {
    collectRefs(item?.expr, scope, ctx);
    const hit = sortKeyOf(item?.expr, scope);
    if (!hit) return;
    keys.push({ hit, descending: String(item?.type ?? '').toUpperCase() === 'DESC' });
  }
  // An index delivers the order only when every sort key comes from the same table.
  const st = keys[0].hit.st;
  if (keys.some((k) => k.hit.st !== st)) return;
  st.usage.orderBy = keys.map((k) => ({ key: k.hit.key, descending: k.descending }));
}

function applyGroupBy(groupby: AstNode, scope: Scope, ctx: Context): void {
  const items: AstNode[] = Array.isArray(groupby) ? groupby : Array.isArray(groupby?.columns) ? groupby.columns : [];
  if (items.length === 0) return;
  collectRefs(items, scope, ctx);
  const hits: KeyHit[] = [];
  for (const item of items) {
    const hit = sortKeyOf(item, scope);
    if (!hit) return;
    hits.push(hit);
  }
  const st = hits[0].st;
  if (hits.some((h) => h.st !== st)) return;
  st.usage.groupBy = hits.map((h) => h.key);
}

/** True when two index keys name the same column or the same expression. */
export function sameKey(a: IndexKey, b: IndexKey): boolean {
  if (a.column !== undefined || b.column !== undefined) return a.column === b.column;
  return a.expression !== undefined && a.expression === b.expression;
}
