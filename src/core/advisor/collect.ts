/**
 * Collects the queries of a workspace for index advice: statements of `.sql` files and SQL
 * embedded in TS/JS (engineer C's extractor). DDL and other non-queries are left out here, so a
 * migrations folder can be passed along with the code.
 */
import type { Dialect } from '../dialect';
import { extractSql } from '../embedded/extract';
import { isScannableSource } from '../embedded/fileKinds';
import { ormQueries } from '../embedded/orm/index';
import type { Catalog } from '../schema/types';
import { splitStatements } from '../sql/split';
import type { WorkspaceQuery } from './types';

/** Statements that can use an index: SELECT (incl. WITH … SELECT), UPDATE, DELETE. */
const QUERY_START = /^\s*(\(\s*)*(select|with|update|delete)\b/i;

/** True for statement text that is worth index advice (cheap check, before parsing). */
export function isQueryText(sql: string): boolean {
  return QUERY_START.test(sql);
}

/**
 * The queries in one file: every SELECT/UPDATE/DELETE, with its offset in the file. With a
 * catalog that declares ORM models, ORM calls count too, as the SQL their ORM sends.
 */
export function collectQueries(file: string, text: string, dialect: Dialect, catalog?: Catalog): WorkspaceQuery[] {
  // Binary content (NUL bytes early on) is not SQL or source code.
  if (text.slice(0, 8192).includes('\u0000')) return [];
  const out: WorkspaceQuery[] = [];
  if (isScannableSource(file)) {
    for (const e of extractSql(file, text, dialect)) {
      for (const st of splitStatements(e.sql, dialect)) {
        if (isQueryText(st.text)) out.push({ sql: st.text, file, offset: e.toFileOffset(st.start) ?? e.start });
      }
    }
    if (catalog) for (const q of ormQueries(file, text, catalog)) out.push({ sql: q.sql, file, offset: q.start });
    return out.sort((a, b) => a.offset - b.offset);
  }
  for (const st of splitStatements(text, dialect)) {
    if (isQueryText(st.text)) out.push({ sql: st.text, file, offset: st.start });
  }
  return out;
}
