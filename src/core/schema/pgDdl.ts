/**
 * The PostgreSQL front end of the schema catalog: each statement is parsed by PostgreSQL's own
 * grammar (libpg-query), so every form PostgreSQL accepts is read — partitions, identity and
 * generated columns, `LIKE`, `USING INDEX`, `ATTACH PARTITION`, views, enums, domains — and the
 * rest of a pg_dump (SET, GRANT, COMMENT, OWNER TO, functions, triggers…) is understood and left
 * alone. The tree says *what* a statement declares; the exact text of types, defaults, keys and
 * predicates is cut from the source with the tokenizer, so it reads as written and compares with
 * what the rules normalise from queries. Unparsable statements become one problem each, worded
 * by PostgreSQL. Requires `loadPgParser()` to have resolved.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { parsePgSync } from '../sql/pg/libpg';
import { byteToCharMapper } from '../sql/pg/offsets';
import { splitStatements, type Statement } from '../sql/split';
import { matchingParen, tokenize, type Token } from '../sql/tokens';
import { joinTokens, readIndexKeys } from './ddl';
import type { Catalog, Column, ForeignKey, IndexDef, IndexKey, SchemaSource, SourceRef, Table, UserType } from './types';
import { dropColumn, renameColumn } from './columnChanges';

/** A libpg-query AST node (`{ KindName: { …fields } }` or the fields themselves). */
type PgNode = any;

/** Everything one statement's handlers need: where it is, its tokens, byte→char mapping. */
interface Ctx {
  catalog: Catalog;
  file: string;
  st: Statement;
  toks: Token[];
  /** UTF-8 byte offset within the statement → string index within the statement. */
  at: (byteOffset: number) => number;
}

/** Statements whose parse failure the catalog reports (they may declare tables or indexes). */
const DDL_START = /^\s*(create|alter|drop)\b/i;

/** Reads one PostgreSQL DDL file into the catalog (statements in file order). */
export function applyPgSource(catalog: Catalog, src: SchemaSource): void {
  const statements = splitStatements(src.text, 'postgresql');
  const whole = parseWhole(src.text, statements);
  statements.forEach((st, i) => {
    let stmts: PgNode[];
    let at: (byteOffset: number) => number;
    if (whole) {
      stmts = [whole.stmts[i]];
      at = (b) => whole.at(b) - st.start;
    } else {
      const parsed = parsePgSync(st.text);
      at = byteToCharMapper(st.text);
      if (!parsed.ok) {
        // Only DDL is the catalog's to report; a broken query is the linter's parse-error.
        if (DDL_START.test(st.text)) catalog.problems.push({ file: src.file, offset: st.start + (parsed.offset !== undefined ? at(parsed.offset) : 0), message: parsed.message });
        return;
      }
      stmts = parsed.tree.stmts ?? [];
    }
    const ctx: Ctx = { catalog, file: src.file, st, toks: tokenize(st.text, 'postgresql'), at };
    for (const raw of stmts) {
      try {
        const problem = applyStatement(ctx, raw.stmt as PgNode);
        if (problem) catalog.problems.push({ file: src.file, offset: st.start, message: problem });
      } catch (err) {
        // A tree shape this reader did not expect must cost one statement, never the catalog.
        catalog.problems.push({ file: src.file, offset: st.start, message: `could not read this DDL statement (${String((err as Error)?.message ?? err).slice(0, 120)})` });
      }
    }
  });
}

/**
 * One parse for the whole file — far cheaper than one call per statement. The parser sees the
 * splitter's statements at their own offsets with everything between them (comments, psql
 * meta-commands) blanked, so its statements pair one to one with the splitter's. Undefined when
 * any statement fails to parse: then each is parsed alone, and only the broken ones report.
 */
function parseWhole(text: string, statements: Statement[]): { stmts: PgNode[]; at: (byteOffset: number) => number } | undefined {
  if (statements.length === 0) return undefined;
  let clean = '';
  let pos = 0;
  for (const st of statements) {
    if (st.start > pos) clean += (pos > 0 ? ';' : ' ') + ' '.repeat(st.start - pos - 1);
    clean += text.slice(st.start, st.end);
    pos = st.end;
  }
  const parsed = parsePgSync(clean);
  if (!parsed.ok || parsed.tree.stmts?.length !== statements.length) return undefined;
  return { stmts: parsed.tree.stmts as PgNode[], at: byteToCharMapper(clean) };
}

function applyStatement(ctx: Ctx, node: PgNode): string | undefined {
  const [kind] = Object.keys(node ?? {});
  const n = node?.[kind];
  switch (kind) {
    case 'CreateStmt':
      return createTable(ctx, n);
    case 'IndexStmt':
      return createIndex(ctx, n);
    case 'AlterTableStmt':
      return alterTable(ctx, n);
    case 'RenameStmt':
      return rename(ctx, n);
    case 'AlterObjectSchemaStmt':
      return setSchema(ctx, n);
    case 'DropStmt':
      return drop(ctx, n);
    case 'ViewStmt':
      return createView(ctx, n);
    case 'CreateTableAsStmt':
      return createTableAs(ctx, n);
    case 'CreateEnumStmt':
      return addType(ctx, { kind: 'enum', ...qualified(n.typeName), values: strings(n.vals) });
    case 'AlterEnumStmt':
      return alterEnum(ctx, n);
    case 'CreateDomainStmt':
      return addType(ctx, {
        kind: 'domain',
        ...qualified(n.domainname),
        baseType: typeText(ctx, n.typeName, Math.min(ctx.st.text.length, ...(n.constraints ?? []).map((c: PgNode) => ctx.at(c.Constraint?.location ?? ctx.st.text.length)))),
        notNull: (n.constraints ?? []).some((c: PgNode) => c.Constraint?.contype === 'CONSTR_NOTNULL'),
      });
    case 'CreateSeqStmt':
      sequences(ctx.catalog).set(n.sequence.relname.toLowerCase(), { name: n.sequence.relname, schema: n.sequence.schemaname });
      return undefined;
    case 'AlterSeqStmt':
      return alterSequence(ctx, n);
    default:
      // SET, SELECT set_config(…), GRANT, COMMENT, OWNER TO, CREATE FUNCTION/TRIGGER/EXTENSION,
      // DML…: valid PostgreSQL that declares nothing the catalog holds.
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Small readers

function strings(list: PgNode[] | undefined): string[] {
  return (list ?? []).map((x: PgNode) => x.String?.sval ?? '').filter((s: string) => s !== '');
}

/** `['public', 'status']` → { schema: 'public', name: 'status' }. */
function qualified(list: PgNode[] | undefined): { name: string; schema?: string } {
  const parts = strings(list);
  return { name: parts[parts.length - 1] ?? '', schema: parts.length > 1 ? parts[parts.length - 2] : undefined };
}

function key(name: string): string {
  return name.toLowerCase();
}

function sequences(c: Catalog) {
  return (c.sequences ??= new Map());
}

function types(c: Catalog) {
  return (c.types ??= new Map());
}

function views(c: Catalog) {
  return (c.views ??= new Map());
}

function ref(ctx: Ctx, start = 0, end = ctx.st.text.length): SourceRef {
  return { file: ctx.file, offset: ctx.st.start + start, end: ctx.st.start + end };
}

/** Index of the first token starting at or after `pos` (a string index). */
function tokenAt(ctx: Ctx, pos: number): number {
  const i = ctx.toks.findIndex((t) => t.start >= pos);
  return i < 0 ? ctx.toks.length : i;
}

/** Source text of tokens [from, to) (exact, with the author's spacing). */
function sliceTokens(ctx: Ctx, from: number, to: number): string {
  if (to <= from) return '';
  return ctx.st.text.slice(ctx.toks[from].start, ctx.toks[to - 1].end);
}

/**
 * The top-level comma-separated elements of the parenthesised list opened at token `open`:
 * token ranges [from, to) plus string ranges. Returns the index of the closing token too.
 */
function listElements(ctx: Ctx, open: number): { parts: Array<{ from: number; to: number; start: number; end: number }>; close: number } {
  const close = matchingParen(ctx.toks, open);
  const parts: Array<{ from: number; to: number; start: number; end: number }> = [];
  let from = open + 1;
  let depth = 0;
  for (let i = open + 1; i <= close && i < ctx.toks.length + 1; i++) {
    const t = ctx.toks[i];
    if (t?.kind === 'op' && (t.text === '(' || t.text === '[')) depth++;
    if (t?.kind === 'op' && (t.text === ')' || t.text === ']') && i !== close) depth--;
    if (i === close || (depth === 0 && t?.kind === 'op' && t.text === ',')) {
      if (i > from) parts.push({ from, to: i, start: ctx.toks[from].start, end: ctx.toks[i - 1].end });
      from = i + 1;
    }
  }
  return { parts, close };
}

/** First `(` token at or after string index `pos`. */
function openParenAfter(ctx: Ctx, pos: number): number {
  for (let i = tokenAt(ctx, pos); i < ctx.toks.length; i++) if (ctx.toks[i].kind === 'op' && ctx.toks[i].text === '(') return i;
  return -1;
}

/**
 * A type as written (`varchar(255)`, `timestamp with time zone`, `numeric(10,2)[]`), compact
 * and lower-cased like the token reader writes it: from the type's position up to `stop`.
 */
function typeText(ctx: Ctx, typeName: PgNode, stop: number): string {
  if (typeName?.location === undefined) return strings(typeName?.names).filter((s) => s !== 'pg_catalog').join('.');
  const from = tokenAt(ctx, ctx.at(typeName.location));
  let to = from;
  while (to < ctx.toks.length && ctx.toks[to].start < stop) to++;
  return joinTokens(ctx.toks.slice(from, to));
}

// ---------------------------------------------------------------------------------------------
// CREATE TABLE

function createTable(ctx: Ctx, n: PgNode): string | undefined {
  const rel = n.relation;
  const k = key(rel.relname);
  if (n.if_not_exists && ctx.catalog.tables.has(k)) return undefined;
  const table: Table = {
    name: rel.relname, schema: rel.schemaname, columns: [], primaryKey: [], uniques: [], foreignKeys: [], indexes: [],
    source: ref(ctx), origin: 'sql',
  };
  const parents = (n.inhRelations ?? []).map((r: PgNode) => ctx.catalog.tables.get(key(r.RangeVar?.relname ?? '')));
  let problem: string | undefined;
  if (n.partbound) {
    const parentName = n.inhRelations?.[0]?.RangeVar?.relname ?? '';
    const parent = parents[0];
    table.partitionOf = { parent: parentName, bound: boundText(ctx, n.partbound) };
    if (parent) for (const col of parent.columns) table.columns.push({ ...col, primaryKey: undefined, unique: undefined });
    else problem = `partition ${rel.relname} is of table ${parentName}, which is not defined before it`;
  } else if (n.inhRelations?.length) {
    table.inherits = n.inhRelations.map((r: PgNode) => r.RangeVar?.relname ?? '');
    for (const parent of parents) if (parent) for (const col of parent.columns) if (!table.columns.some((c) => c.name === col.name)) table.columns.push({ ...col, primaryKey: undefined, unique: undefined });
  }
  // The element list follows the table name: `CREATE TABLE t ( … )`. Partitions may omit it.
  const nameEnd = ctx.at(rel.location);
  const open = openParenAfter(ctx, nameEnd);
  const elements: PgNode[] = n.tableElts ?? [];
  const parts = open >= 0 && elements.length ? listElements(ctx, open).parts : [];
  elements.forEach((el: PgNode, i: number) => {
    const part = parts.length === elements.length ? parts[i] : undefined;
    const range = part ? { start: part.start, end: part.end } : { start: 0, end: ctx.st.text.length };
    addTableElement(ctx, table, el, range);
  });
  if (n.partspec) {
    const strategy = String(n.partspec.strategy).toLowerCase();
    const keysOpen = openParenAfter(ctx, ctx.at(n.partspec.location));
    table.partitionBy = {
      strategy: /range|^r$/.test(strategy) ? 'range' : /list|^l$/.test(strategy) ? 'list' : 'hash',
      keys: keysOpen >= 0 ? sliceTokens(ctx, keysOpen + 1, matchingParen(ctx.toks, keysOpen)) : '',
    };
  }
  ctx.catalog.tables.set(k, table);
  // A new partition gets the partitioned indexes of its parent (PostgreSQL creates them).
  const parent = parents[0];
  if (n.partbound && parent) inheritPartitionIndexes(ctx.catalog, parent, table);
  return problem;
}

/** `FOR VALUES FROM (…) TO (…)` / `IN (…)` / `WITH (…)` / `DEFAULT`, as written. */
function boundText(ctx: Ctx, bound: PgNode): string {
  if (bound.is_default) return 'DEFAULT';
  let i = tokenAt(ctx, ctx.at(bound.location ?? 0));
  const from = i;
  // IN (…) | FROM (…) TO (…) | WITH (…)
  for (let groups = 0; i < ctx.toks.length && groups < 2; ) {
    if (ctx.toks[i].text === '(') {
      i = matchingParen(ctx.toks, i) + 1;
      groups++;
      if (ctx.toks[i]?.value !== 'to') break;
      continue;
    }
    i++;
  }
  return `FOR VALUES ${sliceTokens(ctx, from, Math.min(i, ctx.toks.length))}`;
}

function addTableElement(ctx: Ctx, table: Table, el: PgNode, range: { start: number; end: number }): void {
  if (el.ColumnDef) return addColumn(ctx, table, el.ColumnDef, range);
  if (el.Constraint) return addConstraint(ctx, table, el.Constraint, range);
  if (el.TableLikeClause) return copyLike(ctx, table, el.TableLikeClause);
}

/** `CREATE_TABLE_LIKE_INDEXES` in PostgreSQL's TableLikeOption (bit 6; ALL sets every bit). */
const LIKE_INDEXES = 1 << 6;

function copyLike(ctx: Ctx, table: Table, like: PgNode): void {
  const from = ctx.catalog.tables.get(key(like.relation?.relname ?? ''));
  if (!from) {
    ctx.catalog.problems.push({ file: ctx.file, offset: ctx.st.start, message: `CREATE TABLE ${table.name} (LIKE ${like.relation?.relname}): that table is not defined before it` });
    return;
  }
  for (const col of from.columns) if (!table.columns.some((c) => c.name === col.name)) table.columns.push({ ...col, references: undefined });
  if (((like.options ?? 0) & LIKE_INDEXES) === 0) return;
  table.primaryKey = [...from.primaryKey];
  table.uniques = from.uniques.map((u) => [...u]);
  for (const ix of from.indexes) {
    const cols = ix.keys.map((k) => k.column ?? 'expr');
    const suffix = ix.implicit ? (sameKeys(ix, from.primaryKey) ? 'pkey' : 'key') : 'idx';
    const name = suffix === 'pkey' ? `${table.name}_pkey` : `${table.name}_${cols.join('_')}_${suffix}`;
    table.indexes.push({ ...ix, name, table: table.name, keys: ix.keys.map((k) => ({ ...k })), include: [...ix.include], source: ref(ctx) });
  }
}

function addColumn(ctx: Ctx, table: Table, def: PgNode, range: { start: number; end: number }): void {
  const constraints: PgNode[] = (def.constraints ?? []).map((c: PgNode) => c.Constraint);
  // Each constraint runs from its position to the next one's (or the element's end).
  const starts = constraints.map((c) => ctx.at(c.location ?? range.end));
  const collate = def.collClause?.location !== undefined ? ctx.at(def.collClause.location) : range.end;
  const typeEnd = Math.min(range.end, collate, ...starts);
  const type = def.typeName ? typeText(ctx, def.typeName, typeEnd) : findColumnType(table, def.colname);
  const column: Column = { name: def.colname, type, notNull: /^(big|small)?serial/.test(type) || (def.is_not_null ?? false) };
  const existing = table.columns.findIndex((c) => c.name === def.colname);
  if (existing >= 0) table.columns[existing] = { ...table.columns[existing], ...column, notNull: table.columns[existing].notNull || column.notNull };
  else table.columns.push(column);
  const col = existing >= 0 ? table.columns[existing] : column;
  constraints.forEach((c, i) => {
    const start = starts[i];
    const end = Math.min(range.end, ...starts.filter((s) => s > start));
    applyColumnConstraint(ctx, table, col, c, { start, end }, afterWords(ctx, range, ['add', 'column']));
  });
}

/** `range` without its leading keywords (`ADD CONSTRAINT …` → `CONSTRAINT …`), as the token reader records sources. */
function afterWords(ctx: Ctx, range: { start: number; end: number }, words: string[]): { start: number; end: number } {
  let i = tokenAt(ctx, range.start);
  while (i < ctx.toks.length && ctx.toks[i].start < range.end && words.includes(ctx.toks[i].value)) i++;
  return i < ctx.toks.length && ctx.toks[i].start < range.end ? { start: ctx.toks[i].start, end: range.end } : range;
}

function findColumnType(table: Table, name: string): string {
  return table.columns.find((c) => c.name === name)?.type ?? '';
}

/** Text after the leading keywords of a constraint: `DEFAULT now()` → `now()`. */
function constraintBody(ctx: Ctx, range: { start: number; end: number }, skipWords: string[]): string {
  let i = tokenAt(ctx, range.start);
  if (ctx.toks[i]?.value === 'constraint') i += 2;
  while (i < ctx.toks.length && skipWords.includes(ctx.toks[i].value)) i++;
  let to = i;
  while (to < ctx.toks.length && ctx.toks[to].start < range.end) to++;
  return sliceTokens(ctx, i, to);
}

function applyColumnConstraint(ctx: Ctx, table: Table, col: Column, c: PgNode, range: { start: number; end: number }, column = range): void {
  switch (c.contype) {
    case 'CONSTR_NOTNULL':
      col.notNull = true;
      return;
    case 'CONSTR_DEFAULT':
      col.default = constraintBody(ctx, range, ['default']);
      return;
    case 'CONSTR_IDENTITY':
      col.identity = c.generated_when === 'd' ? 'by default' : 'always';
      col.notNull = true;
      return;
    case 'CONSTR_GENERATED': {
      const body = constraintBody(ctx, range, ['generated', 'always', 'as']);
      col.generated = body.replace(/\s+(stored|virtual)$/i, '').replace(/^\(([\s\S]*)\)$/, '$1');
      return;
    }
    case 'CONSTR_PRIMARY':
      col.primaryKey = true;
      setPrimaryKey(table, [col.name], c.conname, ref(ctx, range.start, range.end));
      return;
    case 'CONSTR_UNIQUE':
      col.unique = true;
      addUnique(table, [col.name], c.conname, [], ref(ctx, range.start, range.end));
      return;
    case 'CONSTR_FOREIGN': {
      const refCols = strings(c.pk_attrs);
      col.references = { table: c.pktable.relname, column: refCols[0] ?? 'id' };
      // A named key is its own `CONSTRAINT x REFERENCES …`; an anonymous one is declared by the whole
      // column definition (`order_id bigint REFERENCES orders`), where findings on it belong.
      const at = c.conname ? range : column;
      addForeignKey(table, { columns: [col.name], refTable: c.pktable.relname, refColumns: refCols.length ? refCols : ['id'], name: c.conname, source: ref(ctx, at.start, at.end) }, c.pktable.schemaname);
      return;
    }
    default:
      return; // CHECK, NULL, COLLATE…: nothing the catalog keeps
  }
}

function addConstraint(ctx: Ctx, table: Table, c: PgNode, range: { start: number; end: number }): void {
  const source = ref(ctx, range.start, range.end);
  switch (c.contype) {
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE': {
      const primary = c.contype === 'CONSTR_PRIMARY';
      if (c.indexname) return adoptIndex(table, c.indexname, c.conname, primary);
      const cols = strings(c.keys);
      const include = strings(c.including);
      if (primary) setPrimaryKey(table, cols, c.conname, source, include);
      else addUnique(table, cols, c.conname, include, source);
      return;
    }
    case 'CONSTR_FOREIGN': {
      const cols = strings(c.fk_attrs);
      const refCols = strings(c.pk_attrs);
      addForeignKey(table, { columns: cols, refTable: c.pktable.relname, refColumns: refCols.length ? refCols : ['id'], name: c.conname, source }, c.pktable.schemaname);
      if (cols.length === 1) {
        const col = table.columns.find((x) => x.name === cols[0]);
        if (col) col.references = { table: c.pktable.relname, column: refCols[0] ?? 'id' };
      }
      return;
    }
    case 'CONSTR_EXCLUDE': {
      // An exclusion constraint is enforced by an index of its access method (gist, mostly).
      const keys: IndexKey[] = (c.exclusions ?? []).map((pair: PgNode) => {
        const elem = pair.List?.items?.[0]?.IndexElem;
        return elem?.name ? { column: elem.name } : { expression: 'expr' };
      });
      const cols = keys.map((k) => k.column ?? 'expr');
      table.indexes.push({
        name: c.conname ?? `${table.name}_${cols.join('_')}_excl`, table: table.name, keys, include: strings(c.including), unique: false,
        method: c.access_method ?? 'gist', implicit: true, source,
      });
      return;
    }
    default:
      return;
  }
}

function addForeignKey(table: Table, fk: ForeignKey, refSchema?: string): void {
  if (fk.name === undefined) delete fk.name;
  if (refSchema) fk.refSchema = refSchema;
  table.foreignKeys.push(fk);
}

function setPrimaryKey(table: Table, cols: string[], name: string | undefined, source: SourceRef, include: string[] = []): void {
  table.primaryKey = cols;
  for (const col of table.columns) {
    if (cols.includes(col.name)) {
      col.notNull = true;
      if (cols.length === 1) col.primaryKey = true;
    }
  }
  table.indexes = table.indexes.filter((ix) => !(ix.implicit && ix.name === `${table.name}_pkey`));
  table.indexes.unshift({ name: name ?? `${table.name}_pkey`, table: table.name, keys: cols.map((column) => ({ column })), include, unique: true, method: 'btree', implicit: true, source });
}

function addUnique(table: Table, cols: string[], name: string | undefined, include: string[], source: SourceRef): void {
  table.uniques.push(cols);
  table.indexes.push({ name: name ?? `${table.name}_${cols.join('_')}_key`, table: table.name, keys: cols.map((column) => ({ column })), include, unique: true, method: 'btree', implicit: true, source });
}

/** `ADD CONSTRAINT c PRIMARY KEY / UNIQUE USING INDEX i`: the index becomes the constraint's, renamed. */
function adoptIndex(table: Table, indexName: string, conname: string | undefined, primary: boolean): void {
  const ix = table.indexes.find((x) => x.name === indexName);
  if (!ix) return;
  if (conname) ix.name = conname;
  ix.implicit = true;
  ix.unique = true;
  const cols = ix.keys.map((k) => k.column ?? '');
  if (primary) {
    table.primaryKey = cols;
    for (const col of table.columns) if (cols.includes(col.name)) {
      col.notNull = true;
      if (cols.length === 1) col.primaryKey = true;
    }
  } else table.uniques.push(cols);
}

function sameKeys(ix: IndexDef, cols: string[]): boolean {
  return ix.keys.length === cols.length && ix.keys.every((k, i) => k.column === cols[i]);
}

// ---------------------------------------------------------------------------------------------
// CREATE INDEX

function createIndex(ctx: Ctx, n: PgNode): string | undefined {
  const rel = n.relation;
  const table = ctx.catalog.tables.get(key(rel.relname));
  const name: string | undefined = n.idxname;
  if (!table) return `index ${name ?? '(unnamed)'} is on table ${rel.relname}, which is not defined before it`;
  if (n.if_not_exists && name && table.indexes.some((ix) => ix.name === name)) return undefined;
  const open = openParenAfter(ctx, ctx.at(rel.location));
  const elems: PgNode[] = (n.indexParams ?? []).map((p: PgNode) => p.IndexElem);
  const close = open >= 0 ? matchingParen(ctx.toks, open) : -1;
  // Expression keys keep the token reader's normalisation, so `lower((email)::text)` from a dump
  // and `lower(email)` in a query compare equal; the tree decides plain columns and DESC.
  const textKeys = open >= 0 ? readIndexKeys(ctx.toks.slice(open + 1, close), 'postgresql') : [];
  const keys: IndexKey[] = elems.map((e, i) => {
    const k: IndexKey = e.name ? { column: e.name } : { ...(textKeys.length === elems.length ? textKeys[i] : { expression: 'expr' }) };
    delete k.descending;
    if (e.ordering === 'SORTBY_DESC') k.descending = true;
    if (e.opclass?.length) k.opclass = strings(e.opclass).join('.');
    return k;
  });
  let where: string | undefined;
  if (n.whereClause && close >= 0) {
    const w = ctx.toks.findIndex((t, i) => i > close && t.kind === 'word' && t.value === 'where');
    if (w >= 0) where = sliceTokens(ctx, w + 1, ctx.toks.length);
  }
  const include: string[] = (n.indexIncludingParams ?? []).map((p: PgNode) => p.IndexElem?.name).filter(Boolean);
  const columnNames = [...elems.map((e) => e.name ?? figureName(e.expr) ?? 'expr'), ...include];
  const def: IndexDef = {
    name: name ?? chooseIndexName(ctx.catalog, table.name, columnNames, 'idx'),
    table: table.name, keys, include,
    unique: !!n.unique, where, method: n.accessMethod ?? 'btree', implicit: false, source: ref(ctx),
  };
  if (n.concurrent) def.concurrently = true;
  table.indexes = table.indexes.filter((ix) => ix.name !== def.name);
  table.indexes.push(def);
  // Without ONLY, an index on a partitioned table is created on every partition as well.
  if (rel.inh === true && table.partitionBy) {
    for (const child of partitionsOf(ctx.catalog, table)) addPartitionIndex(ctx.catalog, child, def);
  }
  return undefined;
}

function partitionsOf(catalog: Catalog, parent: Table): Table[] {
  return [...catalog.tables.values()].filter((t) => t.partitionOf && key(t.partitionOf.parent) === key(parent.name));
}

/** Gives a partition its copy of a partitioned index, named the way PostgreSQL names it. */
function addPartitionIndex(catalog: Catalog, child: Table, ix: IndexDef): void {
  const same = child.indexes.some((x) => x.method === ix.method && x.where === ix.where && JSON.stringify(x.keys) === JSON.stringify(ix.keys));
  if (same) return;
  const cols = [...ix.keys.map((k) => k.column ?? k.expression?.match(/^([a-z_][a-z0-9_]*)\(/)?.[1] ?? 'expr'), ...ix.include];
  const suffix = ix.implicit ? (sameKeys(ix, child.primaryKey) ? 'pkey' : 'key') : 'idx';
  const name = suffix === 'pkey' ? `${child.name}_pkey` : chooseIndexName(catalog, child.name, cols, suffix);
  child.indexes.push({ ...ix, name, table: child.name, keys: ix.keys.map((k) => ({ ...k })), include: [...ix.include] });
}

function inheritPartitionIndexes(catalog: Catalog, parent: Table, child: Table): void {
  if (parent.primaryKey.length && !child.primaryKey.length) {
    child.primaryKey = [...parent.primaryKey];
    for (const c of child.columns) if (parent.primaryKey.includes(c.name)) c.notNull = true;
  }
  for (const ix of parent.indexes) addPartitionIndex(catalog, child, ix);
}

/**
 * The name PostgreSQL gives an index it names itself: table, key and INCLUDE column names
 * (`expr`, or the function's name, for expressions) and a suffix, made unique with a number.
 */
function chooseIndexName(catalog: Catalog, table: string, columns: string[], suffix: string): string {
  const base = `${table}_${columns.join('_')}`.slice(0, 63 - suffix.length - 1);
  const taken = new Set<string>();
  for (const t of catalog.tables.values()) for (const ix of t.indexes) taken.add(ix.name);
  let name = `${base}_${suffix}`;
  for (let i = 1; taken.has(name); i++) name = `${base}_${suffix}${i}`;
  return name;
}

// ---------------------------------------------------------------------------------------------
// ALTER TABLE

/** ALTER TABLE actions that change nothing the catalog keeps (owner, storage, triggers…). */
const IGNORED_ALTER = /^AT_(ChangeOwner|SetStatistics|SetStorage|SetCompression|SetOptions|ResetOptions|SetRelOptions|ResetRelOptions|ReplaceRelOptions|ClusterOn|DropCluster|SetLogged|SetUnLogged|EnableTrig|DisableTrig|EnableAlwaysTrig|EnableReplicaTrig|EnableTrigAll|DisableTrigAll|EnableTrigUser|DisableTrigUser|EnableRule|EnableAlwaysRule|EnableReplicaRule|DisableRule|EnableRowSecurity|DisableRowSecurity|ForceRowSecurity|NoForceRowSecurity|ReplicaIdentity|SetTableSpace|SetAccessMethod|GenericOptions|AlterColumnGenericOptions|ValidateConstraint|AlterConstraint|SetIdentity|DropOf|AddOf|SetExpression|DropExpression|CookedColumnDefault|SetAttNotNull|AddInherit|DropInherit)/;

function alterTable(ctx: Ctx, n: PgNode): string | undefined {
  // ALTER INDEX / SEQUENCE / VIEW … reach here too; only tables and materialized views matter.
  if (n.objtype !== 'OBJECT_TABLE' && n.objtype !== 'OBJECT_MATVIEW' && n.objtype !== 'OBJECT_FOREIGN_TABLE') return undefined;
  const cmds: PgNode[] = (n.cmds ?? []).map((c: PgNode) => c.AlterTableCmd);
  const relevant = cmds.filter((c) => !IGNORED_ALTER.test(c.subtype ?? ''));
  if (relevant.length === 0) return undefined;
  const table = ctx.catalog.tables.get(key(n.relation.relname));
  if (!table) return n.missing_ok ? undefined : `ALTER TABLE ${n.relation.relname}: the table is not defined before this statement`;
  // Actions are comma-separated after the table name; their text ranges are cut from tokens.
  const parts = actionRanges(ctx, ctx.at(n.relation.location));
  // Without ONLY, column changes reach the partitions too (PostgreSQL recurses).
  const children = n.relation.inh === true ? descendants(ctx.catalog, table) : [];
  cmds.forEach((cmd, i) => {
    const range = parts.length === cmds.length ? parts[i] : { start: 0, end: ctx.st.text.length };
    alterAction(ctx, table, cmd, range);
    if (RECURSING_ALTER.has(cmd.subtype)) for (const child of children) alterAction(ctx, child, cmd, range);
  });
  return undefined;
}

/** Column changes an ALTER TABLE on a partitioned table applies to its partitions as well. */
const RECURSING_ALTER = new Set(['AT_AddColumn', 'AT_DropColumn', 'AT_AlterColumnType', 'AT_SetNotNull', 'AT_DropNotNull', 'AT_ColumnDefault']);

/** Partitions of a partitioned table, and theirs, depth first. */
function descendants(catalog: Catalog, parent: Table, seen = new Set<Table>()): Table[] {
  const out: Table[] = [];
  for (const child of partitionsOf(catalog, parent)) {
    if (seen.has(child)) continue;
    seen.add(child);
    out.push(child, ...descendants(catalog, child, seen));
  }
  return out;
}

/** String ranges of the top-level comma-separated actions after the relation name. */
function actionRanges(ctx: Ctx, relStart: number): Array<{ start: number; end: number }> {
  let i = tokenAt(ctx, relStart);
  // Skip the (possibly qualified) name.
  i++;
  while (ctx.toks[i]?.text === '.' && ctx.toks[i + 1]) i += 2;
  const out: Array<{ start: number; end: number }> = [];
  let from = i;
  let depth = 0;
  for (; i <= ctx.toks.length; i++) {
    const t = ctx.toks[i];
    if (t?.text === '(') depth++;
    if (t?.text === ')') depth--;
    if (!t || (depth === 0 && t.text === ',')) {
      if (i > from) out.push({ start: ctx.toks[from].start, end: ctx.toks[i - 1].end });
      from = i + 1;
    }
  }
  return out;
}

function alterAction(ctx: Ctx, table: Table, cmd: PgNode, range: { start: number; end: number }): void {
  const col = cmd.name !== undefined ? table.columns.find((c) => c.name === cmd.name) : undefined;
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const def = cmd.def?.ColumnDef;
      if (!def || (cmd.missing_ok && table.columns.some((c) => c.name === def.colname))) return;
      const start = ctx.at(def.location ?? 0);
      addColumn(ctx, table, def, { start: Math.max(start, range.start), end: range.end });
      return;
    }
    case 'AT_DropColumn':
      if (cmd.name) dropColumn(table, cmd.name);
      return;
    case 'AT_AlterColumnType': {
      const def = cmd.def?.ColumnDef;
      if (!col || !def?.typeName) return;
      const stop = ctx.toks.find((t) => t.start > ctx.at(def.typeName.location) && t.end <= range.end && t.kind === 'word' && (t.value === 'using' || t.value === 'collate'));
      col.type = typeText(ctx, def.typeName, stop ? stop.start : range.end);
      return;
    }
    case 'AT_SetNotNull':
      if (col) col.notNull = true;
      return;
    case 'AT_DropNotNull':
      if (col) col.notNull = false;
      return;
    case 'AT_ColumnDefault':
      if (!col) return;
      if (cmd.def) col.default = constraintBody(ctx, range, ['alter', 'column', cmd.name.toLowerCase(), 'set', 'default']);
      else delete col.default;
      return;
    case 'AT_AddIdentity':
      if (col) {
        col.identity = cmd.def?.Constraint?.generated_when === 'd' ? 'by default' : 'always';
        col.notNull = true;
      }
      return;
    case 'AT_DropIdentity':
      if (col) delete col.identity;
      return;
    case 'AT_AddConstraint':
      if (cmd.def?.Constraint) addConstraint(ctx, table, cmd.def.Constraint, afterWords(ctx, range, ['add']));
      return;
    case 'AT_DropConstraint':
      if (cmd.name) dropConstraint(table, cmd.name);
      return;
    case 'AT_AttachPartition': {
      const pc = cmd.def?.PartitionCmd;
      const child = pc && ctx.catalog.tables.get(key(pc.name.relname));
      if (!child) {
        ctx.catalog.problems.push({ file: ctx.file, offset: ctx.st.start, message: `ATTACH PARTITION ${pc?.name?.relname}: that table is not defined before it` });
        return;
      }
      child.partitionOf = { parent: table.name, bound: boundText(ctx, pc.bound) };
      inheritPartitionIndexes(ctx.catalog, table, child);
      return;
    }
    case 'AT_DetachPartition': {
      const child = ctx.catalog.tables.get(key(cmd.def?.PartitionCmd?.name?.relname ?? ''));
      if (child) delete child.partitionOf;
      return;
    }
    default:
      return;
  }
}

function dropPrimaryKey(table: Table): void {
  const pk = table.primaryKey;
  table.primaryKey = [];
  for (const col of table.columns) delete col.primaryKey;
  table.indexes = table.indexes.filter((ix) => !(ix.implicit && sameKeys(ix, pk)));
}

function dropConstraint(table: Table, name: string): void {
  const lower = name.toLowerCase();
  // Unnamed foreign keys carry PostgreSQL's default name: `<table>_<columns>_fkey`.
  const fk = table.foreignKeys.find((f) => (f.name ?? `${table.name}_${f.columns.join('_')}_fkey`).toLowerCase() === lower);
  if (fk) {
    table.foreignKeys = table.foreignKeys.filter((f) => f !== fk);
    if (fk.columns.length === 1) {
      const col = table.columns.find((c) => c.name === fk.columns[0]);
      if (col?.references?.table === fk.refTable) delete col.references;
    }
    return;
  }
  const ix = table.indexes.find((x) => x.implicit && x.name.toLowerCase() === lower);
  if (!ix) return; // CHECK constraints carry no index
  const cols = ix.keys.map((k) => k.column ?? '');
  if (sameKeys(ix, table.primaryKey) && ix.name === table.indexes.find((x) => x.implicit && sameKeys(x, table.primaryKey))?.name && table.primaryKey.length) dropPrimaryKey(table);
  else {
    const at = table.uniques.findIndex((u) => u.join(',') === cols.join(','));
    if (at >= 0) table.uniques.splice(at, 1);
    table.indexes = table.indexes.filter((x) => x !== ix);
  }
}

// ---------------------------------------------------------------------------------------------
// RENAME, SET SCHEMA, DROP

function rename(ctx: Ctx, n: PgNode): string | undefined {
  const c = ctx.catalog;
  const relname: string | undefined = n.relation?.relname;
  switch (n.renameType) {
    case 'OBJECT_TABLE':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_FOREIGN_TABLE': {
      const t = relname && c.tables.get(key(relname));
      if (!t) return n.missing_ok ? undefined : `ALTER TABLE ${relname} RENAME: the table is not defined before this statement`;
      c.tables.delete(key(relname));
      t.name = n.newname;
      for (const ix of t.indexes) ix.table = n.newname;
      for (const other of c.tables.values()) if (other.partitionOf && key(other.partitionOf.parent) === key(relname)) other.partitionOf.parent = n.newname;
      c.tables.set(key(n.newname), t);
      return undefined;
    }
    case 'OBJECT_VIEW': {
      const v = relname && c.views?.get(key(relname));
      if (v) {
        c.views!.delete(key(relname));
        v.name = n.newname;
        c.views!.set(key(n.newname), v);
      }
      return undefined;
    }
    case 'OBJECT_COLUMN': {
      const t = relname && c.tables.get(key(relname));
      if (!t || !n.subname) return undefined;
      renameColumn(t, n.subname, n.newname);
      if (n.relation.inh === true) for (const child of descendants(c, t)) renameColumn(child, n.subname, n.newname);
      return undefined;
    }
    case 'OBJECT_INDEX': {
      for (const t of c.tables.values()) {
        const ix = t.indexes.find((x) => x.name === relname);
        if (ix) ix.name = n.newname;
      }
      return undefined;
    }
    case 'OBJECT_TABCONSTRAINT': {
      const t = relname && c.tables.get(key(relname));
      if (!t) return undefined;
      for (const ix of t.indexes) if (ix.implicit && ix.name === n.subname) ix.name = n.newname;
      for (const fk of t.foreignKeys) if (fk.name === n.subname) fk.name = n.newname;
      return undefined;
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const old = qualified(n.object?.List?.items);
      const ty = c.types?.get(key(old.name));
      if (ty) {
        c.types!.delete(key(old.name));
        ty.name = n.newname;
        c.types!.set(key(n.newname), ty);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function setSchema(ctx: Ctx, n: PgNode): string | undefined {
  const relname: string | undefined = n.relation?.relname;
  if (!relname) return undefined;
  if (n.objectType === 'OBJECT_TABLE' || n.objectType === 'OBJECT_MATVIEW') {
    const t = ctx.catalog.tables.get(key(relname));
    if (t) t.schema = n.newschema;
  } else if (n.objectType === 'OBJECT_VIEW') {
    const v = ctx.catalog.views?.get(key(relname));
    if (v) v.schema = n.newschema;
  }
  return undefined;
}

function drop(ctx: Ctx, n: PgNode): string | undefined {
  const c = ctx.catalog;
  const names: string[] = (n.objects ?? []).map((o: PgNode) => {
    const items = o.List?.items ?? (o.TypeName ? o.TypeName.names : undefined) ?? [o];
    return qualified(items).name;
  });
  for (const name of names) {
    const k = key(name);
    switch (n.removeType) {
      case 'OBJECT_TABLE':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_FOREIGN_TABLE': {
        const t = c.tables.get(k);
        if (!t) break;
        c.tables.delete(k);
        // Partitions go with their partitioned table.
        for (const child of partitionsOf(c, t)) c.tables.delete(key(child.name));
        break;
      }
      case 'OBJECT_INDEX':
        for (const t of c.tables.values()) t.indexes = t.indexes.filter((ix) => key(ix.name) !== k);
        break;
      case 'OBJECT_VIEW':
        c.views?.delete(k);
        break;
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN':
        c.types?.delete(k);
        break;
      case 'OBJECT_SEQUENCE':
        c.sequences?.delete(k);
        break;
      default:
        break;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Views, materialized views, CREATE TABLE AS, types, sequences

/** Text of the query after `AS` (views and CREATE TABLE AS). */
function queryText(ctx: Ctx): string {
  const starts = (t: Token | undefined) => !!t && (t.text === '(' || (t.kind === 'word' && /^(select|with|values|table)$/.test(t.value)));
  const as = ctx.toks.findIndex((t, i) => t.kind === 'word' && t.value === 'as' && starts(ctx.toks[i + 1]));
  return as >= 0 ? sliceTokens(ctx, as + 1, ctx.toks.length) : '';
}

/**
 * Output column names of a SELECT as PostgreSQL would name them (alias, column, function name),
 * or undefined for a column it would call `?column?` and for `*` over a relation it cannot see.
 */
function outputColumns(ctx: Ctx, query: PgNode): Array<string | undefined> {
  let sel = query?.SelectStmt;
  while (sel && sel.op && sel.op !== 'SETOP_NONE') sel = sel.larg;
  if (!sel) return [undefined];
  const out: Array<string | undefined> = [];
  for (const t of sel.targetList ?? []) {
    const rt = t.ResTarget;
    if (rt?.name) {
      out.push(rt.name);
      continue;
    }
    const fields = rt?.val?.ColumnRef?.fields;
    if (fields && fields[fields.length - 1]?.A_Star) {
      const from = sel.fromClause?.length === 1 ? sel.fromClause[0].RangeVar?.relname : undefined;
      const src = from ? ctx.catalog.tables.get(key(from)) ?? undefined : undefined;
      const view = from ? ctx.catalog.views?.get(key(from)) : undefined;
      if (src) out.push(...src.columns.map((c) => c.name));
      else if (view) out.push(...view.columns);
      else out.push(undefined);
      continue;
    }
    out.push(figureName(rt?.val));
  }
  return out;
}

function figureName(v: PgNode): string | undefined {
  if (!v) return undefined;
  if (v.ColumnRef) return v.ColumnRef.fields[v.ColumnRef.fields.length - 1]?.String?.sval;
  if (v.FuncCall) return strings(v.FuncCall.funcname).pop();
  if (v.TypeCast) return figureName(v.TypeCast.arg) ?? strings(v.TypeCast.typeName?.names).pop();
  if (v.CoalesceExpr) return 'coalesce';
  if (v.CaseExpr) return 'case';
  return undefined;
}

function createView(ctx: Ctx, n: PgNode): string | undefined {
  const v = n.view;
  const aliases = strings(n.aliases);
  const names = outputColumns(ctx, n.query);
  const columns = names.map((nm, i) => aliases[i] ?? nm).filter((x): x is string => x !== undefined);
  views(ctx.catalog).set(key(v.relname), { name: v.relname, schema: v.schemaname, columns, query: queryText(ctx), source: ref(ctx) });
  return undefined;
}

function createTableAs(ctx: Ctx, n: PgNode): string | undefined {
  const rel = n.into?.rel;
  if (!rel) return undefined;
  const k = key(rel.relname);
  if (n.if_not_exists && ctx.catalog.tables.has(k)) return undefined;
  const given = strings(n.into.colNames);
  const names = outputColumns(ctx, n.query).map((nm, i) => given[i] ?? nm);
  const materialized = n.objtype === 'OBJECT_MATVIEW';
  const table: Table = {
    name: rel.relname, schema: rel.schemaname, primaryKey: [], uniques: [], foreignKeys: [], indexes: [],
    columns: names.filter((x): x is string => x !== undefined).map((name) => ({ name, type: '', notNull: false })),
    source: ref(ctx), origin: 'sql',
  };
  if (materialized) table.kind = 'materialized view';
  ctx.catalog.tables.set(k, table);
  if (names.some((x) => x === undefined)) return `the columns of CREATE ${materialized ? 'MATERIALIZED VIEW' : 'TABLE'} ${rel.relname} AS … are not known`;
  return undefined;
}

function addType(ctx: Ctx, ty: UserType): string | undefined {
  if (ty.schema === undefined) delete ty.schema;
  types(ctx.catalog).set(key(ty.name), ty);
  return undefined;
}

function alterEnum(ctx: Ctx, n: PgNode): string | undefined {
  const ty = ctx.catalog.types?.get(key(qualified(n.typeName).name));
  if (ty?.kind !== 'enum') return undefined;
  if (n.oldVal && n.newVal) ty.values = ty.values.map((v) => (v === n.oldVal ? n.newVal : v));
  else if (n.newVal && !ty.values.includes(n.newVal)) {
    const anchor = n.newValNeighbor ? ty.values.indexOf(n.newValNeighbor) : -1;
    if (anchor < 0) ty.values.push(n.newVal);
    else ty.values.splice(n.newValIsAfter ? anchor + 1 : anchor, 0, n.newVal);
  }
  return undefined;
}

function alterSequence(ctx: Ctx, n: PgNode): string | undefined {
  const seq = ctx.catalog.sequences?.get(key(n.sequence?.relname ?? ''));
  if (!seq) return undefined;
  for (const o of n.options ?? []) {
    const d = o.DefElem;
    if (d?.defname !== 'owned_by') continue;
    const parts = strings(d.arg?.List?.items);
    if (parts.length >= 2) seq.ownedBy = { table: parts[parts.length - 2], column: parts[parts.length - 1] };
  }
  return undefined;
}
