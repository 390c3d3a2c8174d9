/**
 * The entry point to the query model: one statement's text in, `QueryStatement`s out, from the
 * dialect's front end (PostgreSQL's own parser for `postgresql`, node-sql-parser for `mysql`).
 * Results are cached by text, since the linter, the rules and the advisor ask about the same
 * statements again and again. PostgreSQL parsing needs `await loadPgParser()` once beforehand;
 * forgetting it throws a clear error instead of reporting every statement as unparsable.
 */
import type { Dialect } from '../dialect';
import { LruCache, MAX_PARSE_LENGTH } from '../sql/parse';
import { loadPgParser } from '../sql/pg/libpg';
import type { QueryParse } from './model';
import { parseMysqlQuery } from './mysql';
import { parsePgQuery } from './pg';

const cache = new LruCache<QueryParse>(5000);

/** Parses one statement into the query model. Never throws, except when the PostgreSQL parser was not loaded. */
export function parseQuery(text: string, dialect: Dialect): QueryParse {
  const key = dialect + '\u0000' + text;
  const hit = cache.get(key);
  if (hit) return hit;
  let result: QueryParse;
  if (text.length > MAX_PARSE_LENGTH) {
    result = { ok: false, message: `statement is ${text.length} characters long; only statements up to ${MAX_PARSE_LENGTH} are analysed` };
  } else if (dialect === 'postgresql') {
    result = guard(() => parsePgQuery(text));
  } else {
    result = guard(() => parseMysqlQuery(text));
  }
  cache.set(key, result);
  return result;
}

function guard(parse: () => QueryParse): QueryParse {
  try {
    return parse();
  } catch (err) {
    if (err instanceof Error && /not loaded/.test(err.message)) throw err;
    if (err instanceof RangeError) return { ok: false, message: 'statement is too deeply nested to analyse' };
    return { ok: false, message: `could not read the statement: ${String((err as Error)?.message ?? err).split('\n')[0].slice(0, 200)}` };
  }
}

/** Loads what parsing needs for the dialects in use (PostgreSQL's WASM parser); call once at start-up. */
export async function loadQueryParsers(): Promise<void> {
  await loadPgParser();
}

/** Drops cached results (for the benchmark's cold runs). */
export function clearQueryCache(): void {
  cache.clear();
}
