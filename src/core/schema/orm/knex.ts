/**
 * Knex migrations → catalog changes, as Knex's PostgreSQL dialect runs them:
 * `knex.schema.createTable('t', (table) => { … })` and `alterTable`/`table`, column builders
 * (`increments`, `string(name, length)`, `timestamp` → `timestamptz`…) with `.notNullable()`,
 * `.primary()`, `.unique()` (`<t>_<col>_unique`), `.index()` (`<t>_<col>_index`),
 * `.references('id').inTable('users')` (`<t>_<col>_foreign`), and table-level `primary`,
 * `unique`, `index`, `foreign`, `timestamps`, `dropColumn`, `renameColumn`, `dropIndex`.
 * Only a migration's `up` is read; `dropTable`/`renameTable` apply too.
 */
import ts = require('typescript');
import { unwrap } from '../../embedded/source';
import { applyDdl } from '../ddl';
import type { Catalog, SchemaProblem, Table } from '../types';
import { addUnique, chain, column, dropColumn, index, migrationUp, newTable, refOf, renameColumn, setPrimaryKey, staticValue, str, tableIn, walk, type Link } from './tsValues';

/** True when the file may hold Knex schema changes. */
export function mayDeclareKnex(text: string): boolean {
  return (
    /\.schema\s*\.\s*(?:withSchema\([^)]*\)\s*\.\s*)?(createTable|alterTable|table|createTableIfNotExists)\s*\(/.test(text) ||
    /\bknex(?:\.schema)?\.raw\s*\(\s*['"`]\s*(?:create|alter|drop)\b/i.test(text)
  );
}

/**
 * `knex.raw('CREATE INDEX CONCURRENTLY …')` (or `knex.schema.raw`) in `up`: DDL Knex sends as
 * written — how Knex projects build indexes the builder cannot say, or without a lock.
 */
function applyRaw(n: ts.CallExpression, file: string, sf: ts.SourceFile, catalog: Catalog, problems: SchemaProblem[], touched: Table[]): void {
  const owner = unwrap((n.expression as ts.PropertyAccessExpression).expression);
  if (!(ts.isIdentifier(owner) && owner.text === 'knex') && !isSchemaBuilder(owner)) return;
  const arg = n.arguments[0] && unwrap(n.arguments[0]);
  if (!arg || !ts.isStringLiteralLike(arg) || !/^\s*(create|alter|drop)\b/i.test(arg.text)) return;
  const before = new Set(catalog.tables.values());
  const problem = applyDdl(catalog, arg.text, file, arg.getStart(sf) + 1, 'postgresql');
  if (problem) problems.push({ file, offset: arg.getStart(sf), message: problem });
  for (const t of catalog.tables.values()) {
    if (!before.has(t)) t.origin = 'knex';
    if (t.origin === 'knex' && !touched.includes(t)) touched.push(t);
  }
}

const TYPES: Record<string, string> = {
  integer: 'integer', bigInteger: 'bigint', bigint: 'bigint', smallint: 'smallint', tinyint: 'smallint', mediumint: 'integer',
  text: 'text', boolean: 'boolean', date: 'date', time: 'time', uuid: 'uuid', json: 'json', jsonb: 'jsonb',
  double: 'double precision', binary: 'bytea', enu: 'text', enum: 'text', float: 'real',
};

/** Applies a Knex migration file's `up` to the catalog; returns the tables it created or changed. */
export function readKnex(file: string, sf: ts.SourceFile, catalog: Catalog): { tables: Table[]; problems: SchemaProblem[] } {
  const problems: SchemaProblem[] = [];
  const touched: Table[] = [];
  const ups = migrationUp(sf);
  // Raw DDL counts only in a migration's `up`: elsewhere (a test's cleanup) it is not schema.
  const inMigration = ups[0] !== sf;
  for (const up of ups) {
    walk(up, (n) => {
      if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return;
      const method = n.expression.name.text;
      if (method === 'raw') {
        if (inMigration) applyRaw(n, file, sf, catalog, problems, touched);
        return;
      }
      if (!/^(createTable|createTableIfNotExists|alterTable|table|dropTable|dropTableIfExists|renameTable)$/.test(method)) return;
      if (!isSchemaBuilder(n.expression.expression)) return;
      const name = str(staticValue(n.arguments[0], sf));
      if (!name) return;
      if (method === 'dropTable' || method === 'dropTableIfExists') {
        catalog.tables.delete(name.toLowerCase());
        return;
      }
      if (method === 'renameTable') {
        const to = str(staticValue(n.arguments[1], sf));
        const t = tableIn(catalog, name);
        if (t && to) {
          catalog.tables.delete(name.toLowerCase());
          t.name = to;
          for (const ix of t.indexes) ix.table = to;
          catalog.tables.set(to.toLowerCase(), t);
        }
        return;
      }
      const creating = method.startsWith('create');
      let t = creating ? undefined : tableIn(catalog, name);
      if (!t) {
        if (!creating) problems.push({ file, offset: n.getStart(sf), message: `Knex: alterTable of unknown table ${name}` });
        t = newTable(name, 'knex', refOf(file, n, sf));
        catalog.tables.set(name.toLowerCase(), t);
      }
      const cb = n.arguments[1] && unwrap(n.arguments[1]);
      if (cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) readBuilder(t, cb, file, sf, problems);
      if (!touched.includes(t)) touched.push(t);
    });
  }
  return { tables: touched, problems };
}

/** `knex.schema`, `this.schema`, `knex.schema.withSchema('x')`. */
function isSchemaBuilder(e: ts.Expression): boolean {
  const n = unwrap(e);
  if (ts.isPropertyAccessExpression(n)) return n.name.text === 'schema';
  if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'withSchema') return isSchemaBuilder(n.expression.expression);
  return false;
}

function readBuilder(t: Table, cb: ts.ArrowFunction | ts.FunctionExpression, file: string, sf: ts.SourceFile, problems: SchemaProblem[]): void {
  const param = cb.parameters[0] && ts.isIdentifier(cb.parameters[0].name) ? cb.parameters[0].name.text : undefined;
  if (!param) return;
  const statements = ts.isBlock(cb.body) ? cb.body.statements.filter(ts.isExpressionStatement).map((s) => s.expression) : [cb.body];
  for (const st of statements) {
    const { base, links } = chain(st);
    const b = unwrap(base);
    if (!ts.isPropertyAccessExpression(b) || !ts.isIdentifier(b.expression) || b.expression.text !== param || !links.length) continue;
    const src = refOf(file, st, sf);
    const [head, ...mods] = links;
    const arg = (i: number) => staticValue(head.args[i], sf);
    const cols = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
    switch (head.name) {
      case 'primary': {
        const name = str(arg(1)) ?? str((arg(1) as { constraintName?: string } | undefined)?.constraintName);
        setPrimaryKey(t, cols(arg(0)), src, name ?? `${t.name}_pkey`);
        continue;
      }
      case 'unique': {
        const c = cols(arg(0));
        const o = arg(1);
        addUnique(t, c, str(o) ?? str((o as { indexName?: string } | undefined)?.indexName) ?? `${t.name}_${c.join('_')}_unique`, src);
        continue;
      }
      case 'index': {
        const c = cols(arg(0));
        const o = arg(2);
        const method = str(o) ?? str((o as { indexType?: string } | undefined)?.indexType);
        t.indexes.push(index(t, str(arg(1)) ?? `${t.name}_${c.join('_')}_index`, c.map((column) => ({ column })), { method: method?.toLowerCase(), source: src }));
        continue;
      }
      case 'foreign': {
        const c = cols(arg(0));
        const refs = mods.find((m) => m.name === 'references');
        const inTable = mods.find((m) => m.name === 'inTable');
        let refCols = refs ? cols(staticValue(refs.args[0], sf)) : [];
        let refTable = inTable ? str(staticValue(inTable.args[0], sf)) : undefined;
        if (!refTable && refCols.length === 1 && refCols[0].includes('.')) [refTable, refCols] = [refCols[0].split('.')[0], [refCols[0].split('.')[1]]];
        if (refTable && refCols.length) t.foreignKeys.push({ columns: c, refTable, refColumns: refCols, name: str(arg(1)) ?? `${t.name}_${c.join('_')}_foreign`, source: src });
        continue;
      }
      case 'timestamps': {
        const notNull = arg(1) === true;
        const camel = arg(2) === true;
        for (const n of camel ? ['createdAt', 'updatedAt'] : ['created_at', 'updated_at']) {
          const c = column(n, 'timestamptz', notNull);
          if (notNull) c.default = 'CURRENT_TIMESTAMP';
          t.columns.push(c);
        }
        continue;
      }
      case 'dropColumn':
      case 'dropColumns':
        for (const a of head.args) for (const c of cols(staticValue(a, sf))) dropColumn(t, c);
        continue;
      case 'renameColumn': {
        const from = str(arg(0));
        const to = str(arg(1));
        if (from && to) renameColumn(t, from, to);
        continue;
      }
      case 'dropIndex':
      case 'dropUnique': {
        const c = cols(arg(0));
        const name = str(arg(1)) ?? `${t.name}_${c.join('_')}_${head.name === 'dropIndex' ? 'index' : 'unique'}`;
        t.indexes = t.indexes.filter((i) => i.name !== name);
        if (head.name === 'dropUnique') t.uniques = t.uniques.filter((u) => u.join(',') !== c.join(','));
        continue;
      }
      case 'dropForeign': {
        const c = cols(arg(0));
        t.foreignKeys = t.foreignKeys.filter((f) => f.columns.join(',') !== c.join(','));
        continue;
      }
      case 'dropPrimary':
        t.indexes = t.indexes.filter((i) => !(i.implicit && i.keys.map((k) => k.column).join(',') === t.primaryKey.join(',')));
        t.primaryKey = [];
        continue;
    }
    readColumn(t, head, mods, src, sf, file, problems);
  }
}

function readColumn(t: Table, head: Link, mods: Link[], src: ReturnType<typeof refOf>, sf: ts.SourceFile, file: string, problems: SchemaProblem[]): void {
  const name = str(staticValue(head.args[0], sf));
  const type = columnType(head, sf);
  if (!name || !type) {
    if (name) problems.push({ file, offset: head.node.getStart(sf), message: `Knex column ${t.name}.${name}: unknown type ${head.name}()` });
    return;
  }
  const altering = mods.some((m) => m.name === 'alter');
  let col = altering ? t.columns.find((c) => c.name === name) : undefined;
  if (col) col.type = type;
  else {
    col = column(name, type, false);
    t.columns.push(col);
  }
  if (head.name === 'increments' || head.name === 'bigIncrements') {
    const primary = (staticValue(head.args[1], sf) as { primaryKey?: boolean } | undefined)?.primaryKey !== false;
    col.notNull = true;
    if (primary) setPrimaryKey(t, [name], src);
  }
  for (const m of mods) {
    if (m.name === 'notNullable') col.notNull = true;
    else if (m.name === 'nullable') col.notNull = false;
    else if (m.name === 'primary') setPrimaryKey(t, [name], src, str(staticValue(m.args[0], sf)) ?? `${t.name}_pkey`);
    else if (m.name === 'unique') addUnique(t, [name], str(staticValue(m.args[0], sf)) ?? `${t.name}_${name}_unique`, src);
    else if (m.name === 'index') t.indexes.push(index(t, str(staticValue(m.args[0], sf)) ?? `${t.name}_${name}_index`, [{ column: name }], { source: src }));
    else if (m.name === 'defaultTo') {
      const v = staticValue(m.args[0], sf);
      if (typeof v === 'string') col.default = `'${v.replace(/'/g, "''")}'`;
      else if (typeof v === 'number' || typeof v === 'boolean') col.default = String(v);
    } else if (m.name === 'references') {
      const ref = str(staticValue(m.args[0], sf));
      const inTable = mods.find((x) => x.name === 'inTable');
      let refTable = inTable ? str(staticValue(inTable.args[0], sf)) : undefined;
      let refCol = ref;
      if (!refTable && ref?.includes('.')) [refTable, refCol] = ref.split('.');
      if (refTable && refCol) {
        t.foreignKeys.push({ columns: [name], refTable, refColumns: [refCol], name: `${t.name}_${name}_foreign`, source: src });
        col.references = { table: refTable, column: refCol };
      }
    }
  }
}

function columnType(head: Link, sf: ts.SourceFile): string | undefined {
  const arg = (i: number) => staticValue(head.args[i], sf);
  const num = (i: number, d: number) => (typeof arg(i) === 'number' ? (arg(i) as number) : d);
  switch (head.name) {
    case 'increments':
      return 'serial';
    case 'bigIncrements':
      return 'bigserial';
    case 'string':
      return `varchar(${num(1, 255)})`;
    case 'decimal':
      return `decimal(${num(1, 8)}, ${num(2, 2)})`;
    case 'timestamp':
    case 'datetime': {
      const o = arg(1) as { useTz?: boolean; precision?: number } | boolean | undefined;
      const noTz = o === true || (typeof o === 'object' && o !== null && (o as { useTz?: boolean }).useTz === false);
      return noTz ? 'timestamp' : 'timestamptz';
    }
    case 'specificType':
      return str(arg(1))?.toLowerCase();
  }
  return TYPES[head.name];
}
