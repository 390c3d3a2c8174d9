/**
 * The entry point to the query model: one statement's text in, `QueryStatement`s out, from the
 * dialect's front end (PostgreSQL's own parser for `postgresql`, node-sql-parser for `mysql`).
 * Results are cached by text, since the linter, the rules and the advisor ask about the same
 * statements again and again. PostgreSQL parsing needs `await loadPgParser()` once beforehand;
 * forgetting it throws a clear error instead of reporting every statement as unparsable.
 */
import type { Dialect } from '../dialect';
import { LruCache, MAX_PARSE_LENGTH } from '../sql/parse';
import { loadPgParser, parsePgSync } from '../sql/pg/libpg';
import type { QueryParse } from './model';
import { parseMysqlQuery } from './mysql';
import { parsePgQuery, preparePgQuery, readPgQuery, type PreparedPgQuery } from './pg';

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

/**
 * Parses many statements ahead of `parseQuery`, which then answers them from the cache.
 * PostgreSQL's parser has a large fixed cost per call (measured: 1,000 statements one call each
 * ≈ 68 ms CPU, the same in chunks of 64 ≈ 19 ms), so the statements not yet cached are parsed
 * together, joined by `;`, and the tree is cut back into statements by `stmt_location`. The
 * results are exactly what `parseQuery` would give alone: a batch PostgreSQL rejects is cut at
 * the error, the statement at fault is parsed on its own (its own message and offset), and the
 * statements around it are batched again. MySQL statements are left to `parseQuery`.
 */
export function preparseQueries(texts: readonly string[], dialect: Dialect): void {
  if (dialect !== 'postgresql') return;
  const todo: string[] = [];
  const seen = new Set<string>();
  for (const text of texts) {
    if (text.length > MAX_PARSE_LENGTH || seen.has(text) || cache.has(dialect + '\u0000' + text)) continue;
    seen.add(text);
    todo.push(text);
  }
  let failures = 0;
  const batch = (items: PreparedPgQuery[]): void => {
    // After a few rejected batches (a file PostgreSQL mostly cannot read), one call each is cheaper.
    if (items.length < 2 || failures >= MAX_BATCH_FAILURES) {
      for (const p of items) parseQuery(p.text, dialect);
      return;
    }
    const starts: number[] = [];
    let joined = '';
    for (const p of items) {
      if (joined) joined += ';\n';
      starts.push(joined.length);
      joined += p.parseable;
    }
    const parsed = parsePgSync(joined);
    if (!parsed.ok) {
      failures++;
      const at = parsed.offset === undefined ? -1 : lastAtOrBefore(starts, parsed.offset);
      if (at < 0) {
        for (const p of items) parseQuery(p.text, dialect);
        return;
      }
      batch(items.slice(0, at));
      parseQuery(items[at].text, dialect);
      batch(items.slice(at + 1));
      return;
    }
    // Cut the tree by each statement's first byte (PostgreSQL counts locations in UTF-8 bytes).
    const byteStarts = /[^\x00-\x7f]/.test(joined) ? byteOffsets(items) : starts;
    const groups: unknown[][] = items.map(() => []);
    for (const raw of parsed.tree.stmts ?? []) {
      const from = raw.stmt_location ?? 0;
      const at = lastAtOrBefore(byteStarts, from);
      // A statement that crosses into the next one's text would not exist in either alone.
      if (at < 0 || (raw.stmt_len && at + 1 < items.length && from + raw.stmt_len > byteStarts[at + 1])) {
        for (const p of items) parseQuery(p.text, dialect);
        return;
      }
      groups[at].push(raw.stmt);
    }
    items.forEach((p, i) => {
      // A statement with no tree of its own (it cannot happen for the splitter's statements, but
      // the batch must never change a result): parse it alone.
      if (groups[i].length === 0) return void parseQuery(p.text, dialect);
      cache.set(dialect + '\u0000' + p.text, guard(() => readPgQuery(p, groups[i], byteStarts[i])));
    });
  };
  for (let i = 0; i < todo.length; i += BATCH_SIZE) batch(todo.slice(i, i + BATCH_SIZE).map(preparePgQuery));
}

/** Statements per parser call: large enough to amortise the per-call cost, small enough to stay cheap when a batch is rejected. */
const BATCH_SIZE = 64;
const MAX_BATCH_FAILURES = 8;

/** Index of the last element of ascending `xs` that is ≤ `x` (-1 when none). */
function lastAtOrBefore(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** UTF-8 byte offset of each statement in the `;\n`-joined batch. */
function byteOffsets(items: PreparedPgQuery[]): number[] {
  const out: number[] = [];
  let b = 0;
  for (const p of items) {
    out.push(b);
    b += Buffer.byteLength(p.parseable, 'utf8') + 2;
  }
  return out;
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
