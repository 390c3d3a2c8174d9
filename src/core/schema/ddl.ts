/**
 * Reads DDL statements into a catalog with a token-level reader rather than node-sql-parser:
 * migrations are full of syntax the parser rejects or flattens (INCLUDE, partial and
 * expression indexes, `USING gin`, CONCURRENTLY, opclasses, MySQL inline KEYs), and the catalog
 * needs the exact text of expressions and predicates. Statements that are not DDL are ignored;
 * DDL it cannot read is reported as a problem, never thrown.
 */
import type { Dialect } from '../dialect';
import { matchingParen, normalizeExpression, tokenize, type Token } from '../sql/tokens';
import type { Catalog, Column, IndexDef, IndexKey, Table } from './types';
import { dropColumn, renameColumn } from './columnChanges';

/** A qualified name as written: `public.users` → { schema: 'public', name: 'users' }. */
interface QName {
  schema?: string;
  name: string;
}

/** Cursor over the tokens of one statement. */
class Cursor {
  i = 0;
  constructor(readonly toks: Token[], readonly text: string) {}
  peek(k = 0): Token | undefined {
    return this.toks[this.i + k];
  }
  /** True (and advances) when the next tokens are these keywords. */
  accept(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) {
      const t = this.toks[this.i + k];
      if (!t || t.kind !== 'word' || t.value !== words[k]) return false;
    }
    this.i += words.length;
    return true;
  }
  acceptOp(op: string): boolean {
    const t = this.peek();
    if (t && t.kind === 'op' && t.text === op) {
      this.i++;
      return true;
    }
    return false;
  }
  isWord(...words: string[]): boolean {
    const t = this.peek();
    return !!t && t.kind === 'word' && words.includes(t.value);
  }
  done(): boolean {
    return this.i >= this.toks.length;
  }
}

/** Identifier value: unquoted names fold to lower case (PostgreSQL), quoted keep their case. */
function identOf(t: Token | undefined): string | undefined {
  if (!t) return undefined;
  if (t.kind === 'word') return t.value;
  if (t.kind === 'quoted') return t.value;
  return undefined;
}

function readQName(c: Cursor): QName | undefined {
  const parts: string[] = [];
  const first = identOf(c.peek());
  if (first === undefined) return undefined;
  parts.push(first);
  c.i++;
  while (c.peek()?.text === '.' && identOf(c.peek(1)) !== undefined) {
    parts.push(identOf(c.peek(1))!);
    c.i += 2;
  }
  return { name: parts[parts.length - 1], schema: parts.length > 1 ? parts[parts.length - 2] : undefined };
}

/** Splits the tokens between two parentheses at top-level commas. */
function splitTopLevel(toks: Token[]): Token[][] {
  const parts: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  for (const t of toks) {
    if (t.kind === 'op' && t.text === '(') depth++;
    if (t.kind === 'op' && t.text === ')') depth--;
    if (depth === 0 && t.kind === 'op' && t.text === ',') {
      parts.push(cur);
      cur = [];
      continue;
    }
    cur.push(t);
  }
  if (cur.length) parts.push(cur);
  return parts;
}

/** Reads `( … )` at the cursor and returns the inner tokens (cursor moves past the `)`). */
function readParenGroup(c: Cursor): Token[] | undefined {
  if (c.peek()?.text !== '(') return undefined;
  const close = matchingParen(c.toks, c.i);
  const inner = c.toks.slice(c.i + 1, close);
  c.i = Math.min(close + 1, c.toks.length);
  return inner;
}

/** Joins tokens back into compact text: one space between words, none around punctuation. */
export function joinTokens(toks: Token[]): string {
  let out = '';
  for (const t of toks) {
    const piece = t.kind === 'word' ? t.value : t.text;
    if (out && /[A-Za-z0-9_"']$/.test(out) && /^[A-Za-z0-9_"']/.test(piece)) out += ' ';
    out += piece;
  }
  return out;
}

/** A list of plain column names: `(a, "B", c(10) DESC)` → ['a', 'B', 'c']. */
function columnList(toks: Token[]): string[] {
  return splitTopLevel(toks)
    .map((p) => identOf(p[0]))
    .filter((n): n is string => n !== undefined);
}

const COLUMN_CONSTRAINT_WORDS = new Set([
  'constraint', 'not', 'null', 'default', 'primary', 'unique', 'references', 'check', 'collate',
  'generated', 'auto_increment', 'comment', 'on', 'identity', 'key', 'character', 'charset',
]);

const KEY_MODIFIERS = new Set(['asc', 'desc', 'nulls', 'first', 'last', 'collate']);

/** Applies one DDL statement to the catalog. Returns a problem message when it could not. */
export function applyDdl(catalog: Catalog, text: string, file: string, offset: number, dialect: Dialect): string | undefined {
  const toks = tokenize(text, dialect);
  const c = new Cursor(toks, text);
  // `end` lets rules report on (and fixes replace) the whole declaring statement.
  const source = { file, offset, end: offset + text.length };
  try {
    if (c.accept('create')) {
      c.accept('or', 'replace');
      if (c.isWord('global', 'local')) c.i++;
      if (c.isWord('temp', 'temporary', 'unlogged')) c.i++;
      if (c.accept('table')) return createTable(catalog, c, source, dialect);
      const unique = c.accept('unique');
      const kind = c.isWord('fulltext', 'spatial') ? c.peek()!.value : undefined;
      if (kind) c.i++;
      if (c.accept('index')) return createIndex(catalog, c, source, unique, dialect, kind);
      return undefined;
    }
    if (c.accept('alter', 'table')) return alterTable(catalog, c, source, dialect);
    if (c.accept('alter', 'index')) {
      c.accept('if', 'exists');
      const name = readQName(c);
      if (name && c.accept('rename', 'to')) {
        const to = identOf(c.peek());
        const found = findIndex(catalog, name.name);
        if (found && to) found.index.name = to;
      }
      return undefined;
    }
    if (c.accept('drop', 'table')) {
      c.accept('if', 'exists');
      do {
        const name = readQName(c);
        if (name) catalog.tables.delete(name.name.toLowerCase());
      } while (c.acceptOp(','));
      return undefined;
    }
    if (c.accept('drop', 'index')) {
      c.accept('concurrently');
      c.accept('if', 'exists');
      do {
        const name = readQName(c);
        if (!name) break;
        const found = findIndex(catalog, name.name);
        if (found) found.table.indexes.splice(found.table.indexes.indexOf(found.index), 1);
      } while (c.acceptOp(','));
      return undefined;
    }
    if (c.accept('rename', 'table')) {
      const from = readQName(c);
      if (from && c.accept('to')) {
        const to = readQName(c);
        if (to) renameTable(catalog, from.name, to.name);
      }
    }
    return undefined;
  } catch (err) {
    return `could not read this DDL statement (${String((err as Error)?.message ?? err).slice(0, 120)})`;
  }
}

function findIndex(catalog: Catalog, name: string): { table: Table; index: IndexDef } | undefined {
  const lower = name.toLowerCase();
  for (const table of catalog.tables.values()) {
    const index = table.indexes.find((ix) => ix.name.toLowerCase() === lower);
    if (index) return { table, index };
  }
  return undefined;
}

function renameTable(catalog: Catalog, from: string, to: string): void {
  const t = catalog.tables.get(from.toLowerCase());
  if (!t) return;
  catalog.tables.delete(from.toLowerCase());
  t.name = to;
  for (const ix of t.indexes) ix.table = to;
  catalog.tables.set(to.toLowerCase(), t);
}

function createTable(catalog: Catalog, c: Cursor, source: { file: string; offset: number }, dialect: Dialect): string | undefined {
  const ifNotExists = c.accept('if', 'not', 'exists');
  const qn = readQName(c);
  if (!qn) return 'CREATE TABLE without a readable table name';
  const key = qn.name.toLowerCase();
  if (ifNotExists && catalog.tables.has(key)) return undefined;
  const table: Table = { name: qn.name, schema: qn.schema, columns: [], primaryKey: [], uniques: [], foreignKeys: [], indexes: [], source };
  if (c.isWord('as') || c.isWord('partition')) {
    catalog.tables.set(key, table);
    return c.isWord('as') ? `the columns of CREATE TABLE ${qn.name} AS … are not known` : undefined;
  }
  const body = readParenGroup(c);
  if (!body) return `could not read the column list of CREATE TABLE ${qn.name}`;
  for (const part of splitTopLevel(body)) addTableElement(table, part, dialect, source, c.text);
  catalog.tables.set(key, table);
  return undefined;
}

/** Adds a column definition or table constraint (`PRIMARY KEY (…)`, MySQL `KEY k (…)`) to the table. */
function addTableElement(table: Table, part: Token[], dialect: Dialect, source: { file: string; offset: number }, text: string): void {
  if (part.length === 0) return;
  const c = new Cursor(part, text);
  let constraintName: string | undefined;
  if (c.accept('constraint')) {
    constraintName = identOf(c.peek());
    c.i++;
  }
  if (c.accept('primary', 'key')) {
    const cols = columnList(readParenGroupSkipping(c) ?? []);
    setPrimaryKey(table, cols, constraintName, dialect, source);
    return;
  }
  if (c.isWord('unique', 'fulltext', 'spatial') || (c.isWord('key', 'index') && !isColumnDef(part.slice(c.i)))) {
    const unique = c.accept('unique');
    const kind = c.isWord('fulltext', 'spatial') ? c.peek()!.value : undefined;
    if (kind) c.i++;
    c.accept('key') || c.accept('index');
    let name = constraintName;
    if (c.peek()?.text !== '(' && identOf(c.peek()) !== undefined && !c.isWord('using')) {
      name = identOf(c.peek());
      c.i++;
    }
    if (c.accept('using')) c.i++;
    const inner = readParenGroup(c);
    if (!inner) return;
    const keys = readIndexKeys(inner, dialect);
    const cols = keys.map((k) => k.column).filter((k): k is string => !!k);
    if (unique) {
      table.uniques.push(cols);
      table.indexes.push({
        name: name ?? implicitName(table.name, cols, 'key', dialect),
        table: table.name, keys, include: [], unique: true, method: 'btree', implicit: true, source,
      });
    } else {
      table.indexes.push({
        name: name ?? cols.join('_'),
        table: table.name, keys, include: [], unique: false, method: kind ?? 'btree', implicit: false, source,
      });
    }
    return;
  }
  if (c.accept('foreign', 'key')) {
    if (c.peek()?.text !== '(') c.i++; // MySQL allows an index name here
    const cols = columnList(readParenGroup(c) ?? []);
    if (c.accept('references')) {
      const ref = readQName(c);
      const refCols = columnList(readParenGroup(c) ?? []);
      if (ref) {
        table.foreignKeys.push({ columns: cols, refTable: ref.name, refColumns: refCols, source });
        if (cols.length === 1) {
          const col = table.columns.find((x) => x.name === cols[0]);
          if (col) col.references = { table: ref.name, column: refCols[0] ?? 'id' };
        }
      }
    }
    return;
  }
  if (c.isWord('check', 'exclude', 'like', 'period')) return;
  addColumn(table, c, dialect, source);
}

/** True when a table element starting with `key`/`index` is really a column of that name. */
function isColumnDef(part: Token[]): boolean {
  // `KEY idx (a)` / `INDEX (a)` vs a column named `key int`.
  const second = part[1];
  if (!second) return true;
  if (second.text === '(') return false;
  const third = part[2];
  return !(third && (third.text === '(' || (third.kind === 'word' && third.value === 'using')));
}

function readParenGroupSkipping(c: Cursor): Token[] | undefined {
  while (!c.done() && c.peek()?.text !== '(') c.i++;
  return readParenGroup(c);
}

function implicitName(table: string, cols: string[], suffix: string, dialect: Dialect): string {
  if (dialect === 'mysql') return suffix === 'pkey' ? 'PRIMARY' : cols[0] ?? 'key';
  return suffix === 'pkey' ? `${table}_pkey` : `${table}_${cols.join('_')}_key`;
}

function setPrimaryKey(table: Table, cols: string[], name: string | undefined, dialect: Dialect, source: { file: string; offset: number }): void {
  table.primaryKey = cols;
  for (const col of table.columns) {
    if (cols.includes(col.name)) {
      col.notNull = true;
      if (cols.length === 1) col.primaryKey = true;
    }
  }
  table.indexes = table.indexes.filter((ix) => !(ix.implicit && ix.name === implicitName(table.name, [], 'pkey', dialect)));
  table.indexes.unshift({
    name: name ?? implicitName(table.name, cols, 'pkey', dialect),
    table: table.name,
    keys: cols.map((column) => ({ column })),
    include: [], unique: true, method: 'btree', implicit: true, source,
  });
}

/** Reads `name type [constraints…]` and adds the column (plus implied indexes). */
function addColumn(table: Table, c: Cursor, dialect: Dialect, source: { file: string; offset: number }): void {
  const name = identOf(c.peek());
  if (name === undefined) return;
  c.i++;
  const typeToks: Token[] = [];
  let depth = 0;
  while (!c.done()) {
    const t = c.peek()!;
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (depth === 0 && t.kind === 'word' && COLUMN_CONSTRAINT_WORDS.has(t.value) && typeToks.length > 0) break;
    typeToks.push(t);
    c.i++;
  }
  const type = joinTokens(typeToks);
  const column: Column = { name, type, notNull: /^(big|small)?serial/.test(type) };
  table.columns = table.columns.filter((x) => x.name !== name);
  table.columns.push(column);
  while (!c.done()) {
    if (c.accept('constraint')) {
      c.i++;
      continue;
    }
    if (c.accept('not', 'null')) {
      column.notNull = true;
      continue;
    }
    if (c.accept('null')) continue;
    if (c.accept('primary', 'key')) {
      column.primaryKey = true;
      setPrimaryKey(table, [name], undefined, dialect, source);
      continue;
    }
    if (c.accept('unique')) {
      c.accept('key');
      column.unique = true;
      table.uniques.push([name]);
      table.indexes.push({
        name: implicitName(table.name, [name], 'key', dialect),
        table: table.name, keys: [{ column: name }], include: [], unique: true, method: 'btree', implicit: true, source,
      });
      continue;
    }
    if (c.accept('references')) {
      const ref = readQName(c);
      const refCols = c.peek()?.text === '(' ? columnList(readParenGroup(c) ?? []) : [];
      if (ref) {
        column.references = { table: ref.name, column: refCols[0] ?? 'id' };
        table.foreignKeys.push({ columns: [name], refTable: ref.name, refColumns: refCols.length ? refCols : ['id'], source });
      }
      continue;
    }
    if (c.accept('default')) {
      const startTok = c.peek();
      let end = startTok;
      let d = 0;
      while (!c.done()) {
        const t = c.peek()!;
        if (t.text === '(') d++;
        if (t.text === ')') d--;
        if (d === 0 && t.kind === 'word' && COLUMN_CONSTRAINT_WORDS.has(t.value) && t !== startTok) break;
        end = t;
        c.i++;
      }
      if (startTok && end) column.default = c.text.slice(startTok.start, end.end);
      continue;
    }
    if (c.peek()?.text === '(') {
      readParenGroup(c);
      continue;
    }
    c.i++;
  }
}

/** Reads index key parts: columns, expressions, MySQL prefix lengths, DESC, opclasses. */
export function readIndexKeys(toks: Token[], dialect: Dialect): IndexKey[] {
  const keys: IndexKey[] = [];
  for (const part of splitTopLevel(toks)) {
    let p = part;
    let descending = false;
    // Strip trailing modifiers: ASC/DESC, NULLS FIRST/LAST, an opclass word, COLLATE x.
    for (;;) {
      const last = p[p.length - 1];
      if (!last || p.length < 2) break;
      if (last.kind === 'word' && KEY_MODIFIERS.has(last.value)) {
        if (last.value === 'desc') descending = true;
        p = p.slice(0, -1);
        continue;
      }
      const beforeLast = p[p.length - 2];
      if (beforeLast.kind === 'word' && beforeLast.value === 'collate') {
        p = p.slice(0, -2);
        continue;
      }
      // `email text_pattern_ops`, `lower(email) varchar_pattern_ops`: an opclass follows the key.
      if ((last.kind === 'word' || last.kind === 'quoted') && (beforeLast.kind === 'word' || beforeLast.kind === 'quoted' || beforeLast.text === ')')) {
        p = p.slice(0, -1);
        continue;
      }
      break;
    }
    if (p.length === 0) continue;
    const key: IndexKey = {};
    if (p.length === 1 && identOf(p[0]) !== undefined) key.column = identOf(p[0]);
    else if (dialect === 'mysql' && identOf(p[0]) !== undefined && p[1]?.text === '(' && p.length === 4 && p[2].kind === 'number') {
      key.column = identOf(p[0]); // prefix index `name(10)`
    } else {
      const text = normalizeExpression(p.map((t) => t.text).join(' '), dialect);
      const single = tokenize(text, dialect);
      if (single.length === 1 && identOf(single[0]) !== undefined) key.column = identOf(single[0]);
      else key.expression = text;
    }
    if (descending) key.descending = true;
    keys.push(key);
  }
  return keys;
}

function createIndex(catalog: Catalog, c: Cursor, source: { file: string; offset: number }, unique: boolean, dialect: Dialect, kind?: string): string | undefined {
  c.accept('concurrently');
  c.accept('if', 'not', 'exists');
  let name: string | undefined;
  if (!c.isWord('on')) {
    name = readQName(c)?.name;
    if (c.accept('using')) c.i++; // MySQL: CREATE INDEX i USING BTREE ON t (…)
  }
  if (!c.accept('on')) return 'CREATE INDEX without ON <table>';
  c.accept('only');
  const qn = readQName(c);
  if (!qn) return 'CREATE INDEX without a readable table name';
  const table = catalog.tables.get(qn.name.toLowerCase());
  let method = kind ?? 'btree';
  if (c.accept('using')) {
    method = c.peek()?.value ?? method;
    c.i++;
  }
  const inner = readParenGroup(c);
  if (!inner) return `could not read the key list of index ${name ?? ''} on ${qn.name}`.replace('  ', ' ');
  const keys = readIndexKeys(inner, dialect);
  let include: string[] = [];
  let where: string | undefined;
  while (!c.done()) {
    if (c.accept('include')) {
      include = columnList(readParenGroup(c) ?? []);
      continue;
    }
    if (c.accept('where')) {
      const first = c.peek();
      const last = c.toks[c.toks.length - 1];
      if (first && last) where = c.text.slice(first.start, last.end);
      break;
    }
    if (c.accept('using')) {
      method = c.peek()?.value ?? method; // MySQL: … (cols) USING BTREE
      c.i++;
      continue;
    }
    if (c.peek()?.text === '(') {
      readParenGroup(c);
      continue;
    }
    c.i++;
  }
  if (!table) return `index ${name ?? '(unnamed)'} is on table ${qn.name}, which is not defined before it`;
  const autoName = `${table.name}_${keys.map((k) => k.column ?? 'expr').join('_')}_idx`;
  const def: IndexDef = { name: name ?? autoName, table: table.name, keys, include, unique, where, method, implicit: false, source };
  table.indexes = table.indexes.filter((ix) => ix.name !== def.name);
  table.indexes.push(def);
  return undefined;
}

function alterTable(catalog: Catalog, c: Cursor, source: { file: string; offset: number }, dialect: Dialect): string | undefined {
  c.accept('if', 'exists');
  c.accept('only');
  const qn = readQName(c);
  if (!qn) return 'ALTER TABLE without a readable table name';
  const table = catalog.tables.get(qn.name.toLowerCase());
  if (!table) return `ALTER TABLE ${qn.name}: the table is not defined before this statement`;
  const actions = splitTopLevel(c.toks.slice(c.i));
  for (const action of actions) {
    const a = new Cursor(action, c.text);
    if (a.accept('add')) {
      if (a.isWord('constraint', 'primary', 'unique', 'foreign', 'index', 'key', 'fulltext', 'spatial') && !(a.isWord('index', 'key') && isColumnDef(action.slice(1)))) {
        addTableElement(table, action.slice(1), dialect, source, c.text);
      } else {
        a.accept('column');
        a.accept('if', 'not', 'exists');
        addTableElement(table, action.slice(a.i), dialect, source, c.text);
      }
      continue;
    }
    if (a.accept('drop', 'constraint')) {
      a.accept('if', 'exists');
      const name = identOf(a.peek());
      if (name) dropConstraint(table, name);
      continue;
    }
    if (a.accept('drop', 'primary', 'key')) {
      dropPrimaryKey(table);
      continue;
    }
    if (a.accept('drop', 'index') || a.accept('drop', 'key')) {
      const name = identOf(a.peek());
      if (name) table.indexes = table.indexes.filter((ix) => ix.name.toLowerCase() !== name.toLowerCase());
      continue;
    }
    if (a.accept('drop')) {
      a.accept('column');
      a.accept('if', 'exists');
      const name = identOf(a.peek());
      if (name) dropColumn(table, name);
      continue;
    }
    if (a.accept('rename', 'to')) {
      const to = readQName(a);
      if (to) renameTable(catalog, table.name, to.name);
      continue;
    }
    if (a.accept('rename')) {
      a.accept('column');
      const from = identOf(a.peek());
      a.i++;
      if (from && a.accept('to')) {
        const to = identOf(a.peek());
        if (to) renameColumn(table, from, to);
      }
      continue;
    }
    if (a.accept('alter')) {
      a.accept('column');
      const name = identOf(a.peek());
      a.i++;
      const col = table.columns.find((x) => x.name === name);
      if (!col) continue;
      if (a.accept('set', 'not', 'null')) col.notNull = true;
      else if (a.accept('drop', 'not', 'null')) col.notNull = false;
      else if (a.accept('set', 'data', 'type') || a.accept('type')) {
        const typeToks: Token[] = [];
        while (!a.done() && !a.isWord('using', 'collate')) typeToks.push(a.toks[a.i++]);
        col.type = joinTokens(typeToks);
      }
      continue;
    }
  }
  return undefined;
}

function dropPrimaryKey(table: Table): void {
  const pk = table.primaryKey;
  table.primaryKey = [];
  for (const col of table.columns) delete col.primaryKey;
  table.indexes = table.indexes.filter((ix) => !(ix.implicit && sameColumns(ix, pk)));
}

function sameColumns(ix: IndexDef, cols: string[]): boolean {
  return ix.keys.length === cols.length && ix.keys.every((k, i) => k.column === cols[i]);
}

function dropConstraint(table: Table, name: string): void {
  const ix = table.indexes.find((x) => x.implicit && x.name.toLowerCase() === name.toLowerCase());
  if (!ix) return; // foreign-key and check constraints carry no index
  const cols = ix.keys.map((k) => k.column ?? '');
  if (sameColumns(ix, table.primaryKey)) dropPrimaryKey(table);
  else {
    table.uniques = table.uniques.filter((u) => u.join(',') !== cols.join(','));
    table.indexes = table.indexes.filter((x) => x !== ix);
  }
}
