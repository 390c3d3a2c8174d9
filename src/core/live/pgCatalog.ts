/**
 * The schema as a PostgreSQL server knows it, read from `pg_catalog` into our `Catalog`
 * (`origin: 'server'`): tables (partitioned parents, not their partitions), columns and types,
 * primary/unique/foreign-key constraints, indexes with their expression keys, partial
 * predicates, INCLUDE columns and access method — plus row counts (`reltuples`, summed over
 * partitions) and DDL that recreates the same shape in the bundled engine.
 */
import type { Queryable } from '../engine/introspect';
import { quoteIdent, quoteLiteral } from '../engine/introspect';
import type { Catalog, Column, IndexDef, IndexKey, Table } from '../schema/types';
import { normalizeExpression } from '../sql/tokens';

export interface ServerSchema {
  catalog: Catalog;
  /** Estimated rows per table (lower-cased name → reltuples; partitions summed into their parent). */
  rows: Record<string, number>;
  /** Partition names per partitioned table. */
  partitions: Record<string, string[]>;
  /** DDL recreating the tables, enum types and indexes (for the bundled engine). */
  ddl: string;
}

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast' AND n.nspname !~ '^pg_temp'`;

/** Reads the server's catalog (five catalog queries). */
export async function readPgSchema(db: Queryable, origin: string): Promise<ServerSchema> {
  const rels = (
    await db.query<{ oid: number; schema: string; name: string; kind: string; reltuples: number; ispartition: boolean; parent: number | null }>(
      `SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
         GREATEST(c.reltuples, 0)::float8 AS reltuples, c.relispartition AS ispartition,
         (SELECT i.inhparent::int8 FROM pg_inherits i WHERE i.inhrelid = c.oid LIMIT 1) AS parent
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND ${USER_SCHEMAS}
       ORDER BY n.nspname, c.relname`,
    )
  ).rows.map((r) => ({ ...r, oid: Number(r.oid), parent: r.parent === null ? null : Number(r.parent) }));
  const byOid = new Map(rels.map((r) => [r.oid, r]));
  const oids = rels.map((r) => r.oid);
  const tables = new Map<number, Table>();
  const catalog: Catalog = { tables: new Map(), problems: [] };
  const rows: Record<string, number> = {};
  const partitions: Record<string, string[]> = {};
  for (const r of rels) {
    if (r.ispartition && r.parent !== null && byOid.has(r.parent)) continue;
    const table: Table = { name: r.name, schema: r.schema, columns: [], primaryKey: [], uniques: [], foreignKeys: [], indexes: [], origin: 'server', source: { file: origin, offset: 0 } };
    tables.set(r.oid, table);
    // Tables of other schemas do not shadow a public table of the same name.
    const key = r.name.toLowerCase();
    if (!catalog.tables.has(key) || r.schema === 'public') catalog.tables.set(key, table);
  }
  for (const r of rels) {
    const top = topParent(r.oid, byOid);
    const table = tables.get(top);
    if (!table) continue;
    const key = table.name.toLowerCase();
    rows[key] = (rows[key] ?? 0) + (r.kind === 'r' ? Number(r.reltuples) : 0);
    if (top !== r.oid) (partitions[key] ??= []).push(r.name);
  }
  if (!oids.length) return { catalog, rows, partitions, ddl: '' };

  const cols = await db.query<{ rel: number; name: string; type: string; basetype: string; notnull: boolean; def: string | null; enumtype: string | null; labels: string[] | null }>(
    `SELECT a.attrelid::int8 AS rel, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
       format_type(COALESCE(NULLIF(t.typbasetype, 0), a.atttypid), CASE WHEN t.typbasetype <> 0 THEN t.typtypmod ELSE a.atttypmod END) AS basetype,
       a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS def,
       CASE WHEN bt.typtype = 'e' THEN format_type(bt.oid, NULL) END AS enumtype,
       CASE WHEN bt.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = bt.oid ORDER BY e.enumsortorder) END AS labels
     FROM pg_attribute a
     JOIN pg_type t ON t.oid = a.atttypid
     JOIN pg_type bt ON bt.oid = COALESCE(NULLIF(t.typbasetype, 0), t.oid)
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attrelid, a.attnum`,
    [oids],
  );
  const enums = new Map<string, string[]>();
  const engineTypes = new Map<string, string>();
  for (const c of cols.rows) {
    const table = tables.get(Number(c.rel));
    if (!table) continue;
    const column: Column = { name: c.name, type: c.type.toLowerCase(), notNull: c.notnull };
    if (c.def !== null) column.default = c.def;
    table.columns.push(column);
    if (c.enumtype && c.labels) enums.set(c.enumtype, c.labels);
    engineTypes.set(`${c.rel}.${c.name}`, c.enumtype ?? c.basetype);
  }

  const cons = await db.query<{ rel: number; name: string; type: string; cols: string[]; reftable: string | null; refcols: string[] | null }>(
    `SELECT con.conrelid::int8 AS rel, con.conname AS name, con.contype::text AS type,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols,
       fc.relname AS reftable,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o) AS refcols
     FROM pg_constraint con LEFT JOIN pg_class fc ON fc.oid = con.confrelid
     WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('p', 'u', 'f') AND con.conparentid = 0
     ORDER BY con.conrelid, con.conname`,
    [oids],
  );
  for (const c of cons.rows) {
    const table = tables.get(Number(c.rel));
    if (!table) continue;
    if (c.type === 'p') {
      table.primaryKey = c.cols;
      for (const col of table.columns) if (c.cols.includes(col.name)) col.primaryKey = c.cols.length === 1 ? true : col.primaryKey;
    } else if (c.type === 'u') {
      table.uniques.push(c.cols);
      if (c.cols.length === 1) {
        const col = table.columns.find((x) => x.name === c.cols[0]);
        if (col) col.unique = true;
      }
    } else if (c.reftable) {
      const refcols = c.refcols ?? [];
      table.foreignKeys.push({ columns: c.cols, refTable: c.reftable, refColumns: refcols, name: c.name, source: table.source });
      if (c.cols.length === 1 && refcols.length === 1) {
        const col = table.columns.find((x) => x.name === c.cols[0]);
        if (col) col.references = { table: c.reftable, column: refcols[0] };
      }
    }
  }

  const idx = await db.query<{ rel: number; name: string; unique: boolean; nkey: number; method: string; pred: string | null; opts: number[]; keys: number[]; defs: string[]; implicit: boolean; ddl: string }>(
    `SELECT i.indrelid::int8 AS rel, ic.relname AS name, i.indisunique AS unique, i.indnkeyatts::int AS nkey, am.amname AS method,
       pg_get_expr(i.indpred, i.indrelid, true) AS pred, i.indoption::int2[]::int[] AS opts, i.indkey::int2[]::int[] AS keys,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnatts) k ORDER BY k) AS defs,
       EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')) AS implicit,
       pg_get_indexdef(i.indexrelid) AS ddl
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
     WHERE i.indrelid = ANY($1::oid[])
     ORDER BY i.indrelid, ic.relname`,
    [oids],
  );
  const indexDdl: string[] = [];
  for (const ix of idx.rows) {
    const table = tables.get(Number(ix.rel));
    if (!table) continue;
    const keys: IndexKey[] = [];
    for (let k = 0; k < ix.nkey; k++) {
      const key: IndexKey = ix.keys[k] === 0 ? { expression: indexExpression(ix.defs[k]) } : { column: stripQuotes(ix.defs[k]) };
      if ((ix.opts[k] ?? 0) & 1) key.descending = true;
      keys.push(key);
    }
    const def: IndexDef = {
      name: ix.name,
      table: table.name,
      keys,
      include: ix.defs.slice(ix.nkey).map(stripQuotes),
      unique: ix.unique,
      method: ix.method,
      implicit: ix.implicit,
      source: table.source,
    };
    if (ix.pred) def.where = ix.pred;
    table.indexes.push(def);
    if (!ix.implicit) indexDdl.push(ix.ddl + ';');
  }

  const ddl = [
    ...[...enums].map(([type, labels]) => `CREATE TYPE ${type} AS ENUM (${labels.map(quoteLiteral).join(', ')});`),
    ...[...tables].map(([oid, t]) => createTable(t, (col) => engineTypes.get(`${oid}.${col}`) ?? 'text')),
    ...indexDdl,
  ].join('\n');
  return { catalog, rows, partitions, ddl };
}

function topParent(oid: number, byOid: Map<number, { parent: number | null }>): number {
  let at = oid;
  for (let guard = 0; guard < 32; guard++) {
    const parent = byOid.get(at)?.parent;
    if (parent === null || parent === undefined || !byOid.has(parent)) return at;
    at = parent;
  }
  return at;
}

/**
 * `CREATE TABLE` with columns, NOT NULL and key constraints — no defaults (they may call
 * functions or sequences the engine does not have) and no partitioning (one plain table).
 */
function createTable(t: Table, typeOf: (column: string) => string): string {
  const name = `${quoteIdent(t.schema ?? 'public')}.${quoteIdent(t.name)}`;
  const parts = t.columns.map((c) => `${quoteIdent(c.name)} ${typeOf(c.name)}${c.notNull ? ' NOT NULL' : ''}`);
  if (t.primaryKey.length) parts.push(`PRIMARY KEY (${t.primaryKey.map(quoteIdent).join(', ')})`);
  for (const u of t.uniques) parts.push(`UNIQUE (${u.map(quoteIdent).join(', ')})`);
  const schema = t.schema && t.schema !== 'public' ? `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(t.schema)};\n` : '';
  return `${schema}CREATE TABLE ${name} (${parts.join(', ')});`;
}

/** `"Email"` → `Email`; plain names as they are. */
function stripQuotes(def: string): string {
  const m = /^"((?:[^"]|"")*)"$/.exec(def.trim());
  return m ? m[1].replace(/""/g, '"') : def.trim();
}

/**
 * An index expression as the workspace DDL reader writes it: PostgreSQL prints
 * `lower((email)::text)` for a varchar column, people write `lower(email)`.
 */
function indexExpression(def: string): string {
  const bare = def
    .replace(/\(\(([a-z_][a-z0-9_]*)\)::(text|character varying)\)/g, '($1)')
    .replace(/\(([a-z_][a-z0-9_]*)\)::(text|character varying)/g, '$1')
    .replace(/^\((.*)\)$/s, '$1');
  return normalizeExpression(bare, 'postgresql');
}
