/**
 * The DDL facts the migration rules need, one per statement: index builds and drops (with
 * CONCURRENTLY), REINDEX, transaction control, CREATE TABLE names and foreign keys with their
 * ranges, index definitions with method, predicate, opclasses and INCLUDE. PostgreSQL
 * statements are read with PostgreSQL's own grammar (libpg-query); MySQL with our tokenizer.
 * This is the rules' only view of DDL, so a better catalog reader can replace it in one place.
 */
import type { Dialect } from '../dialect';
import { parsePgSync, pgParserReady } from '../sql/pg/libpg';
import { splitStatements, type Statement } from '../sql/split';
import { tokenize, type Token } from '../sql/tokens';

/** One key part of an index as written: a column or an expression, with its opclass. */
export interface IndexKeyFact {
  column?: string;
  /** A canonical form of an expression key (its parse tree without locations). */
  expression?: string;
  opclass?: string;
  collation?: string;
  descending: boolean;
}

export interface IndexFact {
  name?: string;
  table: string;
  schema?: string;
  keys: IndexKeyFact[];
  include: string[];
  method: string;
  unique: boolean;
  /** Canonical form of the partial-index predicate, when there is one. */
  where?: string;
}

export interface ForeignKeyFact {
  name?: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  /** Range of the constraint (or of the column definition carrying REFERENCES), in the text. */
  start: number;
  end: number;
}

interface Range {
  /** Offsets of the statement in the text it was read from. */
  start: number;
  end: number;
}

export type DdlFact = Range &
  (
    | { kind: 'create-index'; concurrently: boolean; index: IndexFact }
    | { kind: 'drop-index'; concurrently: boolean; names: string[] }
    | { kind: 'reindex'; concurrently: boolean; target: 'index' | 'table' | 'schema' | 'database' | 'system'; name?: string }
    | { kind: 'begin' | 'commit' | 'rollback' }
    | { kind: 'create-table'; table: string; foreignKeys: ForeignKeyFact[] }
    | { kind: 'alter-table'; table: string; foreignKeys: ForeignKeyFact[] }
    | { kind: 'other' }
  );

/**
 * Reads every statement of `text`. PostgreSQL needs `loadPgParser()` to have resolved; before
 * that, statements come back as `other` (the caller loads the parser before linting).
 */
export function readDdlFacts(text: string, dialect: Dialect): DdlFact[] {
  const statements = splitStatements(text, dialect);
  if (dialect === 'mysql' || !pgParserReady()) return statements.map((st) => (dialect === 'mysql' ? mysqlFact(st) : other(st)));
  return statements.map(pgFact);
}

function other(st: Statement): DdlFact {
  return { kind: 'other', start: st.start, end: st.end };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Strings of a `[{ String: { sval } }]` list (qualified names, opclasses). */
function names(list: Node[] | undefined): string[] {
  return (list ?? []).map((n) => n?.String?.sval).filter((s): s is string => typeof s === 'string');
}

/** A parse tree without its `location` fields: equal for the same expression written anywhere. */
function canonical(node: unknown): string {
  return JSON.stringify(node, (key, value) => (key === 'location' ? undefined : value));
}

/**
 * libpg-query reports byte offsets into the UTF-8 text; our ranges are UTF-16 offsets.
 * Returns the converter for one statement (identity for ASCII text, the usual case).
 */
function byteToChar(text: string): (byte: number) => number {
  if (!/[^\x00-\x7f]/.test(text)) return (b) => b;
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < bytes; k++) map.push(i);
    if (code >= 0x10000) i++;
  }
  return (b) => (b >= map.length ? text.length : map[b]);
}

function pgFact(st: Statement): DdlFact {
  const parsed = parsePgSync(st.text);
  const stmt: Node | undefined = parsed.ok ? parsed.tree.stmts?.[0]?.stmt : undefined;
  if (!stmt) return other(st);
  const range = { start: st.start, end: st.end };
  if (stmt.TransactionStmt) {
    const kind = String(stmt.TransactionStmt.kind);
    if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') return { kind: 'begin', ...range };
    if (kind === 'TRANS_STMT_COMMIT') return { kind: 'commit', ...range };
    if (kind === 'TRANS_STMT_ROLLBACK') return { kind: 'rollback', ...range };
    return other(st);
  }
  if (stmt.IndexStmt) {
    const s = stmt.IndexStmt;
    const keys: IndexKeyFact[] = (s.indexParams ?? []).map((p: Node) => {
      const e = p.IndexElem ?? {};
      const key: IndexKeyFact = { descending: e.ordering === 'SORTBY_DESC' };
      if (typeof e.name === 'string') key.column = e.name;
      else key.expression = canonical(e.expr);
      const opclass = names(e.opclass);
      if (opclass.length) key.opclass = opclass.join('.');
      const collation = names(e.collation);
      if (collation.length) key.collation = collation.join('.');
      return key;
    });
    const index: IndexFact = {
      name: s.idxname,
      table: s.relation?.relname ?? '',
      schema: s.relation?.schemaname,
      keys,
      include: (s.indexIncludingParams ?? []).map((p: Node) => p.IndexElem?.name).filter(Boolean),
      method: s.accessMethod ?? 'btree',
      unique: !!s.unique,
      where: s.whereClause ? canonical(s.whereClause) : undefined,
    };
    return { kind: 'create-index', concurrently: !!s.concurrent, index, ...range };
  }
  if (stmt.DropStmt?.removeType === 'OBJECT_INDEX') {
    const objects: Node[] = stmt.DropStmt.objects ?? [];
    const dropped = objects.map((o) => names(o.List?.items)).map((parts) => parts[parts.length - 1]).filter(Boolean);
    return { kind: 'drop-index', concurrently: !!stmt.DropStmt.concurrent, names: dropped, ...range };
  }
  if (stmt.ReindexStmt) {
    const s = stmt.ReindexStmt;
    const concurrently = (s.params ?? []).some((p: Node) => p.DefElem?.defname === 'concurrently');
    const target = String(s.kind ?? '').replace('REINDEX_OBJECT_', '').toLowerCase() as 'index' | 'table' | 'schema' | 'database' | 'system';
    return { kind: 'reindex', concurrently, target, name: s.relation?.relname ?? s.name, ...range };
  }
  if (stmt.CreateStmt) {
    const s = stmt.CreateStmt;
    const toChar = byteToChar(st.text);
    const table = s.relation?.relname ?? '';
    const fks: ForeignKeyFact[] = [];
    for (const el of (s.tableElts ?? []) as Node[]) {
      if (el.ColumnDef) {
        for (const c of (el.ColumnDef.constraints ?? []) as Node[]) {
          if (c.Constraint?.contype !== 'CONSTR_FOREIGN') continue;
          fks.push(foreignKey(c.Constraint, [el.ColumnDef.colname], toChar(el.ColumnDef.location), st));
        }
      } else if (el.Constraint?.contype === 'CONSTR_FOREIGN') {
        fks.push(foreignKey(el.Constraint, names(el.Constraint.fk_attrs), toChar(el.Constraint.location), st));
      }
    }
    return { kind: 'create-table', table, foreignKeys: fks, ...range };
  }
  if (stmt.AlterTableStmt) {
    const s = stmt.AlterTableStmt;
    const toChar = byteToChar(st.text);
    const fks: ForeignKeyFact[] = [];
    for (const cmd of (s.cmds ?? []) as Node[]) {
      const c = cmd.AlterTableCmd;
      const con = c?.def?.Constraint;
      if (c?.subtype === 'AT_AddConstraint' && con?.contype === 'CONSTR_FOREIGN') {
        fks.push(foreignKey(con, names(con.fk_attrs), toChar(con.location), st));
      } else if (c?.subtype === 'AT_AddColumn' && c.def?.ColumnDef) {
        for (const cc of (c.def.ColumnDef.constraints ?? []) as Node[]) {
          if (cc.Constraint?.contype === 'CONSTR_FOREIGN') fks.push(foreignKey(cc.Constraint, [c.def.ColumnDef.colname], toChar(c.def.ColumnDef.location), st));
        }
      }
    }
    return { kind: 'alter-table', table: s.relation?.relname ?? '', foreignKeys: fks, ...range };
  }
  return other(st);
}

function foreignKey(con: Node, columns: string[], at: number, st: Statement): ForeignKeyFact {
  const start = at >= 0 ? at : 0;
  return {
    name: con.conname,
    columns,
    refTable: con.pktable?.relname ?? '',
    refColumns: names(con.pk_attrs),
    start: st.start + start,
    end: st.start + elementEnd(st.text, start),
  };
}

/** End of a table element starting at `from`: the next comma or closing parenthesis at its own depth. */
function elementEnd(text: string, from: number): number {
  let depth = 0;
  let last = from;
  for (const t of tokenize(text)) {
    if (t.start < from) continue;
    if (t.text === '(') depth++;
    else if (t.text === ')') {
      if (depth === 0) break;
      depth--;
    } else if (t.text === ',' && depth === 0) break;
    last = t.end;
  }
  return last;
}

// ---------------------------------------------------------------------------------------------
// MySQL: the rules need transaction control and index statements only (no CONCURRENTLY, and
// InnoDB builds secondary indexes online), so the tokenizer's first words suffice.

function mysqlFact(st: Statement): DdlFact {
  const toks = tokenize(st.text, 'mysql').filter((t: Token) => t.kind === 'word' || t.kind === 'quoted');
  const w = (i: number) => (toks[i]?.kind === 'word' ? toks[i].value : '');
  const range = { start: st.start, end: st.end };
  if (w(0) === 'begin' || (w(0) === 'start' && w(1) === 'transaction')) return { kind: 'begin', ...range };
  if (w(0) === 'commit') return { kind: 'commit', ...range };
  if (w(0) === 'rollback') return { kind: 'rollback', ...range };
  if (w(0) === 'create' && w(1) === 'table') {
    const at = w(2) === 'if' ? 5 : 2;
    return { kind: 'create-table', table: toks[at]?.value ?? '', foreignKeys: [], ...range };
  }
  return other(st);
}
