/**
 * SQL embedded in TS/JS: string and template literals passed to known query APIs and
 * `sql`-tagged templates, rebuilt as plain SQL with a per-character map back into the file.
 * This module is the light public face: the extractor (extractor.ts) and the TypeScript
 * compiler it needs (~0.5 s to load) are required on first use, so that importing this file —
 * at extension activation, say — costs nothing.
 */
import type { Dialect } from '../dialect';
import type { ApiFamily } from './apis';
import type { SinkDialect, SinkResolver } from './sinks';

/** A parameter in the extracted SQL: a template hole, an unknown operand, or a `?` rewritten. */
export interface EmbeddedParam {
  /** Text standing for the parameter in `sql` (`$2`, `?`, or an identifier stand-in `__p2`). */
  placeholder: string;
  sqlStart: number;
  sqlEnd: number;
  /** File range of the expression (`${…}` including the braces), or of the `?` it replaced. */
  fileStart: number;
  fileEnd: number;
  /** Source text of the JS expression; undefined for a placeholder the SQL itself contained. */
  expression?: string;
}

/** One SQL statement (or script) found in a source file. */
export interface EmbeddedSql {
  sql: string;
  /** File range of the SQL argument (the literal, template or concatenation). */
  start: number;
  end: number;
  /** The API it reaches, as written: `pool.query`, `prisma.$queryRaw`, `sql`… */
  api: string;
  family: ApiFamily;
  /** Name of the project function (wrapper) the SQL was passed to (`rawQuery`), if any. */
  wrapper?: string;
  /**
   * Engine the SQL runs on: the linted dialect, or another engine traced from the client
   * (`clickhouse`, `bigquery`…), whose SQL is listed but never linted as PostgreSQL.
   */
  engine: SinkDialect;
  params: EmbeddedParam[];
  /** File offset of a SQL offset; undefined inside a parameter placeholder or out of range. */
  toFileOffset(sqlOffset: number): number | undefined;
  /**
   * File range covering a SQL range, for showing findings. Placeholders map to their whole
   * hole; if the range spans text from different places (a `const` elsewhere) it is cut to the
   * first contiguous run.
   */
  toFileRange(sqlStart: number, sqlEnd: number): { start: number; end: number } | undefined;
  /**
   * Maps a text edit in SQL coordinates to an edit of the file, or undefined when it cannot be
   * done exactly (it touches a placeholder, an escape sequence, or spans two literals). The
   * new text is escaped for the literal's quote style.
   */
  mapEdit(sqlStart: number, sqlEnd: number, newText: string): { start: number; end: number; newText: string } | undefined;
}

/** Sources longer than this are not scanned (a generated bundle, not code a human edits). */
export const MAX_SOURCE_LENGTH = 5_000_000;

type Extractor = typeof import('./extractor');
let extractor: Extractor | undefined;

function load(): Extractor {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (extractor ??= require('./extractor') as Extractor);
}

/**
 * Every SQL statement embedded in a TS/JS file, in source order. Never throws: syntax errors
 * in the file leave the parts TypeScript recovered; oversize or binary input yields [].
 */
export function extractSql(fileName: string, text: string, dialect: Dialect = 'postgresql', resolver?: SinkResolver): EmbeddedSql[] {
  return load().extractSqlImpl(fileName, text, dialect, resolver);
}

/** The embedded statement whose file range contains `offset` (for "Explain this query"). */
export function embeddedSqlAt(fileName: string, text: string, offset: number, dialect: Dialect = 'postgresql', resolver?: SinkResolver): EmbeddedSql | undefined {
  let best: EmbeddedSql | undefined;
  for (const e of extractSql(fileName, text, dialect, resolver)) {
    if (offset >= e.start && offset <= e.end && (!best || e.end - e.start < best.end - best.start)) best = e;
  }
  return best;
}
