/**
 * SQL rendered from an ORM call, with a source map: each span of the SQL that came from a
 * piece of the call (a `where` property, an operator, a `take`) knows that piece's file range
 * and how the ORM spells it, so findings on the SQL land on the call and speak its language.
 */

/** Which ORM produced a rendered query (the `source` of inventory items). */
export type OrmSource = 'prisma' | 'typeorm' | 'sequelize' | 'drizzle' | 'knex' | 'kysely';

/** A piece of rendered SQL and the call text it came from. */
export interface OrmSpan {
  sqlStart: number;
  sqlEnd: number;
  fileStart: number;
  fileEnd: number;
  /** The ORM's word for what this span renders (`contains`, `startsWith`, `orderBy`, `skip`…). */
  op?: string;
  /** How the ORM's words render, for messages: "`contains` becomes `LIKE '%…%'`". */
  words?: string;
  /** The table and column the span is about, in catalog names. */
  table?: string;
  column?: string;
}

/** One ORM call rendered to the SQL statement the ORM sends for it. */
export interface OrmQuery {
  source: OrmSource;
  sql: string;
  /** File range of the whole call (findings outside every span land here). */
  start: number;
  end: number;
  /** How the call reads (`prisma.order.findMany`). */
  label: string;
  /** Catalog names of the tables the statement reads or writes. */
  tables: string[];
  spans: OrmSpan[];
}

/** Builds SQL text left to right, recording spans as it goes. */
export class SqlWriter {
  text = '';
  readonly spans: OrmSpan[] = [];
  private params = 0;

  /** Appends SQL text. */
  add(sql: string): this {
    this.text += sql;
    return this;
  }

  /** Appends the next positional parameter (`$1`, `$2`…). */
  param(): this {
    this.text += `$${++this.params}`;
    return this;
  }

  /** Runs `write` and records the SQL it appended as coming from a file range. */
  from(fileStart: number, fileEnd: number, write: () => void, extra: Omit<OrmSpan, 'sqlStart' | 'sqlEnd' | 'fileStart' | 'fileEnd'> = {}): this {
    const sqlStart = this.text.length;
    write();
    this.spans.push({ sqlStart, sqlEnd: this.text.length, fileStart, fileEnd, ...extra });
    return this;
  }
}

/** Thrown while rendering when a part of the call is not statically known: the call is left out. */
export class NotStatic extends Error {}

/** The innermost span containing a SQL range, if any. */
export function spanAt(spans: OrmSpan[], start: number, end: number): OrmSpan | undefined {
  let best: OrmSpan | undefined;
  for (const s of spans) {
    if (s.sqlStart <= start && end <= s.sqlEnd && (!best || s.sqlEnd - s.sqlStart < best.sqlEnd - best.sqlStart)) best = s;
  }
  return best;
}
