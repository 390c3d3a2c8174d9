/**
 * The inventory's providers: SQL files and SQL embedded in TS/JS (drivers, raw ORM APIs,
 * tagged templates, project wrappers). ORM calls turned into SQL join this list as one
 * more provider.
 */
import type { ApiFamily } from '../embedded/apis';
import { extractSql, type EmbeddedSql } from '../embedded/extract';
import { isScannableSource } from '../embedded/fileKinds';
import { ormQueries } from '../embedded/orm/index';
import { LineIndex } from '../sql/locate';
import { splitStatements } from '../sql/split';
import { tablesOf } from './tables';
import type { InventoryInput, InventoryItem, QueryProvider } from './types';

/** Statements of `.sql` files that are queries (DDL is schema, not a query the app sends). */
const QUERY_START = /^\s*(?:\(\s*)*(select|with|insert|update|delete|merge|values|table)\b/i;

function locate(lines: LineIndex, start: number, end: number) {
  const a = lines.position(start);
  const b = lines.position(Math.max(start, end));
  return { line: a.line + 1, column: a.column + 1, endLine: b.line + 1, endColumn: b.column + 1 };
}

export const sqlFileProvider: QueryProvider = {
  name: 'sql-file',
  collect(input) {
    const out: InventoryItem[] = [];
    for (const f of input.files) {
      if (!f.file.toLowerCase().endsWith('.sql')) continue;
      const lines = new LineIndex(f.text);
      for (const st of splitStatements(f.text, input.dialect)) {
        if (!QUERY_START.test(st.text.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, ''))) continue;
        out.push({ file: f.shown, ...locate(lines, st.start, st.end), source: 'sql-file', dialect: input.dialect, sql: st.text, tables: tablesOf(st.text, input.dialect) });
      }
    }
    return out;
  },
};

/** The inventory source of an embedded statement: how it reaches the database. */
export function sourceOf(e: EmbeddedSql): string {
  if (e.wrapper) return `wrapper:${e.wrapper}`;
  const family: ApiFamily = e.family;
  switch (family) {
    case 'prisma': return 'prisma-raw';
    case 'knex': return 'knex-raw';
    case 'tagged': return 'tagged-template';
    case 'sqlite': return 'sqlite';
    case 'typeorm': return 'typeorm-raw';
    case 'sequelize': return 'sequelize-raw';
    case 'driver': return e.engine === 'mysql' ? 'mysql2' : e.engine === 'postgresql' ? 'pg' : e.engine;
    default: return family;
  }
}

export const embeddedProvider: QueryProvider = {
  name: 'embedded',
  collect(input: InventoryInput) {
    const out: InventoryItem[] = [];
    for (const f of input.files) {
      if (!isScannableSource(f.file)) continue;
      const lines = new LineIndex(f.text);
      for (const e of extractSql(f.file, f.text, input.dialect, input.resolverFor?.(f.file))) {
        out.push({ file: f.shown, ...locate(lines, e.start, e.end), source: sourceOf(e), dialect: e.engine, sql: e.sql, tables: tablesOf(e.sql, e.engine) });
      }
    }
    return out;
  },
};

/** ORM calls (Prisma, TypeORM, Sequelize, Drizzle, Knex, Kysely) with the SQL each sends. */
export const ormProvider: QueryProvider = {
  name: 'orm',
  collect(input: InventoryInput) {
    const catalog = input.catalog;
    if (!catalog) return [];
    const out: InventoryItem[] = [];
    for (const f of input.files) {
      if (!isScannableSource(f.file)) continue;
      for (const q of ormQueries(f.file, f.text, catalog)) {
        out.push({ file: f.shown, line: q.line, column: q.column, endLine: q.endLine, endColumn: q.endColumn, source: q.source, dialect: q.dialect, sql: q.sql, tables: q.tables });
      }
    }
    return out;
  },
};

/** Every provider, in the order their items are listed per file. */
export const QUERY_PROVIDERS: QueryProvider[] = [sqlFileProvider, embeddedProvider, ormProvider];

/** The whole inventory, sorted by file then position. */
export function collectInventory(input: InventoryInput, providers: readonly QueryProvider[] = QUERY_PROVIDERS): InventoryItem[] {
  const items = providers.flatMap((p) => p.collect(input));
  return items.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}
