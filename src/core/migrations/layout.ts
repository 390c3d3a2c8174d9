/**
 * Which migration a file belongs to, and the order migration tools apply them in. A migration
 * folder is a path segment named `migrations` (or `migration`); inside it, Prisma keeps one
 * folder per migration (`<timestamp>_<name>/migration.sql`), other tools one file each, and all
 * of them apply migrations in name order (timestamps or zero-padded numbers). A file outside any
 * migration folder is one self-contained script.
 */

export type MigrationTool = 'sql' | 'prisma' | 'knex' | 'typeorm' | 'sequelize' | 'script';

export interface MigrationPlace {
  /** The migration folder (`prisma/migrations`, `db/migrations`), or undefined for a script. */
  folder?: string;
  /** Identity of the migration: Prisma's migration folder, otherwise the file itself. */
  id: string;
  /** Name the tool sorts by: the migration folder or file name. */
  name: string;
}

const MIGRATION_DIRS = new Set(['migrations', 'migration']);

/** Normalises a path to forward slashes (Windows paths included). */
export function slashPath(file: string): string {
  return file.replace(/\\/g, '/');
}

/** Where `file` sits among migrations (see the module comment). */
export function migrationPlace(file: string): MigrationPlace {
  const parts = slashPath(file).split('/');
  let dir = -1;
  for (let i = parts.length - 2; i >= 0; i--) {
    if (MIGRATION_DIRS.has(parts[i].toLowerCase())) {
      dir = i;
      break;
    }
  }
  if (dir < 0) return { id: slashPath(file), name: parts[parts.length - 1] };
  const folder = parts.slice(0, dir + 1).join('/');
  // `migrations/<name>/migration.sql` (Prisma) or `migrations/<name>/up.sql`: the subfolder is the migration.
  if (parts.length - dir > 2) {
    const name = parts[dir + 1];
    return { folder, id: `${folder}/${name}`, name };
  }
  return { folder, id: slashPath(file), name: parts[parts.length - 1] };
}

/** True for Prisma's layout: `migrations/<name>/migration.sql`. */
export function isPrismaMigration(file: string): boolean {
  const parts = slashPath(file).split('/');
  return parts.length >= 3 && parts[parts.length - 1] === 'migration.sql' && MIGRATION_DIRS.has(parts[parts.length - 3].toLowerCase());
}

/** Orders files as the tools apply them: by migration folder, then migration name (numeric-aware), then path. */
export function compareMigrations(a: string, b: string): number {
  const pa = migrationPlace(a);
  const pb = migrationPlace(b);
  const byFolder = (pa.folder ?? '').localeCompare(pb.folder ?? '');
  if (byFolder) return byFolder;
  return pa.name.localeCompare(pb.name, undefined, { numeric: true }) || slashPath(a).localeCompare(slashPath(b), undefined, { numeric: true });
}

/** How each tool lets one migration run outside a transaction (for messages and generated files). */
export const TRANSACTION_OPT_OUT: Record<'knex' | 'typeorm' | 'sequelize' | 'prisma' | 'sql', string> = {
  knex: 'export `config = { transaction: false }` from this migration file (Knex wraps every migration in a transaction otherwise)',
  typeorm: 'set `transaction = false` on this migration class and run migrations with `migrationsTransactionMode: "each"` (TypeORM runs all migrations in one transaction by default)',
  sequelize: 'keep it out of `sequelize.transaction()` (the Sequelize CLI does not wrap migrations)',
  prisma: 'put the statement alone in its own migration folder, without BEGIN/COMMIT',
  sql: 'run it outside BEGIN … COMMIT, in a migration of its own',
};
