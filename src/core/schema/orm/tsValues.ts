/**
 * Static reading of the TS/JS that ORM schemas are written in: literal values (strings,
 * numbers, objects, arrays), method chains (`varchar('email', { length: 255 }).notNull()`), and
 * small table builders shared by the ORM readers. Anything not literal reads as `undefined`.
 */
import ts = require('typescript');
import { unwrap } from '../../embedded/source';
import type { Catalog, Column, IndexDef, IndexKey, SourceRef, Table } from '../types';
export { dropColumn, renameColumn } from '../columnChanges';

/** A literal value, or an `Unknown` marker with the source text (`Sequelize.STRING(64)`). */
export type Static = string | number | boolean | null | Static[] | { [key: string]: Static } | Unknown;
export interface Unknown {
  unknown: string;
  node: ts.Node;
}

export function isUnknown(v: Static | undefined): v is Unknown {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'unknown' in v && 'node' in v;
}

/** The literal value of an expression. */
export function staticValue(e: ts.Expression | undefined, sf: ts.SourceFile): Static | undefined {
  if (!e) return undefined;
  const n = unwrap(e);
  if (ts.isStringLiteralLike(n)) return n.text;
  if (ts.isNumericLiteral(n)) return Number(n.text);
  if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(n.operand)) return -Number(n.operand.text);
  if (n.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (n.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (n.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isArrayLiteralExpression(n)) return n.elements.map((x) => staticValue(x, sf) ?? { unknown: x.getText(sf), node: x });
  if (ts.isObjectLiteralExpression(n)) {
    const out: { [key: string]: Static } = {};
    for (const p of n.properties) {
      const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name)) ? p.name.text : undefined;
      if (!key) continue;
      if (ts.isPropertyAssignment(p)) out[key] = staticValue(p.initializer, sf) ?? { unknown: p.initializer.getText(sf), node: p.initializer };
      else if (ts.isShorthandPropertyAssignment(p)) out[key] = { unknown: key, node: p };
    }
    return out;
  }
  return { unknown: n.getText(sf), node: n };
}

/** `obj[key]` as a string when it is one. */
export function str(v: Static | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function obj(v: Static | undefined): { [key: string]: Static } | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v) ? v : undefined;
}

/** One link of a method chain: `notNull()`, `references(() => users.id)`. */
export interface Link {
  name: string;
  args: ts.NodeArray<ts.Expression>;
  node: ts.CallExpression;
}

/**
 * Decomposes `base.a(x).b().c(y)` into the base expression and the calls in order. The base is
 * the first call's callee (`varchar` in `varchar('e').notNull()`, `table.string` in Knex).
 */
export function chain(e: ts.Expression): { base: ts.Expression; links: Link[] } {
  const links: Link[] = [];
  let n = unwrap(e);
  while (ts.isCallExpression(n)) {
    const callee = unwrap(n.expression);
    if (ts.isPropertyAccessExpression(callee) && ts.isCallExpression(unwrap(callee.expression))) {
      links.unshift({ name: callee.name.text, args: n.arguments, node: n });
      n = unwrap(callee.expression);
    } else {
      links.unshift({ name: ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '', args: n.arguments, node: n });
      return { base: callee, links };
    }
  }
  return { base: n, links };
}

/** Text of the last name in `a.b.c` (`c`), or of an identifier. */
export function nameOf(e: ts.Expression): string | undefined {
  const n = unwrap(e);
  if (ts.isIdentifier(n)) return n.text;
  if (ts.isPropertyAccessExpression(n)) return n.name.text;
  return undefined;
}

/** A new, empty table declared by an ORM. */
export function newTable(name: string, origin: NonNullable<Table['origin']>, source: SourceRef, schema?: string): Table {
  return { name, ...(schema ? { schema } : {}), columns: [], primaryKey: [], uniques: [], foreignKeys: [], indexes: [], source, origin };
}

/** Marks columns as the primary key, with the implicit `<table>_pkey` index PostgreSQL creates. */
export function setPrimaryKey(t: Table, columns: string[], source?: SourceRef, name?: string): void {
  const old = t.primaryKey;
  // The old key's implicit index goes with it.
  t.indexes = t.indexes.filter((i) => !(old.length && i.implicit && i.unique && sameCols(i.keys, old)));
  t.primaryKey = columns;
  if (columns.length === 1) {
    const c = t.columns.find((x) => x.name === columns[0]);
    if (c) {
      c.primaryKey = true;
      c.notNull = true;
    }
  } else for (const col of columns) {
    const c = t.columns.find((x) => x.name === col);
    if (c) c.notNull = true;
  }
  t.indexes.push(index(t, name ?? `${t.name}_pkey`, columns.map((column) => ({ column })), { unique: true, implicit: true, source }));
}

/** A UNIQUE constraint: in `uniques`, with its implicit index. */
export function addUnique(t: Table, columns: string[], name: string, source?: SourceRef): void {
  t.uniques.push(columns);
  t.indexes.push(index(t, name, columns.map((column) => ({ column })), { unique: true, implicit: true, source }));
}

export function index(t: Table, name: string, keys: IndexKey[], o: { unique?: boolean; implicit?: boolean; method?: string; source?: SourceRef } = {}): IndexDef {
  return { name, table: t.name, keys, include: [], unique: !!o.unique, method: o.method ?? 'btree', implicit: !!o.implicit, ...(o.source ? { source: o.source } : {}) };
}

function sameCols(keys: IndexKey[], cols: string[]): boolean {
  return keys.length === cols.length && keys.every((k, i) => k.column === cols[i]);
}

/** A column with its attributes. */
export function column(name: string, type: string, notNull: boolean, field?: string): Column {
  return { name, type, notNull, ...(field && field !== name ? { field } : {}) };
}

/** The source ref of a node. */
export function refOf(file: string, node: ts.Node, sf: ts.SourceFile): SourceRef {
  return { file, offset: node.getStart(sf), end: node.getEnd() };
}

/** Visits every node below `root` in source order (iteratively: deep code must not overflow). */
export function walk(root: ts.Node, visit: (n: ts.Node) => void): void {
  const stack: ts.Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    visit(n);
    const children: ts.Node[] = [];
    ts.forEachChild(n, (c) => {
      children.push(c);
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}

/**
 * The `up` of a migration — `export async function up`, `exports.up = …`, `up: async (…) => …`,
 * a class's `async up(queryRunner)` — so that `down` (which undoes it) is never read. The whole
 * file when it has no `up`.
 */
export function migrationUp(sf: ts.SourceFile): ts.Node[] {
  const ups: ts.Node[] = [];
  walk(sf, (n) => {
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name && n.name.getText(sf) === 'up' && n.body) ups.push(n.body);
    else if (ts.isPropertyAssignment(n) && n.name.getText(sf) === 'up') ups.push(n.initializer);
    else if (ts.isVariableDeclaration(n) && n.name.getText(sf) === 'up' && n.initializer) ups.push(n.initializer);
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && n.left.name.text === 'up') ups.push(n.right);
  });
  return ups.length ? ups : [sf];
}

/** Finds a table in the catalog by name for a migration to change. */
export function tableIn(catalog: Catalog, name: string): Table | undefined {
  return catalog.tables.get(name.toLowerCase());
}
