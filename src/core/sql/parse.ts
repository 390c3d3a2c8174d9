/**
 * The one place that talks to node-sql-parser, which reads MySQL for the query model's MySQL
 * front end (`src/core/query/mysql.ts`; PostgreSQL is read by PostgreSQL's own parser). Loads
 * only the MySQL build (~300 KB instead of all dialects), asks for source locations, and caches
 * results by statement text because parsing (~1 ms a statement) dominates lint time.
 */
import type { Dialect } from '../dialect';

// The MySQL build only: `require` so the bundler includes exactly it.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const loaders: Partial<Record<Dialect, () => { Parser: new () => SqlParser }>> = {
  mysql: () => require('node-sql-parser/build/mysql'),
};

interface SqlParser {
  astify(sql: string, opt?: unknown): unknown;
}

/** An AST node from node-sql-parser. Its shape varies by node `type`; rules narrow it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AstNode = any;

export interface ParseSuccess {
  ok: true;
  /** One AST per statement the parser saw (normally exactly one). */
  ast: AstNode[];
}

export interface ParseFailure {
  ok: false;
  message: string;
  /** Offset of the error within the statement text, when the parser reports it. */
  offset?: number;
}

export type ParseResult = ParseSuccess | ParseFailure;

const parsers = new Map<Dialect, SqlParser>();

function parserFor(dialect: Dialect): SqlParser {
  let p = parsers.get(dialect);
  if (!p) {
    const load = loaders[dialect];
    if (!load) throw new Error(`node-sql-parser is not used for ${dialect}; parse it through src/core/query/parse.ts`);
    const { Parser } = load();
    p = new Parser();
    parsers.set(dialect, p);
  }
  return p;
}

/** Least-recently-used cache, keyed by dialect + statement text. */
export class LruCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly capacity: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  /** True when `key` is cached (without marking it as recently used). */
  has(key: string): boolean {
    return this.map.has(key);
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
    }
  }
  get size(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
}

const cache = new LruCache<ParseResult>(5000);

/** Statements longer than this are not parsed: the parser's time grows badly on huge input. */
export const MAX_PARSE_LENGTH = 100_000;

/**
 * Parses one statement. Never throws: unparsable input yields `{ ok: false, message }`.
 * Results are cached by text, so callers may re-parse unchanged statements freely.
 */
export function parseStatement(sql: string, dialect: Dialect = 'mysql'): ParseResult {
  const key = dialect + '\u0000' + sql;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = parseUncached(sql, dialect);
  cache.set(key, result);
  return result;
}

function parseUncached(sql: string, dialect: Dialect): ParseResult {
  if (sql.length > MAX_PARSE_LENGTH) {
    return { ok: false, message: `statement is ${sql.length} characters long; only statements up to ${MAX_PARSE_LENGTH} are analysed` };
  }
  try {
    const ast = parserFor(dialect).astify(sql, {
      database: dialect === 'postgresql' ? 'postgresql' : 'mysql',
      parseOptions: { includeLocations: true },
    });
    return { ok: true, ast: Array.isArray(ast) ? ast : [ast] };
  } catch (err) {
    return describeParseError(err);
  }
}

function describeParseError(err: unknown): ParseFailure {
  // node-sql-parser throws peg.js SyntaxErrors with `location` and `found`.
  const e = err as { message?: string; location?: { start?: { offset?: number } }; found?: string | null };
  const offset = e?.location?.start?.offset;
  let message: string;
  if (e && 'found' in e) {
    message = e.found == null ? 'unexpected end of statement' : `unexpected ${JSON.stringify(e.found)}`;
  } else if (err instanceof RangeError) {
    message = 'statement is too deeply nested to analyse';
  } else {
    message = String(e?.message ?? err).split('\n')[0].slice(0, 200);
  }
  return { ok: false, message, offset: typeof offset === 'number' ? offset : undefined };
}

/** Number of cached parse results (for tests and the benchmark). */
export function parseCacheSize(): number {
  return cache.size;
}

/** Drops cached parse results (for the benchmark's cold runs). */
export function clearParseCache(): void {
  cache.clear();
}
