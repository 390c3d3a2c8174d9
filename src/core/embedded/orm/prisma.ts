/**
 * Prisma Client calls → the SQL Prisma sends for them on PostgreSQL: `prisma.order.findMany({
 * where, orderBy, take, skip, cursor, select })` and the other model operations, with Prisma's
 * quoting (`"public"."Order"."customerId"`), its column lists and `$n` parameters.
 * A call is recognised only when its model accessor names a model of a Prisma schema in the
 * catalog; any part that is not statically known (a spread, a computed key, an unsupported
 * filter) leaves the whole call out rather than render a different query.
 */
import ts = require('typescript');
import type { Catalog, Column, OrmRelation, Table } from '../../schema/types';
import { resolveConst, unwrap } from '../source';
import { NotStatic, SqlWriter, type OrmQuery } from './rendered';

const READS = new Set(['findMany', 'findFirst', 'findFirstOrThrow', 'findUnique', 'findUniqueOrThrow', 'upsert']);
const OPERATIONS = new Set([...READS, 'count', 'aggregate', 'groupBy', 'update', 'updateMany', 'delete', 'deleteMany']);
/** Filter operators on a scalar field, and the SQL they become. */
const COMPARE: Record<string, string> = { equals: '=', lt: '<', lte: '<=', gt: '>', gte: '>=' };
const LIKE_OPS: Record<string, { before: string; after: string; words: string }> = {
  // Parenthesised: the advisor's parser reads `LIKE ('%' || $1)` but not `ILIKE '%' || $1`.
  contains: { before: "('%' || ", after: " || '%')", words: "'%…%'" },
  startsWith: { before: '(', after: " || '%')", words: "'…%'" },
  endsWith: { before: "('%' || ", after: ')', words: "'%…'" },
};

/** Prisma models of the catalog by client accessor (`orderItem` for model `OrderItem`). */
export function prismaModels(catalog: Catalog): Map<string, Table> {
  const out = new Map<string, Table>();
  for (const t of catalog.tables.values()) {
    if (t.origin === 'prisma' && t.model) out.set(t.model[0].toLowerCase() + t.model.slice(1), t);
  }
  return out;
}

/** Every Prisma model operation in a source file, rendered to SQL. */
export function prismaQueries(sf: ts.SourceFile, catalog: Catalog): OrmQuery[] {
  const models = prismaModels(catalog);
  if (models.size === 0) return [];
  const byModel = new Map([...catalog.tables.values()].filter((t) => t.model).map((t) => [t.model!, t]));
  const out: OrmQuery[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const op = node.expression.name.text;
      const receiver = unwrap(node.expression.expression);
      if (OPERATIONS.has(op) && ts.isPropertyAccessExpression(receiver)) {
        const table = models.get(receiver.name.text);
        if (table) {
          try {
            out.push(renderCall(node, op, table, byModel, sf, `${receiver.getText(sf).replace(/\s+/g, '')}.${op}`));
          } catch (err) {
            if (!(err instanceof NotStatic)) throw err;
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Renders one model operation. Throws NotStatic when the call is not statically known. */
function renderCall(call: ts.CallExpression, op: string, table: Table, byModel: Map<string, Table>, sf: ts.SourceFile, label: string): OrmQuery {
  const args = call.arguments[0] ? objectOf(call.arguments[0]) : undefined;
  if (call.arguments[0] && !args) throw new NotStatic();
  const prop = (name: string): ts.Expression | undefined => {
    const p = args?.properties.find((x) => propName(x) === name);
    if (!p) return undefined;
    // `{ where, take }`: the variable's `const` initializer is read through `objectOf`.
    if (ts.isShorthandPropertyAssignment(p)) return p.name;
    return ts.isPropertyAssignment(p) ? p.initializer : undefined;
  };
  if (args?.properties.some((p) => ts.isSpreadAssignment(p) || propName(p) === undefined)) throw new NotStatic();
  const w = new SqlWriter();
  const ctx: Ctx = { w, sf, byModel, aliases: 0 };
  const t = qualified(table);
  const whereNode = prop('where');
  const where = whereNode ? objectOf(whereNode) : undefined;
  if (whereNode && !where) throw new NotStatic();
  const writeWhere = (alias: string, extra?: () => void): void => {
    const has = where && where.properties.length > 0;
    if (!has && !extra) return;
    w.add(' WHERE ');
    if (has) conditions(where!, table, alias, ctx);
    if (extra) {
      if (has) w.add(' AND ');
      extra();
    }
  };
  const tables = [table.name];
  if (op === 'update' || op === 'updateMany') {
    const data = prop('data');
    const dataObj = data ? objectOf(data) : undefined;
    const sets = dataObj ? dataObj.properties.filter((p) => ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)).map((p) => ({ p, col: scalar(table, propName(p) ?? '') })).filter((x) => x.col) : [];
    if (!sets.length) throw new NotStatic();
    w.add(`UPDATE ${t} SET `);
    sets.forEach((s, i) => {
      if (i) w.add(', ');
      w.from(s.p.getStart(sf), s.p.getEnd(), () => w.add(`${quote(s.col!.name)} = `).param());
    });
    writeWhere(t);
  } else if (op === 'delete' || op === 'deleteMany') {
    w.add(`DELETE FROM ${t}`);
    writeWhere(t);
  } else if (op === 'count' || op === 'aggregate') {
    w.add(`SELECT COUNT(*) FROM (SELECT ${t}.${quote(table.primaryKey[0] ?? table.columns[0]?.name ?? 'id')} FROM ${t}`);
    writeWhere(t, cursorWriter(prop('cursor'), prop('orderBy'), table, t, ctx));
    orderBy(prop('orderBy'), table, t, ctx);
    paging(prop('take'), prop('skip'), false, ctx);
    w.add(') AS "sub"');
  } else if (op === 'groupBy') {
    const by = prop('by');
    const fields = by ? stringList(by) : undefined;
    if (!fields?.length) throw new NotStatic();
    const cols = fields.map((f) => scalar(table, f) ?? fail());
    const list = cols.map((c) => `${t}.${quote(c.name)}`).join(', ');
    w.add(`SELECT ${list}, COUNT(*) FROM ${t}`);
    writeWhere(t);
    w.add(` GROUP BY ${list}`);
    orderBy(prop('orderBy'), table, t, ctx);
    paging(prop('take'), prop('skip'), false, ctx);
  } else {
    w.add(`SELECT ${selectList(prop('select'), table, t)} FROM ${t}`);
    if (op === 'upsert') writeWhere(t);
    else {
      writeWhere(t, cursorWriter(prop('cursor'), prop('orderBy'), table, t, ctx));
      orderBy(prop('orderBy'), table, t, ctx);
      paging(prop('take'), prop('skip'), op !== 'findMany', ctx);
    }
  }
  return { source: 'prisma', sql: w.text, start: call.getStart(sf), end: call.getEnd(), label, tables: [...new Set([...tables, ...ctx.w.spans.map((s) => s.table!).filter(Boolean)])], spans: w.spans };
}

interface Ctx {
  w: SqlWriter;
  sf: ts.SourceFile;
  byModel: Map<string, Table>;
  aliases: number;
}

function fail(): never {
  throw new NotStatic();
}

/** `"public"."Order"`: Prisma always qualifies with the schema. */
function qualified(t: Table): string {
  return `${quote(t.schema ?? 'public')}.${quote(t.name)}`;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The column behind a scalar field name (`@map` aware). */
function scalar(t: Table, field: string): Column | undefined {
  return t.columns.find((c) => (c.field ?? c.name) === field);
}

function relation(t: Table, field: string): OrmRelation | undefined {
  return t.relations?.find((r) => r.field === field);
}

/** The object literal an expression is, directly or through a `const`. */
function objectOf(e: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const u = unwrap(e);
  if (ts.isObjectLiteralExpression(u)) return u;
  if (ts.isIdentifier(u)) {
    const init = resolveConst(u.text, u);
    return init && ts.isObjectLiteralExpression(unwrap(init)) ? (unwrap(init) as ts.ObjectLiteralExpression) : undefined;
  }
  return undefined;
}

function propName(p: ts.ObjectLiteralElementLike): string | undefined {
  const n = p.name;
  if (!n) return undefined;
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return n.text;
  return undefined;
}

function stringList(e: ts.Expression): string[] | undefined {
  const u = unwrap(e);
  if (ts.isStringLiteralLike(u)) return [u.text];
  if (ts.isArrayLiteralExpression(u) && u.elements.every((x) => ts.isStringLiteralLike(x))) return u.elements.map((x) => (x as ts.StringLiteral).text);
  return undefined;
}

/** All scalar columns, or those `select` names (`{ id: true, email: true }`). */
function selectList(select: ts.Expression | undefined, table: Table, t: string): string {
  let cols = table.columns;
  const obj = select ? objectOf(select) : undefined;
  if (select && !obj) throw new NotStatic();
  if (obj) {
    const picked = obj.properties.map((p) => scalar(table, propName(p) ?? '')).filter((c): c is Column => !!c);
    // Relations in `select` are fetched by separate queries; the main query still needs its keys.
    if (picked.length) cols = picked;
  }
  return cols.map((c) => `${t}.${quote(c.name)}`).join(', ');
}

/** Writes `(c1 AND c2 …)` for a `where` object; `1=1` when it holds nothing. */
function conditions(where: ts.ObjectLiteralExpression, table: Table, alias: string, ctx: Ctx): void {
  const { w } = ctx;
  const parts = where.properties;
  if (parts.some((p) => ts.isSpreadAssignment(p) || propName(p) === undefined)) throw new NotStatic();
  const live = parts.filter((p) => !(ts.isPropertyAssignment(p) && isUndefined(p.initializer)));
  if (!live.length) {
    w.add('1=1');
    return;
  }
  w.add('(');
  live.forEach((p, i) => {
    if (i) w.add(' AND ');
    condition(p, table, alias, ctx);
  });
  w.add(')');
}

function isUndefined(e: ts.Expression): boolean {
  const u = unwrap(e);
  return ts.isIdentifier(u) && u.text === 'undefined';
}

function isNull(e: ts.Expression): boolean {
  return unwrap(e).kind === ts.SyntaxKind.NullKeyword;
}

/** One property of a `where` object. */
function condition(p: ts.ObjectLiteralElementLike, table: Table, alias: string, ctx: Ctx): void {
  const { w, sf } = ctx;
  const name = propName(p)!;
  const start = p.getStart(sf);
  const end = p.getEnd();
  if (ts.isShorthandPropertyAssignment(p)) {
    const col = scalar(table, name) ?? fail();
    w.from(start, end, () => w.add(`${alias}.${quote(col.name)} = `).param(), { table: table.name, column: col.name, op: name });
    return;
  }
  if (!ts.isPropertyAssignment(p)) throw new NotStatic();
  const value = p.initializer;
  if (name === 'AND' || name === 'OR' || name === 'NOT') {
    const u = unwrap(value);
    const items = ts.isArrayLiteralExpression(u) ? u.elements.map((e) => objectOf(e) ?? fail()) : [objectOf(u) ?? fail()];
    w.from(start, end, () => {
      if (name === 'NOT') w.add('NOT ');
      w.add('(');
      items.forEach((o, i) => {
        if (i) w.add(name === 'OR' ? ' OR ' : ' AND ');
        conditions(o, table, alias, ctx);
      });
      if (!items.length) w.add(name === 'OR' ? '1=0' : '1=1');
      w.add(')');
    });
    return;
  }
  const col = scalar(table, name);
  if (col) {
    w.from(start, end, () => fieldFilter(value, col, table, alias, ctx), { table: table.name, column: col.name });
    return;
  }
  const rel = relation(table, name);
  if (rel) {
    w.from(start, end, () => relationFilter(value, rel, table, alias, ctx), { op: name });
    return;
  }
  // A compound unique key: `orderId_productId: { orderId, productId }`.
  const obj = objectOf(value);
  if (obj && name.includes('_') && obj.properties.every((x) => scalar(table, propName(x) ?? ''))) {
    w.from(start, end, () => conditions(obj, table, alias, ctx));
    return;
  }
  throw new NotStatic();
}

/** `field: value`, `field: null`, or `field: { gt, in, contains, mode, not … }`. */
function fieldFilter(value: ts.Expression, col: Column, table: Table, alias: string, ctx: Ctx): void {
  const { w, sf } = ctx;
  const c = `${alias}.${quote(col.name)}`;
  if (isNull(value)) {
    w.add(`${c} IS NULL`);
    return;
  }
  const obj = objectOf(value);
  if (!obj) {
    w.add(`${c} = `).param();
    return;
  }
  const props = obj.properties;
  if (props.some((p) => !ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p))) throw new NotStatic();
  const insensitive = props.some((p) => propName(p) === 'mode' && ts.isPropertyAssignment(p) && ts.isStringLiteralLike(unwrap(p.initializer)) && (unwrap(p.initializer) as ts.StringLiteral).text === 'insensitive');
  const ops = props.filter((p) => propName(p) !== 'mode' && !(ts.isPropertyAssignment(p) && isUndefined(p.initializer)));
  if (!ops.length) {
    w.add('1=1');
    return;
  }
  if (ops.length > 1) w.add('(');
  ops.forEach((p, i) => {
    if (i) w.add(' AND ');
    const op = propName(p)!;
    const v = ts.isPropertyAssignment(p) ? p.initializer : undefined;
    const like = LIKE_OPS[op];
    const kw = insensitive ? 'ILIKE' : 'LIKE';
    const extra = { op, table: table.name, column: col.name };
    w.from(p.getStart(sf), p.getEnd(), () => {
      if (op in COMPARE) {
        if (v && isNull(v)) w.add(`${c} IS NULL`);
        else if (op === 'equals' && insensitive) w.add(`${c} ILIKE `).param();
        else w.add(`${c} ${COMPARE[op]} `).param();
      } else if (like) {
        w.add(`${c} ${kw} ${like.before}`).param().add(like.after);
      } else if (op === 'in' || op === 'notIn') {
        const list = v ? unwrap(v) : undefined;
        w.add(`${c} ${op === 'in' ? 'IN' : 'NOT IN'} (`);
        const n = list && ts.isArrayLiteralExpression(list) ? Math.max(1, list.elements.length) : 1;
        for (let k = 0; k < n; k++) {
          if (k) w.add(',');
          w.param();
        }
        w.add(')');
      } else if (op === 'not') {
        if (!v) throw new NotStatic();
        if (isNull(v)) w.add(`${c} IS NOT NULL`);
        else if (objectOf(v)) {
          w.add('NOT (');
          fieldFilter(v, col, table, alias, ctx);
          w.add(')');
        } else w.add(`${c} <> `).param();
      } else throw new NotStatic();
    }, { ...extra, ...(like ? { words: `\`${op}\`${insensitive ? " with mode: 'insensitive'" : ''} becomes \`${kw} ${like.words}\`` } : {}) });
  });
  if (ops.length > 1) w.add(')');
}

/**
 * Relation filters as Prisma writes them: a to-one relation (`customer: { is: {…} }` or
 * `customer: {…}`) and `some`/`none`/`every` on a to-many one become `IN`/`NOT IN` sub-selects
 * on the other table's key.
 */
function relationFilter(value: ts.Expression, rel: OrmRelation, table: Table, alias: string, ctx: Ctx): void {
  const { w } = ctx;
  const other = ctx.byModel.get(rel.model) ?? fail();
  const obj = objectOf(value) ?? fail();
  // Keys on each side: the owning side names them; the back-relation side reads the other's.
  let here: string[];
  let there: string[];
  if (rel.fields.length) {
    here = rel.fields.map((f) => (scalar(table, f) ?? fail()).name);
    there = rel.references.map((f) => (scalar(other, f) ?? fail()).name);
  } else {
    const back = other.relations?.find((r) => r.model === table.model && r.fields.length) ?? fail();
    here = back.references.map((f) => (scalar(table, f) ?? fail()).name);
    there = back.fields.map((f) => (scalar(other, f) ?? fail()).name);
  }
  const keys = Object.keys(Object.fromEntries(obj.properties.map((p) => [propName(p), 1])));
  const wrapper = keys.length === 1 && ['is', 'isNot', 'some', 'none', 'every'].includes(keys[0]) ? keys[0] : rel.list ? fail() : 'is';
  const innerNode = wrapper === 'is' && keys[0] !== 'is' ? obj : objectOf((obj.properties[0] as ts.PropertyAssignment).initializer) ?? fail();
  const a = `"t${++ctx.aliases}"`;
  const negate = wrapper === 'isNot' || wrapper === 'none' || wrapper === 'every';
  w.add(`(${here.map((h) => `${alias}.${quote(h)}`).join(', ')}) ${negate ? 'NOT IN' : 'IN'} (SELECT ${there.map((x) => `${a}.${quote(x)}`).join(', ')} FROM ${qualified(other)} AS ${a} WHERE `);
  if (wrapper === 'every') w.add('NOT ');
  conditions(innerNode, other, a, ctx);
  for (const x of there) w.add(` AND ${a}.${quote(x)} IS NOT NULL`);
  w.add(')');
}

/** `orderBy: { placedAt: 'desc' }` or an array of those; unknown directions are left out. */
function orderBy(node: ts.Expression | undefined, table: Table, t: string, ctx: Ctx): void {
  if (!node) return;
  const { w, sf } = ctx;
  const u = unwrap(node);
  const objects = ts.isArrayLiteralExpression(u) ? u.elements.map((e) => objectOf(e) ?? fail()) : [objectOf(u) ?? fail()];
  const items: { p: ts.ObjectLiteralElementLike; sql: string }[] = [];
  for (const o of objects) {
    for (const p of o.properties) {
      if (!ts.isPropertyAssignment(p)) throw new NotStatic();
      const col = scalar(table, propName(p) ?? '') ?? fail();
      let dir = unwrap(p.initializer);
      let nulls = '';
      if (ts.isObjectLiteralExpression(dir)) {
        const sort = dir.properties.find((x) => propName(x) === 'sort');
        const n = dir.properties.find((x) => propName(x) === 'nulls');
        if (n && ts.isPropertyAssignment(n) && ts.isStringLiteralLike(n.initializer)) nulls = ` NULLS ${n.initializer.text.toUpperCase()}`;
        if (!sort || !ts.isPropertyAssignment(sort)) continue;
        dir = unwrap(sort.initializer);
      }
      if (!ts.isStringLiteralLike(dir) || !/^(asc|desc)$/.test(dir.text)) continue;
      items.push({ p, sql: `${t}.${quote(col.name)} ${dir.text.toUpperCase()}${nulls}` });
    }
  }
  if (!items.length) return;
  w.add(' ORDER BY ');
  items.forEach((it, i) => {
    if (i) w.add(', ');
    w.from(it.p.getStart(sf), it.p.getEnd(), () => w.add(it.sql), { op: 'orderBy' });
  });
}

/** `LIMIT $n OFFSET $m` as Prisma binds them (findFirst/findUnique always take one row). */
function paging(take: ts.Expression | undefined, skip: ts.Expression | undefined, single: boolean, ctx: Ctx): void {
  const { w, sf } = ctx;
  if (take || single) {
    w.add(' LIMIT ');
    if (take) w.from(take.getStart(sf), take.getEnd(), () => w.param(), { op: 'take' });
    else w.param();
  }
  // Prisma binds OFFSET 0 when there is no `skip`; leaving it out keeps offset advice for real skips.
  if (skip) {
    w.add(' OFFSET ');
    w.from(skip.getStart(sf), skip.getEnd(), () => w.param(), { op: 'skip' });
  }
}

/** `cursor: { id }` → `"id" >= (SELECT "id" … WHERE "id" = $n)` (`<=` when sorted descending). */
function cursorWriter(cursor: ts.Expression | undefined, order: ts.Expression | undefined, table: Table, t: string, ctx: Ctx): (() => void) | undefined {
  if (!cursor) return undefined;
  const obj = objectOf(cursor) ?? fail();
  const p = obj.properties[0];
  const col = (p && scalar(table, propName(p) ?? '')) ?? fail();
  const desc = order ? /\bdesc\b/.test(order.getText(ctx.sf)) : false;
  return () =>
    ctx.w.from(cursor.getStart(ctx.sf), cursor.getEnd(), () => {
      const c = `${t}.${quote(col.name)}`;
      ctx.w.add(`${c} ${desc ? '<=' : '>='} (SELECT ${c} FROM ${t} WHERE ${c} = `).param().add(')');
    }, { op: 'cursor' });
}
