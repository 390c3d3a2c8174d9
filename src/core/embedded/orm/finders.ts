/**
 * Repository and model finders → query models: TypeORM (`repo.find({ where, order, take,
 * skip })`, `findOneBy`, `count`, FindOperators such as `MoreThan`, `In`, `ILike`, and
 * QueryBuilder chains whose `.where('u.email = :e')` strings are SQL fragments) and Sequelize
 * (`User.findAll({ where, order, limit })`, `findOne`, `findByPk`, `count`, `update`,
 * `destroy`, with `Op.*`). The entity or model must be declared by a schema in the catalog.
 */
import ts = require('typescript');
import type { Catalog, Table } from '../../schema/types';
import { isExecuted } from '../calls';
import { unwrap } from '../source';
import type { Cond, OrderItem, QueryModel } from './model';
import { isNullLiteral, listLength, patternOperand } from './operands';
import { NotStatic } from './rendered';

function fail(): never {
  throw new NotStatic();
}

const TYPEORM_FINDERS = new Set(['find', 'findOne', 'findBy', 'findOneBy', 'count', 'countBy', 'exist', 'exists', 'existsBy', 'findAndCount', 'findAndCountBy', 'findOneOrFail', 'findOneByOrFail']);
const SEQUELIZE_FINDERS = new Set(['findAll', 'findOne', 'findByPk', 'count', 'findAndCountAll', 'update', 'destroy']);

/** Every TypeORM and Sequelize finder call in a file, as query models. */
export function finderModels(sf: ts.SourceFile, catalog: Catalog): QueryModel[] {
  const typeorm = new Map<string, Table>();
  const sequelize = new Map<string, Table>();
  for (const t of catalog.tables.values()) {
    if (t.origin === 'typeorm' && t.model) typeorm.set(t.model, t);
    if (t.origin === 'sequelize' && t.model) sequelize.set(t.model, t);
  }
  if (!typeorm.size && !sequelize.size) return [];
  const out: QueryModel[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      try {
        if (typeorm.size && TYPEORM_FINDERS.has(method)) {
          const m = typeormFind(node, method, sf, typeorm);
          if (m) out.push(m);
        } else if (typeorm.size && QB_EXECUTORS.has(method)) {
          const m = typeormBuilder(node, sf, typeorm);
          if (m) out.push(m);
        }
        if (sequelize.size && SEQUELIZE_FINDERS.has(method)) {
          const m = sequelizeFind(node, method, sf, sequelize);
          if (m) out.push(m);
        }
      } catch (err) {
        if (!(err instanceof NotStatic)) throw err;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function propName(p: ts.ObjectLiteralElementLike): string | undefined {
  const n = p.name;
  return n && (ts.isIdentifier(n) || ts.isStringLiteral(n)) ? n.text : undefined;
}

function objectArg(e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  const n = e && unwrap(e);
  return n && ts.isObjectLiteralExpression(n) ? n : undefined;
}

/** The column behind an entity/model property name. */
function columnFor(t: Table, field: string): string {
  return (t.columns.find((c) => (c.field ?? c.name) === field) ?? fail()).name;
}

// ---------------------------------------------------------------------------------------------
// TypeORM

/** The entity a repository expression stands for: `getRepository(User)`, `userRepository`, a `Repository<User>` field. */
function typeormEntity(receiver: ts.Expression, tables: Map<string, Table>): Table | undefined {
  const r = unwrap(receiver);
  if (ts.isCallExpression(r) && ts.isIdentifier(unwrap(r.arguments[0] ?? r)) && /getRepository$/.test(r.expression.getText())) {
    return tables.get((unwrap(r.arguments[0]) as ts.Identifier).text);
  }
  const name = ts.isIdentifier(r) ? r.text : ts.isPropertyAccessExpression(r) ? r.name.text : undefined;
  if (!name) return undefined;
  const declared = declaredRepositoryType(r, name);
  if (declared) return tables.get(declared);
  const stem = name.replace(/(Repository|Repo)$/i, '');
  if (stem === name) return undefined;
  for (const [model, t] of tables) {
    const m = model.toLowerCase();
    const s = stem.toLowerCase();
    if (m === s || `${m}s` === s) return t;
  }
  return undefined;
}

/** `private users: Repository<User>` or a constructor parameter of that type, in the enclosing class. */
function declaredRepositoryType(from: ts.Node, name: string): string | undefined {
  let c: ts.Node | undefined = from;
  while (c && !ts.isClassLike(c)) c = c.parent;
  if (!c || !ts.isClassLike(c)) return undefined;
  const typeOf = (t: ts.TypeNode | undefined) => {
    if (t && ts.isTypeReferenceNode(t) && /Repository$/.test(t.typeName.getText()) && t.typeArguments?.[0] && ts.isTypeReferenceNode(t.typeArguments[0])) return t.typeArguments[0].typeName.getText();
    return undefined;
  };
  for (const m of c.members) {
    if (ts.isPropertyDeclaration(m) && m.name.getText() === name) return typeOf(m.type);
    if (ts.isConstructorDeclaration(m)) for (const p of m.parameters) if (p.name.getText() === name) return typeOf(p.type);
  }
  return undefined;
}

const FIND_OPERATORS: Record<string, string> = { LessThan: '<', LessThanOrEqual: '<=', MoreThan: '>', MoreThanOrEqual: '>=', Equal: '=' };

function typeormFind(call: ts.CallExpression, method: string, sf: ts.SourceFile, tables: Map<string, Table>): QueryModel | undefined {
  const pa = call.expression as ts.PropertyAccessExpression;
  let args = [...call.arguments];
  let table = typeormEntity(pa.expression, tables);
  // manager.find(User, { … })
  if (!table && args[0] && ts.isIdentifier(unwrap(args[0])) && tables.has((unwrap(args[0]) as ts.Identifier).text)) {
    table = tables.get((unwrap(args[0]) as ts.Identifier).text);
    args = args.slice(1);
  }
  if (!table) return undefined;
  const byWhere = /By(OrFail)?$/.test(method);
  const alias = table.model ?? table.name;
  const single = /^findOne|^exist/.test(method);
  const m: QueryModel = {
    source: 'typeorm',
    kind: /^count|^exist/.test(method) ? 'count' : 'select',
    table,
    alias,
    where: [],
    order: [],
    label: `${pa.expression.getText(sf).replace(/\s+/g, '')}.${method}`,
    start: call.getStart(sf),
    end: call.getEnd(),
    ...(single ? { limit: 'one' as const } : {}),
  };
  if (byWhere) {
    const w = args[0] && unwrap(args[0]);
    if (w) m.where.push(...typeormWhere(w, table, sf));
    return m;
  }
  const o = args[0] ? objectArg(args[0]) ?? fail() : undefined;
  for (const p of o?.properties ?? []) {
    if (!ts.isPropertyAssignment(p)) fail();
    const key = propName(p) ?? fail();
    const v = unwrap(p.initializer);
    if (key === 'where') m.where.push(...typeormWhere(v, table, sf));
    else if (key === 'order') m.order.push(...typeormOrder(v, table, sf));
    else if (key === 'take') m.limit = { start: v.getStart(sf), end: v.getEnd() };
    else if (key === 'skip') m.offset = { start: v.getStart(sf), end: v.getEnd() };
    else if (key === 'select') {
      if (ts.isArrayLiteralExpression(v)) m.columns = v.elements.map((e) => columnFor(table!, ts.isStringLiteralLike(e) ? e.text : fail()));
      else if (ts.isObjectLiteralExpression(v)) m.columns = v.properties.map((x) => columnFor(table!, propName(x) ?? fail()));
      else fail();
    } else if (!['relations', 'withDeleted', 'cache', 'loadEagerRelations', 'transaction', 'lock'].includes(key)) fail();
  }
  return m;
}

/** `where: { a: x, b: MoreThan(y) }`, or an array of those (OR). */
function typeormWhere(w: ts.Expression, t: Table, sf: ts.SourceFile): Cond[] {
  const n = unwrap(w);
  if (ts.isArrayLiteralExpression(n)) {
    const groups = n.elements.map((e) => ({ kind: 'group' as const, op: 'AND' as const, items: typeormWhere(e, t, sf), start: e.getStart(sf), end: e.getEnd() }));
    return [{ kind: 'group', op: 'OR', items: groups, start: n.getStart(sf), end: n.getEnd() }];
  }
  if (!ts.isObjectLiteralExpression(n)) fail();
  return n.properties.map((p) => {
    if (ts.isShorthandPropertyAssignment(p)) return { kind: 'cmp' as const, column: columnFor(t, p.name.text), op: '=', value: { kind: 'param' as const }, start: p.getStart(sf), end: p.getEnd() };
    if (!ts.isPropertyAssignment(p)) fail();
    return typeormValue(columnFor(t, propName(p) ?? fail()), p.initializer, p, sf);
  });
}

function typeormValue(column: string, value: ts.Expression, at: ts.Node, sf: ts.SourceFile): Cond {
  const start = at.getStart(sf);
  const end = at.getEnd();
  const v = unwrap(value);
  if (ts.isObjectLiteralExpression(v)) fail(); // a relation filter
  if (ts.isCallExpression(v) && ts.isIdentifier(v.expression)) {
    const op = v.expression.text;
    const a = v.arguments;
    if (op in FIND_OPERATORS) return { kind: 'cmp', column, op: FIND_OPERATORS[op], value: { kind: 'param' }, start, end };
    if (op === 'Like' || op === 'ILike') {
      const kw = op === 'Like' ? 'LIKE' : 'ILIKE';
      return { kind: 'cmp', column, op: kw, value: patternOperand(a[0]), start, end, words: `\`${op}()\` becomes \`${kw} …\`` };
    }
    if (op === 'In') return { kind: 'in', column, count: listLength(a[0]), not: false, start, end };
    if (op === 'IsNull') return { kind: 'cmp', column, op: '=', value: { kind: 'null' }, start, end };
    if (op === 'Between') return { kind: 'between', column, start, end };
    if (op === 'Not' && a[0]) {
      const inner = typeormValue(column, a[0], at, sf);
      return { kind: 'group', op: 'NOT', items: [inner], start, end };
    }
    fail();
  }
  if (isNullLiteral(v)) fail(); // TypeORM skips null in where, depending on its options
  return { kind: 'cmp', column, op: '=', value: { kind: 'param' }, start, end };
}

function typeormOrder(o: ts.Expression, t: Table, sf: ts.SourceFile): OrderItem[] {
  if (!ts.isObjectLiteralExpression(o)) fail();
  const out: OrderItem[] = [];
  for (const p of o.properties) {
    if (!ts.isPropertyAssignment(p)) fail();
    let d = unwrap(p.initializer);
    if (ts.isObjectLiteralExpression(d)) {
      const dir = d.properties.find((x) => propName(x) === 'direction');
      if (!dir || !ts.isPropertyAssignment(dir)) continue;
      d = unwrap(dir.initializer);
    }
    if (!ts.isStringLiteralLike(d) && !ts.isNumericLiteral(d)) continue;
    const desc = /^(desc|-1)$/i.test(d.text);
    out.push({ column: columnFor(t, propName(p) ?? fail()), descending: desc, start: p.getStart(sf), end: p.getEnd() });
  }
  return out;
}

const QB_EXECUTORS = new Set(['getMany', 'getOne', 'getOneOrFail', 'getRawMany', 'getRawOne', 'getCount', 'getManyAndCount', 'getExists']);

/**
 * `repo.createQueryBuilder('u').where('u.email = :email', { email }).orderBy('u.createdAt', 'DESC').getMany()`:
 * the `where` strings are SQL fragments over the alias; `:name` parameters become `$n`.
 */
function typeormBuilder(call: ts.CallExpression, sf: ts.SourceFile, tables: Map<string, Table>): QueryModel | undefined {
  const links: ts.CallExpression[] = [];
  let n: ts.Expression = call;
  while (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
    links.unshift(n);
    n = unwrap(n.expression.expression);
  }
  const start = links[0];
  if (!start || (start.expression as ts.PropertyAccessExpression).name.text !== 'createQueryBuilder') return undefined;
  const receiver = (start.expression as ts.PropertyAccessExpression).expression;
  let table = typeormEntity(receiver, tables);
  let aliasArg = start.arguments[0];
  if (!table && start.arguments[0] && ts.isIdentifier(unwrap(start.arguments[0]))) {
    table = tables.get((unwrap(start.arguments[0]) as ts.Identifier).text);
    aliasArg = start.arguments[1];
  }
  if (!table) return undefined;
  const alias = aliasArg && ts.isStringLiteralLike(unwrap(aliasArg)) ? (unwrap(aliasArg) as ts.StringLiteral).text : fail();
  const m: QueryModel = { source: 'typeorm', kind: 'select', table, alias, where: [], order: [], label: `${receiver.getText(sf).replace(/\s+/g, '')}.createQueryBuilder`, start: call.getStart(sf), end: call.getEnd() };
  let params = 0;
  for (const l of links.slice(1)) {
    const name = (l.expression as ts.PropertyAccessExpression).name.text;
    const range = { start: (l.expression as ts.PropertyAccessExpression).name.getStart(sf), end: l.getEnd() };
    if (name === 'where' || name === 'andWhere') {
      const frag = l.arguments[0] && unwrap(l.arguments[0]);
      if (!frag || !ts.isStringLiteralLike(frag)) fail();
      // `:...ids` (a list) and `:id` become positional parameters, as TypeORM sends them.
      const text = frag.text.replace(/:\.\.\.(\w+)/g, () => `(${'$' + ++params})`).replace(/(?<!:):(\w+)/g, () => `$${++params}`);
      m.where.push({ kind: 'sql', text: qualifyAlias(text, alias, table), start: frag.getStart(sf), end: frag.getEnd() });
      // The fragment's own placeholders are counted; the model's writer numbers its own from 1, so none may follow.
    } else if (name === 'orderBy' || name === 'addOrderBy') {
      const col = l.arguments[0] && unwrap(l.arguments[0]);
      if (!col || !ts.isStringLiteralLike(col)) fail();
      const [a, c] = col.text.includes('.') ? col.text.split('.') : [alias, col.text];
      if (a !== alias) fail();
      const dir = l.arguments[1] && unwrap(l.arguments[1]);
      m.order.push({ column: columnFor(table, c), descending: !!dir && ts.isStringLiteralLike(dir) && /desc/i.test(dir.text), start: range.start, end: range.end });
    } else if (name === 'getCount') m.kind = 'count';
    else if (name === 'getOne' || name === 'getOneOrFail' || name === 'getRawOne') m.limit = 'one';
    else if (name === 'take' || name === 'limit' || name === 'skip' || name === 'offset') fail();
    else if (!QB_EXECUTORS.has(name) && name !== 'select' && name !== 'addSelect' && name !== 'setParameter' && name !== 'setParameters') fail();
  }
  if (!m.where.length && !m.order.length) return undefined;
  // Parameters inside fragments are numbered first; ORDER BY and LIMIT would number theirs from 1 again.
  if (m.limit === 'one' && params) delete m.limit;
  if (!isExecuted(call) && !QB_EXECUTORS.has((call.expression as ts.PropertyAccessExpression).name.text)) return undefined;
  return m;
}

/** `u.createdAt` in a fragment → `"u"."createdAt"` with the column's real name, so rules resolve it. */
function qualifyAlias(text: string, alias: string, t: Table): string {
  return text.replace(new RegExp(`\\b${alias}\\.(\\w+)`, 'g'), (_, field: string) => `"${alias}"."${t.columns.find((c) => (c.field ?? c.name) === field)?.name ?? field}"`);
}

// ---------------------------------------------------------------------------------------------
// Sequelize

const SEQ_OPS: Record<string, string> = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };
const SEQ_LIKE: Record<string, { op: string; head: string; tail: string }> = {
  like: { op: 'LIKE', head: '', tail: '' }, iLike: { op: 'ILIKE', head: '', tail: '' }, notLike: { op: 'NOT LIKE', head: '', tail: '' },
  notILike: { op: 'NOT ILIKE', head: '', tail: '' }, startsWith: { op: 'LIKE', head: '', tail: '%' }, endsWith: { op: 'LIKE', head: '%', tail: '' },
  substring: { op: 'LIKE', head: '%', tail: '%' },
};

function sequelizeModel(receiver: ts.Expression, tables: Map<string, Table>): Table | undefined {
  const r = unwrap(receiver);
  const name = ts.isIdentifier(r) ? r.text : ts.isPropertyAccessExpression(r) ? r.name.text : undefined;
  return name ? tables.get(name) : undefined;
}

function sequelizeFind(call: ts.CallExpression, method: string, sf: ts.SourceFile, tables: Map<string, Table>): QueryModel | undefined {
  const pa = call.expression as ts.PropertyAccessExpression;
  const table = sequelizeModel(pa.expression, tables);
  if (!table) return undefined;
  const m: QueryModel = {
    source: 'sequelize',
    kind: method === 'count' ? 'count' : method === 'update' ? 'update' : method === 'destroy' ? 'delete' : 'select',
    table,
    alias: table.model,
    where: [],
    order: [],
    label: `${pa.expression.getText(sf).replace(/\s+/g, '')}.${method}`,
    start: call.getStart(sf),
    end: call.getEnd(),
    ...(method === 'findOne' || method === 'findByPk' ? { limit: 'one' as const } : {}),
  };
  let opts = call.arguments[0];
  if (method === 'findByPk') {
    const pk = table.primaryKey[0] ?? fail();
    const a = call.arguments[0] ?? fail();
    m.where.push({ kind: 'cmp', column: pk, op: '=', value: { kind: 'param' }, start: a.getStart(sf), end: a.getEnd() });
    opts = call.arguments[1];
  }
  if (method === 'update') {
    const values = objectArg(call.arguments[0]) ?? fail();
    m.set = values.properties.map((p) => columnFor(table, propName(p) ?? fail()));
    opts = call.arguments[1];
  }
  const o = opts ? objectArg(opts) ?? fail() : undefined;
  for (const p of o?.properties ?? []) {
    if (!ts.isPropertyAssignment(p)) fail();
    const key = propName(p) ?? fail();
    const v = unwrap(p.initializer);
    if (key === 'where') m.where.push(...sequelizeWhere(v, table, sf));
    else if (key === 'order') m.order.push(...sequelizeOrder(v, table, sf));
    else if (key === 'limit') m.limit = { start: v.getStart(sf), end: v.getEnd() };
    else if (key === 'offset') m.offset = { start: v.getStart(sf), end: v.getEnd() };
    else if (key === 'attributes') {
      if (!ts.isArrayLiteralExpression(v)) fail();
      m.columns = v.elements.map((e) => columnFor(table, ts.isStringLiteralLike(e) ? e.text : fail()));
    } else if (!['raw', 'transaction', 'paranoid', 'logging', 'returning', 'individualHooks', 'plain', 'benchmark', 'lock', 'rejectOnEmpty'].includes(key)) fail();
  }
  return m;
}

/** `Op.gt` written as a computed key `[Op.gt]`. */
function opKey(p: ts.ObjectLiteralElementLike): string | undefined {
  if (!p.name || !ts.isComputedPropertyName(p.name)) return undefined;
  const e = unwrap(p.name.expression);
  return ts.isPropertyAccessExpression(e) && /^(Op|Sequelize\.Op)$/.test(e.expression.getText()) ? e.name.text : undefined;
}

function sequelizeWhere(w: ts.Expression, t: Table, sf: ts.SourceFile): Cond[] {
  const n = unwrap(w);
  if (!ts.isObjectLiteralExpression(n)) fail();
  const out: Cond[] = [];
  for (const p of n.properties) {
    const start = p.getStart(sf);
    const end = p.getEnd();
    const op = opKey(p);
    if (op === 'or' || op === 'and') {
      if (!ts.isPropertyAssignment(p)) fail();
      const arr = unwrap(p.initializer);
      const parts = ts.isArrayLiteralExpression(arr) ? arr.elements.map((e) => ({ kind: 'group' as const, op: 'AND' as const, items: sequelizeWhere(e, t, sf), start: e.getStart(sf), end: e.getEnd() })) : [{ kind: 'group' as const, op: 'AND' as const, items: sequelizeWhere(arr, t, sf), start, end }];
      out.push({ kind: 'group', op: op === 'or' ? 'OR' : 'AND', items: parts, start, end });
      continue;
    }
    if (op) fail();
    if (ts.isShorthandPropertyAssignment(p)) {
      out.push({ kind: 'cmp', column: columnFor(t, p.name.text), op: '=', value: { kind: 'param' }, start, end });
      continue;
    }
    if (!ts.isPropertyAssignment(p)) fail();
    const column = columnFor(t, propName(p) ?? fail());
    const v = unwrap(p.initializer);
    if (isNullLiteral(v)) out.push({ kind: 'cmp', column, op: '=', value: { kind: 'null' }, start, end });
    else if (ts.isArrayLiteralExpression(v)) out.push({ kind: 'in', column, count: listLength(v), not: false, start, end });
    else if (ts.isObjectLiteralExpression(v)) {
      for (const q of v.properties) {
        const o = opKey(q) ?? fail();
        if (!ts.isPropertyAssignment(q)) fail();
        const val = q.initializer;
        const s2 = q.getStart(sf);
        const e2 = q.getEnd();
        const words = `\`Op.${o}\``;
        if (o in SEQ_OPS) out.push({ kind: 'cmp', column, op: SEQ_OPS[o], value: isNullLiteral(val) ? { kind: 'null' } : { kind: 'param' }, start: s2, end: e2 });
        else if (o in SEQ_LIKE) {
          const l = SEQ_LIKE[o];
          const pattern = patternOperand(val);
          const value = pattern.kind === 'pattern' ? { ...pattern, head: l.head + pattern.head, tail: pattern.tail + l.tail } : { kind: 'pattern' as const, head: l.head, tail: l.tail };
          if (value.kind === 'pattern' && value.literal && (l.head || l.tail)) value.head = l.head + (unwrap(val) as ts.StringLiteral).text + l.tail;
          out.push({ kind: 'cmp', column, op: l.op, value, start: s2, end: e2, words: `${words} becomes \`${l.op} ${l.head ? "'%…" : "'…"}${l.tail ? "%'" : "'"}\`` });
        } else if (o === 'in' || o === 'notIn') out.push({ kind: 'in', column, count: listLength(val), not: o === 'notIn', start: s2, end: e2 });
        else if (o === 'between') out.push({ kind: 'between', column, start: s2, end: e2 });
        else if (o === 'is') out.push({ kind: 'cmp', column, op: '=', value: { kind: 'null' }, start: s2, end: e2 });
        else if (o === 'not' && isNullLiteral(val)) out.push({ kind: 'cmp', column, op: '<>', value: { kind: 'null' }, start: s2, end: e2 });
        else fail();
      }
    } else out.push({ kind: 'cmp', column, op: '=', value: { kind: 'param' }, start, end });
  }
  return out;
}

function sequelizeOrder(o: ts.Expression, t: Table, sf: ts.SourceFile): OrderItem[] {
  if (!ts.isArrayLiteralExpression(o)) fail();
  return o.elements.map((e) => {
    const u = unwrap(e);
    if (ts.isStringLiteralLike(u)) return { column: columnFor(t, u.text), descending: false, start: u.getStart(sf), end: u.getEnd() };
    if (ts.isArrayLiteralExpression(u) && u.elements.length >= 1 && ts.isStringLiteralLike(u.elements[0])) {
      const dir = u.elements[1] && ts.isStringLiteralLike(u.elements[1]) ? u.elements[1].text : 'ASC';
      return { column: columnFor(t, (u.elements[0] as ts.StringLiteral).text), descending: /^desc/i.test(dir), start: u.getStart(sf), end: u.getEnd() };
    }
    fail();
  });
}
