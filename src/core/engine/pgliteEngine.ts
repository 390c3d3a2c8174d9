/**
 * The plan engine: PostgreSQL (PGlite, in WASM, in this process) loaded with the workspace
 * schema and synthetic rows, answering EXPLAIN. Every explain runs inside a transaction that
 * is rolled back, so EXPLAIN ANALYZE of an UPDATE and hypothetical indexes leave nothing
 * behind. Requests are serialised: one PostgreSQL session cannot interleave transactions.
 * The CLI and tests use this directly; the extension runs it in a worker thread (worker.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import * as zlib from 'zlib';
import { PGlite, type Extensions } from '@electric-sql/pglite';
import type { Dialect } from '../dialect';
import type { Catalog, SchemaSource } from '../schema/types';
import { splitStatements } from '../sql/split';
import { introspectTables, quoteIdent, type TableInfo } from './introspect';
import { bindParameters, findParameters, type ParamSlot } from './params';
import { chooseValue, columnStats, literalFor, sampleValue } from './representative';
import { loadedCacheFile, readLoaded, writeLoaded } from './loadedCache';
import { ddlFromCatalog, errorMessage, missingTables, runSchemaStatements } from './schemaLoad';
import { DEFAULT_ROWS, rowsFor, sequenceResets } from './synthetic';
import { planTableFills } from './partitions';
import { relationsIn } from './touched';
import { extensionsFor } from './extensions';
import { loadPgParser, pgParserReady } from '../sql/pg/libpg';
import { createdIndexNames } from '../migrations/advice';
import type { EngineOptions, ExplainRequest, ExplainResult, PlanEngine, SchemaLoadProblem } from './types';

/** File name of the pre-built empty cluster shipped next to the bundle. */
export const SNAPSHOT_FILE = 'pglite-snapshot.tgz';

/** A failure the user caused (bad SQL, bad index DDL): shown as is, without a stack. */
export class ExplainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExplainError';
  }
}

/** Facts about how the engine started, for the benchmark and the progress UI. */
export interface StartupStats {
  /** Milliseconds spent starting PostgreSQL (initdb, or loading a snapshot). */
  bootMs: number;
  /** Milliseconds spent loading DDL, generating rows and running ANALYZE. */
  loadMs: number;
  fromSnapshot: boolean;
  /** Started from a cached, fully loaded engine for this exact schema (no DDL, data or ANALYZE). */
  fromCache: boolean;
  /** Rows generated per table (qualified name → count actually inserted). */
  rows: Record<string, number>;
}

/** The in-process engine; `PlanEngine` plus startup facts. */
export interface PgliteEngine extends PlanEngine {
  readonly startup: StartupStats;
  readonly tables: TableInfo[];
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Finishes background work now (saving the loaded-engine cache), instead of when idle. */
  flushIdle(): Promise<void>;
}

/**
 * Starts PostgreSQL, loads the schema, fills every table with synthetic rows and runs
 * VACUUM ANALYZE. Rejected DDL is reported in `schemaProblems`, never thrown.
 */
export async function createEngine(sources: SchemaSource[], catalog: Catalog, opts: EngineOptions = {}): Promise<PgliteEngine> {
  const dialect: Dialect = opts.dialect ?? 'postgresql';
  const progress = opts.onProgress ?? (() => undefined);
  const t0 = performance.now();
  progress('Starting PostgreSQL (PGlite)…');
  // The parser (a second, small WASM module) compiles while PostgreSQL boots.
  const parser = loadPgParser().catch(() => undefined);
  const cacheFile = opts.cacheDir && !opts.noSnapshot ? loadedCacheFile(opts.cacheDir, sources, opts, `${PGLITE_VERSION}:${codeStamp()}`) : undefined;
  const cached = cacheFile ? readLoaded(cacheFile) : undefined;
  // CREATE EXTENSION statements are read with the parser: wait for it only when there are some.
  if (sources.some((s) => /create\s+extension/i.test(s.text))) await parser;
  const extensions = extensionsFor(sources, __dirname);
  if (cached) {
    try {
      const db = await PGlite.create({ loadDataDir: new Blob([new Uint8Array(cached.data)]), extensions: extensions.pglite, postgresqlconf: SERVER_SETTINGS });
      const bootMs = performance.now() - t0;
      const t1 = performance.now();
      const tables = await introspectTables(db);
      await parser;
      const startup = { bootMs, loadMs: performance.now() - t1, fromSnapshot: true, fromCache: true, rows: { ...cached.meta.rows } };
      const engine = new Engine(db, tables, cached.meta.schemaProblems, dialect, opts, cacheFile, startup, new Set(cached.meta.filled), extensions.standInTypes);
      if (opts.eagerRows) await engine.fillAll();
      return engine;
    } catch {
      // A damaged cache entry: build the engine from scratch below (and overwrite the entry).
    }
  }
  const { db, fromSnapshot } = await startDatabase(opts, extensions.pglite);
  const bootMs = performance.now() - t0;

  try {
    const t1 = performance.now();
    progress('Loading the workspace schema…');
    const problems: SchemaLoadProblem[] = [];
    await parser;
    problems.push(...extensions.notes);
    if (dialect === 'postgresql') {
      problems.push(...(await runSchemaStatements(db, sources, dialect, { prelude: extensions.prelude, skipExtensions: extensions.replaced })));
    }
    // Tables PostgreSQL did not create from the text (MySQL syntax, or rejected DDL): from the catalog.
    const present = new Set(
      // Materialized views are in the catalog's tables too: present when the DDL created them.
      (await db.query<{ name: string }>(`SELECT lower(relname) AS name FROM pg_class WHERE relkind IN ('r', 'p', 'm') AND relnamespace <> 'pg_catalog'::regnamespace`)).rows.map((r) => r.name),
    );
    const missing = missingTables(catalog, present);
    const created: string[] = [];
    for (const ddl of ddlFromCatalog(missing)) {
      try {
        await db.exec(ddl);
        const table = /^CREATE TABLE (\S+)/.exec(ddl)?.[1];
        // Tables declared by an ORM schema are always created this way: nothing was rejected.
        const origin = table ? missing.find((t) => sameTableName(t.name, table))?.origin : undefined;
        if (table && (!origin || origin === 'sql')) created.push(table);
      } catch (err) {
        problems.push({ statement: firstLine(ddl), message: errorMessage(err) });
      }
    }
    if (created.length && dialect === 'postgresql') {
      problems.push({ statement: created.join(', '), message: 'created from the parsed schema because PostgreSQL rejected the original DDL' });
    }
    const tables = await introspectTables(db);
    const startup = { bootMs, loadMs: 0, fromSnapshot, fromCache: false, rows: {} };
    const engine = new Engine(db, tables, problems, dialect, opts, cacheFile, startup, new Set(), extensions.standInTypes);
    if (opts.eagerRows) {
      progress('Generating synthetic rows…');
      await engine.fillAll();
    }
    engine.startup.loadMs = performance.now() - t1;
    // Saved when the engine is idle (or on close), never in the way of the first explain.
    engine.saveWhenIdle();
    return engine;
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

/**
 * Settings every engine starts with. 16 MB of shared buffers instead of 128 MB: PGlite keeps
 * the whole database in memory anyway, so a bigger buffer pool only duplicates pages (measured
 * ≈ 100 MB less peak RSS, same plans: the planner reads effective_cache_size, not shared_buffers).
 */
const SERVER_SETTINGS = ['shared_buffers = 16MB'];

/** Starts PGlite from the shipped or cached snapshot when possible (≈ 4× faster than initdb). */
async function startDatabase(opts: EngineOptions, extensions: Extensions): Promise<{ db: PGlite; fromSnapshot: boolean }> {
  const candidates = opts.noSnapshot ? [] : [opts.snapshotPath, path.join(__dirname, SNAPSHOT_FILE), opts.cacheDir && cachedSnapshotPath(opts.cacheDir)];
  for (const file of candidates) {
    if (!file || !fs.existsSync(file)) continue;
    try {
      const db = await PGlite.create({ loadDataDir: new Blob([fs.readFileSync(file)]), extensions, postgresqlconf: SERVER_SETTINGS });
      return { db, fromSnapshot: true };
    } catch {
      // A snapshot from another PGlite version, or a truncated file: fall back to initdb.
    }
  }
  const db = await PGlite.create({ extensions, postgresqlconf: SERVER_SETTINGS });
  if (opts.cacheDir) {
    try {
      const blob = await db.dumpDataDir('gzip');
      const file = cachedSnapshotPath(opts.cacheDir);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file + '.tmp', Buffer.from(await blob.arrayBuffer()));
      fs.renameSync(file + '.tmp', file);
    } catch {
      // Caching is an optimisation; a read-only folder just means the next start is cold too.
    }
  }
  return { db, fromSnapshot: false };
}

/**
 * Identifies the engine code that generated a cached database: sizes and times of the code
 * files next to this one (the bundle in production, the sources in development), so a rebuilt
 * extension never reuses data generated by an older generator.
 */
function codeStamp(): string {
  try {
    return fs
      .readdirSync(__dirname)
      .filter((f) => /\.(js|ts)$/.test(f))
      .sort()
      .map((f) => {
        const st = fs.statSync(path.join(__dirname, f));
        return `${f}:${st.size}:${Math.round(st.mtimeMs)}`;
      })
      .join('|');
  } catch {
    return 'unknown';
  }
}

function cachedSnapshotPath(dir: string): string {
  return path.join(dir, `pglite-${PGLITE_VERSION}-${SNAPSHOT_FILE}`);
}

// Bumped with the dependency; a cached snapshot from another version is ignored by file name.
const PGLITE_VERSION = '0.5';

function firstLine(sql: string): string {
  return sql.split('\n')[0].slice(0, 120);
}

/**
 * The tables a statement reads, from the relations it names (`$1` schemas, `$2` names; an
 * empty schema means the search path): each named table, the tables behind named views
 * (recursively, through their rewrite rules), and inheritance children. Partitions are filled
 * through their partitioned parent, so only top-level tables are returned.
 */
const READ_TABLES_SQL = `
WITH RECURSIVE named AS (
  SELECT to_regclass(CASE WHEN s = '' THEN quote_ident(n) ELSE quote_ident(s) || '.' || quote_ident(n) END)::oid AS oid
  FROM unnest($1::text[], $2::text[]) AS x(s, n)
), rel(oid) AS (
  SELECT oid FROM named WHERE oid IS NOT NULL
  UNION
  SELECT x.oid FROM rel, LATERAL (
    SELECT d.refobjid AS oid FROM pg_rewrite rw
    JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid AND d.refclassid = 'pg_class'::regclass
    WHERE rw.ev_class = rel.oid AND d.refobjid <> rel.oid
    UNION ALL
    SELECT i.inhrelid FROM pg_inherits i WHERE i.inhparent = rel.oid
  ) x
)
SELECT n.nspname AS schema, c.relname AS name
FROM rel JOIN pg_class c ON c.oid = rel.oid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition`;

/** Quiet time after the last request before background work (saving the cache) runs. */
const IDLE_MS = 1500;

class Engine implements PgliteEngine {
  private queue: Promise<unknown> = Promise.resolve();
  private idleTask: (() => Promise<void>) | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly valueCache = new Map<string, string | undefined>();
  private readonly byName = new Map<string, TableInfo>();
  private readonly counts: Map<string, number>;
  private closed = false;

  constructor(
    private readonly db: PGlite,
    readonly tables: TableInfo[],
    readonly schemaProblems: SchemaLoadProblem[],
    private readonly dialect: Dialect,
    opts: EngineOptions,
    private readonly cacheFile: string | undefined,
    readonly startup: StartupStats,
    /** Tables that hold their synthetic rows and statistics (qualified names). */
    private readonly filled: Set<string>,
    private readonly standInTypes: string[] = [],
  ) {
    for (const t of tables) {
      this.byName.set(`${t.schema}.${t.name}`.toLowerCase(), t);
      if (t.schema === 'public' || !this.byName.has(t.name.toLowerCase())) this.byName.set(t.name.toLowerCase(), t);
    }
    this.counts = new Map(tables.map((t) => [t.qualified, rowsFor(t, opts.rows, opts.defaultRows ?? DEFAULT_ROWS)]));
  }

  /** Fills every table now (the eager mode: tests of the generator, `eagerRows`). */
  fillAll(): Promise<void> {
    return this.fill(this.tables);
  }

  /** Saves the database to the loaded-engine cache once the engine is idle (or at close). */
  saveWhenIdle(): void {
    const file = this.cacheFile;
    if (!file) return;
    this.whenIdle(async () => {
      // A checkpoint first: the saved directory then starts without replaying the WAL of the
      // schema and the generated rows (crash recovery at every start otherwise).
      await this.db.exec('CHECKPOINT');
      // Uncompressed from PGlite, then streamed through gzip level 1 here: PGlite's own gzip cost
      // ≈ 0.5 s of CPU at every save, level 1 ≈ a tenth of it, and streaming keeps no second copy.
      const blob = await this.db.dumpDataDir('none');
      const gz = Readable.fromWeb(blob.stream() as Parameters<typeof Readable.fromWeb>[0]).pipe(zlib.createGzip({ level: 1 }));
      await writeLoaded(file, gz, { schemaProblems: this.schemaProblems, rows: this.startup.rows, filled: [...this.filled] });
    });
  }

  /**
   * Rows on demand: before a statement is planned, the tables it reads — named in it, behind
   * the views it names, and the partitions and inheritance children of those — get their
   * synthetic rows and statistics, once. Every other table stays empty: a plan never reads a
   * table it does not name, so a 60-table schema costs what the queried tables cost. Foreign
   * keys need nothing more: a referencing value is derived from the referenced table's row
   * number and intended row count, never read from its rows, so parent and child agree
   * whichever is filled first. Statements PostgreSQL cannot parse fill every table.
   */
  private async ensureRowsFor(sql: string): Promise<void> {
    if (this.filled.size === this.tables.length) return;
    const named = pgParserReady() ? relationsIn(sql) : undefined;
    if (!named) return this.fill(this.tables);
    if (!named.length) return;
    const r = await this.db.query<{ schema: string; name: string }>(READ_TABLES_SQL, [named.map((n) => n.schema ?? ''), named.map((n) => n.name)]);
    const wanted = r.rows.map((row) => this.byName.get(`${row.schema}.${row.name}`.toLowerCase())).filter((t): t is TableInfo => !!t);
    await this.fill(wanted);
  }

  /** Problems of filling the tables `sql` reads, as notes for the result that triggered them. */
  private async fillFor(sql: string, notes: string[]): Promise<void> {
    const before = this.schemaProblems.length;
    await this.ensureRowsFor(sql);
    for (const p of this.schemaProblems.slice(before)) notes.push(`${p.statement}: ${p.message}`);
  }

  /** Generates rows for the tables not filled yet and collects their statistics. */
  private async fill(tables: TableInfo[]): Promise<void> {
    const todo = tables.filter((t) => !this.filled.has(t.qualified));
    if (!todo.length) return;
    // Foreign keys are not checked while loading (session_replication_role = replica): values are
    // generated to match, and load order then does not matter (cycles, self-references).
    await this.db.exec(`SET session_replication_role = replica; SELECT setseed(0.42);`);
    try {
      for (const fill of await planTableFills(this.db, todo, this.tables, this.counts)) {
        if (!fill.sql) continue;
        try {
          const r = await this.db.query(fill.sql);
          const key = `${fill.table.schema}.${fill.table.name}`;
          this.startup.rows[key] = (this.startup.rows[key] ?? 0) + (r.affectedRows ?? fill.rows);
        } catch (err) {
          this.schemaProblems.push({ statement: `synthetic rows for ${fill.target ?? fill.table.name}`, message: errorMessage(err) });
        }
      }
      for (const reset of sequenceResets(todo)) await this.db.exec(reset).catch(() => undefined);
    } finally {
      await this.db.exec('RESET session_replication_role');
    }
    // VACUUM too: it sets the visibility map, without which the planner never prefers Index Only
    // Scans. Only these tables: a bare VACUUM would also walk every system catalog.
    await this.db.exec(`VACUUM (ANALYZE) ${todo.map((t) => t.qualified).join(', ')}`);
    for (const t of todo) this.filled.add(t.qualified);
    this.saveWhenIdle();
  }

  explain(req: ExplainRequest): Promise<ExplainResult> {
    return this.exclusive(() => this.explainNow(req));
  }

  query(sql: string): Promise<Record<string, unknown>[]> {
    return this.exclusive(async () => {
      await this.ensureRowsFor(sql);
      await this.db.exec('BEGIN READ ONLY');
      try {
        return (await this.db.query<Record<string, unknown>>(sql)).rows;
      } catch (err) {
        throw new ExplainError(errorMessage(err));
      } finally {
        await this.db.exec('ROLLBACK');
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Work that was waiting for a quiet moment runs now (a CLI run ends right after its explain).
    const task = this.takeIdleTask();
    if (task) await this.exclusive(task).catch(() => undefined);
    this.closed = true;
    await this.queue.catch(() => undefined);
    await this.db.close();
  }

  /** Runs `task` once no request has arrived for a short while (or at close). */
  whenIdle(task: () => Promise<void>): void {
    this.idleTask = task;
    this.armIdle();
  }

  /** Runs any pending idle task now; resolves when it is done (tests, benchmarks). */
  async flushIdle(): Promise<void> {
    const task = this.takeIdleTask();
    if (task) await this.exclusive(task).catch(() => undefined);
  }

  private takeIdleTask(): (() => Promise<void>) | undefined {
    const task = this.idleTask;
    this.idleTask = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    return task;
  }

  private armIdle(): void {
    if (!this.idleTask) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.flushIdle(), IDLE_MS);
    this.idleTimer.unref?.();
  }

  /** Runs `fn` after every earlier request has finished. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new ExplainError('the engine was closed'));
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    // Any request postpones idle work.
    run.then(
      () => this.armIdle(),
      () => this.armIdle(),
    );
    return run;
  }

  private async explainNow(req: ExplainRequest): Promise<ExplainResult> {
    const notes: string[] = [];
    let sql = oneStatement(req.sql, this.dialect);
    if (this.dialect === 'mysql') {
      sql = mysqlToPostgres(sql);
      notes.push('MySQL dialect: this plan comes from PostgreSQL on the same schema, an approximation of what MySQL would do.');
    }
    const slots = findParameters(sql, this.dialect, (t) => this.byName.get(t.toLowerCase())?.columns.map((c) => c.name));
    await this.fillFor(bindParameters(sql, slots, slots.map(() => 'NULL')), notes);
    const values: (string | undefined)[] = [];
    const parameters: { text: string; value: string; source?: string }[] = [];
    for (const slot of slots) {
      const v = await this.valueFor(slot);
      values.push(v);
      if (v !== undefined) parameters.push({ text: slot.text, value: v, source: slot.column ? `${slot.table}.${slot.column}` : undefined });
    }
    let generic = false;
    const unresolved = slots.map((s, i) => (values[i] === undefined ? s : undefined)).filter((s): s is ParamSlot => !!s);
    if (unresolved.length) {
      if (req.analyze) {
        for (let i = 0; i < slots.length; i++) if (values[i] === undefined) values[i] = 'NULL';
        notes.push(`No column found for ${unresolved.map((s) => s.text).join(', ')}: NULL was used when executing.`);
      } else {
        // Keep them as $n and ask PostgreSQL for the generic plan (what a prepared statement gets).
        generic = true;
        const numbering = new Map<string, string>();
        for (let i = 0; i < slots.length; i++) {
          if (values[i] !== undefined) continue;
          const key = slots[i].text;
          if (!numbering.has(key)) numbering.set(key, `$${numbering.size + 1}`);
          values[i] = numbering.get(key);
        }
        notes.push(`No column found for ${unresolved.map((s) => s.text).join(', ')}: showing PostgreSQL's generic plan.`);
      }
    }
    const executedSql = bindParameters(sql, slots, values);
    const options = req.analyze ? 'ANALYZE, BUFFERS, FORMAT JSON' : generic ? 'GENERIC_PLAN, FORMAT JSON' : 'FORMAT JSON';

    const filled = this.tables.filter((t) => this.filled.has(t.qualified));
    if (req.vacuum && filled.length) await this.db.exec(`VACUUM (ANALYZE) ${filled.map((t) => t.qualified).join(', ')}`);
    await this.db.exec('BEGIN');
    try {
      for (const ddl of req.withIndexes ?? []) {
        try {
          await this.db.exec(ddl);
        } catch (err) {
          throw new ExplainError(`index could not be created: ${errorMessage(err)} — ${firstLine(ddl)}`);
        }
      }
      let rows: { 'QUERY PLAN': unknown }[];
      try {
        const text = `EXPLAIN (${options}) ${executedSql}`;
        // A generic plan keeps `$n` in the text: the simple protocol sends it without bind values.
        rows = generic
          ? ((await this.db.exec(text))[0]?.rows as { 'QUERY PLAN': unknown }[])
          : (await this.db.query<{ 'QUERY PLAN': unknown }>(text)).rows;
      } catch (err) {
        const unknownTable = (err as { code?: string })?.code === '42P01';
        throw new ExplainError(errorMessage(err) + (unknownTable ? ' (the engine only has the tables the schema files define)' : ''));
      }
      const raw = rows[0]?.['QUERY PLAN'];
      const json = typeof raw === 'string' ? JSON.parse(raw) : raw;
      const plan = (Array.isArray(json) ? json[0] : json) as Record<string, unknown>;
      const root = plan?.Plan as Record<string, unknown> | undefined;
      const relationRows = await this.relationRows(plan);
      const standIn = this.standInNote(relationRows);
      if (standIn) notes.push(standIn);
      const indexSizes = req.withIndexes?.length ? await this.indexSizes(req.withIndexes) : undefined;
      return {
        ...(indexSizes?.length ? { indexSizes } : {}),
        plan,
        executedSql,
        totalCost: Number(root?.['Total Cost'] ?? 0),
        parameters: parameters.length ? parameters : undefined,
        relationRows,
        notes: notes.length ? notes : undefined,
      };
    } finally {
      await this.db.exec('ROLLBACK');
    }
  }

  /** A literal for one parameter, from the statistics of the column it is compared with. */
  private async valueFor(slot: ParamSlot): Promise<string | undefined> {
    if (slot.role === 'limit') return '10';
    if (slot.role === 'offset') return '20';
    if (!slot.table || !slot.column) return undefined;
    const table = this.byName.get(slot.table.toLowerCase());
    const column = table?.columns.find((c) => c.name === slot.column);
    if (!table || !column) return undefined;
    const key = `${table.qualified}.${column.name}:${slot.role}`;
    if (!this.valueCache.has(key)) {
      const stats = await columnStats(this.db, table.schema, table.name, column.name);
      const raw = chooseValue(stats, slot.role) ?? (await sampleValue(this.db, table.qualified, column.name));
      this.valueCache.set(key, raw === undefined ? undefined : literalFor(raw, slot.role));
    }
    return this.valueCache.get(key);
  }

  /** Says so when a table the plan reads has a column of a stand-in type (pgvector's `vector`). */
  private standInNote(relationRows: Record<string, number> | undefined): string | undefined {
    if (!this.standInTypes.length || !relationRows) return undefined;
    const cols: string[] = [];
    for (const rel of Object.keys(relationRows)) {
      const t = this.byName.get(rel.toLowerCase());
      for (const c of t?.columns ?? []) {
        if (this.standInTypes.includes(c.baseType.replace(/\(.*$/, '').toLowerCase())) cols.push(`${t!.name}.${c.name}`);
      }
    }
    if (!cols.length) return undefined;
    return `${cols.join(', ')}: pgvector is not available in the bundled PostgreSQL, so ${cols.length > 1 ? 'these columns use' : 'this column uses'} a stand-in type; vector indexes (hnsw, ivfflat) are not built and distance operators are planned without them.`;
  }

  /** On-disk size of the indexes just built (inside the request's transaction), for the write-cost note. */
  private async indexSizes(ddl: string[]): Promise<ExplainResult['indexSizes']> {
    const names = ddl.flatMap((d) => createdIndexNames(d)).map((n) => n.replace(/^"|"$/g, ''));
    if (!names.length) return undefined;
    try {
      const res = await this.db.query<{ name: string; tbl: string; bytes: number; rows: number }>(
        'SELECT c.relname AS name, t.relname AS tbl, pg_relation_size(c.oid)::float8 AS bytes, greatest(t.reltuples, 0)::float8 AS rows ' +
          'FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid WHERE c.relname = ANY($1::text[])',
        [names],
      );
      return res.rows.map((r) => ({ name: r.name, table: r.tbl, bytes: Number(r.bytes), tableRows: Number(r.rows) }));
    } catch {
      return undefined; // A size we cannot read is left out, never a failed explain.
    }
  }

  /** reltuples of every relation named in the plan. */
  private async relationRows(plan: Record<string, unknown> | undefined): Promise<Record<string, number> | undefined> {
    const names = new Set<string>();
    const walk = (n: Record<string, unknown> | undefined) => {
      if (!n) return;
      if (typeof n['Relation Name'] === 'string') names.add(n['Relation Name'] as string);
      for (const c of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(c);
    };
    walk(plan?.Plan as Record<string, unknown> | undefined);
    if (!names.size) return undefined;
    const r = await this.db.query<{ relname: string; n: number }>(
      `SELECT relname, GREATEST(reltuples, 0)::float8 AS n FROM pg_class WHERE relname = ANY($1::text[]) AND relkind IN ('r', 'p', 'm')`,
      [[...names]],
    );
    const out: Record<string, number> = {};
    for (const row of r.rows) out[row.relname] = Number(row.n);
    return out;
  }
}

/** The statement to explain: one statement, without a trailing semicolon or an EXPLAIN of its own. */
function oneStatement(sql: string, dialect: Dialect): string {
  const statements = splitStatements(sql, dialect);
  if (statements.length === 0) throw new ExplainError('there is no SQL statement to explain');
  if (statements.length > 1) throw new ExplainError(`explain one statement at a time (found ${statements.length})`);
  let text = statements[0].text;
  // A user who selected `EXPLAIN ANALYZE SELECT …` means the SELECT.
  text = text.replace(/^\s*explain\b(\s*\([^)]*\)|\s+(analy[sz]e|verbose|costs|buffers|format\s+\w+))*/i, '').trim();
  if (!text) throw new ExplainError('there is no SQL statement to explain');
  return text;
}

/** The MySQL spellings PostgreSQL also understands after a trivial rewrite. */
export function mysqlToPostgres(sql: string): string {
  let out = sql.replace(/`([^`]*)`/g, (_, name: string) => quoteIdent(name));
  // LIMIT offset, count → LIMIT count OFFSET offset
  out = out.replace(/\bLIMIT\s+(\d+|\?)\s*,\s*(\d+|\?)/gi, (_, a: string, b: string) => `LIMIT ${b} OFFSET ${a}`);
  return out;
}

/** True when a quoted or bare identifier in generated DDL names this table. */
function sameTableName(name: string, written: string): boolean {
  const last = written.split('.').pop()!.replace(/^"|"$/g, '').replace(/""/g, '"');
  return last === name;
}
