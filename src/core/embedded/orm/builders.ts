/**
 * Query-builder chains → query models: Knex (`knex('users').where('email', e).first()`),
 * Kysely (`db.selectFrom('users').select(['id']).where('email', '=', e).execute()`) and Drizzle
 * (`db.select().from(users).where(eq(users.email, e)).limit(1)`, `db.query.users.findMany`).
 * Only executed chains count (awaited, returned, then-ed): a chain still being built may get
 * more filters later. A link we do not understand (a callback filter, a join, raw SQL) leaves
 * the chain out.
 */
import ts = require('typescript');
import { findTable } from '../../schema/catalog';
import { chain, type Link } from '../../schema/orm/tsValues';
import type { Catalog, Table } from '../../schema/types';
import { isDbReceiverName } from '../apis';
import { isExecuted } from '../calls';
import { unwrap } from '../source';
import type { Cond, OrderItem, QueryModel } from './model';
import { isNullLiteral, listLength, patternOperand, SQL_OPERATORS } from './operands';
import { NotStatic } from './rendered';

const KYSELY_STARTS = new Set(['selectFrom', 'updateTable', 'deleteFrom']);
const EXECUTORS = new Set(['execute', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'then', 'first']);

function fail(): never {
  throw new NotStatic();
}

/** Every executed builder chain in a file, as query models. */
export function builderModels(sf: ts.SourceFile, catalog: Catalog): QueryModel[] {
  const out: QueryModel[] = [];
  const drizzleTables = new Map<string, Table>();
  for (const t of catalog.tables.values()) if (t.origin === 'drizzle' && t.model) drizzleTables.set(t.model, t);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && !isInner(node)) {
      try {
        const m = readChain(node, sf, catalog, drizzleTables);
        if (m) out.push(m);
      } catch (err) {
        if (!(err instanceof NotStatic)) throw err;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function isInner(call: ts.CallExpression): boolean {
  const p = call.parent;
  return !!p && ts.isPropertyAccessExpression(p) && p.expression === call && !!p.parent && ts.isCallExpression(p.parent);
}

function readChain(call: ts.CallExpression, sf: ts.SourceFile, catalog: Catalog, drizzle: Map<string, Table>): QueryModel | undefined {
  const { base, links } = chain(call);
  if (links.length < 2 && !(links[0] && links[0].name === 'findMany')) return undefined;
  const last = links[links.length - 1];
  if (!isExecuted(call) && !EXECUTORS.has(last.name)) return undefined;
  const b = unwrap(base);
  const first = links[0];
  const owner = ts.isPropertyAccessExpression(b) ? unwrap(b.expression) : b;
  const ownerName = ts.isIdentifier(owner) ? owner.text : ts.isPropertyAccessExpression(owner) ? owner.name.text : undefined;
  const range = { label: '', start: call.getStart(sf), end: call.getEnd() };
  if (KYSELY_STARTS.has(first.name) && ts.isPropertyAccessExpression(b) && isDbReceiverName(ownerName)) return withLabel(kysely(links, sf, catalog, range));
  // db.query.users.findMany({…}): the base is `db.query.users.findMany`.
  const relational = (first.name === 'findMany' || first.name === 'findFirst') && ts.isPropertyAccessExpression(b) && ts.isPropertyAccessExpression(unwrap(b.expression)) ? (unwrap(b.expression) as ts.PropertyAccessExpression) : undefined;
  if (drizzle.size && relational && ts.isPropertyAccessExpression(unwrap(relational.expression)) && (unwrap(relational.expression) as ts.PropertyAccessExpression).name.text === 'query') {
    return withLabel(drizzleChain(links, relational, sf, drizzle, range));
  }
  if (drizzle.size && ts.isPropertyAccessExpression(b) && isDbReceiverName(ownerName)) {
    const d = drizzleChain(links, b, sf, drizzle, range);
    if (d) return withLabel(d);
  }
  // Knex: `knex('users')…`, `db('users')…`, `knex.from('users')…`, `knex.select(…).from('users')…`.
  if (ts.isIdentifier(b) && (b.text === 'knex' || isDbReceiverName(b.text)) && ts.isStringLiteralLike(first.args[0] ?? ({} as ts.Expression))) return withLabel(knex(links, sf, catalog, range));
  if (ts.isPropertyAccessExpression(b) && (ownerName === 'knex' || isDbReceiverName(ownerName)) && /^(from|table|select)$/.test(first.name) && links.some((l) => l.name === 'from' || l.name === 'table') && links.every((l) => !KYSELY_STARTS.has(l.name)) && ts.isStringLiteralLike(links.find((l) => l.name === 'from' || l.name === 'table')!.args[0] ?? ({} as ts.Expression))) {
    return withLabel(knex(links, sf, catalog, range));
  }
  return undefined;
}

type Range = { label: string; start: number; end: number };

/** "knex query on books": how a builder call reads in messages. */
function withLabel(m: QueryModel | undefined): QueryModel | undefined {
  if (m) m.label = `${m.source} ${m.kind === 'select' || m.kind === 'count' ? 'query' : m.kind} on ${m.table.name}`;
  return m;
}

/** A table written as a string (`'users'`, `'users as u'`). */
function tableOf(name: string, catalog: Catalog): { table: Table; alias?: string } {
  const m = /^\s*([\w."]+)(?:\s+(?:as\s+)?(\w+))?\s*$/i.exec(name) ?? fail();
  const table = findTable(catalog, m[1]) ?? fail();
  return { table, alias: m[2] };
}

/** A column written as a string (`'email'`, `'u.email'`, `'users.email'`) that belongs to the table. */
function columnOf(name: string, t: { table: Table; alias?: string }): string {
  const parts = name.split('.');
  if (parts.length > 2) fail();
  if (parts.length === 2 && parts[0] !== t.alias && parts[0].toLowerCase() !== t.table.name.toLowerCase()) fail();
  const col = parts[parts.length - 1];
  const real = t.table.columns.find((c) => c.name === col) ?? t.table.columns.find((c) => c.name.toLowerCase() === col.toLowerCase()) ?? fail();
  return real.name;
}

function stringArg(e: ts.Expression | undefined): string {
  const n = e && unwrap(e);
  return n && ts.isStringLiteralLike(n) ? n.text : fail();
}

/** The file range of one link of a chain: `where('a', x)`, without the receiver before it. */
function linkRange(l: Link, sf: ts.SourceFile): { start: number; end: number } {
  const callee = unwrap(l.node.expression);
  return { start: ts.isPropertyAccessExpression(callee) ? callee.name.getStart(sf) : l.node.getStart(sf), end: l.node.getEnd() };
}

function nodeRange(n: ts.Node, sf: ts.SourceFile): { start: number; end: number } {
  return { start: n.getStart(sf), end: n.getEnd() };
}

function cmp(column: string, op: string, value: ts.Expression | undefined, at: { start: number; end: number }, words?: string): Cond {
  const o = op.toLowerCase();
  const { start, end } = at;
  if (!SQL_OPERATORS.has(o)) fail();
  if (o === 'in' || o === 'not in') return { kind: 'in', column, count: listLength(value), not: o === 'not in', start, end };
  if (isNullLiteral(value)) return { kind: 'cmp', column, op: o === 'is not' || o === '<>' || o === '!=' ? '<>' : '=', value: { kind: 'null' }, start, end };
  const like = o.includes('like');
  return { kind: 'cmp', column, op: o.toUpperCase(), value: like ? patternOperand(value) : { kind: 'param' }, start, end, ...(words ? { words } : {}) };
}

/** Knex builder methods → the query model. */
function knex(links: Link[], sf: ts.SourceFile, catalog: Catalog, range: Range): QueryModel {
  const fromLink = links.find((l) => l.name === 'from' || l.name === 'table') ?? links[0];
  const t = tableOf(stringArg(fromLink.args[0]), catalog);
  const m: QueryModel = { source: 'knex', kind: 'select', table: t.table, alias: t.alias, star: true, where: [], order: [], ...range };
  for (const l of links) {
    if (l === fromLink) continue;
    const a = l.args;
    switch (l.name) {
      case 'select':
      case 'column':
      case 'columns':
        if (a.length) m.columns = a.flatMap((x) => (ts.isArrayLiteralExpression(unwrap(x)) ? [...(unwrap(x) as ts.ArrayLiteralExpression).elements] : [x])).map((x) => columnOf(stringArg(x), t));
        break;
      case 'first':
        if (a.length) m.columns = a.map((x) => columnOf(stringArg(x), t));
        m.limit = 'one';
        break;
      case 'where':
      case 'andWhere': {
        const o = unwrap(a[0] ?? fail());
        if (ts.isObjectLiteralExpression(o)) {
          for (const p of o.properties) {
            if (!ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p)) fail();
            const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : fail();
            const value = ts.isPropertyAssignment(p) ? p.initializer : undefined;
            m.where.push(cmp(columnOf(name, t), '=', value, nodeRange(p, sf)));
          }
        } else if (a.length === 2) m.where.push(cmp(columnOf(stringArg(a[0]), t), '=', a[1], linkRange(l, sf)));
        else if (a.length === 3) m.where.push(cmp(columnOf(stringArg(a[0]), t), stringArg(a[1]), a[2], linkRange(l, sf)));
        else fail();
        break;
      }
      case 'whereIn':
      case 'whereNotIn':
        m.where.push({ kind: 'in', column: columnOf(stringArg(a[0]), t), count: listLength(a[1]), not: l.name === 'whereNotIn', ...linkRange(l, sf) });
        break;
      case 'whereNull':
      case 'whereNotNull':
        m.where.push({ kind: 'cmp', column: columnOf(stringArg(a[0]), t), op: l.name === 'whereNull' ? '=' : '<>', value: { kind: 'null' }, ...linkRange(l, sf) });
        break;
      case 'whereBetween':
        m.where.push({ kind: 'between', column: columnOf(stringArg(a[0]), t), ...linkRange(l, sf) });
        break;
      case 'whereLike':
      case 'whereILike':
        m.where.push(cmp(columnOf(stringArg(a[0]), t), l.name === 'whereLike' ? 'like' : 'ilike', a[1], linkRange(l, sf)));
        break;
      case 'orderBy':
        m.order.push(...orderItems(a, t, l, sf));
        break;
      case 'limit':
        m.limit = { start: a[0]?.getStart(sf) ?? l.node.getStart(sf), end: a[0]?.getEnd() ?? l.node.getEnd() };
        break;
      case 'offset':
        m.offset = { start: a[0]?.getStart(sf) ?? l.node.getStart(sf), end: a[0]?.getEnd() ?? l.node.getEnd() };
        break;
      case 'count':
        m.kind = 'count';
        break;
      case 'update': {
        const o = unwrap(a[0] ?? fail());
        if (!ts.isObjectLiteralExpression(o)) fail();
        m.kind = 'update';
        m.set = o.properties.map((p) => columnOf(p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : fail(), t));
        break;
      }
      case 'del':
      case 'delete':
        m.kind = 'delete';
        break;
      case 'then':
      case 'catch':
      case 'finally':
      case 'returning':
      case 'timeout':
      case 'transacting':
        break;
      default:
        fail();
    }
  }
  return m;
}

function orderItems(a: ts.NodeArray<ts.Expression>, t: { table: Table; alias?: string }, l: Link, sf: ts.SourceFile): OrderItem[] {
  const { start, end } = linkRange(l, sf);
  const dir = a[1] ? stringArg(a[1]).toLowerCase() : 'asc';
  return [{ column: columnOf(stringArg(a[0]), t), descending: dir === 'desc', start, end }];
}

/** Kysely builder methods → the query model. */
function kysely(links: Link[], sf: ts.SourceFile, catalog: Catalog, range: Range): QueryModel {
  const [head, ...rest] = links;
  const t = tableOf(stringArg(head.args[0]), catalog);
  const kind = head.name === 'selectFrom' ? 'select' : head.name === 'updateTable' ? 'update' : 'delete';
  const m: QueryModel = { source: 'kysely', kind, table: t.table, alias: t.alias, columns: [], where: [], order: [], ...range };
  for (const l of rest) {
    const a = l.args;
    switch (l.name) {
      case 'select': {
        const x = unwrap(a[0] ?? fail());
        const items = ts.isArrayLiteralExpression(x) ? [...x.elements] : [...a];
        m.columns!.push(...items.map((e) => columnOf(stringArg(e).replace(/\s+as\s+\w+$/i, ''), t)));
        break;
      }
      case 'selectAll':
        m.columns = undefined;
        m.star = true;
        break;
      case 'where':
        if (a.length !== 3) fail();
        m.where.push(cmp(columnOf(stringArg(a[0]), t), stringArg(a[1]), a[2], linkRange(l, sf)));
        break;
      case 'orderBy':
        m.order.push(...orderItems(a, t, l, sf));
        break;
      case 'limit':
        m.limit = { start: a[0]?.getStart(sf) ?? l.node.getStart(sf), end: a[0]?.getEnd() ?? l.node.getEnd() };
        break;
      case 'offset':
        m.offset = { start: a[0]?.getStart(sf) ?? l.node.getStart(sf), end: a[0]?.getEnd() ?? l.node.getEnd() };
        break;
      case 'set': {
        const o = unwrap(a[0] ?? fail());
        if (!ts.isObjectLiteralExpression(o)) fail();
        m.set = o.properties.map((p) => columnOf(p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : fail(), t));
        break;
      }
      case 'execute':
      case 'executeTakeFirst':
      case 'executeTakeFirstOrThrow':
      case 'returning':
      case 'returningAll':
        break;
      default:
        fail();
    }
  }
  if (m.kind === 'select' && m.columns && !m.columns.length) fail();
  if (m.kind === 'update' && !m.set?.length) fail();
  return m;
}

/** Drizzle: `db.select(…).from(t)…`, `db.update(t).set(…)…`, `db.delete(t)…`, `db.query.t.findMany/findFirst({…})`. */
function drizzleChain(links: Link[], b: ts.PropertyAccessExpression, sf: ts.SourceFile, tables: Map<string, Table>, range: Range): QueryModel | undefined {
  const head = links[0];
  // db.query.users.findMany({ where, orderBy, limit, offset, columns })
  if ((head.name === 'findMany' || head.name === 'findFirst') && ts.isPropertyAccessExpression(unwrap(b.expression)) && (unwrap(b.expression) as ts.PropertyAccessExpression).name.text === 'query') {
    const table = tables.get(b.name.text) ?? tables.get(tableVarOf(b.name.text, tables) ?? '') ?? fail();
    const m: QueryModel = { source: 'drizzle', kind: 'select', table, where: [], order: [], ...range, ...(head.name === 'findFirst' ? { limit: 'one' as const } : {}) };
    const o = head.args[0] && unwrap(head.args[0]);
    if (o) {
      if (!ts.isObjectLiteralExpression(o)) fail();
      for (const p of o.properties) {
        if (!ts.isPropertyAssignment(p)) fail();
        const key = p.name.getText(sf);
        if (key === 'where') m.where.push(drizzleCond(p.initializer, sf, tables, table));
        else if (key === 'orderBy') m.order.push(...drizzleOrder(p.initializer, sf, tables, table));
        else if (key === 'limit') m.limit = { start: p.initializer.getStart(sf), end: p.initializer.getEnd() };
        else if (key === 'offset') m.offset = { start: p.initializer.getStart(sf), end: p.initializer.getEnd() };
        else if (key !== 'columns' && key !== 'with') fail();
      }
    }
    return m;
  }
  if (!/^(select|selectDistinct|update|delete)$/.test(head.name)) return undefined;
  let m: QueryModel | undefined;
  const tableArg = (e: ts.Expression | undefined) => {
    const n = e && unwrap(e);
    return n && ts.isIdentifier(n) ? tables.get(n.text) : undefined;
  };
  if (head.name === 'update' || head.name === 'delete') {
    const table = tableArg(head.args[0]);
    if (!table) return undefined;
    m = { source: 'drizzle', kind: head.name, table, where: [], order: [], ...range };
  }
  for (const l of links.slice(1)) {
    switch (l.name) {
      case 'from': {
        const table = tableArg(l.args[0]);
        if (!table) return undefined;
        m = { source: 'drizzle', kind: 'select', table, where: [], order: [], ...range };
        const sel = head.args[0] && unwrap(head.args[0]);
        if (sel && ts.isObjectLiteralExpression(sel)) m.columns = sel.properties.map((p) => (ts.isPropertyAssignment(p) ? drizzleColumn(p.initializer, tables, table) ?? fail() : fail()));
        break;
      }
      case 'where':
        if (!m) fail();
        m.where.push(drizzleCond(l.args[0] ?? fail(), sf, tables, m.table));
        break;
      case 'orderBy':
        if (!m) fail();
        for (const a of l.args) m.order.push(...drizzleOrder(a, sf, tables, m.table));
        break;
      case 'limit':
        if (!m) fail();
        m.limit = { start: l.args[0]?.getStart(sf) ?? l.node.getStart(sf), end: l.args[0]?.getEnd() ?? l.node.getEnd() };
        break;
      case 'offset':
        if (!m) fail();
        m.offset = { start: l.args[0]?.getStart(sf) ?? l.node.getStart(sf), end: l.args[0]?.getEnd() ?? l.node.getEnd() };
        break;
      case 'set': {
        if (!m) fail();
        const o = unwrap(l.args[0] ?? fail());
        if (!ts.isObjectLiteralExpression(o)) fail();
        const table = m.table;
        m.set = o.properties.map((p) => table.columns.find((c) => (c.field ?? c.name) === p.name?.getText(sf))?.name ?? fail());
        break;
      }
      case 'execute':
      case 'then':
      case 'returning':
      case 'prepare':
        break;
      default:
        fail();
    }
  }
  return m;
}

function tableVarOf(name: string, tables: Map<string, Table>): string | undefined {
  for (const [v, t] of tables) if (t.name === name) return v;
  return undefined;
}

/** `users.email` → the column, when `users` is this table's variable. */
function drizzleColumn(e: ts.Expression, tables: Map<string, Table>, table: Table): string | undefined {
  const n = unwrap(e);
  if (!ts.isPropertyAccessExpression(n) || !ts.isIdentifier(n.expression)) return undefined;
  if (tables.get(n.expression.text) !== table) return undefined;
  return table.columns.find((c) => (c.field ?? c.name) === n.name.text)?.name;
}

const DRIZZLE_CMP: Record<string, string> = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'LIKE', ilike: 'ILIKE', notLike: 'NOT LIKE', notIlike: 'NOT ILIKE' };

/** `and(eq(users.a, x), gt(users.b, y))` → conditions. */
function drizzleCond(e: ts.Expression, sf: ts.SourceFile, tables: Map<string, Table>, table: Table): Cond {
  const n = unwrap(e);
  if (!ts.isCallExpression(n) || !ts.isIdentifier(n.expression)) fail();
  const fn = n.expression.text;
  const start = n.getStart(sf);
  const end = n.getEnd();
  if (fn === 'and' || fn === 'or' || fn === 'not') {
    return { kind: 'group', op: fn === 'and' ? 'AND' : fn === 'or' ? 'OR' : 'NOT', items: n.arguments.map((a) => drizzleCond(a, sf, tables, table)), start, end };
  }
  const column = drizzleColumn(n.arguments[0] ?? fail(), tables, table) ?? fail();
  if (fn in DRIZZLE_CMP) {
    const op = DRIZZLE_CMP[fn];
    const value = /LIKE/.test(op) ? patternOperand(n.arguments[1]) : { kind: 'param' as const };
    return { kind: 'cmp', column, op, value, start, end, ...(/LIKE/.test(op) ? { words: `\`${fn}()\` becomes \`${op} …\`` } : {}) };
  }
  if (fn === 'inArray' || fn === 'notInArray') return { kind: 'in', column, count: listLength(n.arguments[1]), not: fn === 'notInArray', start, end };
  if (fn === 'isNull' || fn === 'isNotNull') return { kind: 'cmp', column, op: fn === 'isNull' ? '=' : '<>', value: { kind: 'null' }, start, end };
  if (fn === 'between') return { kind: 'between', column, start, end };
  fail();
}

function drizzleOrder(e: ts.Expression, sf: ts.SourceFile, tables: Map<string, Table>, table: Table): OrderItem[] {
  const n = unwrap(e);
  const items = ts.isArrayLiteralExpression(n) ? [...n.elements] : [n];
  return items.map((x) => {
    const u = unwrap(x);
    let descending = false;
    let target: ts.Expression = u;
    if (ts.isCallExpression(u) && ts.isIdentifier(u.expression) && (u.expression.text === 'desc' || u.expression.text === 'asc')) {
      descending = u.expression.text === 'desc';
      target = u.arguments[0] ?? fail();
    }
    return { column: drizzleColumn(target, tables, table) ?? fail(), descending, start: u.getStart(sf), end: u.getEnd() };
  });
}
