/**
 * The query inventory: every query the project sends, wherever it is written. The item shape
 * is the `queries` command's JSON contract; providers (SQL files, embedded SQL, ORM calls…)
 * each return items and are listed in providers.ts, so a new source is one more entry.
 */
import type { Dialect } from '../dialect';
import type { SinkResolver } from '../embedded/sinks';
import type { Catalog } from '../schema/types';

/** One query, located by 1-based lines and columns (end exclusive) in a path relative to the working folder. */
export interface InventoryItem {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** How it was found: `sql-file`, `pg`, `mysql2`, `prisma-raw`, `knex-raw`, `tagged-template`, `wrapper:<name>`, ORM sources… */
  source: string;
  /** Engine the SQL runs on: `postgresql`, `mysql`, `sqlite`, `clickhouse`, `bigquery`… */
  dialect: string;
  /** The statement as it would be sent, parameters as `$n` (PostgreSQL) or `?`. */
  sql: string;
  /** Tables the statement reads or writes (lower-cased, schema-qualified when written so). */
  tables: string[];
}

/** One file handed to the providers. */
export interface InventoryFile {
  /** Absolute path (for resolution). */
  file: string;
  /** Path as reported (relative to the working folder, forward slashes). */
  shown: string;
  text: string;
}

/** What every provider receives. */
export interface InventoryInput {
  files: readonly InventoryFile[];
  dialect: Dialect;
  /** Cross-file sink answers for a TS/JS file (the workspace index). */
  resolverFor?(file: string): SinkResolver | undefined;
  /** The schema: ORM calls are rendered to SQL only against the models it declares. */
  catalog?: Catalog;
}

/** A source of inventory items. */
export interface QueryProvider {
  /** Short name, for diagnostics. */
  name: string;
  collect(input: InventoryInput): InventoryItem[];
}
