/**
 * Predicate analysis: what one statement asks of each table it reads — equality and IN
 * predicates, range predicates, join keys, ORDER BY (with direction), GROUP BY, LIMIT, the
 * columns it reads, constant predicates (partial-index material) and expressions on columns.
 * Pure: works from the query model (`src/core/query/`) and the catalog only.
 */
import type { Dialect } from '../dialect';
import type { Expr, FromItem, OrderItem, QueryBlock, SelectItem } from '../query/model';
import { parseQuery } from '../query/parse';
import { conjuncts, walkExpr } from '../query/walk';
import { findColumn } from '../schema/catalog';
import type { Catalog, IndexKey, Table } from '../schema/types';
import { renderKeyExpression, type ColumnMention } from './expression';
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
  outputs: Map<string, Expr>;
  selectList: SelectItem[];
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
  const parsed = parseQuery(sql, dialect);
  if (!parsed.ok) {
    return { sql, ok: false, message: `could not parse the statement: ${parsed.message}`, tables: [], unknownTables: [] };
  }
  const st = parsed.statements[0];
  const type = st?.kind;
  if (!st?.root || (type !== 'select' && type !== 'update' && type !== 'delete')) {
    return { sql, ok: false, message: 'only SELECT, UPDATE and DELETE statements get index advice', tables: [], unknownTables: [] };
  }
  const ctx: Context = { catalog, usages: [], unknown: new Set(), cteNames: new Set(), depth: 0 };
  let limit: number | undefined;
  try {
    if (type === 'select') {
      analyzeSelect(st.root, ctx);
      limit = limitOf(st.root);
    } else {
      analyzeWrite(st.root, ctx);
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

/** LIMIT count when it is a literal (`LIMIT 10`, `FETCH FIRST 10 ROWS ONLY`, MySQL `LIMIT 5, 10`). */
function limitOf(block: QueryBlock): number | undefined {
  const l = block.limit;
  return l?.kind === 'literal' && l.type === 'number' ? Number(l.value) : undefined;
}

const MAX_DEPTH = 32;

/** Analyses the CTEs of a block (queries and data-modifying ones). */
function analyzeCtes(block: QueryBlock, ctx: Context): void {
  for (const cte of block.ctes) {
    ctx.cteNames.add(cte.name.toLowerCase());
    if (cte.query.kind === 'update' || cte.query.kind === 'delete') analyzeWrite(cte.query, ctx);
    else analyzeSelect(cte.query, ctx);
  }
}

/** Analyses a SELECT block, its CTEs, derived tables, subqueries and set-operation branches. */
function analyzeSelect(block: QueryBlock, ctx: Context): void {
  if (ctx.depth > MAX_DEPTH) return;
  ctx.depth++;
  try {
    analyzeCtes(block, ctx);
    if (block.kind === 'set') {
      for (const b of block.branches ?? []) analyzeSelect(b, ctx);
      return;
    }
    if (block.kind !== 'select') return;
    const scope = buildScope(block.from, ctx);
    scope.selectList = block.selectList;
    for (const item of block.selectList) {
      if (item.alias) scope.outputs.set(item.alias.toLowerCase(), item.expr);
      markSelectAll(item.expr, scope);
      collectRefs(item.expr, scope, ctx);
    }
    for (const from of block.from) {
      if (from.on) applyConditions(from.on, scope, ctx);
      if (from.using) applyUsing(from.using, scope);
    }
    applyConditions(block.where, scope, ctx);
    collectRefs(block.having, scope, ctx);
    applyGroupBy(block.groupBy, scope, ctx);
    applyOrderBy(block.orderBy, scope, ctx);
    finishScope(scope, ctx);
  } finally {
    ctx.depth--;
  }
}

/** UPDATE / DELETE: the target table's WHERE is what an index can serve. */
function analyzeWrite(block: QueryBlock, ctx: Context): void {
  analyzeCtes(block, ctx);
  const scope = buildScope(block.from, ctx);
  for (const s of block.set) collectRefs(s.value, scope, ctx);
  applyConditions(block.where, scope, ctx);
  finishScope(scope, ctx);
}

function buildScope(from: FromItem[], ctx: Context): Scope {
  const scope: Scope = { byName: new Map(), list: [], outputs: new Map(), selectList: [] };
  for (const item of from) {
    const r = item.relation;
    if (r.kind === 'subquery') {
      analyzeSelect(r.query, ctx);
      continue;
    }
    if (r.kind !== 'table') continue;
    const name = r.name.toLowerCase();
    if (ctx.cteNames.has(name) && !r.schema) continue;
    const table = lookupTable(ctx.catalog, r.name);
    if (!table) {
      ctx.unknown.add(r.schema ? `${r.schema}.${r.name}` : r.name);
      continue;
    }
    const alias = r.alias ? r.alias.toLowerCase() : undefined;
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

/** A column mention of an expression node. */
function mentionOf(node: Expr): ColumnMention | undefined {
  if (node.kind !== 'column') return undefined;
  return { column: node.column, ...(node.table ? { qualifier: node.table.toLowerCase() } : {}) };
}

/** Finds the scope table a column mention belongs to (by qualifier, or by unique column name). */
function resolve(m: ColumnMention, scope: Scope): ScopeTable | undefined {
  if (m.qualifier) return scope.byName.get(m.qualifier) ?? scope.byName.get(`\u0000${m.qualifier}`);
  const owners = scope.list.filter((st) => findColumn(st.table, m.column));
  return owners.length === 1 ? owners[0] : undefined;
}

/** The catalog's spelling of a mentioned column of a scope table, if it has it. */
function columnName(st: ScopeTable, m: ColumnMention): string | undefined {
  return findColumn(st.table, m.column)?.name;
}

function markSelectAll(expr: Expr, scope: Scope): void {
  if (expr.kind !== 'star') return;
  if (expr.table) {
    const st = scope.byName.get(expr.table.toLowerCase());
    if (st) st.usage.selectAll = true;
  } else {
    for (const st of scope.list) st.usage.selectAll = true;
  }
}

/** Records every column the expression reads; nested SELECTs are analysed as their own blocks. */
function collectRefs(node: Expr | undefined, scope: Scope, ctx: Context): void {
  walkExpr(node, (n) => {
    if (n.kind === 'subquery') {
      analyzeSelect(n.query, ctx);
      return false;
    }
    const m = mentionOf(n);
    if (m) {
      const st = resolve(m, scope);
      const name = st && columnName(st, m);
      if (st && name) st.refs.add(name);
    }
  });
}

/** An indexable key of one scope table: a column or an expression over its columns. */
interface KeyHit {
  st: ScopeTable;
  key: IndexKey;
}

function keyOf(node: Expr, scope: Scope): KeyHit | undefined {
  const m = mentionOf(node);
  if (m) {
    const st = resolve(m, scope);
    const name = st && columnName(st, m);
    return st && name ? { st, key: { column: name } } : undefined;
  }
  // Arithmetic on a column (`total / 100 > 5`) is better rewritten than indexed
  // (expression-on-column's fix), so only function calls and casts become expression keys.
  if (node.kind === 'function' || (node.kind === 'cast' && node.syntax !== 'typed-literal')) {
    const spell = (c: ColumnMention) => {
      const st = resolve(c, scope);
      return (st && columnName(st, c)) ?? c.column;
    };
    const r = renderKeyExpression(node, spell);
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
function valueKind(node: Expr, st: ScopeTable, scope: Scope): { kind: Predicate['value']; constant?: string } | undefined {
  switch (node.kind) {
    case 'param':
      return { kind: 'param' };
    case 'literal':
      if (node.type === 'string') return { kind: 'constant', constant: `'${node.value.replace(/'/g, "''")}'` };
      if (node.type === 'null') return { kind: 'constant', constant: 'NULL' };
      return { kind: 'constant', constant: node.value };
    case 'cast':
      // Constants are constants: `'…'::date`, `DATE '…'`, `$1::uuid`, `CAST($1 AS int)`.
      if (node.expr.kind === 'literal' || node.expr.kind === 'param') return valueKind(node.expr, st, scope);
      break;
    case 'column': {
      const m = mentionOf(node);
      const other = m ? resolve(m, scope) : undefined;
      if (other === st) return undefined;
      // A column this block cannot resolve belongs to an outer query (a correlated
      // subquery): per outer row it is a fixed value, like a parameter.
      return other ? { kind: 'column' } : { kind: 'param' };
    }
  }
  if (readsTable(node, st, scope)) return undefined;
  return { kind: 'expression' };
}

function isParamLike(e: Expr): boolean {
  return e.kind === 'param' || (e.kind === 'cast' && e.expr.kind === 'param');
}

function readsTable(node: Expr, st: ScopeTable, scope: Scope): boolean {
  let reads = false;
  walkExpr(node, (n) => {
    const m = mentionOf(n);
    if (m && resolve(m, scope) === st) reads = true;
    return !reads;
  });
  return reads;
}

const FLIP: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '=': '=' };

function applyConditions(where: Expr | undefined, scope: Scope, ctx: Context): void {
  if (!where) return;
  collectRefs(where, scope, ctx);
  for (const c of conjuncts(where)) applyConjunct(c, scope);
}

function applyConjunct(c: Expr, scope: Scope): void {
  if (c.kind !== 'comparison') return;
  let op: string = c.quantifier ? (c.quantifier === 'any' && c.op === '=' ? 'ANY' : '') : c.op;
  if (!op) return;
  const left = keyOf(c.left, scope);
  const right = keyOf(c.right, scope);
  if (op === '=' && left?.key.column && right?.key.column && left.st !== right.st) {
    addJoinKey(left.st, left.key.column);
    addJoinKey(right.st, right.key.column);
    return;
  }
  let hit: KeyHit | undefined;
  let other: Expr;
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

function predicateFor(op: string, hit: KeyHit, other: Expr, scope: Scope): Predicate | undefined {
  const make = (pop: PredicateOp, v: { kind: Predicate['value']; constant?: string }): Predicate => ({
    key: hit.key,
    op: pop,
    value: v.kind,
    ...(v.constant !== undefined ? { constant: v.constant } : {}),
  });
  switch (op) {
    case 'ANY':
      return make('in', { kind: 'param' });
    case '=': {
      const v = valueKind(other, hit.st, scope);
      if (!v || v.kind === 'column') return undefined;
      return make('eq', v);
    }
    case 'IN': {
      if (other.kind === 'subquery') return make('in', { kind: 'constant' });
      const list: Expr[] = other.kind === 'list' ? other.items : [];
      if (list.length === 1) {
        const v = valueKind(list[0], hit.st, scope);
        return v && v.kind !== 'column' ? make('eq', v) : undefined;
      }
      if (list.some((x) => readsTable(x, hit.st, scope))) return undefined;
      return make('in', { kind: list.length > 0 && list.every(isParamLike) ? 'param' : 'constant' });
    }
    case 'IS':
      return other.kind === 'literal' && other.type === 'null' ? make('null', { kind: 'constant', constant: 'NULL' }) : undefined;
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const v = valueKind(other, hit.st, scope);
      if (!v || v.kind === 'column') return undefined;
      return make('range', v);
    }
    case 'BETWEEN': {
      const list: Expr[] = other.kind === 'list' ? other.items : [];
      if (list.some((x) => readsTable(x, hit.st, scope))) return undefined;
      return make('range', { kind: list.length > 0 && list.every(isParamLike) ? 'param' : 'constant' });
    }
    default:
      return undefined;
  }
}

function applyUsing(using: string[], scope: Scope): void {
  for (const col of using) {
    const name = col.toLowerCase();
    for (const st of scope.list) {
      const c = findColumn(st.table, name);
      if (c) addJoinKey(st, c.name);
    }
  }
}

function addJoinKey(st: ScopeTable, column: string): void {
  if (!st.usage.joinKeys.includes(column)) st.usage.joinKeys.push(column);
}

/** Resolves an ORDER BY / GROUP BY item: a column, an expression, a select-list position or alias. */
function sortKeyOf(expr: Expr, scope: Scope): KeyHit | undefined {
  if (expr.kind === 'literal' && expr.type === 'number' && /^\d+$/.test(expr.value)) {
    const item = scope.selectList[Number(expr.value) - 1];
    return item ? keyOf(item.expr, scope) : undefined;
  }
  const direct = keyOf(expr, scope);
  if (direct) return direct;
  if (expr.kind === 'column' && !expr.table) {
    const aliased = scope.outputs.get(expr.column.toLowerCase());
    if (aliased) return keyOf(aliased, scope);
  }
  return undefined;
}

function applyOrderBy(orderby: OrderItem[], scope: Scope, ctx: Context): void {
  if (orderby.length === 0) return;
  const keys: { hit: KeyHit; descending: boolean }[] = [];
  for (const item of orderby) {
    collectRefs(item.expr, scope, ctx);
    const hit = sortKeyOf(item.expr, scope);
    if (!hit) return;
    keys.push({ hit, descending: item.direction === 'desc' });
  }
  // An index delivers the order only when every sort key comes from the same table.
  const st = keys[0].hit.st;
  if (keys.some((k) => k.hit.st !== st)) return;
  st.usage.orderBy = keys.map((k) => ({ key: k.hit.key, descending: k.descending }));
}

function applyGroupBy(items: Expr[], scope: Scope, ctx: Context): void {
  if (items.length === 0) return;
  for (const item of items) collectRefs(item, scope, ctx);
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
