/**
 * The schema catalog built from the workspace's DDL files, applied in the order given (so
 * numbered migrations replay in order), plus name lookup that tolerates qualification,
 * quoting and case.
 */
import type { Dialect } from '../dialect';
import { splitStatements } from '../sql/split';
import { tokenize } from '../sql/tokens';
import { loadPgParser, pgParserReady } from '../sql/pg/libpg';
import { applyDdl } from './ddl';
import { applyPgSource } from './pgDdl';
import { isOrmSchemaSource, readOrmSchema } from './orm/index';
import type { Catalog, Column, SchemaSource, Table } from './types';

/** A catalog with no tables: schema-aware rules stay silent against it. */
export function emptyCatalog(): Catalog {
  return { tables: new Map(), problems: [] };
}

/**
 * Builds a catalog from DDL sources; non-DDL statements are ignored, unreadable DDL is recorded in
 * `problems`. Without a dialect, each file's dialect is guessed (backticks, `ENGINE=`,
 * `AUTO_INCREMENT` mean MySQL), so callers that do not know it still read MySQL dumps right.
 * PostgreSQL files are read by PostgreSQL's own parser once `loadPgParser()` has resolved (use
 * `loadCatalog`, which awaits it); before that, by the token reader that also reads MySQL.
 */
export function buildCatalog(sources: SchemaSource[], dialect?: Dialect): Catalog {
  const catalog = emptyCatalog();
  for (const src of sources) {
    if (src.text.slice(0, 8192).includes('\u0000')) {
      catalog.problems.push({ file: src.file, offset: 0, message: 'file looks binary and was skipped' });
      continue;
    }
    if (isOrmSchemaSource(src)) {
      // An ORM schema declares whole tables: a later declaration of the same table replaces it.
      // Indexes the migrations built and the ORM schema does not declare (hand-written SQL, or
      // a change not yet pulled into the schema) still exist in the database: they stay, with
      // their own source, so index rules and advice see them.
      const { tables, problems } = readOrmSchema(src, catalog);
      for (const t of tables) {
        const before = catalog.tables.get(t.name.toLowerCase());
        for (const ix of before?.indexes ?? []) {
          if (!ix.implicit && !t.indexes.some((o) => o.name === ix.name)) t.indexes.push(ix);
        }
        catalog.tables.set(t.name.toLowerCase(), t);
      }
      catalog.problems.push(...problems);
      continue;
    }
    const fileDialect = dialect ?? guessDialect(src.text);
    if (fileDialect === 'postgresql' && pgParserReady()) {
      applyPgSource(catalog, src);
      continue;
    }
    for (const st of splitStatements(src.text, fileDialect)) {
      const problem = applyDdl(catalog, st.text, src.file, st.start, fileDialect);
      if (problem) catalog.problems.push({ file: src.file, offset: st.start, message: problem });
    }
  }
  return catalog;
}

/**
 * Builds the catalog after loading PostgreSQL's parser when the dialect (or any source) is
 * PostgreSQL — the linter then also reads the SQL inside views and functions.
 */
export async function loadCatalog(sources: SchemaSource[], dialect?: Dialect): Promise<Catalog> {
  if (dialect === 'postgresql' || sources.some((s) => (dialect ?? guessDialect(s.text)) === 'postgresql')) await loadPgParser();
  return buildCatalog(sources, dialect);
}

/** MySQL when the DDL uses MySQL-only syntax, else PostgreSQL. */
export function guessDialect(ddl: string): Dialect {
  return /`|\bAUTO_INCREMENT\b|\bENGINE\s*=/i.test(ddl) ? 'mysql' : 'postgresql';
}

/** Finds a table by name as written in SQL: `users`, `public.users`, `"Users"`, `USERS`. */
export function findTable(catalog: Catalog, name: string): Table | undefined {
  const parts = tokenize(name)
    .filter((t) => t.kind === 'word' || t.kind === 'quoted')
    .map((t) => (t.kind === 'word' ? t.text : t.value));
  if (parts.length === 0) return undefined;
  const table = catalog.tables.get(parts[parts.length - 1].toLowerCase());
  if (!table) return undefined;
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  if (schema && table.schema && schema.toLowerCase() !== table.schema.toLowerCase()) return undefined;
  return table;
}

/** Finds a column of a table by name, case-insensitively (unquoted names fold to lower case). */
export function findColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name) ?? table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}
