/**
 * A live PostgreSQL server as a plan source (`PlanEngine`): the plans are the server's own
 * `EXPLAIN (FORMAT JSON)`, parameters get a generic plan (PostgreSQL 16+) or representative
 * values from the server's `pg_stats`, and hypothetical indexes come from HypoPG when the
 * extension is installed. Safety, in layers: the statement gate (exactly one SELECT / INSERT /
 * UPDATE / DELETE / MERGE, by PostgreSQL's own parser), the extended query protocol (which
 * cannot carry a second statement), a transaction that is always rolled back — READ ONLY unless
 * an EXPLAIN ANALYZE must execute a write — and `SET LOCAL statement_timeout`.
 */
import type { Client, QueryConfig } from 'pg';
import { bindParameters, findParameters, type ParamSlot } from '../engine/params';
import { chooseValue, columnStats, literalFor, sampleValue } from '../engine/representative';
import type { ExplainRequest, ExplainResult, PlanEngine, SchemaLoadProblem } from '../engine/types';
import { loadPgParser, parsePgSync } from '../sql/pg/libpg';
import { connectError, LiveError, statementError } from './errors';
import { SerialSession } from './serialSession';
import { readPgSchema, type ServerSchema } from './pgCatalog';
import { guardPostgres, guardPostgresSync } from './statement';
import type { LiveTarget } from './target';

/** Default `statement_timeout` for everything we run (EXPLAIN ANALYZE included). */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;

export interface LiveOptions {
  /** Milliseconds before the server cancels a statement (default 10 s). */
  statementTimeoutMs?: number;
  /** Milliseconds to wait for the connection (default 10 s). */
  connectTimeoutMs?: number;
}

/** What the server offers that changes what we can do. */
export interface PgCapabilities {
  /** `server_version_num`, e.g. 150018. */
  versionNum: number;
  /** `PostgreSQL 15.18`. */
  version: string;
  /** HypoPG is created in this database (hypothetical indexes on the server). */
  hypopg: boolean;
  /** HypoPG is installed on the server but not created in this database. */
  hypopgAvailable: boolean;
  /** pg_stat_statements is created in this database (workload advice; it must also be preloaded). */
  pgStatStatements: boolean;
}

/** A connected PostgreSQL server. */
export interface PgServer extends PlanEngine {
  readonly dialect: 'postgresql';
  readonly target: LiveTarget;
  readonly capabilities: PgCapabilities;
  /** The server's schema (read once, on first use). */
  schema(): Promise<ServerSchema>;
  query(sql: string): Promise<Record<string, unknown>[]>;
}

/** Connects and probes the server; connection failures become one-line `LiveError`s. */
export async function connectPostgres(target: LiveTarget, opts: LiveOptions = {}): Promise<PgServer> {
  const { Client } = await import('pg');
  await loadPgParser();
  const client = new Client({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password ?? '',
    ssl: sslOption(target),
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    application_name: 'sql-plan-advisor',
  });
  // A dropped connection later must not crash the process: requests then fail with a message.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw connectError(err, target.display, target.user);
  }
  try {
    const r = await client.query<{ num: string; version: string; hypopg: boolean; hypopg_available: boolean; pgss: boolean }>(
      `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version,
         EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'hypopg') AS hypopg,
         EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg') AS hypopg_available,
         EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements') AS pgss`,
    );
    const row = r.rows[0];
    const capabilities: PgCapabilities = {
      versionNum: Number(row.num),
      version: `PostgreSQL ${String(row.version).split(' ')[0]}`,
      hypopg: row.hypopg,
      hypopgAvailable: row.hypopg_available,
      pgStatStatements: row.pgss,
    };
    return new Server(client, target, capabilities, opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS);
  } catch (err) {
    await client.end().catch(() => undefined);
    throw statementError(err, opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS);
  }
}

function sslOption(target: LiveTarget): boolean | { rejectUnauthorized: boolean } | undefined {
  switch (target.sslmode) {
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      // disable / prefer / unset: node-postgres cannot "prefer"; plain TCP, and a server that
      // insists on TLS gets the "requires TLS" message telling the user to add sslmode=require.
      return undefined;
  }
}

class Server implements PgServer {
  readonly dialect = 'postgresql' as const;
  readonly schemaProblems: SchemaLoadProblem[] = [];
  private readonly session = new SerialSession();
  private schemaValue: ServerSchema | undefined;
  private readonly values = new Map<string, string | undefined>();

  constructor(
    private readonly client: Client,
    readonly target: LiveTarget,
    readonly capabilities: PgCapabilities,
    private readonly timeoutMs: number,
  ) {}

  schema(): Promise<ServerSchema> {
    if (this.schemaValue) return Promise.resolve(this.schemaValue);
    return this.exclusive(() => this.schemaNow());
  }

  /** The schema, read once; only called while holding the connection (inside `exclusive`). */
  private async schemaNow(): Promise<ServerSchema> {
    this.schemaValue ??= await this.readOnly(() => readPgSchema(this.client, `server:${this.target.display}`));
    return this.schemaValue;
  }

  /** Runs one of our own catalog SELECTs (statistics for the advisor) read-only. */
  query(sql: string): Promise<Record<string, unknown>[]> {
    return this.exclusive(async () => {
      const guarded = guardPostgresSync(sql);
      if (guarded.writes) throw new LiveError('refused', 'not sent: only read-only statements are run for statistics');
      return this.readOnly(async () => (await this.client.query(extended(guarded.sql))).rows as Record<string, unknown>[]);
    });
  }

  explain(req: ExplainRequest): Promise<ExplainResult> {
    return this.exclusive(() => this.explainNow(req));
  }

  async close(): Promise<void> {
    if (!(await this.session.close())) return;
    await this.client.end().catch(() => undefined);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.session.run(fn);
  }

  /** BEGIN READ ONLY + statement timeout, always rolled back. */
  private async readOnly<T>(fn: () => Promise<T>): Promise<T> {
    return this.transaction(true, fn);
  }

  private async transaction<T>(readOnly: boolean, fn: () => Promise<T>): Promise<T> {
    try {
      await this.client.query(readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
      await this.client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(this.timeoutMs))}`);
    } catch (err) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw statementError(err, this.timeoutMs);
    }
    try {
      return await fn();
    } catch (err) {
      throw statementError(err, this.timeoutMs);
    } finally {
      await this.client.query('ROLLBACK').catch(() => undefined);
    }
  }

  private async explainNow(req: ExplainRequest): Promise<ExplainResult> {
    const guarded = await guardPostgres(req.sql);
    if (req.analyze && req.withIndexes?.length) throw new LiveError('usage', 'hypothetical indexes cannot be executed: EXPLAIN ANALYZE runs without them');
    const hypothetical = (req.withIndexes ?? []).filter((ddl) => indexName(ddl) !== undefined);
    if (hypothetical.length && !this.capabilities.hypopg) {
      throw new LiveError('usage', 'index could not be created: HypoPG is not installed in this database, and real indexes are never created on a live server');
    }
    const schema = await this.schemaNow();
    const notes: string[] = [`Plan from ${this.capabilities.version} at ${this.target.display}.`];
    const columnsOf = (t: string) => schema.catalog.tables.get(t.toLowerCase().split('.').pop() ?? '')?.columns.map((c) => c.name);
    const slots = findParameters(guarded.sql, 'postgresql', columnsOf);
    const generic = slots.length > 0 && !req.analyze && this.capabilities.versionNum >= 160000;
    const values: (string | undefined)[] = [];
    const parameters: { text: string; value: string; source?: string }[] = [];
    if (generic) {
      const numbering = new Map<string, string>();
      for (const s of slots) {
        if (!numbering.has(s.text)) numbering.set(s.text, `$${numbering.size + 1}`);
        values.push(numbering.get(s.text));
      }
      notes.push("Parameters kept as placeholders: this is PostgreSQL's generic plan (EXPLAIN GENERIC_PLAN), what a prepared statement gets.");
    } else if (slots.length) {
      const unresolved: string[] = [];
      // pg_stats and sample reads: read-only, under the statement timeout, like everything else.
      await this.readOnly(async () => {
        for (const slot of slots) {
          const v = await this.valueFor(slot, schema);
          values.push(v ?? 'NULL');
          if (v === undefined) unresolved.push(slot.text);
          else parameters.push({ text: slot.text, value: v, source: slot.column ? `${slot.table}.${slot.column}` : undefined });
        }
      });
      if (parameters.length) notes.push("Parameters got representative values from the server's pg_stats.");
      if (unresolved.length) notes.push(`No column statistics for ${unresolved.join(', ')}: NULL was used.`);
    }
    const executedSql = slots.length ? bindParameters(guarded.sql, slots, values) : guarded.sql;
    // The text actually sent passes the gate again: binding must not have changed what it is.
    const sent = guardPostgresSync(executedSql);
    if (sent.kind !== guarded.kind) throw new LiveError('refused', 'not sent: the statement changed kind after parameters were bound');
    const options = ['FORMAT JSON', ...(req.analyze ? ['ANALYZE', 'BUFFERS'] : []), ...(generic ? ['GENERIC_PLAN'] : [])].join(', ');
    const readOnly = !(req.analyze && sent.writes);

    return this.transaction(readOnly, async () => {
      const renamed = new Map<string, string>();
      if (hypothetical.length) {
        for (const ddl of hypothetical) {
          let created;
          try {
            created = await this.client.query<{ indexname: string }>({ text: 'SELECT indexname FROM hypopg_create_index($1)', values: [ddl] });
          } catch (err) {
            throw new LiveError('statement', `index could not be created: ${String((err as Error).message).split('\n')[0]} — ${ddl.split('\n')[0]}`);
          }
          const name = created.rows[0]?.indexname;
          if (name) renamed.set(name, indexName(ddl)!);
        }
        notes.push('Hypothetical indexes from HypoPG (nothing was created on the server).');
      }
      const text = `EXPLAIN (${options}) ${sent.sql}`;
      // Extended protocol: one Parse message holds one statement, whatever the text says.
      // A generic plan keeps `$n` placeholders, which only the simple protocol leaves unbound.
      const result = generic ? await this.client.query(text) : await this.client.query(extended(text));
      if (hypothetical.length) await this.client.query('SELECT hypopg_reset()');
      const raw = (result.rows[0] as Record<string, unknown> | undefined)?.['QUERY PLAN'];
      const json = typeof raw === 'string' ? JSON.parse(raw) : raw;
      const plan = (Array.isArray(json) ? json[0] : json) as Record<string, unknown>;
      if (renamed.size) renameIndexes(plan?.Plan as Record<string, unknown>, renamed);
      const root = plan?.Plan as Record<string, unknown> | undefined;
      return {
        plan,
        executedSql,
        totalCost: Number(root?.['Total Cost'] ?? 0),
        parameters: parameters.length ? parameters : undefined,
        relationRows: relationRows(plan, schema),
        notes,
      };
    });
  }

  /** A representative value for a parameter, from the server's statistics of its column. */
  private async valueFor(slot: ParamSlot, schema: ServerSchema): Promise<string | undefined> {
    if (slot.role === 'limit') return '10';
    if (slot.role === 'offset') return '20';
    if (!slot.table || !slot.column) return undefined;
    const table = schema.catalog.tables.get(slot.table.toLowerCase().split('.').pop() ?? '');
    if (!table || !table.columns.some((c) => c.name === slot.column)) return undefined;
    const key = `${table.schema}.${table.name}.${slot.column}:${slot.role}`;
    if (!this.values.has(key)) {
      const stats = await columnStats(this.client, table.schema ?? 'public', table.name, slot.column);
      const qualified = `"${(table.schema ?? 'public').replace(/"/g, '""')}"."${table.name.replace(/"/g, '""')}"`;
      const raw = chooseValue(stats, slot.role) ?? (await sampleValue(this.client, qualified, slot.column).catch(() => undefined));
      this.values.set(key, raw === undefined ? undefined : literalFor(raw, slot.role));
    }
    return this.values.get(key);
  }
}

/**
 * A query config for the extended protocol (`queryMode` is in node-postgres ≥ 8.11 but not in
 * its type definitions): the server parses exactly one statement from it.
 */
function extended(text: string): QueryConfig {
  return { text, queryMode: 'extended' } as QueryConfig;
}

/** The name a `CREATE INDEX` statement gives its index, by PostgreSQL's parser. */
function indexName(ddl: string): string | undefined {
  const parsed = parsePgSync(ddl);
  if (!parsed.ok || parsed.tree.stmts?.length !== 1) return undefined;
  const stmt = parsed.tree.stmts[0].stmt as { IndexStmt?: { idxname?: string } } | undefined;
  return stmt?.IndexStmt?.idxname;
}

/** HypoPG names its indexes `<13543>btree_orders_user_id`; show the candidate's own name. */
function renameIndexes(node: Record<string, unknown> | undefined, names: Map<string, string>): void {
  if (!node) return;
  const name = node['Index Name'];
  if (typeof name === 'string' && names.has(name)) node['Index Name'] = names.get(name);
  for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) renameIndexes(child, names);
}

function relationRows(plan: Record<string, unknown> | undefined, schema: ServerSchema): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  const walk = (n: Record<string, unknown> | undefined) => {
    if (!n) return;
    const rel = n['Relation Name'];
    if (typeof rel === 'string' && schema.rows[rel.toLowerCase()] !== undefined) out[rel] = schema.rows[rel.toLowerCase()];
    for (const c of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(c);
  };
  walk(plan?.Plan as Record<string, unknown> | undefined);
  return Object.keys(out).length ? out : undefined;
}
