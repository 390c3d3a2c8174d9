/**
 * The workspace's migrations, read once and put in the order the tools apply them: every file
 * with its DDL facts (in file offsets), its place (migration folder and id) and, for TS/JS
 * migrations, whether the tool wraps it in a transaction. Answers the question the lock rules
 * ask: did this table exist before this migration ran?
 */
import type { Dialect } from '../dialect';
import { isScannableSource } from '../embedded/fileKinds';
import { extractSql } from '../embedded/extract';
import type { SchemaSource } from '../schema/types';
import { compareMigrations, isPrismaMigration, migrationPlace, slashPath, type MigrationPlace, type MigrationTool } from './layout';
import { readDdlFacts, type DdlFact } from './statements';

export interface MigrationFile {
  /** The file's key, as the catalog's `SourceRef.file` names it. */
  file: string;
  text: string;
  place: MigrationPlace;
  tool: MigrationTool;
  /** True when the migration tool runs this file inside a transaction of its own making. */
  transactional: boolean;
  /** DDL facts with offsets into `text`; for TS/JS, the statements embedded in it. */
  facts: DdlFact[];
  /** Position in apply order. */
  order: number;
}

export interface MigrationSet {
  dialect: Dialect;
  /** Files in apply order. */
  files: MigrationFile[];
  byFile: Map<string, MigrationFile>;
  /** Every CREATE TABLE by lower-cased table name, in apply order. */
  creations: Map<string, { file: MigrationFile; start: number }[]>;
}

/** Reads and orders migration and schema files (SQL and TS/JS). Never throws. */
export function buildMigrationSet(sources: readonly SchemaSource[], dialect: Dialect): MigrationSet {
  const unique = new Map<string, SchemaSource>();
  for (const s of sources) unique.set(s.file, s);
  const ordered = [...unique.values()].sort((a, b) => compareMigrations(a.file, b.file));
  const files: MigrationFile[] = [];
  for (const s of ordered) {
    const f = readFile(s, dialect, files.length);
    if (f) files.push(f);
  }
  const creations = new Map<string, { file: MigrationFile; start: number }[]>();
  for (const f of files) {
    for (const fact of f.facts) {
      if (fact.kind !== 'create-table') continue;
      const key = norm(fact.table);
      creations.set(key, [...(creations.get(key) ?? []), { file: f, start: fact.start }]);
    }
  }
  return { dialect, files, byFile: new Map(files.map((f) => [f.file, f])), creations };
}

function readFile(s: SchemaSource, dialect: Dialect, order: number): MigrationFile | undefined {
  if (s.text.slice(0, 8192).includes('\u0000')) return undefined;
  const place = migrationPlace(s.file);
  if (isScannableSource(s.file)) {
    // Only migrations: application code's embedded SQL is not DDL we replay.
    if (!place.folder) return undefined;
    // Required here, not imported: it loads the TypeScript compiler, which activation must not pay for.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { sourceMigration } = require('./tools') as typeof import('./tools');
    const m = sourceMigration(s.file, s.text);
    if (!m) return undefined;
    const built: DdlFact[] = m.createdTables.map((t) => ({ kind: 'create-table', table: t.table, foreignKeys: [], start: t.start, end: t.end }));
    const facts = [...embeddedFacts(s, dialect), ...built].sort((a, b) => a.start - b.start);
    return { file: s.file, text: s.text, place, tool: m.tool, transactional: m.transactional, facts, order };
  }
  const tool: MigrationTool = !place.folder ? 'script' : isPrismaMigration(s.file) ? 'prisma' : 'sql';
  return { file: s.file, text: s.text, place, tool, transactional: false, facts: readDdlFacts(s.text, dialect), order };
}

/** DDL facts of the SQL embedded in a TS/JS migration, mapped to file offsets. */
function embeddedFacts(s: SchemaSource, dialect: Dialect): DdlFact[] {
  const out: DdlFact[] = [];
  for (const e of extractSql(s.file, s.text, dialect)) {
    for (const fact of readDdlFacts(e.sql, dialect)) {
      const r = e.toFileRange(fact.start, fact.end);
      if (!r) continue;
      const moved = { ...fact, start: r.start, end: r.end } as DdlFact;
      if ('foreignKeys' in moved) {
        moved.foreignKeys = moved.foreignKeys.map((fk) => ({ ...fk, ...(e.toFileRange(fk.start, fk.end) ?? r) }));
      }
      out.push(moved);
    }
  }
  return out;
}

/** Normalises a table name for comparison (unquoted names fold to lower case in both dialects we read). */
function norm(name: string): string {
  return name.toLowerCase();
}

/**
 * Whether `table` existed before the statement at `offset` of `file` ran: false when this
 * migration created it earlier (same file, or an earlier file of the same Prisma-style
 * migration folder), or when only a later migration creates it. A table no migration creates
 * existed before (it predates the migrations we can see).
 */
export function existedBefore(set: MigrationSet, file: MigrationFile, offset: number, table: string): boolean {
  let createdLater = false;
  for (const c of set.creations.get(norm(table)) ?? []) {
    const sameMigration = c.file.place.id === file.place.id;
    const before = c.file.order < file.order || (c.file === file && c.start < offset);
    if (sameMigration && before) return false;
    if (before) return true;
    createdLater = true;
  }
  return !createdLater;
}

/** The table of the index `name` as of the statement at `offset` of `file` (last CREATE INDEX before it). */
export function tableOfIndex(set: MigrationSet, file: MigrationFile, offset: number, name: string): string | undefined {
  let found: string | undefined;
  for (const f of set.files) {
    if (f.order > file.order) break;
    for (const fact of f.facts) {
      if (f === file && fact.start >= offset) break;
      if (fact.kind === 'create-index' && fact.index.name && norm(fact.index.name) === norm(name)) found = fact.index.table;
    }
  }
  return found;
}

/** The set's entry for `file`, matched by key or by path suffix (absolute vs workspace-relative paths). */
export function findMigrationFile(set: MigrationSet, file: string): MigrationFile | undefined {
  const exact = set.byFile.get(file);
  if (exact) return exact;
  const p = slashPath(file);
  return set.files.find((f) => p.endsWith('/' + slashPath(f.file)) || slashPath(f.file).endsWith('/' + p));
}

/** The BEGIN of the explicit transaction block open at `offset` in `file`, if any. */
export function openTransactionAt(file: MigrationFile, offset: number): DdlFact | undefined {
  let open: DdlFact | undefined;
  for (const fact of file.facts) {
    if (fact.start >= offset) break;
    if (fact.kind === 'begin') open = fact;
    else if (fact.kind === 'commit' || fact.kind === 'rollback') open = undefined;
  }
  return open;
}
