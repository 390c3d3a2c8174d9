/**
 * A live MySQL or MariaDB server as a plan source: the schema from `information_schema`, plans
 * from `EXPLAIN FORMAT=JSON` converted into the shared plan tree. The same guarantees as for
 * PostgreSQL: only one SELECT / INSERT / UPDATE / DELETE (checked by the MySQL grammar) is sent,
 * inside a transaction that is rolled back (READ ONLY for reads), with a statement time limit,
 * over a connection that refuses multiple statements. EXPLAIN never executes the statement;
 * EXPLAIN ANALYZE is refused, because MySQL cannot roll back writes to non-transactional
 * tables (MyISAM, Aria).
 */
import type { Connection } from 'mysql2/promise';
import { quoteIdent as quoteMysqlIdent } from '../schema/indexes';
import type { ExplainRequest, ExplainResult, PlanEngine, SchemaLoadProblem } from '../engine/types';
import { bindParameters, findParameters } from '../engine/params';
import type { Catalog, IndexDef, Table } from '../schema/types';
import { connectError, LiveError, statementError } from './errors';
import { SerialSession } from './serialSession';
import { convertMysqlPlan } from './mysqlPlan';
import type { ServerSchema } from './pgCatalog';
import { DEFAULT_STATEMENT_TIMEOUT_MS, type LiveOptions } from './pgServer';
import { guardMysql } from './statement';
import type { LiveTarget } from './target';

export interface MysqlCapabilities {
  /** `MariaDB 10.11.19` or `MySQL 8.0.36`. */
  version: string;
  mariadb: boolean;
}

export interface MysqlServer extends PlanEngine {
  readonly dialect: 'mysql';
  readonly target: LiveTarget;
  readonly capabilities: MysqlCapabilities;
  schema(): Promise<ServerSchema>;
}

/** Connects to MySQL or MariaDB; failures become one-line `LiveError`s. */
export async function connectMysql(target: LiveTarget, opts: LiveOptions = {}): Promise<MysqlServer> {
  const mysql = await import('mysql2/promise');
  const ssl = target.sslmode === 'require' ? { rejectUnauthorized: false } : target.sslmode === 'verify-ca' || target.sslmode === 'verify-full' ? { rejectUnauthorized: true } : undefined;
  let conn: Connection;
  try {
    conn = await mysql.createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password ?? '',
      database: target.database,
      ssl,
      connectTimeout: opts.connectTimeoutMs ?? 10_000,
      multipleStatements: false,
      dateStrings: true,
      supportBigNumbers: true,
    });
  } catch (err) {
    throw connectError(err, target.display, target.user);
  }
  conn.on('error', () => undefined);
  const timeoutMs = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  try {
    const [rows] = await conn.query('SELECT VERSION() AS v');
    const raw = String((rows as { v: string }[])[0]?.v ?? '');
    const mariadb = /mariadb/i.test(raw);
    // A time limit on every statement this session runs (MariaDB: seconds, MySQL: ms, SELECT only).
    await conn.query(mariadb ? `SET SESSION max_statement_time = ${timeoutMs / 1000}` : `SET SESSION max_execution_time = ${Math.round(timeoutMs)}`);
    const version = `${mariadb ? 'MariaDB' : 'MySQL'} ${raw.split('-')[0]}`;
    return new Server(conn, target, { version, mariadb }, timeoutMs);
  } catch (err) {
    await conn.end().catch(() => undefined);
    throw statementError(err, timeoutMs);
  }
}

class Server implements MysqlServer {
  readonly dialect = 'mysql' as const;
  readonly schemaProblems: SchemaLoadProblem[] = [];
  private readonly session = new SerialSession();
  private schemaValue: ServerSchema | undefined;

  constructor(
    private readonly conn: Connection,
    readonly target: LiveTarget,
    readonly capabilities: MysqlCapabilities,
    private readonly timeoutMs: number,
  ) {}

  schema(): Promise<ServerSchema> {
    if (this.schemaValue) return Promise.resolve(this.schemaValue);
    return this.exclusive(() => this.schemaNow());
  }

  /** The schema, read once; only called while holding the connection (inside `exclusive`). */
  private async schemaNow(): Promise<ServerSchema> {
    this.schemaValue ??= await this.transaction(true, () => readMysqlSchema(this.conn, this.target));
    return this.schemaValue;
  }

  explain(req: ExplainRequest): Promise<ExplainResult> {
    return this.exclusive(() => this.explainNow(req));
  }

  async close(): Promise<void> {
    if (!(await this.session.close())) return;
    await this.conn.end().catch(() => undefined);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.session.run(fn);
  }

  private async transaction<T>(readOnly: boolean, fn: () => Promise<T>): Promise<T> {
    try {
      await this.conn.query(readOnly ? 'START TRANSACTION READ ONLY' : 'START TRANSACTION');
      return await fn();
    } catch (err) {
      throw statementError(err, this.timeoutMs);
    } finally {
      await this.conn.query('ROLLBACK').catch(() => undefined);
    }
  }

  private async explainNow(req: ExplainRequest): Promise<ExplainResult> {
    const guarded = guardMysql(req.sql);
    if (req.analyze) throw new LiveError('usage', `EXPLAIN ANALYZE is not run on ${this.capabilities.mariadb ? 'MariaDB' : 'MySQL'}: writes to non-transactional tables could not be rolled back; showing estimates needs no --analyze`);
    if (req.withIndexes?.length) throw new LiveError('usage', 'index could not be created: MySQL has no hypothetical indexes, and real indexes are never created on a live server');
    const schema = await this.schemaNow();
    const notes = [`Plan from ${this.capabilities.version} at ${this.target.display}.`];
    const columnsOf = (t: string) => schema.catalog.tables.get(t.toLowerCase().split('.').pop() ?? '')?.columns.map((c) => c.name);
    const slots = findParameters(guarded.sql, 'mysql', columnsOf);
    const values: string[] = [];
    const parameters: { text: string; value: string; source?: string }[] = [];
    for (const slot of slots) {
      const v = slot.role === 'limit' ? '10' : slot.role === 'offset' ? '20' : await this.sampleFor(slot.table, slot.column, schema);
      values.push(v ?? 'NULL');
      if (v !== undefined) parameters.push({ text: slot.text, value: v, source: slot.column ? `${slot.table}.${slot.column}` : undefined });
    }
    if (parameters.length) notes.push('Parameters got values sampled from their columns on the server.');
    const executedSql = slots.length ? bindParameters(guarded.sql, slots, values) : guarded.sql;
    const sent = guardMysql(executedSql);
    if (sent.kind !== guarded.kind) throw new LiveError('refused', 'not sent: the statement changed kind after parameters were bound');
    // EXPLAIN does not execute the statement; READ ONLY still holds for reads, and a write's
    // EXPLAIN runs in a transaction that is rolled back regardless.
    return this.transaction(!sent.writes, async () => {
      const [rows] = await this.conn.query(`EXPLAIN FORMAT=JSON ${sent.sql}`);
      const first = (rows as Record<string, unknown>[])[0] ?? {};
      const raw = first.EXPLAIN ?? Object.values(first)[0];
      const converted = convertMysqlPlan(raw);
      if (!converted.hasCosts) notes.push(`${this.capabilities.version} gives no costs in EXPLAIN: cost figures here are rows examined.`);
      const root = converted.plan.Plan as Record<string, unknown>;
      return {
        plan: { ...converted.plan, 'MySQL Plan': typeof raw === 'string' ? JSON.parse(raw) : raw },
        executedSql,
        totalCost: Number(root['Total Cost'] ?? 0),
        parameters: parameters.length ? parameters : undefined,
        relationRows: Object.fromEntries(Object.entries(schema.rows)),
        notes,
      };
    });
  }

  /** A real value of the column (MySQL keeps no value histogram we could read portably). */
  private async sampleFor(tableName: string | undefined, column: string | undefined, schema: ServerSchema): Promise<string | undefined> {
    if (!tableName || !column) return undefined;
    const table = schema.catalog.tables.get(tableName.toLowerCase().split('.').pop() ?? '');
    if (!table || !table.columns.some((c) => c.name === column)) return undefined;
    const [rows] = await this.conn.query(`SELECT ${quoteMysqlIdentAlways(column)} AS v FROM ${quoteMysqlIdentAlways(table.name)} WHERE ${quoteMysqlIdentAlways(column)} IS NOT NULL LIMIT 1`);
    const v = (rows as { v: unknown }[])[0]?.v;
    if (v === undefined || v === null) return undefined;
    return typeof v === 'number' ? String(v) : this.conn.escape(String(v));
  }
}

function quoteMysqlIdentAlways(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/** Reads tables, columns, indexes and foreign keys of the connected database. */
export async function readMysqlSchema(conn: Connection, target: LiveTarget): Promise<ServerSchema> {
  const origin = `server:${target.display}`;
  const q = async <T>(sql: string): Promise<T[]> => (await conn.query(sql, [target.database]))[0] as T[];
  const catalog: Catalog = { tables: new Map(), problems: [] };
  const rows: Record<string, number> = {};
  for (const t of await q<{ name: string; rows: number | null }>(
    `SELECT TABLE_NAME AS name, TABLE_ROWS AS \`rows\` FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
  )) {
    const table: Table = { name: t.name, columns: [], primaryKey: [], uniques: [], foreignKeys: [], indexes: [], origin: 'server', source: { file: origin, offset: 0 } };
    catalog.tables.set(t.name.toLowerCase(), table);
    rows[t.name.toLowerCase()] = Number(t.rows ?? 0);
  }
  for (const c of await q<{ tbl: string; name: string; type: string; nullable: string; def: string | null }>(
    `SELECT TABLE_NAME AS tbl, COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS def
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
  )) {
    const table = catalog.tables.get(c.tbl.toLowerCase());
    if (!table) continue;
    table.columns.push({ name: c.name, type: String(c.type).toLowerCase(), notNull: c.nullable === 'NO', ...(c.def !== null && c.def !== 'NULL' ? { default: String(c.def) } : {}) });
  }
  const indexes = new Map<string, IndexDef>();
  for (const s of await q<{ tbl: string; name: string; seq: number; col: string | null; nonUnique: number; type: string; collation: string | null; sub: number | null }>(
    `SELECT TABLE_NAME AS tbl, INDEX_NAME AS name, SEQ_IN_INDEX AS seq, COLUMN_NAME AS col, NON_UNIQUE AS nonUnique,
       INDEX_TYPE AS type, COLLATION AS collation, SUB_PART AS sub
     FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
  )) {
    const table = catalog.tables.get(s.tbl.toLowerCase());
    if (!table) continue;
    const key = `${s.tbl}.${s.name}`;
    let ix = indexes.get(key);
    if (!ix) {
      ix = { name: s.name, table: table.name, keys: [], include: [], unique: Number(s.nonUnique) === 0, method: String(s.type).toLowerCase() === 'hash' ? 'hash' : String(s.type).toLowerCase() === 'fulltext' ? 'fulltext' : 'btree', implicit: s.name === 'PRIMARY', source: table.source };
      indexes.set(key, ix);
      table.indexes.push(ix);
    }
    ix.keys.push(s.col ? { column: s.col, ...(s.collation === 'D' ? { descending: true } : {}) } : { expression: '(expression)' });
  }
  for (const table of catalog.tables.values()) {
    const pk = table.indexes.find((ix) => ix.name === 'PRIMARY');
    if (pk) table.primaryKey = pk.keys.map((k) => k.column ?? '');
    for (const ix of table.indexes) if (ix.unique && ix.name !== 'PRIMARY') table.uniques.push(ix.keys.map((k) => k.column ?? ''));
    for (const col of table.columns) {
      if (table.primaryKey.length === 1 && table.primaryKey[0] === col.name) col.primaryKey = true;
    }
  }
  const fks = new Map<string, { table: Table; name: string; columns: string[]; refTable: string; refColumns: string[] }>();
  for (const k of await q<{ tbl: string; name: string; col: string; reftable: string; refcol: string }>(
    `SELECT TABLE_NAME AS tbl, CONSTRAINT_NAME AS name, COLUMN_NAME AS col, REFERENCED_TABLE_NAME AS reftable, REFERENCED_COLUMN_NAME AS refcol
     FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
  )) {
    const table = catalog.tables.get(k.tbl.toLowerCase());
    if (!table) continue;
    const key = `${k.tbl}.${k.name}`;
    let fk = fks.get(key);
    if (!fk) {
      fk = { table, name: k.name, columns: [], refTable: k.reftable, refColumns: [] };
      fks.set(key, fk);
    }
    fk.columns.push(k.col);
    fk.refColumns.push(k.refcol);
  }
  for (const fk of fks.values()) {
    fk.table.foreignKeys.push({ columns: fk.columns, refTable: fk.refTable, refColumns: fk.refColumns, name: fk.name, source: fk.table.source });
    if (fk.columns.length === 1) {
      const col = fk.table.columns.find((c) => c.name === fk.columns[0]);
      if (col) col.references = { table: fk.refTable, column: fk.refColumns[0] };
    }
  }
  const ddl = [...catalog.tables.values()].map((t) => mysqlCreateTable(t)).join('\n');
  return { catalog, rows, partitions: {}, ddl };
}

/** MySQL-syntax DDL for the bundled engine's MySQL approximation (columns, keys, indexes). */
function mysqlCreateTable(t: Table): string {
  const parts = t.columns.map((c) => `${quoteMysqlIdent(c.name, 'mysql')} ${c.type}${c.notNull ? ' NOT NULL' : ''}`);
  if (t.primaryKey.length) parts.push(`PRIMARY KEY (${t.primaryKey.map((c) => quoteMysqlIdent(c, 'mysql')).join(', ')})`);
  for (const ix of t.indexes) {
    if (ix.name === 'PRIMARY' || ix.keys.some((k) => !k.column)) continue;
    parts.push(`${ix.unique ? 'UNIQUE ' : ''}KEY ${quoteMysqlIdent(ix.name, 'mysql')} (${ix.keys.map((k) => quoteMysqlIdent(k.column!, 'mysql')).join(', ')})`);
  }
  return `CREATE TABLE ${quoteMysqlIdent(t.name, 'mysql')} (${parts.join(', ')});`;
}
