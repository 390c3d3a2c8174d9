/**
 * Sinks: functions of the project (wrappers) that send their argument to the database as SQL,
 * such as `rawQuery(sql, params)` over Prisma's `$queryRawUnsafe` or a helper over
 * `@clickhouse/client`. Inferred by the workspace index (src/core/workspace) or named in the
 * `sqlFunctions` setting; the extractor reads SQL passed to them like any other query API.
 */

/** Placeholder spellings a wrapper rewrites into bound parameters. */
export type PlaceholderStyle = 'curly' | 'colon' | 'at' | 'question';

export const PLACEHOLDER_STYLES: readonly PlaceholderStyle[] = ['curly', 'colon', 'at', 'question'];

/**
 * Where a sink's SQL runs. `default` means a PostgreSQL/MySQL-family driver whose dialect is
 * the one being linted; the others are engines whose SQL we list but never lint as PostgreSQL.
 */
export type SinkDialect = 'default' | 'postgresql' | 'mysql' | 'sqlite' | 'clickhouse' | 'bigquery' | 'snowflake' | 'duckdb' | 'mssql' | 'oracle' | 'cassandra';

/** A callable that sends argument `argIndex` to the database as SQL. */
export interface SinkInfo {
  /** The wrapper's name as declared (`rawQuery`), shown as `wrapper:<name>`. */
  name: string;
  argIndex: number;
  dialect: SinkDialect;
  placeholders: readonly PlaceholderStyle[];
}

/** A call's callee as written: `rawQuery` → root `rawQuery`; `db.raw.query` → root `db`, members `[raw, query]`. */
export interface CalleeRef {
  root: string;
  members: string[];
}

/** Answers, for a call in one file, whether its callee is a sink or a function that queries. */
export interface SinkResolver {
  sinkFor(ref: CalleeRef): SinkInfo | undefined;
  /** Label of the database call a project function reaches (for N+1 across files). */
  queryingLabel?(ref: CalleeRef): string | undefined;
  /** Changes whenever an answer may change (part of cache keys). */
  readonly version: string;
  /** False when no call can be a sink (a file alone, declaring none): the extractor skips the lookups. */
  readonly mayHaveSinks?: boolean;
}

/** An entry of `sqlPlanAdvisor.embedded.sqlFunctions` (or `embedded.sqlFunctions` in `.sql-plan-advisor.json`). */
export interface SqlFunctionSetting {
  /** Function name (`rawQuery`) or dotted path as called (`db.rawQuery`). */
  name: string;
  /** 0-based index of the SQL argument (default 0). */
  argument?: number;
  /** Placeholder style(s) the function rewrites (default `curly`). */
  placeholders?: PlaceholderStyle | PlaceholderStyle[];
  /** Engine the SQL runs on (default: the linted dialect). */
  dialect?: SinkDialect;
}

const DIALECT_NAMES: readonly SinkDialect[] = ['default', 'postgresql', 'mysql', 'sqlite', 'clickhouse', 'bigquery', 'snowflake', 'duckdb', 'mssql', 'oracle', 'cassandra'];

/**
 * Reads the `sqlFunctions` setting leniently: a string is a name; malformed entries are
 * skipped and described in `problems` (shown to the user, never thrown).
 */
export function readSqlFunctions(value: unknown): { sinks: SinkInfo[]; problems: string[] } {
  const sinks: SinkInfo[] = [];
  const problems: string[] = [];
  if (value === undefined || value === null) return { sinks, problems };
  if (!Array.isArray(value)) return { sinks, problems: ['sqlFunctions must be an array of names or { name, argument, placeholders, dialect } objects'] };
  for (const item of value) {
    const entry: SqlFunctionSetting | undefined = typeof item === 'string' ? { name: item } : item && typeof item === 'object' ? (item as SqlFunctionSetting) : undefined;
    if (!entry || typeof entry.name !== 'string' || !/^[\w$]+(\.[\w$]+)*$/.test(entry.name)) {
      problems.push(`sqlFunctions: ignored ${JSON.stringify(item)} (needs a function name such as "rawQuery" or "db.rawQuery")`);
      continue;
    }
    const argIndex = entry.argument ?? 0;
    if (!Number.isInteger(argIndex) || argIndex < 0) {
      problems.push(`sqlFunctions: ${entry.name}: argument must be a whole number`);
      continue;
    }
    const styles = entry.placeholders === undefined ? ['curly'] : Array.isArray(entry.placeholders) ? entry.placeholders : [entry.placeholders];
    const bad = styles.filter((s) => !PLACEHOLDER_STYLES.includes(s as PlaceholderStyle));
    if (bad.length) problems.push(`sqlFunctions: ${entry.name}: unknown placeholder style ${bad.join(', ')} (expected ${PLACEHOLDER_STYLES.join(', ')})`);
    const dialect = entry.dialect ?? 'default';
    if (!DIALECT_NAMES.includes(dialect)) {
      problems.push(`sqlFunctions: ${entry.name}: unknown dialect ${String(dialect)}`);
      continue;
    }
    sinks.push({ name: entry.name, argIndex, dialect, placeholders: styles.filter((s): s is PlaceholderStyle => PLACEHOLDER_STYLES.includes(s as PlaceholderStyle)) });
  }
  return { sinks, problems };
}

/** The sink a configured entry names for a callee, matched by full dotted path or last name. */
export function configuredSink(sinks: readonly SinkInfo[], ref: CalleeRef): SinkInfo | undefined {
  if (sinks.length === 0) return undefined;
  const path = [ref.root, ...ref.members].join('.');
  const last = ref.members.length ? ref.members[ref.members.length - 1] : ref.root;
  return sinks.find((s) => s.name === path) ?? sinks.find((s) => !s.name.includes('.') && s.name === last);
}

/** Engines by the npm package their client comes from. */
const PACKAGE_DIALECTS: readonly [RegExp, SinkDialect][] = [
  [/^@clickhouse\/client/, 'clickhouse'],
  [/^clickhouse(-js)?$/, 'clickhouse'],
  [/^@google-cloud\/bigquery$/, 'bigquery'],
  [/^snowflake-sdk$/, 'snowflake'],
  [/^(duckdb|duckdb-async|@duckdb\/)/, 'duckdb'],
  [/^(mssql|tedious)$/, 'mssql'],
  [/^oracledb$/, 'oracle'],
  [/^cassandra-driver$/, 'cassandra'],
  [/^(mysql|mysql2)(\/promise)?$/, 'mysql'],
  [/^(better-sqlite3|sqlite3|sqlite|@libsql\/client)$/, 'sqlite'],
  [/^(pg|postgres|pg-promise|slonik|@vercel\/postgres|@neondatabase\/serverless|@prisma\/client|@electric-sql\/pglite)$/, 'postgresql'],
];

/** The engine a client package talks to, or undefined for packages we do not know. */
export function dialectOfPackage(specifier: string): SinkDialect | undefined {
  return PACKAGE_DIALECTS.find(([re]) => re.test(specifier))?.[1];
}

/** Engines by how a client variable is named when its origin cannot be traced. */
export function dialectOfName(name: string | undefined): SinkDialect | undefined {
  if (!name) return undefined;
  const n = name.toLowerCase();
  if (n.includes('clickhouse')) return 'clickhouse';
  if (n.includes('bigquery')) return 'bigquery';
  if (n.includes('snowflake')) return 'snowflake';
  if (n.includes('duckdb')) return 'duckdb';
  return undefined;
}

/** True when SQL for this dialect is linted by our (PostgreSQL/MySQL) rules. */
export function isLintedDialect(d: SinkDialect, lintDialect: 'postgresql' | 'mysql'): boolean {
  return d === 'default' || d === lintDialect || (d === 'postgresql' && lintDialect === 'postgresql');
}
