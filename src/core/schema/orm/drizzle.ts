/**
 * Drizzle table definitions → catalog tables, as drizzle-kit would create them:
 * `pgTable('users', { email: varchar('email', { length: 255 }).notNull().unique() }, (t) => …)`
 * (and `mysqlTable`, `pgSchema('x').table`). Column builders give names and types; `.primaryKey()`,
 * `.notNull()`, `.unique()` (`<table>_<col>_unique`), `.references(() => t.col)`
 * (`<table>_<col>_<ref>_<refcol>_fk`); the extra config (object or array form) gives `index()`,
 * `uniqueIndex()`, `primaryKey()` (`<table>_<cols>_pk`), `unique()` and `foreignKey()`.
 */
import ts = require('typescript');
import { unwrap } from '../../embedded/source';
import type { SchemaProblem, Table } from '../types';
import { addUnique, chain, column, index, nameOf, newTable, obj, refOf, setPrimaryKey, staticValue, str, walk, type Link } from './tsValues';

const TABLE_FUNCTIONS = new Set(['pgTable', 'mysqlTable', 'sqliteTable', 'table']);

/** Column builder → SQL type (PostgreSQL, and MySQL's names where they differ). */
const TYPES: Record<string, string> = {
  serial: 'serial', bigserial: 'bigserial', smallserial: 'smallserial', integer: 'integer', int: 'int', smallint: 'smallint',
  bigint: 'bigint', text: 'text', boolean: 'boolean', date: 'date', uuid: 'uuid', json: 'json', jsonb: 'jsonb',
  real: 'real', doublePrecision: 'double precision', double: 'double', inet: 'inet', cidr: 'cidr', interval: 'interval',
  datetime: 'datetime', tinyint: 'tinyint', mediumint: 'mediumint', float: 'float', bytea: 'bytea', citext: 'citext',
};

interface Pending {
  table: Table;
  /** Property name → column name. */
  fields: Map<string, string>;
  refs: { column: string; target: ts.Expression; node: ts.Node }[];
  extra?: ts.Expression;
  param?: string;
}

/** True when the file may declare Drizzle tables. */
export function mayDeclareDrizzle(text: string): boolean {
  return /\b(pgTable|mysqlTable|sqliteTable)\s*\(|\.table\s*\(/.test(text) && /drizzle-orm/.test(text);
}

/** Tables declared with Drizzle in one parsed file. */
export function readDrizzle(file: string, sf: ts.SourceFile): { tables: Table[]; problems: SchemaProblem[] } {
  const problems: SchemaProblem[] = [];
  const enums = new Map<string, string>();
  const byVar = new Map<string, Pending>();
  const pending: Pending[] = [];
  walk(sf, (n) => {
    if (!ts.isVariableDeclaration(n) || !ts.isIdentifier(n.name) || !n.initializer) return;
    const init = unwrap(n.initializer);
    if (!ts.isCallExpression(init)) return;
    const fn = nameOf(init.expression);
    if ((fn === 'pgEnum' || fn === 'mysqlEnum') && ts.isStringLiteralLike(init.arguments[0])) enums.set(n.name.text, init.arguments[0].text);
    if (!fn || !TABLE_FUNCTIONS.has(fn) || !ts.isStringLiteralLike(init.arguments[0] ?? ({} as ts.Expression))) return;
    const callee = unwrap(init.expression);
    // `pgSchema('app').table(…)` / `mySchema.table(…)`: only a schema object's `.table`.
    let schema: string | undefined;
    if (fn === 'table') {
      if (!ts.isPropertyAccessExpression(callee)) return;
      const owner = unwrap(callee.expression);
      if (ts.isCallExpression(owner) && nameOf(owner.expression) === 'pgSchema') schema = str(staticValue(owner.arguments[0], sf));
      else if (ts.isIdentifier(owner)) schema = schemaOf(owner.text, sf);
      if (!schema) return;
    }
    const name = (init.arguments[0] as ts.StringLiteral).text;
    const cols = init.arguments[1] && unwrap(init.arguments[1]);
    if (!cols || !ts.isObjectLiteralExpression(cols)) {
      problems.push({ file, offset: init.getStart(sf), message: `Drizzle table ${name}: columns are not an object literal` });
      return;
    }
    const p: Pending = { table: newTable(name, 'drizzle', refOf(file, n, sf), schema && schema !== 'public' ? schema : undefined), fields: new Map(), refs: [], extra: init.arguments[2] };
    p.table.model = n.name.text;
    for (const prop of cols.properties) {
      if (!ts.isPropertyAssignment(prop) || !prop.name || !(ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) continue;
      readColumn(p, prop.name.text, prop.initializer, enums, file, sf, problems);
    }
    byVar.set(n.name.text, p);
    pending.push(p);
  });
  for (const p of pending) {
    for (const r of p.refs) {
      const target = refTarget(r.target, byVar);
      if (!target) continue;
      const fkName = `${p.table.name}_${r.column}_${target.table}_${target.column}_fk`;
      p.table.foreignKeys.push({ columns: [r.column], refTable: target.table, refColumns: [target.column], name: fkName, source: refOf(file, r.node, sf) });
      const c = p.table.columns.find((x) => x.name === r.column);
      if (c) c.references = { table: target.table, column: target.column };
    }
    if (p.extra) readExtra(p, p.extra, byVar, file, sf, problems);
  }
  return { tables: pending.map((p) => p.table), problems };
}

/** `const app = pgSchema('app')` seen anywhere in the file. */
function schemaOf(variable: string, sf: ts.SourceFile): string | undefined {
  let found: string | undefined;
  walk(sf, (n) => {
    if (found || !ts.isVariableDeclaration(n) || !ts.isIdentifier(n.name) || n.name.text !== variable || !n.initializer) return;
    const init = unwrap(n.initializer);
    if (ts.isCallExpression(init) && nameOf(init.expression) === 'pgSchema') found = str(staticValue(init.arguments[0], sf));
  });
  return found;
}

function readColumn(p: Pending, prop: string, e: ts.Expression, enums: Map<string, string>, file: string, sf: ts.SourceFile, problems: SchemaProblem[]): void {
  const { links } = chain(e);
  const builder = links[0];
  if (!builder) return;
  const nameArg = str(staticValue(builder.args[0], sf));
  const config = obj(staticValue(nameArg !== undefined ? builder.args[1] : builder.args[0], sf));
  const name = nameArg ?? prop;
  let type = columnType(builder.name, config, enums);
  if (!type) {
    problems.push({ file, offset: builder.node.getStart(sf), message: `Drizzle column ${p.table.name}.${name}: unknown builder ${builder.name}()` });
    type = builder.name.toLowerCase();
  }
  const col = column(name, type, false, prop);
  p.table.columns.push(col);
  p.fields.set(prop, name);
  const src = refOf(file, e, sf);
  for (const l of links.slice(1)) {
    if (l.name === 'notNull') col.notNull = true;
    else if (l.name === 'array') col.type += '[]';
    else if (l.name === 'primaryKey') setPrimaryKey(p.table, [name], src);
    else if (l.name === 'unique') addUnique(p.table, [name], str(staticValue(l.args[0], sf)) ?? `${p.table.name}_${name}_unique`, src);
    else if (l.name === 'defaultNow') col.default = 'now()';
    else if (l.name === 'default') {
      const v = staticValue(l.args[0], sf);
      if (typeof v === 'string') col.default = `'${v.replace(/'/g, "''")}'`;
      else if (typeof v === 'number' || typeof v === 'boolean') col.default = String(v);
    } else if (l.name === 'references' && l.args[0]) p.refs.push({ column: name, target: l.args[0], node: l.node });
  }
}

function columnType(builder: string, config: Record<string, unknown> | undefined, enums: Map<string, string>): string | undefined {
  const n = (k: string) => (typeof config?.[k] === 'number' ? (config[k] as number) : undefined);
  // Written as drizzle-kit writes them (`"plan"`, `timestamp with time zone`), so the catalog
  // reads the same as from its generated DDL.
  if (enums.has(builder)) return `"${enums.get(builder)!}"`;
  switch (builder) {
    case 'varchar':
    case 'char':
      return n('length') !== undefined ? `${builder}(${n('length')})` : builder;
    case 'timestamp':
    case 'time': {
      const p = n('precision');
      return `${builder}${p !== undefined ? `(${p})` : ''}${config?.withTimezone === true ? ' with time zone' : ''}`;
    }
    case 'numeric':
    case 'decimal': {
      const p = n('precision');
      const s = n('scale');
      return p !== undefined ? `${builder}(${p}${s !== undefined ? `,${s}` : ''})` : builder;
    }
  }
  return TYPES[builder];
}

/** `() => users.id` (or `(): AnyPgColumn => users.id`) → the referenced table and column. */
function refTarget(e: ts.Expression, byVar: Map<string, Pending>): { table: string; column: string } | undefined {
  const f = unwrap(e);
  const body = ts.isArrowFunction(f) && !ts.isBlock(f.body) ? unwrap(f.body) : undefined;
  if (!body || !ts.isPropertyAccessExpression(body)) return undefined;
  const owner = nameOf(body.expression);
  const target = owner ? byVar.get(owner) : undefined;
  if (!target) return undefined;
  return { table: target.table.name, column: target.fields.get(body.name.text) ?? body.name.text };
}

/** Column references in the extra config: `t.email`, `t.placedAt.desc()`, `table.id`. */
function keyOf(e: ts.Expression, p: Pending, param: string | undefined, byVar: Map<string, Pending>): { column: string; descending?: boolean; ops?: string } | undefined {
  let n = unwrap(e);
  let descending = false;
  let ops: string | undefined;
  while (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
    const m = n.expression.name.text;
    if (m === 'desc') descending = true;
    else if (m === 'op' && ts.isStringLiteralLike(n.arguments[0])) ops = n.arguments[0].text;
    else if (m !== 'asc' && m !== 'nullsFirst' && m !== 'nullsLast') return undefined;
    n = unwrap(n.expression.expression);
  }
  if (!ts.isPropertyAccessExpression(n)) return undefined;
  const owner = nameOf(n.expression);
  const source = owner === param ? p : owner ? byVar.get(owner) : undefined;
  if (!source) return undefined;
  const column = source.fields.get(n.name.text);
  return column ? { column, ...(descending ? { descending } : {}), ...(ops ? { ops } : {}) } : undefined;
}

function readExtra(p: Pending, extra: ts.Expression, byVar: Map<string, Pending>, file: string, sf: ts.SourceFile, problems: SchemaProblem[]): void {
  const f = unwrap(extra);
  if (!ts.isArrowFunction(f) && !ts.isFunctionExpression(f)) return;
  const param = f.parameters[0] && ts.isIdentifier(f.parameters[0].name) ? f.parameters[0].name.text : undefined;
  let body: ts.Expression | undefined;
  if (ts.isBlock(f.body)) {
    const ret = f.body.statements.find(ts.isReturnStatement);
    body = ret?.expression;
  } else body = f.body;
  if (!body) return;
  const b = unwrap(body);
  const items = ts.isArrayLiteralExpression(b) ? [...b.elements] : ts.isObjectLiteralExpression(b) ? b.properties.filter(ts.isPropertyAssignment).map((x) => x.initializer) : [];
  const t = p.table;
  for (const item of items) {
    const { links } = chain(item);
    const head = links[0];
    if (!head) continue;
    const src = refOf(file, item, sf);
    const keysOf = (args: readonly ts.Expression[]) => args.map((a) => keyOf(a, p, param, byVar));
    const fail = () => problems.push({ file, offset: item.getStart(sf), message: `Drizzle table ${t.name}: could not read ${head.name}()` });
    if (head.name === 'index' || head.name === 'uniqueIndex') {
      const name = str(staticValue(head.args[0], sf));
      const on = links.find((l) => l.name === 'on' || l.name === 'using');
      if (!on) {
        fail();
        continue;
      }
      const method = on.name === 'using' ? str(staticValue(on.args[0], sf)) : undefined;
      const keys = keysOf(on.name === 'using' ? on.args.slice(1) : on.args);
      if (keys.some((k) => !k) || !keys.length) {
        fail();
        continue;
      }
      const cols = keys.map((k) => k!.column);
      const ix = index(t, name ?? `${t.name}_${cols.join('_')}_index`, keys.map((k) => ({ column: k!.column, ...(k!.descending ? { descending: true } : {}) })), { unique: head.name === 'uniqueIndex', method, source: src });
      const where = links.find((l) => l.name === 'where');
      if (where) ix.where = where.args[0]?.getText(sf);
      t.indexes.push(ix);
    } else if (head.name === 'primaryKey') {
      const cfg = head.args[0] && unwrap(head.args[0]);
      const colsNode = cfg && ts.isObjectLiteralExpression(cfg) ? (cfg.properties.find((x) => x.name?.getText(sf) === 'columns') as ts.PropertyAssignment | undefined)?.initializer : undefined;
      const args = colsNode && ts.isArrayLiteralExpression(unwrap(colsNode)) ? [...(unwrap(colsNode) as ts.ArrayLiteralExpression).elements] : [...head.args];
      const keys = keysOf(args);
      if (keys.some((k) => !k)) {
        fail();
        continue;
      }
      const cols = keys.map((k) => k!.column);
      const named = cfg && ts.isObjectLiteralExpression(cfg) ? str(obj(staticValue(cfg, sf))?.name) : undefined;
      setPrimaryKey(t, cols, src, named ?? `${t.name}_${cols.join('_')}_pk`);
    } else if (head.name === 'unique') {
      const on = links.find((l) => l.name === 'on');
      const keys = on ? keysOf(on.args) : [];
      if (!keys.length || keys.some((k) => !k)) {
        fail();
        continue;
      }
      const cols = keys.map((k) => k!.column);
      addUnique(t, cols, str(staticValue(head.args[0], sf)) ?? `${t.name}_${cols.join('_')}_unique`, src);
    } else if (head.name === 'foreignKey') {
      readForeignKey(p, head, param, byVar, src, sf);
    }
  }
}

function readForeignKey(p: Pending, head: Link, param: string | undefined, byVar: Map<string, Pending>, src: ReturnType<typeof refOf>, sf: ts.SourceFile): void {
  const cfg = head.args[0] && unwrap(head.args[0]);
  if (!cfg || !ts.isObjectLiteralExpression(cfg)) return;
  const list = (key: string) => {
    const v = (cfg.properties.find((x) => x.name?.getText(sf) === key) as ts.PropertyAssignment | undefined)?.initializer;
    const a = v && unwrap(v);
    return a && ts.isArrayLiteralExpression(a) ? [...a.elements] : [];
  };
  const cols = list('columns').map((e) => keyOf(e, p, param, byVar)?.column);
  const refs = list('foreignColumns').map((e) => {
    const n = unwrap(e);
    if (!ts.isPropertyAccessExpression(n)) return undefined;
    const owner = nameOf(n.expression);
    const target = owner === param ? p : owner ? byVar.get(owner) : undefined;
    return target ? { table: target.table.name, column: target.fields.get(n.name.text) ?? n.name.text } : undefined;
  });
  if (!cols.length || cols.some((c) => !c) || refs.some((r) => !r) || !refs.length) return;
  const name = str(obj(staticValue(cfg, sf))?.name) ?? `${p.table.name}_${cols.join('_')}_${refs[0]!.table}_${refs.map((r) => r!.column).join('_')}_fk`;
  p.table.foreignKeys.push({ columns: cols as string[], refTable: refs[0]!.table, refColumns: refs.map((r) => r!.column), name, source: src });
}
