/**
 * The `--schema <path>` option shared by `lint`, `explain` and `advise`: read DDL files
 * (a file, or a folder of `.sql` files walked recursively in numeric path order so numbered
 * migrations apply in sequence) and ORM schemas (`schema.prisma`; Drizzle, TypeORM,
 * Sequelize and Knex model/migration code in TS/JS) and build the catalog from them.
 */
import type { Dialect } from '../core/dialect';
import { loadCatalog } from '../core/schema/catalog';
import type { Catalog, SchemaSource } from '../core/schema/types';
import { isScannableSource } from '../core/embedded/fileKinds';
import { isPrismaSchemaFile } from '../core/schema/orm/prisma';
import { comparePaths, displayPath, formatBytes, isSqlFile, MAX_FILE_BYTES, readTextFile, selectFiles } from './files';
import { UsageError, type CliIO } from './io';

/**
 * Reads the DDL files behind `--schema` paths. Missing or unreadable paths are usage errors
 * (the user named them); oversized files are skipped with a notice on stderr.
 */
export function readSchemaSources(paths: string[], io: CliIO): SchemaSource[] {
  const { files, missing } = selectFiles(paths, io.cwd, isSchemaFile);
  if (missing.length) throw new UsageError(`schema path not found: ${missing.join(', ')}`);
  const sources: SchemaSource[] = [];
  for (const file of files) {
    const shown = displayPath(file, io.cwd);
    const read = readTextFile(file);
    if (read.ok) sources.push({ file: shown, text: read.text });
    else if (read.reason === 'too-large') io.err(`sql-plan-advisor: skipped schema file ${shown} (${formatBytes(read.bytes)}, over the 10 MB limit)\n`);
    else throw new UsageError(`cannot read schema file ${shown}: ${read.message}`);
  }
  return sources;
}

/** SQL DDL, a Prisma schema, or TS/JS code that may declare ORM tables. */
function isSchemaFile(file: string): boolean {
  return isSqlFile(file) || isPrismaSchemaFile(file) || isScannableSource(file);
}

/**
 * Reads `--schema` paths and builds the catalog (after loading PostgreSQL's parser for
 * PostgreSQL DDL); throws `UsageError` for bad paths.
 */
export async function loadSchema(paths: string[], io: CliIO, dialect: Dialect): Promise<{ catalog: Catalog; sources: SchemaSource[] }> {
  const sources = readSchemaSources(paths, io);
  return { catalog: await loadCatalog(sources, dialect), sources };
}

/**
 * The schema when no `--schema` is given: the DDL among the given files, ORM schemas among the
 * TS/JS files (their readers skip other code cheaply), and any `schema.prisma` under the paths.
 */
export function schemaFromLintedFiles(texts: readonly { shown: string; text: string }[], paths: string[], io: CliIO): SchemaSource[] {
  const prisma: SchemaSource[] = [];
  // Files named on the command line come back whatever their kind: keep only Prisma schemas.
  for (const file of selectFiles(paths, io.cwd, isPrismaSchemaFile).files.filter(isPrismaSchemaFile)) {
    const read = readTextFile(file, MAX_FILE_BYTES);
    if (read.ok) prisma.push({ file: displayPath(file, io.cwd), text: read.text });
  }
  return [...texts.map((t) => ({ file: t.shown, text: t.text })), ...prisma].sort((a, b) => comparePaths(a.file, b.file));
}
