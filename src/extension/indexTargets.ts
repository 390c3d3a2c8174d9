/**
 * Where "Add suggested index…" can put a CREATE INDEX statement: a new migration numbered
 * after the existing ones, the file that declares the table, or another schema file. Pure
 * (no `vscode` import) so the choices and the inserted text are unit tested.
 */
import type { Catalog, SchemaSource } from '../core/schema/types';
import { findTable } from '../core/schema/catalog';

export interface IndexTarget {
  kind: 'new' | 'existing';
  /** Workspace-relative path with forward slashes. */
  file: string;
  /** Why this file is offered, shown next to it in the quick pick. */
  detail: string;
}

/** A path component that starts with a migration number: `003_orders.sql`, `20240101120000_init`. */
const NUMBERED = /^(\d+)([_\-.])/;

/** The index name in `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name …`. */
export function indexNameOf(ddl: string): string | undefined {
  // `CREATE INDEX ON t (…)` (no name) is valid PostgreSQL: `on` is then not a name.
  const m = /create\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?!on\s)("?)([\w$]+)\1/i.exec(ddl);
  return m?.[2];
}

/**
 * Path of a new migration after the last numbered one: `schema/007_add_<index>.sql` after
 * `schema/006_….sql`; for Prisma-style folders (`20240101_init/migration.sql`) a new folder.
 * Without numbered files, `add_<index>.sql` next to the first schema file (or at the root).
 */
export function newMigrationPath(files: readonly string[], ddl: string): string {
  const slug = `add_${(indexNameOf(ddl) ?? 'index').toLowerCase()}`;
  let best: { dir: string; num: bigint; width: number; sep: string; folderStyle: boolean; fileName: string } | undefined;
  for (const file of files) {
    const parts = file.split('/');
    const base = parts[parts.length - 1];
    const parent = parts.length > 1 ? parts[parts.length - 2] : '';
    let m = NUMBERED.exec(base);
    let folderStyle = false;
    if (!m && parent) {
      m = NUMBERED.exec(parent);
      folderStyle = !!m;
    }
    if (!m) continue;
    const num = BigInt(m[1]);
    if (!best || num > best.num) {
      const dirParts = folderStyle ? parts.slice(0, -2) : parts.slice(0, -1);
      best = { dir: dirParts.join('/'), num, width: m[1].length, sep: m[2] === '.' ? '_' : m[2], folderStyle, fileName: base };
    }
  }
  if (best) {
    const next = (best.num + 1n).toString().padStart(best.width, '0');
    const prefix = best.dir ? best.dir + '/' : '';
    return best.folderStyle ? `${prefix}${next}${best.sep}${slug}/${best.fileName}` : `${prefix}${next}${best.sep}${slug}.sql`;
  }
  const first = files[0];
  const dir = first && first.includes('/') ? first.slice(0, first.lastIndexOf('/') + 1) : '';
  return `${dir}${slug}.sql`;
}

/**
 * Ordered choices for the quick pick: a new migration first (the usual practice), then the
 * file declaring the table, then the other schema files newest first.
 */
export function indexTargets(sources: readonly SchemaSource[], catalog: Catalog, table: string, ddl: string): IndexTarget[] {
  const files = sources.map((s) => s.file);
  // `schemaFiles` matches every .sql file by default, query files included: number the new
  // migration after, and offer, only files that hold DDL, so the index does not land among queries.
  const ddlFiles = sources.filter((s) => DDL.test(s.text)).map((s) => s.file);
  const targets: IndexTarget[] = [{ kind: 'new', file: newMigrationPath(ddlFiles.length ? ddlFiles : files, ddl), detail: 'new migration file' }];
  const declaring = findTable(catalog, table)?.source?.file;
  if (declaring && files.includes(declaring)) {
    targets.push({ kind: 'existing', file: declaring, detail: `declares table ${table}` });
  }
  for (let i = ddlFiles.length - 1; i >= 0; i--) {
    const file = ddlFiles[i];
    if (targets.some((t) => t.file === file)) continue;
    targets.push({ kind: 'existing', file, detail: i === ddlFiles.length - 1 ? 'latest schema file' : 'schema file' });
  }
  return targets;
}

/** A statement that shapes the schema. */
const DDL = /\b(?:create|alter)\s+(?:unique\s+)?(?:table|index)\b/i;

/** Text to append to a file's current content so the DDL lands on its own paragraph, `;`-terminated. */
export function ddlInsertion(existing: string, ddl: string): string {
  const statement = /;\s*$/.test(ddl) ? ddl.trim() : ddl.trim() + ';';
  if (existing.trim() === '') return statement + '\n';
  if (existing.endsWith('\n\n')) return statement + '\n';
  if (existing.endsWith('\n')) return '\n' + statement + '\n';
  return '\n\n' + statement + '\n';
}
