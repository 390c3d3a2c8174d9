/**
 * The gate in front of a live server: decides, with the server's own grammar (PostgreSQL's
 * parser, libpg-query) or MySQL's (node-sql-parser's MySQL build), whether a text is exactly one
 * statement of a kind we may EXPLAIN — SELECT, INSERT, UPDATE, DELETE, MERGE, or any of them
 * behind WITH. Everything else (DDL, COPY, DO, SET, CALL, several statements, text that does not
 * parse) is refused before a byte reaches the server.
 */
import type { Dialect } from '../dialect';
import { parseStatement } from '../sql/parse';
import { loadPgParser, parsePgSync } from '../sql/pg/libpg';
import { LiveError } from './errors';

export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'merge';

export interface GuardedStatement {
  /** The one statement, without a trailing semicolon or comments after it. */
  sql: string;
  kind: StatementKind;
  /**
   * True when executing it can change data (INSERT/UPDATE/DELETE/MERGE, a data-modifying CTE,
   * SELECT … FOR UPDATE): EXPLAIN ANALYZE then runs in a read-write transaction that is rolled
   * back; everything else runs READ ONLY.
   */
  writes: boolean;
}

const PG_KINDS: Record<string, StatementKind> = {
  SelectStmt: 'select',
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
  MergeStmt: 'merge',
};

/** Node names that change data wherever they appear in the tree (CTEs included). */
const PG_WRITES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'LockingClause']);

/** Plain words for the statements people most often hand over by mistake. */
const PG_NAMES: Record<string, string> = {
  DropStmt: 'DROP',
  CreateStmt: 'CREATE TABLE',
  IndexStmt: 'CREATE INDEX',
  AlterTableStmt: 'ALTER TABLE',
  TruncateStmt: 'TRUNCATE',
  CopyStmt: 'COPY',
  DoStmt: 'DO',
  VariableSetStmt: 'SET',
  VariableShowStmt: 'SHOW',
  TransactionStmt: 'a transaction command',
  CallStmt: 'CALL',
  GrantStmt: 'GRANT/REVOKE',
  VacuumStmt: 'VACUUM/ANALYZE',
  ExplainStmt: 'EXPLAIN',
  CreateTableAsStmt: 'CREATE TABLE AS',
  ViewStmt: 'CREATE VIEW',
  CreateFunctionStmt: 'CREATE FUNCTION',
  RenameStmt: 'ALTER … RENAME',
  LockStmt: 'LOCK',
  ExecuteStmt: 'EXECUTE',
  PrepareStmt: 'PREPARE',
  NotifyStmt: 'NOTIFY',
};

const ALLOWED = 'only one SELECT, INSERT, UPDATE, DELETE or MERGE statement (optionally with WITH) is sent to a live server';

/** Classifies PostgreSQL text; throws `LiveError('refused')` for anything we will not send. */
export async function guardPostgres(text: string): Promise<GuardedStatement> {
  await loadPgParser();
  return guardPostgresSync(text);
}

/** `guardPostgres` once the parser is loaded. */
export function guardPostgresSync(text: string): GuardedStatement {
  if (!text.trim()) throw new LiveError('refused', 'there is no SQL statement to explain');
  const parsed = parsePgSync(text);
  if (!parsed.ok) throw new LiveError('refused', `not sent: PostgreSQL's parser cannot read this statement (${parsed.message}); ${ALLOWED}`);
  const stmts = parsed.tree.stmts ?? [];
  if (stmts.length === 0) throw new LiveError('refused', 'there is no SQL statement to explain');
  if (stmts.length > 1) throw new LiveError('refused', `not sent: found ${stmts.length} statements; ${ALLOWED}`);
  const entry = stmts[0] as { stmt?: Record<string, unknown>; stmt_location?: number; stmt_len?: number };
  const node = entry.stmt ?? {};
  const type = Object.keys(node)[0] ?? '';
  const kind = PG_KINDS[type];
  if (type === 'ExplainStmt') throw new LiveError('refused', 'not sent: give the statement without EXPLAIN (use --analyze, or the Explain Analyze command, for EXPLAIN ANALYZE)');
  if (!kind) throw new LiveError('refused', `not sent: ${PG_NAMES[type] ?? type.replace(/Stmt$/, '')} statements are never run on a live server; ${ALLOWED}`);
  const body = node[type] as Record<string, unknown>;
  if (type === 'SelectStmt' && body.intoClause) throw new LiveError('refused', `not sent: SELECT … INTO creates a table; ${ALLOWED}`);
  return { sql: statementText(text, entry.stmt_location, entry.stmt_len), kind, writes: kind !== 'select' || containsAny(body, PG_WRITES) };
}

/** The statement's own text: libpg-query gives byte offsets (UTF-8). */
function statementText(text: string, location = 0, length = 0): string {
  const bytes = Buffer.from(text, 'utf8');
  const slice = length > 0 ? bytes.subarray(location, location + length) : bytes.subarray(location);
  return slice.toString('utf8').trim().replace(/;\s*$/, '').trim();
}

function containsAny(node: unknown, names: Set<string>): boolean {
  if (Array.isArray(node)) return node.some((n) => containsAny(n, names));
  if (!node || typeof node !== 'object') return false;
  for (const [key, value] of Object.entries(node)) {
    if (names.has(key)) return true;
    if (containsAny(value, names)) return true;
  }
  return false;
}

const MYSQL_KINDS: Record<string, StatementKind> = { select: 'select', insert: 'insert', update: 'update', delete: 'delete', replace: 'insert' };

/** Classifies MySQL text with node-sql-parser's MySQL grammar; same refusals as PostgreSQL. */
export function guardMysql(text: string): GuardedStatement {
  const parsed = parseStatement(text, 'mysql');
  if (!parsed.ok) throw new LiveError('refused', `not sent: the MySQL parser cannot read this statement (${parsed.message}); ${ALLOWED}`);
  const asts = parsed.ast.filter((a: unknown) => a && typeof a === 'object');
  if (asts.length === 0) throw new LiveError('refused', 'there is no SQL statement to explain');
  if (asts.length > 1) throw new LiveError('refused', `not sent: found ${asts.length} statements; ${ALLOWED}`);
  const ast = asts[0] as { type?: string; into?: { expr?: unknown; position?: unknown }; locking_read?: unknown };
  const type = String(ast.type ?? '').toLowerCase();
  const kind = MYSQL_KINDS[type];
  if (!kind) throw new LiveError('refused', `not sent: ${type ? type.toUpperCase() : 'this kind of'} statements are never run on a live server; ${ALLOWED}`);
  if (kind === 'select' && ast.into && (ast.into.expr || ast.into.position)) throw new LiveError('refused', `not sent: SELECT … INTO writes a file or variables; ${ALLOWED}`);
  const sql = text.trim().replace(/;\s*$/, '').trim();
  return { sql, kind, writes: kind !== 'select' || Boolean(ast.locking_read) };
}

/** Dispatches on dialect. */
export async function guardStatement(text: string, dialect: Dialect): Promise<GuardedStatement> {
  return dialect === 'mysql' ? guardMysql(text) : guardPostgres(text);
}
