/**
 * Sequelize schemas → catalog tables, as Sequelize's PostgreSQL dialect creates them:
 * migrations (`queryInterface.createTable/addColumn/removeColumn/renameColumn/addIndex/
 * removeIndex/addConstraint/dropTable`, `up` only, in file order) and models
 * (`Model.init(attributes, { tableName, underscored, timestamps, indexes })`,
 * `sequelize.define(name, attributes, options)`). Types follow the dialect: `STRING` is
 * `varchar(255)`, `DATE` is `timestamp with time zone`, `ENUM` is `"enum_<table>_<column>"`.
 */
import ts = require('typescript');
import { unwrap } from '../../embedded/source';
import type { Catalog, Column, IndexKey, SchemaProblem, Table } from '../types';
import { addUnique, column, dropColumn, index, isUnknown, migrationUp, newTable, obj, refOf, renameColumn, setPrimaryKey, staticValue, str, tableIn, walk, type Static } from './tsValues';

/** True when the file may hold Sequelize migrations or models. */
export function mayDeclareSequelize(text: string): boolean {
  if (/@Table\b/.test(text) && /sequelize-typescript/.test(text)) return true;
  return /\b(queryInterface|QueryInterface)\b[\s\S]*\.(createTable|addColumn|addIndex|addConstraint|renameColumn|removeColumn)\s*\(/.test(text) || (/\.init\s*\(|\.define\s*\(/.test(text) && /\b(DataTypes|Sequelize)\.[A-Z]+/.test(text));
}

const MIGRATION_METHODS = new Set(['createTable', 'addColumn', 'removeColumn', 'renameColumn', 'addIndex', 'removeIndex', 'addConstraint', 'dropTable', 'renameTable', 'changeColumn']);

/** Applies Sequelize migrations and models in one file to the catalog; returns the tables touched. */
export function readSequelize(file: string, sf: ts.SourceFile, catalog: Catalog): { tables: Table[]; problems: SchemaProblem[] } {
  const problems: SchemaProblem[] = [];
  const touched: Table[] = [];
  const touch = (t: Table) => {
    if (!touched.includes(t)) touched.push(t);
  };
  for (const up of migrationUp(sf)) {
    walk(up, (n) => {
      if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return;
      const method = n.expression.name.text;
      const receiver = unwrap(n.expression.expression);
      if (MIGRATION_METHODS.has(method) && ts.isIdentifier(receiver) && /queryinterface/i.test(receiver.text)) {
        migration(method, n, file, sf, catalog, problems, touch);
      }
    });
  }
  walk(sf, (n) => {
    if (ts.isClassDeclaration(n)) decoratedModel(n, file, sf, catalog, touch);
    if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return;
    const m = n.expression.name.text;
    if (m === 'init' && n.arguments.length >= 2) {
      const modelName = ts.isIdentifier(n.expression.expression) ? n.expression.expression.text : undefined;
      if (modelName) model(modelName, n.arguments[0], n.arguments[1], n, file, sf, catalog, touch);
    } else if (m === 'define' && n.arguments.length >= 2 && ts.isStringLiteralLike(n.arguments[0])) {
      model(n.arguments[0].text, n.arguments[1], n.arguments[2], n, file, sf, catalog, touch);
    }
  });
  return { tables: touched, problems };
}

function migration(method: string, n: ts.CallExpression, file: string, sf: ts.SourceFile, catalog: Catalog, problems: SchemaProblem[], touch: (t: Table) => void): void {
  const v = (i: number) => staticValue(n.arguments[i], sf);
  const tableName = tableNameOf(v(0));
  if (!tableName) return;
  const src = refOf(file, n, sf);
  if (method === 'createTable') {
    const t = newTable(tableName, 'sequelize', src);
    const attrs = obj(v(1));
    if (!attrs) return;
    for (const [key, attr] of Object.entries(attrs)) addAttribute(t, key, attr, key, src);
    finishKeys(t, src);
    catalog.tables.set(tableName.toLowerCase(), t);
    touch(t);
    return;
  }
  if (method === 'dropTable') {
    catalog.tables.delete(tableName.toLowerCase());
    return;
  }
  const t = tableIn(catalog, tableName);
  if (!t) {
    problems.push({ file, offset: n.getStart(sf), message: `Sequelize: ${method} on unknown table ${tableName}` });
    return;
  }
  touch(t);
  switch (method) {
    case 'renameTable': {
      const to = tableNameOf(v(1));
      if (!to) return;
      catalog.tables.delete(tableName.toLowerCase());
      t.name = to;
      for (const ix of t.indexes) ix.table = to;
      catalog.tables.set(to.toLowerCase(), t);
      return;
    }
    case 'addColumn': {
      const name = str(v(1));
      if (name) addAttribute(t, name, v(2) ?? null, name, src);
      return;
    }
    case 'changeColumn': {
      const name = str(v(1));
      const c = name ? t.columns.find((x) => x.name === name) : undefined;
      const a = attribute(v(2) ?? null, t.name, name ?? '');
      if (c && a) {
        c.type = a.type;
        c.notNull = a.notNull;
      }
      return;
    }
    case 'removeColumn': {
      const name = str(v(1));
      if (name) dropColumn(t, name);
      return;
    }
    case 'renameColumn': {
      const from = str(v(1));
      const to = str(v(2));
      if (from && to) renameColumn(t, from, to);
      return;
    }
    case 'addIndex': {
      const second = v(1);
      const opts = Array.isArray(second) ? obj(v(2)) ?? {} : obj(second) ?? {};
      const fields = Array.isArray(second) ? second : opts.fields;
      const keys = indexKeys(fields);
      if (!keys) return;
      const name = str(opts.name) ?? indexName(t.name, keys);
      t.indexes.push(index(t, name, keys, { unique: opts.unique === true, method: str(opts.using)?.toLowerCase(), source: src }));
      if (opts.where !== undefined) problems.push({ file, offset: n.getStart(sf), message: `Sequelize: the partial-index condition of ${name} is not read` });
      return;
    }
    case 'removeIndex': {
      const target = v(1);
      const name = typeof target === 'string' ? target : Array.isArray(target) ? indexName(t.name, indexKeys(target) ?? []) : undefined;
      t.indexes = t.indexes.filter((i) => i.name !== name);
      return;
    }
    case 'addConstraint': {
      const o = obj(v(1)) ?? {};
      const fields = Array.isArray(o.fields) ? o.fields.filter((f): f is string => typeof f === 'string') : [];
      const type = str(o.type)?.toLowerCase();
      if (!fields.length) return;
      if (type === 'unique') addUnique(t, fields, str(o.name) ?? `${t.name}_${fields.join('_')}_uk`, src);
      else if (type === 'primary key') setPrimaryKey(t, fields, src, str(o.name) ?? `${t.name}_${fields.join('_')}_pk`);
      else if (type === 'foreign key') {
        const ref = obj(o.references);
        const refTable = tableNameOf(ref?.table);
        const refField = str(ref?.field);
        if (refTable && refField) t.foreignKeys.push({ columns: fields, refTable, refColumns: [refField], name: str(o.name) ?? `${t.name}_${fields.join('_')}_${refTable}_fk`, source: src });
      }
      return;
    }
  }
}

/** `'users'` or `{ tableName: 'users', schema }`. */
function tableNameOf(v: Static | undefined): string | undefined {
  return str(v) ?? str(obj(v)?.tableName);
}

/** Sequelize's default index name: `<table>_<fields>` underscored (`products_shop_id_status`). */
function indexName(table: string, keys: IndexKey[]): string {
  return snake(`${table}_${keys.map((k) => k.column).join('_')}`).replace(/\W/g, '_');
}

function indexKeys(fields: Static | undefined): IndexKey[] | undefined {
  if (!Array.isArray(fields)) return undefined;
  const keys: IndexKey[] = [];
  for (const f of fields) {
    if (typeof f === 'string') keys.push({ column: f });
    else {
      const o = obj(f);
      const name = str(o?.name) ?? str(o?.attribute);
      if (!name) return undefined;
      keys.push({ column: name, ...(str(o?.order)?.toUpperCase() === 'DESC' ? { descending: true } : {}) });
    }
  }
  return keys.length ? keys : undefined;
}

/** Column type and flags of an attribute (`{ type: DataTypes.STRING(64), allowNull: false }` or a bare type). */
function attribute(a: Static, table: string, column: string): { type: string; notNull: boolean; o: Record<string, Static> } | undefined {
  const o = obj(a) ?? (isUnknown(a) ? { type: a } : undefined);
  if (!o) return undefined;
  const type = sqlType(o.type, table, column, o.autoIncrement === true);
  if (!type) return undefined;
  return { type, notNull: o.allowNull === false || o.primaryKey === true, o };
}

function addAttribute(t: Table, key: string, a: Static, fallbackName: string, src: ReturnType<typeof refOf>): Column | undefined {
  const o = obj(a);
  const name = str(o?.field) ?? fallbackName;
  const attr = attribute(a, t.name, name);
  if (!attr) return undefined;
  const col = column(name, attr.type, attr.notNull, key);
  const def = attr.o.defaultValue;
  if (typeof def === 'string') col.default = `'${def.replace(/'/g, "''")}'`;
  else if (typeof def === 'number' || typeof def === 'boolean') col.default = String(def);
  t.columns.push(col);
  if (attr.o.primaryKey === true) (t as Table & { pendingPk?: string[] }).pendingPk = [...((t as Table & { pendingPk?: string[] }).pendingPk ?? []), name];
  if (attr.o.unique === true) addUnique(t, [name], `${t.name}_${name}_key`, src);
  const ref = obj(attr.o.references);
  const refTable = tableNameOf(ref?.model);
  if (refTable) {
    const refCol = str(ref?.key) ?? 'id';
    t.foreignKeys.push({ columns: [name], refTable, refColumns: [refCol], name: `${t.name}_${name}_fkey`, source: src });
    col.references = { table: refTable, column: refCol };
  }
  return col;
}

/** Primary-key attributes become one key (a composite when several say `primaryKey: true`). */
function finishKeys(t: Table, src: ReturnType<typeof refOf>): void {
  const pending = (t as Table & { pendingPk?: string[] }).pendingPk;
  delete (t as Table & { pendingPk?: string[] }).pendingPk;
  if (pending?.length) setPrimaryKey(t, pending, src);
}

const TYPES: Record<string, string> = {
  INTEGER: 'integer', BIGINT: 'bigint', SMALLINT: 'smallint', TEXT: 'text', BOOLEAN: 'boolean', DATE: 'timestamp with time zone',
  DATEONLY: 'date', TIME: 'time', REAL: 'real', DOUBLE: 'double precision', UUID: 'uuid', JSON: 'json', JSONB: 'jsonb',
  BLOB: 'bytea', CITEXT: 'citext', INET: 'inet', FLOAT: 'double precision',
};

/** `DataTypes.STRING(64)`, `Sequelize.DECIMAL(10, 2)`, `DataTypes.ENUM('a', 'b')` → SQL type. */
function sqlType(t: Static | undefined, table: string, col: string, autoIncrement: boolean): string | undefined {
  if (!isUnknown(t)) return undefined;
  const m = /^(?:\w+\.)?([A-Z]+)(?:\((.*)\))?$/s.exec(t.unknown.replace(/\s+/g, ' ').trim());
  if (!m) return undefined;
  const [, name, args] = m;
  const nums = (args ?? '').split(',').map((x) => x.trim()).filter((x) => /^\d+$/.test(x));
  if (autoIncrement && name === 'INTEGER') return 'serial';
  if (autoIncrement && name === 'BIGINT') return 'bigserial';
  switch (name) {
    case 'STRING':
      return `varchar(${nums[0] ?? 255})`;
    case 'CHAR':
      return `char(${nums[0] ?? 255})`;
    case 'DECIMAL':
    case 'NUMERIC':
      return nums.length ? `decimal(${nums.join(',')})` : 'decimal';
    case 'ENUM':
      return `"public"."enum_${table}_${col}"`;
  }
  return TYPES[name];
}

/** `User.init(attributes, options)` / `sequelize.define('User', attributes, options)`. */
function model(modelName: string, attrsNode: ts.Expression, optsNode: ts.Expression | undefined, n: ts.Node, file: string, sf: ts.SourceFile, catalog: Catalog, touch: (t: Table) => void): void {
  const attrs = obj(staticValue(attrsNode, sf));
  if (!attrs) return;
  modelFrom(modelName, attrs, obj(staticValue(optsNode, sf)) ?? {}, refOf(file, n, sf), catalog, touch);
}

/** A model's table from its attributes and options (shared by `init`/`define` and decorators). */
function modelFrom(modelName: string, attrs: Record<string, Static>, opts: Record<string, Static>, src: ReturnType<typeof refOf>, catalog: Catalog, touch: (t: Table) => void): void {
  const underscored = opts.underscored === true;
  const tableName = str(opts.tableName) ?? (opts.freezeTableName === true ? modelName : plural(modelName));
  const t = newTable(tableName, 'sequelize', src);
  t.model = modelName;
  for (const [key, a] of Object.entries(attrs)) addAttribute(t, key, a, underscored ? snake(key) : key, src);
  if (!(t as Table & { pendingPk?: string[] }).pendingPk && !t.columns.some((c) => c.name === 'id')) {
    t.columns.unshift(column('id', 'serial', true));
    (t as Table & { pendingPk?: string[] }).pendingPk = ['id'];
  }
  finishKeys(t, src);
  if (opts.timestamps !== false) {
    for (const k of ['createdAt', 'updatedAt']) if (!t.columns.some((c) => c.field === k || c.name === k)) t.columns.push(column(underscored ? snake(k) : k, 'timestamp with time zone', true, k));
  }
  const indexes = Array.isArray(opts.indexes) ? opts.indexes : [];
  for (const ix of indexes) {
    const o = obj(ix);
    const keys = indexKeys(o?.fields)?.map((k) => ({ ...k, column: t.columns.find((c) => c.field === k.column)?.name ?? k.column }));
    if (!o || !keys) continue;
    t.indexes.push(index(t, str(o.name) ?? indexName(t.name, keys), keys, { unique: o.unique === true, method: str(o.using)?.toLowerCase(), source: src }));
  }
  catalog.tables.set(tableName.toLowerCase(), t);
  touch(t);
}

function snake(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Sequelize pluralises model names for table names (`User` → `Users`, `Category` → `Categories`). */
function plural(s: string): string {
  if (/[^aeiou]y$/.test(s)) return s.slice(0, -1) + 'ies';
  if (/(s|x|z|ch|sh)$/.test(s)) return s + 'es';
  return s + 's';
}

/** Decorators of a node by name, with their call arguments. */
function decoratorsOf(n: ts.Node): Map<string, ts.NodeArray<ts.Expression> | undefined> {
  const out = new Map<string, ts.NodeArray<ts.Expression> | undefined>();
  for (const d of (ts.canHaveDecorators(n) ? ts.getDecorators(n) : undefined) ?? []) {
    const e = d.expression;
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) out.set(e.expression.text, e.arguments);
    else if (ts.isIdentifier(e)) out.set(e.text, undefined);
  }
  return out;
}

const TS_TYPES: Record<string, string> = { string: 'DataType.STRING', number: 'DataType.INTEGER', boolean: 'DataType.BOOLEAN', Date: 'DataType.DATE' };

/**
 * sequelize-typescript: `@Table({ tableName, underscored, indexes })` on a class whose
 * `@Column` properties (with `@PrimaryKey`, `@AutoIncrement`, `@AllowNull(false)`, `@Unique`,
 * `@Index`, `@ForeignKey(() => Model)`) are its attributes.
 */
function decoratedModel(cls: ts.ClassDeclaration, file: string, sf: ts.SourceFile, catalog: Catalog, touch: (t: Table) => void): void {
  const decs = decoratorsOf(cls);
  if (!decs.has('Table') || !cls.name) return;
  const tableArgs = decs.get('Table');
  const opts = obj(staticValue(tableArgs?.[0], sf)) ?? {};
  const attrs: Record<string, Static> = {};
  const propIndexes: string[] = [];
  const refs = new Map<string, string>();
  for (const m of cls.members) {
    if (!ts.isPropertyDeclaration(m) || !ts.isIdentifier(m.name)) continue;
    const d = decoratorsOf(m);
    const colArgs = d.get('Column');
    if (!d.has('Column') && !d.has('CreatedAt') && !d.has('UpdatedAt')) continue;
    if (d.has('CreatedAt') || d.has('UpdatedAt')) continue; // the timestamps option adds them
    const first = colArgs?.[0] ? staticValue(colArgs[0], sf) : undefined;
    const attr: Record<string, Static> = { ...(obj(first) ?? {}) };
    if (first && !obj(first)) attr.type = first;
    if (!attr.type) {
      const tsType = m.type?.getText(sf).replace(/\s*\|\s*(null|undefined)/g, '');
      const name = tsType ? TS_TYPES[tsType] : undefined;
      if (!name) continue;
      attr.type = { unknown: name, node: m };
    }
    if (d.has('PrimaryKey')) attr.primaryKey = true;
    if (d.has('AutoIncrement')) attr.autoIncrement = true;
    if (d.has('Unique')) attr.unique = true;
    const allowNull = d.get('AllowNull');
    if (allowNull) attr.allowNull = staticValue(allowNull[0], sf) ?? true;
    if (d.has('Index')) propIndexes.push(m.name.text);
    const fk = d.get('ForeignKey');
    const target = fk?.[0] && unwrap(fk[0]);
    if (target && ts.isArrowFunction(target) && !ts.isBlock(target.body) && ts.isIdentifier(target.body)) refs.set(m.name.text, target.body.text);
    attrs[m.name.text] = attr;
  }
  // Foreign keys name the target model's table, which may be declared later in the file.
  for (const [prop, model] of refs) {
    const target = [...catalog.tables.values()].find((t) => t.model === model);
    const attr = obj(attrs[prop]);
    if (attr) attr.references = { model: target?.name ?? plural(model), key: target?.primaryKey[0] ?? 'id' };
  }
  const indexes = Array.isArray(opts.indexes) ? [...opts.indexes] : [];
  for (const p of propIndexes) indexes.push({ fields: [p] });
  modelFrom(cls.name.text, attrs, { ...opts, indexes }, refOf(file, cls, sf), catalog, touch);
}
