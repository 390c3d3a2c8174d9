/**
 * "Add suggested index" in the ORM's own code: the text edits that declare an index where the
 * team declares them. Drizzle gets `index('…').on(t.a, t.b)` in the table's extra config (created
 * when absent; array and object forms), TypeORM an `@Index([...])` on the entity class (and the
 * `Index` import); Knex and Sequelize declare indexes in migrations, so they get a NEW migration
 * written by the migration-safety advice (CONCURRENTLY and no transaction on PostgreSQL).
 * Pure: the caller reads the file and applies the edits. Positions come from the catalog's
 * `source` ranges, re-found in a fresh parse of the file's current text.
 */
import ts = require('typescript');
import type { Dialect } from '../../dialect';
import { parseSource, unwrap } from '../../embedded/source';
import { migrationInFormat, type MigrationCalls } from '../../migrations/advice';
import { compareMigrations, migrationPlace, slashPath } from '../../migrations/layout';
import type { MigrationSet } from '../../migrations/set';
import type { Table } from '../types';
import { indexShapeOfDdl, ormIndexForm, type IndexShape } from './indexSyntax';

/** A replacement of `[start, end)` in the original text. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** What "add this index the ORM way" changes: edits to the declaring file, or a new migration. */
export type OrmIndexChange =
  | { kind: 'edit'; file: string; edits: TextEdit[]; syntax: string; then?: string }
  | { kind: 'new'; file: string; text: string; syntax: string; detail: string; then?: string };

export interface OrmIndexContext {
  /** Current text of the file that declares the table (`table.source.file`); needed for Drizzle and TypeORM. */
  fileText?: string;
  /** The workspace's migrations: picks the folder (and its format) of a new Knex/Sequelize migration. */
  migrations?: MigrationSet;
  dialect: Dialect;
  now: Date;
}

/** The change that adds the suggested `ddl` in the table's ORM; undefined when it cannot be placed (copy the syntax instead). */
export function ormIndexChange(table: Table, ddl: string, ctx: OrmIndexContext): OrmIndexChange | undefined {
  const shape = indexShapeOfDdl(table, ddl);
  const file = table.source?.file;
  if (!shape || !file) return undefined;
  switch (table.origin) {
    case 'drizzle':
      return ctx.fileText === undefined ? undefined : drizzleChange(table, shape, file, ctx.fileText);
    case 'typeorm':
      return ctx.fileText === undefined ? undefined : typeormChange(table, shape, file, ctx.fileText);
    case 'knex':
    case 'sequelize':
      return migrationChange(table, shape, ddl, ctx);
    default:
      return undefined;
  }
}

/** Applies non-overlapping edits to `text` (as an editor would, all against the original positions). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

// ---------------------------------------------------------------- Drizzle

function drizzleChange(table: Table, shape: IndexShape, file: string, text: string): OrmIndexChange | undefined {
  const sf = parseSource(file, text);
  const call = drizzleTableCall(sf, table);
  if (!call || call.arguments.length < 2) return undefined;
  const fn = shape.unique ? 'uniqueIndex' : 'index';
  const edits: TextEdit[] = [];
  const callee = ensureNamedImport(sf, text, /^drizzle-orm\/[a-z]+-core$/, drizzleCore(sf), fn, edits);
  const extra = call.arguments[2] && unwrap(call.arguments[2]);
  const element = (param: string): string | undefined => {
    const form = ormIndexForm(table, shape, { drizzleParam: param });
    return form?.syntax.replace(/^(uniqueIndex|index)\(/, `${callee}(`);
  };
  if (!extra) {
    // No extra config yet: the array form drizzle-orm documents today.
    const el = element('table');
    if (!el) return undefined;
    edits.push({ start: call.arguments[1].end, end: call.arguments[1].end, newText: `, (table) => [${el}]` });
  } else {
    if (!(ts.isArrowFunction(extra) || ts.isFunctionExpression(extra))) return undefined;
    const p = extra.parameters[0];
    if (!p || !ts.isIdentifier(p.name)) return undefined;
    const el = element(p.name.text);
    if (!el) return undefined;
    const result = returned(extra.body);
    if (!result) return undefined;
    if (ts.isArrayLiteralExpression(result)) edits.push(appendElement(text, sf, result, result.elements, el));
    else if (ts.isObjectLiteralExpression(result)) edits.push(appendElement(text, sf, result, result.properties, `${propertyKey(shape.name, result)}: ${el}`));
    else return undefined;
  }
  const form = ormIndexForm(table, shape)!;
  return { kind: 'edit', file, edits, syntax: form.syntax, then: form.then };
}

/** The `pgTable('t', {…}, extra)` call of the catalog table (its variable declaration is `table.source`). */
function drizzleTableCall(sf: ts.SourceFile, table: Table): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && (n.name.text === table.model || n.getStart(sf) === table.source?.offset)) {
      const init = unwrap(n.initializer);
      if (ts.isCallExpression(init) && init.arguments[0] && ts.isStringLiteralLike(init.arguments[0]) && init.arguments[0].text === table.name) {
        found = init;
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** The module tables are built with (`drizzle-orm/pg-core`), for a new import. */
function drizzleCore(sf: ts.SourceFile): string {
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && /^drizzle-orm\/[a-z]+-core$/.test(st.moduleSpecifier.text)) return st.moduleSpecifier.text;
  }
  return 'drizzle-orm/pg-core';
}

/** The expression a config callback returns: its concise body, or a block's `return`. */
function returned(body: ts.ConciseBody): ts.Expression | undefined {
  if (!ts.isBlock(body)) return unwrap(body);
  for (const st of body.statements) if (ts.isReturnStatement(st) && st.expression) return unwrap(st.expression);
  return undefined;
}

/** A property name for the object form, camel-cased from the index name and not already taken. */
function propertyKey(indexName: string, o: ts.ObjectLiteralExpression): string {
  const words = indexName.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let key = words.map((w, i) => (i ? w[0].toUpperCase() + w.slice(1) : w)).join('') || 'index';
  if (/^\d/.test(key)) key = `idx${key}`;
  const taken = new Set(o.properties.map((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : '')));
  let k = key;
  for (let i = 2; taken.has(k); i++) k = `${key}${i}`;
  return k;
}

/**
 * Inserts `item` after the last element of an array or object literal, in its layout: on a new
 * line with the elements' indentation when they are one per line, inline otherwise, keeping a
 * trailing comma where there was one.
 */
function appendElement(text: string, sf: ts.SourceFile, list: ts.Node, elements: ts.NodeArray<ts.Node>, item: string): TextEdit {
  if (!elements.length) {
    const open = list.getStart(sf) + 1;
    const close = list.getEnd() - 1;
    const inner = text.slice(open, close);
    if (inner.includes('\n')) {
      const indent = lineIndent(text, list.getStart(sf)) + '  ';
      return { start: open, end: close, newText: `\n${indent}${item},\n${lineIndent(text, close)}` };
    }
    return { start: open, end: close, newText: ts.isObjectLiteralExpression(list) ? ` ${item} ` : item };
  }
  const last = elements[elements.length - 1];
  const multiline = sf.getLineAndCharacterOfPosition(list.getStart(sf)).line !== sf.getLineAndCharacterOfPosition(last.getStart(sf)).line;
  if (elements.hasTrailingComma) {
    const comma = text.indexOf(',', last.getEnd());
    return multiline
      ? { start: comma + 1, end: comma + 1, newText: `\n${lineIndent(text, last.getStart(sf))}${item},` }
      : { start: comma + 1, end: comma + 1, newText: ` ${item},` };
  }
  return multiline ? { start: last.getEnd(), end: last.getEnd(), newText: `,\n${lineIndent(text, last.getStart(sf))}${item}` } : { start: last.getEnd(), end: last.getEnd(), newText: `, ${item}` };
}

/** The whitespace that starts the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/**
 * The local name of `name` imported from a module matching `from`; adds it to that import (or a
 * new import of `fallback`) when it is not imported yet.
 */
function ensureNamedImport(sf: ts.SourceFile, text: string, from: RegExp, fallback: string, name: string, edits: TextEdit[]): string {
  let target: ts.NamedImports | undefined;
  let lastImport: ts.ImportDeclaration | undefined;
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st)) continue;
    lastImport = st;
    if (!ts.isStringLiteral(st.moduleSpecifier) || !from.test(st.moduleSpecifier.text) || st.importClause?.isTypeOnly) continue;
    const bindings = st.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const el of bindings.elements) if ((el.propertyName ?? el.name).text === name && !el.isTypeOnly) return el.name.text;
    target ??= bindings;
  }
  if (target) {
    edits.push(appendElement(text, sf, target, target.elements, name));
    return name;
  }
  const at = lastImport ? lastImport.getEnd() : firstCodeOffset(sf);
  edits.push({ start: at, end: at, newText: lastImport ? `\nimport { ${name} } from '${fallback}';` : `import { ${name} } from '${fallback}';\n` });
  return name;
}

/** Where code starts: after leading comments (a `// @ts-nocheck` or licence header stays first). */
function firstCodeOffset(sf: ts.SourceFile): number {
  return sf.statements.length ? sf.statements[0].getStart(sf) : sf.getEnd();
}

// ---------------------------------------------------------------- TypeORM

function typeormChange(table: Table, shape: IndexShape, file: string, text: string): OrmIndexChange | undefined {
  const form = ormIndexForm(table, shape);
  if (!form) return undefined;
  const sf = parseSource(file, text);
  let cls: ts.ClassDeclaration | undefined;
  const visit = (n: ts.Node): void => {
    if (cls) return;
    if (ts.isClassDeclaration(n) && (n.name?.text === table.model || n.getStart(sf) === table.source?.offset) && entityDecorator(n)) {
      cls = n;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const entity = cls && entityDecorator(cls);
  if (!entity) return undefined;
  const edits: TextEdit[] = [];
  const callee = ensureNamedImport(sf, text, /^typeorm$/, 'typeorm', 'Index', edits);
  const syntax = form.syntax.replace(/^@Index\(/, `@${callee}(`);
  // On its own line under `@Entity(…)`, as TypeORM's docs and generated entities place class indexes.
  edits.push({ start: entity.getEnd(), end: entity.getEnd(), newText: `\n${lineIndent(text, entity.getStart(sf))}${syntax}` });
  return { kind: 'edit', file, edits, syntax: form.syntax, then: form.then };
}

function entityDecorator(cls: ts.ClassDeclaration): ts.Decorator | undefined {
  return ts.getDecorators(cls)?.find((d) => {
    const e = d.expression;
    return (ts.isCallExpression(e) ? e.expression : e).getText() === 'Entity';
  });
}

// ---------------------------------------------------------------- Knex and Sequelize: a new migration

function migrationChange(table: Table, shape: IndexShape, ddl: string, ctx: OrmIndexContext): OrmIndexChange | undefined {
  const tool = table.origin as 'knex' | 'sequelize';
  const form = ormIndexForm(table, shape);
  if (!form) return undefined;
  const where = migrationFolder(tool, table.source!.file, ctx.migrations);
  const pg = ctx.dialect === 'postgresql';
  const qualified = table.schema ? `${table.schema}.${table.name}` : table.name;
  let calls: MigrationCalls | undefined;
  if (tool === 'sequelize') {
    const fields = shape.keys.map((k) => (k.descending ? `{ name: '${k.column}', order: 'DESC' }` : `'${k.column}'`)).join(', ');
    const opts = [`name: '${shape.name}'`, shape.unique ? 'unique: true' : '', shape.method && shape.method !== 'btree' ? `using: '${shape.method.toUpperCase()}'` : '', pg ? 'concurrently: true' : ''].filter(Boolean).join(', ');
    const target = table.schema ? `{ tableName: '${table.name}', schema: '${table.schema}' }` : `'${table.name}'`;
    calls = {
      up: [`queryInterface.addIndex(${target}, [${fields}], { ${opts} })`],
      down: [`queryInterface.removeIndex(${target}, '${shape.name}'${pg ? ', { concurrently: true }' : ''})`],
      concurrent: pg,
    };
  } else if (!pg) {
    // MySQL builds secondary indexes online: Knex's own builder call, in its transaction.
    const cols = shape.keys.map((k) => `'${k.column}'`).join(', ');
    const add = shape.unique ? `table.unique([${cols}], { indexName: '${shape.name}' })` : `table.index([${cols}], '${shape.name}'${shape.method && shape.method !== 'btree' ? `, '${shape.method}'` : ''})`;
    const drop = shape.unique ? `table.dropUnique([${cols}], '${shape.name}')` : `table.dropIndex([${cols}], '${shape.name}')`;
    calls = {
      up: [`knex.schema.alterTable('${qualified}', (table) => {\n    ${add};\n  })`],
      down: [`knex.schema.alterTable('${qualified}', (table) => {\n    ${drop};\n  })`],
      concurrent: false,
    };
  }
  // Knex on PostgreSQL: the table exists (the new migration runs after the one that created it),
  // so the advice's raw CREATE INDEX CONCURRENTLY with Knex's transaction disabled.
  const plan = migrationInFormat({ tool, dir: where.dir, lastFile: where.lastFile, dialect: ctx.dialect }, ddl, ctx.now, calls);
  return { kind: 'new', file: plan.file, text: plan.text, syntax: form.syntax, detail: plan.detail, then: form.then };
}

/**
 * The folder a new migration goes in: the one holding the table's own migration, else the
 * workspace's main folder of that tool's migrations, else `migrations/` beside the models folder
 * (sequelize-cli's default layout).
 */
function migrationFolder(tool: 'knex' | 'sequelize', declaring: string, set: MigrationSet | undefined): { dir: string; lastFile: string } {
  const own = migrationPlace(declaring).folder;
  const inFolder = (dir: string) => (set?.files ?? []).filter((f) => f.place.folder === dir).map((f) => f.file).sort(compareMigrations);
  if (own) return { dir: own, lastFile: inFolder(own).pop() ?? slashPath(declaring) };
  const counts = new Map<string, number>();
  for (const f of set?.files ?? []) if (f.tool === tool && f.place.folder) counts.set(f.place.folder, (counts.get(f.place.folder) ?? 0) + 1);
  const main = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  if (main) return { dir: main, lastFile: inFolder(main).pop()! };
  const parts = slashPath(declaring).split('/');
  const base = parts.length > 2 ? parts.slice(0, -2).join('/') + '/' : '';
  return { dir: `${base}migrations`, lastFile: tool === 'sequelize' ? 'migration.js' : parts[parts.length - 1] };
}
