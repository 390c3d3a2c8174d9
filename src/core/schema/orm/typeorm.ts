/**
 * TypeORM schemas → catalog tables: entities (`@Entity`, `@Column`, `@PrimaryGeneratedColumn`,
 * `@PrimaryColumn`, date columns, `@Index` on class or property, `@Unique`, `@ManyToOne`/
 * `@OneToOne` with `@JoinColumn` → foreign-key column) named as the default naming strategy
 * does (snake_case table names, `PK_`/`IDX_`/`UQ_`/`FK_` + sha1 constraint names), and
 * migrations, whose `queryRunner.query('CREATE …')` strings are read as the SQL they are.
 */
import { createHash } from 'crypto';
import ts = require('typescript');
import { unwrap } from '../../embedded/source';
import { applyDdl } from '../ddl';
import type { Catalog, Column, SchemaProblem, Table } from '../types';
import { addUnique, column, index, migrationUp, newTable, obj, refOf, setPrimaryKey, staticValue, str, walk, type Static } from './tsValues';

/** True when the file may hold TypeORM entities or migrations. */
export function mayDeclareTypeorm(text: string): boolean {
  return /@Entity\s*\(/.test(text) || (/queryRunner\.query\s*\(/.test(text) && /MigrationInterface|QueryRunner/.test(text));
}

/** TypeORM's default names: sha1 of `<table>_<sorted columns>`, cut like TypeORM cuts them. */
function hashName(prefix: 'PK' | 'IDX' | 'UQ' | 'FK' | 'REL', table: string, columns: string[]): string {
  const key = `${table.replace('.', '_')}_${[...columns].sort().join('_')}`;
  return `${prefix}_${createHash('sha1').update(key).digest('hex').slice(0, prefix === 'IDX' ? 26 : 27)}`;
}

/** snake_case as TypeORM's naming strategy writes it (`OrderItem` → `order_item`). */
function snakeCase(s: string): string {
  return s.replace(/(?:([a-z])([A-Z]))|(?:((?!^)[A-Z])([a-z]))/g, '$1_$3$2$4').toLowerCase();
}

const TYPES: Record<string, string> = {
  varchar: 'character varying', 'character varying': 'character varying', string: 'character varying', text: 'text',
  int: 'integer', integer: 'integer', int4: 'integer', number: 'integer', smallint: 'smallint', int2: 'smallint', bigint: 'bigint', int8: 'bigint',
  boolean: 'boolean', bool: 'boolean', Date: 'timestamp', timestamp: 'timestamp',
  timestamptz: 'timestamp with time zone', 'timestamp with time zone': 'timestamp with time zone', date: 'date', time: 'time',
  uuid: 'uuid', json: 'json', jsonb: 'jsonb', float: 'double precision', double: 'double precision', 'double precision': 'double precision',
  real: 'real', decimal: 'numeric', numeric: 'numeric', bytea: 'bytea', char: 'character', inet: 'inet', citext: 'citext',
};

interface Decorator {
  name: string;
  args: ts.NodeArray<ts.Expression>;
  node: ts.Decorator;
}

function decorators(n: ts.Node): Decorator[] {
  const out: Decorator[] = [];
  for (const d of (ts.canHaveDecorators(n) ? ts.getDecorators(n) : undefined) ?? []) {
    const e = d.expression;
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) out.push({ name: e.expression.text, args: e.arguments, node: d });
    else if (ts.isIdentifier(e)) out.push({ name: e.text, args: ts.factory.createNodeArray(), node: d });
  }
  return out;
}

/** Entities and migrations of one file, applied to the catalog. */
export function readTypeorm(file: string, sf: ts.SourceFile, catalog: Catalog): { tables: Table[]; problems: SchemaProblem[] } {
  const problems: SchemaProblem[] = [];
  const touched: Table[] = [];
  const classes: ts.ClassDeclaration[] = [];
  walk(sf, (n) => {
    if (ts.isClassDeclaration(n) && decorators(n).some((d) => d.name === 'Entity')) classes.push(n);
  });
  if (!classes.length) {
    migrations(file, sf, catalog, problems, touched);
    return { tables: touched, problems };
  }
  const entities = new Map<string, { table: Table; props: Map<string, string> }>();
  const relations: { t: Table; prop: string; target: string; join?: Record<string, Static>; oneToOne: boolean; node: ts.Node }[] = [];
  for (const cls of classes) {
    const className = cls.name?.text ?? 'Entity';
    const ent = decorators(cls).find((d) => d.name === 'Entity')!;
    const v = staticValue(ent.args[0], sf);
    const name = str(v) ?? str(obj(v)?.name) ?? snakeCase(className);
    const schema = str(obj(v)?.schema) ?? str(obj(staticValue(ent.args[1], sf))?.schema);
    const t = newTable(name, 'typeorm', refOf(file, cls, sf), schema && schema !== 'public' ? schema : undefined);
    t.model = className;
    const props = new Map<string, string>();
    const pk: string[] = [];
    for (const m of cls.members) {
      if (!ts.isPropertyDeclaration(m) || !m.name || !ts.isIdentifier(m.name)) continue;
      const prop = m.name.text;
      const decs = decorators(m);
      const rel = decs.find((d) => d.name === 'ManyToOne' || d.name === 'OneToOne');
      if (rel) {
        const join = decs.find((d) => d.name === 'JoinColumn');
        if (rel.name === 'ManyToOne' || join) {
          const target = targetName(rel.args[0]);
          if (target) relations.push({ t, prop, target, join: join ? obj(staticValue(join.args[0], sf)) ?? {} : undefined, oneToOne: rel.name === 'OneToOne', node: m });
        }
        continue;
      }
      const colDec = decs.find((d) => /^(Column|PrimaryColumn|PrimaryGeneratedColumn|CreateDateColumn|UpdateDateColumn|DeleteDateColumn|VersionColumn)$/.test(d.name));
      if (!colDec) continue;
      const first = staticValue(colDec.args[0], sf);
      const opts = obj(first) ?? obj(staticValue(colDec.args[1], sf)) ?? {};
      const colName = str(opts.name) ?? prop;
      const tsType = m.type ? m.type.getText(sf).replace(/\s*\|\s*(null|undefined)/g, '') : undefined;
      let type: string;
      let notNull = opts.nullable !== true;
      if (colDec.name === 'PrimaryGeneratedColumn') {
        const strategy = str(first) ?? 'increment';
        type = strategy === 'uuid' ? 'uuid' : str(opts.type) === 'bigint' ? 'bigserial' : 'serial';
        notNull = true;
      } else if (/DateColumn$/.test(colDec.name)) {
        type = TYPES[str(opts.type) ?? 'timestamp'] ?? 'timestamp';
        notNull = colDec.name !== 'DeleteDateColumn';
      } else {
        const declared = str(first) ?? str(opts.type);
        type = columnType(declared ?? tsType ?? 'varchar', opts, t.name, colName) ?? 'character varying';
      }
      if (opts.array === true) type += '[]';
      const col: Column = column(colName, type, notNull || colDec.name.startsWith('Primary'), prop);
      const def = opts.default;
      if (typeof def === 'string') col.default = `'${def.replace(/'/g, "''")}'`;
      else if (typeof def === 'number' || typeof def === 'boolean') col.default = String(def);
      if (/DateColumn$/.test(colDec.name)) col.default = 'now()';
      t.columns.push(col);
      props.set(prop, colName);
      const src = refOf(file, m, sf);
      if (colDec.name.startsWith('Primary')) pk.push(colName);
      if (opts.unique === true) addUnique(t, [colName], hashName('UQ', t.name, [colName]), src);
      for (const d of decs.filter((x) => x.name === 'Index')) {
        const a0 = staticValue(d.args[0], sf);
        const o = obj(a0) ?? obj(staticValue(d.args[1], sf)) ?? {};
        t.indexes.push(index(t, str(a0) ?? hashName('IDX', t.name, [colName]), [{ column: colName }], { unique: o.unique === true, source: refOf(file, d.node, sf) }));
      }
    }
    if (pk.length) setPrimaryKey(t, pk, t.source, hashName('PK', t.name, pk));
    entities.set(className, { table: t, props });
    for (const d of decorators(cls)) {
      if (d.name !== 'Index' && d.name !== 'Unique') continue;
      const a0 = staticValue(d.args[0], sf);
      const named = typeof a0 === 'string';
      const fields = staticValue(d.args[named ? 1 : 0], sf);
      const o = obj(staticValue(d.args[named ? 2 : 1], sf)) ?? {};
      if (!Array.isArray(fields)) continue;
      const cols = fields.map((f) => (typeof f === 'string' ? props.get(f) ?? f : undefined));
      if (cols.some((c) => !c)) continue;
      const c = cols as string[];
      const src = refOf(file, d.node, sf);
      if (d.name === 'Unique') addUnique(t, c, named ? (a0 as string) : hashName('UQ', t.name, c), src);
      else t.indexes.push(index(t, named ? (a0 as string) : hashName('IDX', t.name, c), c.map((column) => ({ column })), { unique: o.unique === true, source: src }));
    }
    catalog.tables.set(t.name.toLowerCase(), t);
    touched.push(t);
  }
  for (const r of relations) {
    const target = entities.get(r.target);
    if (!target) continue;
    const refCol = str(r.join?.referencedColumnName) ?? target.table.primaryKey[0] ?? 'id';
    const colName = str(r.join?.name) ?? `${r.prop}${refCol[0].toUpperCase()}${refCol.slice(1)}`;
    const refType = target.table.columns.find((c) => c.name === refCol)?.type.replace(/^serial$/, 'integer').replace(/^bigserial$/, 'bigint') ?? 'integer';
    if (!r.t.columns.some((c) => c.name === colName)) r.t.columns.push(column(colName, refType, false));
    const src = refOf(file, r.node, sf);
    r.t.foreignKeys.push({ columns: [colName], refTable: target.table.name, refColumns: [refCol], name: hashName('FK', r.t.name, [colName]), source: src });
    if (r.oneToOne) addUnique(r.t, [colName], hashName('REL', r.t.name, [colName]), src);
  }
  return { tables: touched, problems };
}

/** `() => User` → `User`. */
function targetName(e: ts.Expression | undefined): string | undefined {
  const f = e && unwrap(e);
  if (f && ts.isArrowFunction(f) && !ts.isBlock(f.body) && ts.isIdentifier(unwrap(f.body))) return (unwrap(f.body) as ts.Identifier).text;
  if (f && ts.isStringLiteralLike(f)) return f.text;
  return undefined;
}

function columnType(declared: string, opts: Record<string, Static>, table: string, col: string): string | undefined {
  if (declared === 'enum' || (opts.enum !== undefined && !str(opts.type))) return `"${str(opts.enumName) ?? `${table}_${col}_enum`}"`;
  const base = TYPES[declared] ?? TYPES[declared.toLowerCase()];
  if (!base) return declared.toLowerCase();
  const length = typeof opts.length === 'number' || typeof opts.length === 'string' ? String(opts.length) : undefined;
  if (base === 'character varying' || base === 'character') return length ? `${base}(${length})` : base;
  if (base === 'numeric' && typeof opts.precision === 'number') return `numeric(${opts.precision}${typeof opts.scale === 'number' ? `,${opts.scale}` : ''})`;
  return base;
}

/** A migration's `queryRunner.query('…')` strings (in `up`), applied as DDL. */
function migrations(file: string, sf: ts.SourceFile, catalog: Catalog, problems: SchemaProblem[], touched: Table[]): void {
  for (const up of migrationUp(sf)) {
    walk(up, (n) => {
      if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression) || n.expression.name.text !== 'query') return;
      const arg = n.arguments[0] && unwrap(n.arguments[0]);
      if (!arg || !ts.isStringLiteralLike(arg)) return;
      const before = new Set(catalog.tables.values());
      const problem = applyDdl(catalog, arg.text, file, arg.getStart(sf) + 1, 'postgresql');
      if (problem) problems.push({ file, offset: arg.getStart(sf), message: problem });
      for (const t of catalog.tables.values()) {
        if (!before.has(t)) t.origin = 'typeorm';
        if (t.origin === 'typeorm' && !touched.includes(t)) touched.push(t);
      }
    });
  }
}
