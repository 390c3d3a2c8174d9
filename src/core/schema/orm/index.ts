/**
 * Schema sources written for an ORM rather than in SQL: which files they are, and reading
 * them into catalog tables. Each ORM has its own reader in this folder; TS/JS readers load the
 * TypeScript compiler only when such a file is actually read.
 */
import type { Catalog, SchemaProblem, SchemaSource, Table } from '../types';
import { isPrismaSchemaFile, readPrismaSchema } from './prisma';

/** True when a schema source is an ORM schema (not SQL DDL): `.prisma`, or TS/JS model/migration code. */
export function isOrmSchemaSource(src: SchemaSource): boolean {
  return isPrismaSchemaFile(src.file) || /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i.test(src.file);
}

type TsReaders = typeof import('./tsSchema');
let tsReaders: TsReaders | undefined;

/** Reads the tables an ORM schema source declares; never throws. */
export function readOrmSchema(src: SchemaSource, catalog: Catalog): { tables: Table[]; problems: SchemaProblem[] } {
  try {
    if (isPrismaSchemaFile(src.file)) return readPrismaSchema(src.file, src.text);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    tsReaders ??= require('./tsSchema') as TsReaders;
    return tsReaders.readTsSchema(src.file, src.text, catalog);
  } catch (err) {
    return { tables: [], problems: [{ file: src.file, offset: 0, message: `could not read this ORM schema: ${String((err as Error)?.message ?? err).slice(0, 200)}` }] };
  }
}
