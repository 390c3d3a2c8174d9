/**
 * Reads back what PostgreSQL actually created from the workspace DDL: tables, column types,
 * keys, foreign keys, enum labels and the literal values CHECK constraints allow. The synthetic
 * data generator works from this rather than from our own DDL reader, because the engine's own
 * catalog is the ground truth after ALTERs, domains, enums and statements it rejected.
 */

/** The query surface the engine needs from PGlite (kept tiny so this file does not import it). */
export interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface ColumnInfo {
  name: string;
  /** `format_type` output, e.g. `character varying(40)`, `timestamp with time zone`. */
  type: string;
  /** Base type of a domain, otherwise the same as `type`. */
  baseType: string;
  /** `pg_type.typcategory` of the base type (N numeric, S string, D datetime, B boolean, A array, U user…). */
  category: string;
  /** Labels, when the (base) type is an enum. */
  enumLabels?: string[];
  notNull: boolean;
  /** Generated (computed) column: never inserted. */
  generated: boolean;
  /** `a` = GENERATED ALWAYS AS IDENTITY, `d` = BY DEFAULT, '' = not an identity. */
  identity: string;
  hasDefault: boolean;
  /** The default when it is a plain string literal (`'PENDING'::text` → `PENDING`). */
  defaultLiteral?: string;
  /** Default backed by a sequence (serial / identity). */
  sequence?: string;
  /** Literal values a CHECK constraint on this column alone allows (`status IN ('A','B')`). */
  allowedValues?: string[];
}

export interface ForeignKeyInfo {
  columns: string[];
  /** Quoted, schema-qualified name of the referenced table. */
  refTable: string;
  refColumns: string[];
}

export interface TableInfo {
  schema: string;
  name: string;
  /** Quoted, schema-qualified name safe to splice into SQL. */
  qualified: string;
  columns: ColumnInfo[];
  primaryKey: string[];
  /** Column sets of UNIQUE constraints and unique indexes on plain columns. */
  uniques: string[][];
  foreignKeys: ForeignKeyInfo[];
  /** Partitioned parent (rows are routed to partitions; partitions are not filled separately). */
  partitioned: boolean;
}

/** Double-quotes an identifier for PostgreSQL. */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Quotes a string literal for PostgreSQL (standard_conforming_strings is on). */
export function quoteLiteral(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'";
}

const TABLES_SQL = `
SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
ORDER BY c.oid`;

const COLUMNS_SQL = `
SELECT a.attrelid::int AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
  format_type(COALESCE(NULLIF(t.typbasetype, 0), a.atttypid), CASE WHEN t.typbasetype <> 0 THEN t.typtypmod ELSE a.atttypmod END) AS base_type,
  bt.typcategory AS category, bt.oid::int AS base_oid, bt.typtype AS base_typtype,
  a.attnotnull AS not_null, a.attgenerated <> '' AS generated, a.attidentity AS identity,
  a.atthasdef AS has_default, pg_get_expr(d.adbin, d.adrelid) AS default_expr, pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname) AS seq
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type bt ON bt.oid = COALESCE(NULLIF(t.typbasetype, 0), a.atttypid)
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY a.attrelid, a.attnum`;

const CONSTRAINTS_SQL = `
SELECT con.conrelid::int AS oid, con.contype AS type,
  ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS cols,
  rn.nspname AS ref_schema, rc.relname AS ref_name,
  ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS ref_cols,
  CASE WHEN con.contype = 'c' THEN pg_get_constraintdef(con.oid) END AS def
FROM pg_constraint con
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.contype IN ('p', 'u', 'f', 'c') AND con.conrelid <> 0
UNION ALL
SELECT i.indrelid::int, 'i',
  ARRAY(SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o)::text[],
  NULL, NULL, NULL, NULL
FROM pg_index i
WHERE i.indisunique AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
  AND i.indexprs IS NULL AND i.indpred IS NULL`;

const ENUMS_SQL = `SELECT enumtypid::int AS oid, array_agg(enumlabel ORDER BY enumsortorder)::text[] AS labels FROM pg_enum GROUP BY enumtypid`;

interface TableRow { oid: number; schema: string; name: string; kind: string }
interface ColumnRow {
  oid: number; name: string; type: string; base_type: string; category: string; base_oid: number; base_typtype: string;
  not_null: boolean; generated: boolean; identity: string; has_default: boolean; default_expr: string | null; seq: string | null;
}
interface ConstraintRow { oid: number; type: string; cols: string[]; ref_schema: string | null; ref_name: string | null; ref_cols: string[]; def: string | null }

/** Reads every user table of the database with the facts the data generator needs. */
export async function introspectTables(db: Queryable): Promise<TableInfo[]> {
  const tables = (await db.query<TableRow>(TABLES_SQL)).rows;
  const columns = (await db.query<ColumnRow>(COLUMNS_SQL)).rows;
  const constraints = (await db.query<ConstraintRow>(CONSTRAINTS_SQL)).rows;
  const enums = new Map((await db.query<{ oid: number; labels: string[] }>(ENUMS_SQL)).rows.map((r) => [r.oid, r.labels]));

  const byOid = new Map<number, TableInfo>();
  for (const t of tables) {
    byOid.set(t.oid, {
      schema: t.schema,
      name: t.name,
      qualified: `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`,
      columns: [],
      primaryKey: [],
      uniques: [],
      foreignKeys: [],
      partitioned: t.kind === 'p',
    });
  }
  for (const c of columns) {
    const t = byOid.get(c.oid);
    if (!t) continue;
    t.columns.push({
      name: c.name,
      type: c.type,
      baseType: c.base_type,
      category: c.category,
      enumLabels: c.base_typtype === 'e' ? enums.get(c.base_oid) : undefined,
      notNull: c.not_null,
      generated: c.generated,
      identity: c.identity ?? '',
      hasDefault: c.has_default,
      defaultLiteral: literalDefault(c.default_expr),
      sequence: c.seq ?? undefined,
    });
  }
  for (const k of constraints) {
    const t = byOid.get(k.oid);
    if (!t) continue;
    if (k.type === 'p') t.primaryKey = k.cols;
    else if (k.type === 'u' || k.type === 'i') t.uniques.push(k.cols);
    else if (k.type === 'f' && k.ref_schema && k.ref_name) {
      t.foreignKeys.push({ columns: k.cols, refTable: `${quoteIdent(k.ref_schema)}.${quoteIdent(k.ref_name)}`, refColumns: k.ref_cols });
    }
    else if (k.type === 'c' && k.def) applyCheck(t, k.def);
  }
  return [...byOid.values()];
}

function literalDefault(expr: string | null): string | undefined {
  const m = expr ? /^'((?:[^']|'')*)'(::[\w\s."]+(\(\d+\))?)?$/.exec(expr) : null;
  return m ? m[1].replace(/''/g, "'") : undefined;
}

/**
 * Reads the literal list out of a single-column CHECK such as
 * `CHECK (((status)::text = ANY ((ARRAY['A'::character varying, 'B'::character varying])::text[])))`
 * or `CHECK ((status = 'A'::text) OR (status = 'B'::text))`, so generated values satisfy it.
 */
function applyCheck(table: TableInfo, def: string): void {
  const names = table.columns.filter((c) => new RegExp(`\\b${escapeRegExp(c.name)}\\b`).test(def.replace(/'(?:[^']|'')*'/g, "''")));
  if (names.length !== 1) return;
  if (!/(=\s*ANY|\bIN\b|=)/i.test(def) || /<|>|\bNOT\b|<>|!=/i.test(def)) return;
  const values = [...def.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"));
  if (values.length) names[0].allowedValues = [...new Set(values)];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
