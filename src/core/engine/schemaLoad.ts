/**
 * Getting the workspace's DDL into the engine. Schema files are real-world files: pg_dump
 * output with `SET` and `OWNER TO` lines, migrations with seed INSERTs, query files matched
 * by the same glob, MySQL DDL. We run the statements that shape the schema one at a time,
 * record the ones PostgreSQL rejects and carry on; tables our own DDL reader understood but
 * PostgreSQL did not create (MySQL syntax, say) are then created from the catalog instead.
 */
import { isOrmSchemaSource } from '../schema/orm/index';
import type { Dialect } from '../dialect';
import type { Catalog, IndexDef, Table } from '../schema/types';
import { splitStatements } from '../sql/split';
import { parsePgSync, pgParserReady } from '../sql/pg/libpg';
import type { SchemaLoadProblem } from './types';

/** What to do with one statement of a schema file. */
export type StatementAction = 'run' | 'skip';

// Statements that change nothing a planner looks at, or that would break the session.
const SKIP = [
  /^(select|insert|update|delete|merge|with|values|copy|explain|show|set|reset|begin|start|commit|rollback|end|savepoint|release|grant|revoke|vacuum|analyze|lock|checkpoint|notify|listen|discard|do|call|prepare|execute|deallocate|refresh|truncate|security|\\)/i,
  /^create\s+(database|role|user|group|tablespace|publication|subscription|server|user\s+mapping|event\s+trigger)\b/i,
  /^alter\s+(database|role|user|group|system|tablespace|default\s+privileges|publication|subscription|server|event\s+trigger)\b/i,
  /^drop\s+(database|role|user|group|tablespace|owned)\b/i,
  /\bowner\s+to\b/i,
];

/** Decides whether a schema-file statement is run in the engine. */
export function statementAction(sql: string): StatementAction {
  const text = sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, '');
  if (!/^(create|alter|drop|comment)\b/i.test(text)) return 'skip';
  return SKIP.some((re) => re.test(text)) ? 'skip' : 'run';
}

/** Minimal execution surface of the database (PGlite's `exec`). */
export interface Executor {
  exec(sql: string): Promise<unknown>;
}

/** What the engine needs to know about the schema's extensions while loading it. */
export interface LoadExtras {
  /** SQL run before the schema (stand-in types for extensions PGlite does not ship). */
  prelude?: string[];
  /** Extensions whose `CREATE EXTENSION` is skipped (answered by a stand-in, or unavailable). */
  skipExtensions?: Set<string>;
}

/**
 * Runs the workspace DDL and returns what PostgreSQL rejected. Each file goes in one batch (one
 * round trip and one transaction, however many statements a migration or a dump holds); when a
 * batch fails, that file is replayed statement by statement so each rejected statement is
 * reported and the rest still runs, in order. (Measured: a round trip costs ≈ 0.3 ms of CPU and
 * a CREATE TABLE ≈ 3 ms, so batching per file rather than the whole history loses nothing, and
 * a failure costs one extra replay of its own file only.) Function bodies are not checked while
 * loading (pg_dump and migrations define functions before the tables they use), and the session
 * settings a dump sets are honoured; every setting is reset afterwards.
 */
export async function runSchemaStatements(db: Executor, sources: { file: string; text: string }[], dialect: Dialect, extras: LoadExtras = {}): Promise<SchemaLoadProblem[]> {
  const problems: SchemaLoadProblem[] = [];
  const batches: BatchItem[][] = [];
  for (const src of sources) {
    // ORM schemas are not SQL: their tables are created from the catalog (ddlFromCatalog).
    if (isOrmSchemaSource(src)) continue;
    const items: BatchItem[] = [];
    for (const st of splitStatements(src.text, dialect)) {
      const action = statementAction(st.text);
      const setting = action === 'skip' && dialect === 'postgresql' && isSessionSetting(st.text);
      if (action === 'skip' && !setting) continue;
      if (extras.skipExtensions?.size && createdExtension(st.text, extras.skipExtensions)) continue;
      const sql = dialect === 'mysql' ? st.text.replace(/`/g, '"') : st.text;
      items.push({ label: `${src.file}: ${firstLine(st.text)}`, sql });
    }
    if (items.length) batches.push(items);
  }
  await db.exec('SET check_function_bodies = off');
  try {
    for (const sql of extras.prelude ?? []) {
      try {
        await db.exec(sql);
      } catch (err) {
        problems.push({ statement: firstLine(sql), message: errorMessage(err) });
      }
    }
    for (const items of batches) await runBatch(db, items, problems);
  } finally {
    await db.exec('RESET ALL');
  }
  return problems;
}

interface BatchItem {
  label: string;
  sql: string;
}

async function runBatch(db: Executor, items: BatchItem[], problems: SchemaLoadProblem[]): Promise<void> {
  try {
    // A newline before each `;`: a statement may end in a line comment.
    await db.exec(items.map((i) => i.sql).join('\n;\n'));
    return;
  } catch (err) {
    if (items.length === 1) {
      problems.push({ statement: items[0].label, message: errorMessage(err) });
      return;
    }
  }
  // The failed batch was rolled back as a whole: replay it one statement at a time.
  for (const item of items) {
    try {
      await db.exec(item.sql);
    } catch (err) {
      problems.push({ statement: item.label, message: errorMessage(err) });
    }
  }
}

// Settings that would break the session or name roles the engine does not have.
const UNSAFE_SETTINGS = new Set(['role', 'session_authorization', 'transaction', 'session', 'session_replication_role', 'default_transaction_read_only', 'transaction_read_only']);

/**
 * True for `SET name = value` and pg_dump's `SELECT pg_catalog.set_config('name', 'value', false)`
 * (classified by PostgreSQL's grammar), except settings that would break the session.
 */
export function isSessionSetting(sql: string): boolean {
  const text = sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, '');
  if (!/^(set|select)\b/i.test(text) || !pgParserReady()) return false;
  const parsed = parsePgSync(text);
  if (!parsed.ok || parsed.tree.stmts?.length !== 1) return false;
  const stmt = parsed.tree.stmts[0].stmt as Record<string, any> | undefined;
  const set = stmt?.VariableSetStmt;
  if (set) return !set.is_local && typeof set.name === 'string' && !UNSAFE_SETTINGS.has(set.name.toLowerCase());
  const select = stmt?.SelectStmt;
  const targets = select?.targetList as Record<string, any>[] | undefined;
  if (!select || select.fromClause || targets?.length !== 1) return false;
  const call = targets[0]?.ResTarget?.val?.FuncCall;
  const fname = (call?.funcname as Record<string, any>[] | undefined)?.map((n) => n?.String?.sval).join('.');
  if (fname !== 'set_config' && fname !== 'pg_catalog.set_config') return false;
  const name = call.args?.[0]?.A_Const?.sval?.sval as string | undefined;
  return !!name && !UNSAFE_SETTINGS.has(name.toLowerCase());
}

/** True when the statement is `CREATE EXTENSION` of one of `names`. */
function createdExtension(sql: string, names: Set<string>): boolean {
  if (!/create\s+extension/i.test(sql) || !pgParserReady()) return false;
  const parsed = parsePgSync(sql);
  if (!parsed.ok) return false;
  return (parsed.tree.stmts ?? []).some((s) => {
    const name = (s.stmt as { CreateExtensionStmt?: { extname?: string } } | undefined)?.CreateExtensionStmt?.extname;
    return !!name && names.has(name);
  });
}

/**
 * PostgreSQL DDL for catalog tables the engine does not have yet (created from what our DDL
 * reader understood). Types are mapped to PostgreSQL where MySQL differs.
 */
export function ddlFromCatalog(tables: Table[]): string[] {
  const out: string[] = [];
  for (const t of tables) {
    const cols = t.columns.map((c) => `${ident(c.name)} ${pgType(c.type)}${c.notNull ? ' NOT NULL' : ''}`);
    if (t.primaryKey.length) cols.push(`PRIMARY KEY (${t.primaryKey.map(ident).join(', ')})`);
    for (const u of t.uniques) if (u.length) cols.push(`UNIQUE (${u.map(ident).join(', ')})`);
    if (!cols.length) continue;
    out.push(`CREATE TABLE ${qualified(t)} (\n  ${cols.join(',\n  ')}\n)`);
  }
  for (const t of tables) {
    for (const fk of t.foreignKeys) {
      out.push(`ALTER TABLE ${qualified(t)} ADD FOREIGN KEY (${fk.columns.map(ident).join(', ')}) REFERENCES ${ident(fk.refTable)} (${fk.refColumns.map(ident).join(', ')})`);
    }
    for (const ix of t.indexes) if (!ix.implicit) out.push(indexDdl(t, ix));
  }
  return out;
}

function indexDdl(t: Table, ix: IndexDef): string {
  const keys = ix.keys.map((k) => (k.column ? ident(k.column) : `(${k.expression})`) + (k.descending ? ' DESC' : '')).join(', ');
  const include = ix.include.length ? ` INCLUDE (${ix.include.map(ident).join(', ')})` : '';
  const where = ix.where ? ` WHERE ${ix.where}` : '';
  const method = ix.method && ix.method !== 'btree' ? ` USING ${ix.method}` : '';
  return `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${ident(ix.name)} ON ${qualified(t)}${method} (${keys})${include}${where}`;
}

function qualified(t: Table): string {
  return t.schema ? `${ident(t.schema)}.${ident(t.name)}` : ident(t.name);
}

function ident(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : '"' + name.replace(/"/g, '""') + '"';
}

/** Maps a type as written (possibly MySQL) to a PostgreSQL type. */
export function pgType(type: string): string {
  const t = type.toLowerCase().trim();
  const base = t.replace(/\s+unsigned\b/, '').replace(/\s+zerofill\b/, '');
  if (/^tinyint\(1\)/.test(base) || base === 'bool' || base === 'boolean') return 'boolean';
  if (/^(tinyint|smallint|mediumint|year)\b/.test(base)) return 'smallint';
  if (/^(int|integer)\b/.test(base)) return 'integer';
  if (/^bigint\b/.test(base)) return 'bigint';
  if (/^(double|float|real)\b/.test(base)) return 'double precision';
  if (/^(decimal|numeric)\b/.test(base)) return base.replace(/^decimal/, 'numeric');
  if (/^datetime\b/.test(base)) return 'timestamp';
  if (/^(tinytext|mediumtext|longtext|text)\b/.test(base)) return 'text';
  if (/^(tinyblob|mediumblob|longblob|blob|binary|varbinary)\b/.test(base)) return 'bytea';
  if (/^enum\s*\(/.test(base) || /^set\s*\(/.test(base)) return 'text';
  if (/^json\b/.test(base)) return 'jsonb';
  if (/^(char|varchar|character|character varying)\b/.test(base)) return base;
  if (/^(timestamp|timestamptz|date|time|uuid|jsonb|bytea|inet|cidr|interval|serial|bigserial|smallserial|text|money|tsvector)\b/.test(base)) return base;
  if (/^(double precision|smallint|bigint|integer)$/.test(base)) return base;
  return 'text';
}

/** Catalog tables missing from the engine (by lower-cased name). */
export function missingTables(catalog: Catalog, present: Set<string>): Table[] {
  return [...catalog.tables.values()].filter((t) => !present.has(t.name.toLowerCase()));
}

function firstLine(sql: string): string {
  const line = sql.split('\n')[0].trim();
  return line.length > 120 ? line.slice(0, 117) + '…' : line;
}

/** The message of a PostgreSQL / PGlite error, without stack or internals. */
export function errorMessage(err: unknown): string {
  const e = err as { message?: string; detail?: string; hint?: string };
  let m = String(e?.message ?? err);
  if (e?.detail) m += ` (${e.detail})`;
  if (e?.hint) m += ` Hint: ${e.hint}`;
  return m;
}
