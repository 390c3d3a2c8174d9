/**
 * Our own index advice, shaped to obey the migration rules: on PostgreSQL an index for a table
 * that already exists is built with CREATE INDEX CONCURRENTLY, outside any transaction, in a new
 * migration written in the project's own format — a plain SQL file, a Prisma migration folder,
 * or a Knex / TypeORM / Sequelize migration with its transaction disabled.
 */
import type { Dialect } from '../dialect';
import { splitStatements } from '../sql/split';
import { tokenize } from '../sql/tokens';
import { compareMigrations, type MigrationTool } from './layout';
import type { MigrationSet } from './set';

/**
 * `CREATE [UNIQUE] INDEX …` → `CREATE [UNIQUE] INDEX CONCURRENTLY …` (each statement of `ddl`);
 * unchanged for MySQL, where InnoDB builds secondary indexes online, or when already concurrent.
 */
export function concurrentIndexDdl(ddl: string, dialect: Dialect): string {
  if (dialect !== 'postgresql') return ddl;
  const toks = tokenize(ddl);
  const edits: number[] = [];
  toks.forEach((t, i) => {
    if (t.kind !== 'word' || t.value !== 'index') return;
    const before = toks[i - 1]?.value === 'unique' ? toks[i - 2] : toks[i - 1];
    if (before?.kind === 'word' && before.value === 'create' && toks[i + 1]?.value !== 'concurrently') edits.push(t.end);
  });
  let out = ddl;
  for (const at of edits.reverse()) out = out.slice(0, at) + ' CONCURRENTLY' + out.slice(at);
  return out;
}

export interface IndexMigrationPlan {
  /** Workspace-relative path of the new file (forward slashes). */
  file: string;
  text: string;
  tool: MigrationTool;
  /** One line for the quick pick: the format and why it is safe. */
  detail: string;
}

/** The index names in CREATE INDEX statements (as written, quotes kept). */
export function createdIndexNames(ddl: string): string[] {
  const toks = tokenize(ddl).filter((t) => t.kind === 'word' || t.kind === 'quoted' || t.text === '(');
  const names: string[] = [];
  toks.forEach((t, i) => {
    if (t.kind !== 'word' || t.value !== 'index') return;
    let j = i + 1;
    if (toks[j]?.value === 'concurrently') j++;
    if (toks[j]?.value === 'if') j += 3;
    const name = toks[j];
    if (name && !(name.kind === 'word' && name.value === 'on')) names.push(name.text);
  });
  return names;
}

/** The DDL statements of `ddl`, each `;`-terminated on its own line (comments kept). */
function statements(ddl: string): string {
  return ddl.trim().replace(/;?\s*$/, ';');
}

/**
 * One call per statement: PostgreSQL runs a multi-statement query string as one implicit
 * transaction, where CONCURRENTLY is refused just as inside BEGIN … COMMIT.
 */
function calls(ddl: string, dialect: Dialect, call: (sql: string) => string, indent: string): string {
  return splitStatements(ddl, dialect).map((st) => `${indent}await ${call(template(st.text))};`).join('\n');
}

/** `20240301120000` (UTC) — the timestamp prefix Prisma, Knex and Sequelize name migrations with. */
function stamp14(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** A JS template literal holding `text`. */
function template(text: string): string {
  return '`' + text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
}

function camel(slug: string): string {
  return slug.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/**
 * The new migration for `ddl` in the project's format, placed after the last migration of the
 * main migration folder (the one with the most migrations). Undefined when the workspace has no
 * migration folder; the caller then falls back to a plain SQL file.
 */
export function planIndexMigration(set: MigrationSet, ddl: string, now: Date): IndexMigrationPlan | undefined {
  const byFolder = new Map<string, string[]>();
  for (const f of set.files) {
    if (!f.place.folder) continue;
    byFolder.set(f.place.folder, [...(byFolder.get(f.place.folder) ?? []), f.file]);
  }
  const folder = [...byFolder.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))[0];
  if (!folder) return undefined;
  const files = [...folder[1]].sort(compareMigrations);
  const last = set.byFile.get(files[files.length - 1])!;
  return migrationInFormat({ tool: last.tool, dir: folder[0], lastFile: last.file, lastName: last.place.name, dialect: set.dialect }, ddl, now);
}

/** Where and how a new migration is written: the tool, its folder, and the folder's last migration. */
export interface MigrationFormat {
  tool: MigrationTool;
  /** The migration folder (workspace-relative, forward slashes). */
  dir: string;
  /** The folder's last migration file (its name numbers SQL files; its extension picks .ts/.js). */
  lastFile: string;
  /** The name the tool sorts that migration by (Prisma: its folder), when it is not the file name. */
  lastName?: string;
  dialect: Dialect;
}

/**
 * Schema-builder calls that replace the raw DDL in a Knex or Sequelize migration
 * (`queryInterface.addIndex(…)`), one statement each, without `await` or `;`.
 */
export interface MigrationCalls {
  up: string[];
  down: string[];
  /** True when a call builds the index CONCURRENTLY, so the tool's transaction must be off. */
  concurrent: boolean;
}

/**
 * The new migration for `ddl` in the given tool's format (`CONCURRENTLY` on PostgreSQL, outside
 * any transaction); `builder` swaps the raw statements for the tool's own schema-builder calls.
 */
export function migrationInFormat(fmt: MigrationFormat, ddl: string, now: Date, builder?: MigrationCalls): IndexMigrationPlan {
  const { dir, dialect } = fmt;
  const safe = concurrentIndexDdl(ddl, dialect);
  const names = createdIndexNames(safe);
  const slug = `add_${(names[0] ?? 'index').replace(/"/g, '').toLowerCase()}`;
  const drop = names.map((n) => (dialect === 'postgresql' ? `DROP INDEX CONCURRENTLY IF EXISTS ${n};` : `DROP INDEX ${n};`)).join('\n');
  const why = dialect === 'postgresql' ? 'CREATE INDEX CONCURRENTLY keeps writes to the table going during the build; it cannot run inside a transaction.' : '';
  const base = fmt.lastFile.slice(fmt.lastFile.lastIndexOf('/') + 1);
  const lastName = fmt.lastName ?? base;
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot) : '.js';
  const own = (list: string[], indent: string) => list.map((c) => `${indent}await ${c};`).join('\n');
  switch (fmt.tool) {
    case 'prisma': {
      const text = `-- CreateIndex\n-- ${why || 'Suggested by SQL Plan Advisor.'}\n-- Alone in its migration so that no other statement shares a transaction with it.\n${statements(safe)}\n`;
      return { file: `${dir}/${stamp14(now)}_${slug}/migration.sql`, text, tool: 'prisma', detail: 'new Prisma migration (CONCURRENTLY, alone in its migration)' };
    }
    case 'knex': {
      const ts = ext === '.ts';
      const concurrent = builder ? builder.concurrent : dialect === 'postgresql';
      const comment = concurrent
        ? "// CREATE INDEX CONCURRENTLY keeps writes to the table going during the build, and it cannot\n// run inside a transaction: Knex's transaction is disabled for this migration.\n"
        : '';
      const config = concurrent ? (ts ? 'export const config = { transaction: false };\n\n' : 'exports.config = { transaction: false };\n\n') : '';
      const raw = (sql: string) => `knex.raw(${sql})`;
      const up = builder ? own(builder.up, '  ') : calls(safe, dialect, raw, '  ');
      const down = builder ? own(builder.down, '  ') : calls(drop, dialect, raw, '  ');
      const text = ts
        ? `import type { Knex } from 'knex';\n\n${comment}${config}export async function up(knex: Knex): Promise<void> {\n${up}\n}\n\nexport async function down(knex: Knex): Promise<void> {\n${down}\n}\n`
        : `${comment}${config}exports.up = async (knex) => {\n${up}\n};\n\nexports.down = async (knex) => {\n${down}\n};\n`;
      return { file: `${dir}/${stamp14(now)}_${slug}${ts ? '.ts' : ext}`, text, tool: 'knex', detail: `new Knex migration${concurrent ? ' (CONCURRENTLY, transaction disabled)' : ''}` };
    }
    case 'typeorm': {
      const ms = now.getTime();
      const cls = `${camel(slug)}${ms}`;
      const run = (sql: string) => `queryRunner.query(${sql})`;
      const text =
        `import { MigrationInterface, QueryRunner } from 'typeorm';\n\n` +
        `/** ${why} Runs outside TypeORM's transaction: \`transaction = false\` with migrationsTransactionMode 'each'. */\n` +
        `export class ${cls} implements MigrationInterface {\n  name = '${cls}';\n\n  transaction = false;\n\n` +
        `  public async up(queryRunner: QueryRunner): Promise<void> {\n${calls(safe, dialect, run, '    ')}\n  }\n\n` +
        `  public async down(queryRunner: QueryRunner): Promise<void> {\n${calls(drop, dialect, run, '    ')}\n  }\n}\n`;
      return { file: `${dir}/${ms}-${camel(slug)}${ext === '.js' ? '.js' : '.ts'}`, text, tool: 'typeorm', detail: 'new TypeORM migration (CONCURRENTLY, transaction = false)' };
    }
    case 'sequelize': {
      const q = (sql: string) => `queryInterface.sequelize.query(${sql})`;
      const up = builder ? own(builder.up, '    ') : calls(safe, dialect, q, '    ');
      const down = builder ? own(builder.down, '    ') : calls(drop, dialect, q, '    ');
      const text =
        `'use strict';\n\n// ${why} The Sequelize CLI runs migrations without a transaction; do not add one here.\n` +
        `module.exports = {\n  async up(queryInterface) {\n${up}\n  },\n\n` +
        `  async down(queryInterface) {\n${down}\n  },\n};\n`;
      return { file: `${dir}/${stamp14(now)}-${slug.replace(/_/g, '-')}${ext}`, text, tool: 'sequelize', detail: `new Sequelize migration${dialect === 'postgresql' ? ' (CONCURRENTLY, no transaction)' : ''}` };
    }
    default: {
      const text = `-- ${why || 'Suggested by SQL Plan Advisor.'}\n${statements(safe)}\n`;
      return { file: `${dir}/${nextSqlName(lastName, slug, now)}`, text, tool: 'sql', detail: `new SQL migration${dialect === 'postgresql' ? ' (CONCURRENTLY, outside a transaction)' : ''}` };
    }
  }
}

/** `0007_add_x.sql` after `0006_….sql`; a timestamp prefix gets the current time in the same width. */
function nextSqlName(lastName: string, slug: string, now: Date): string {
  const m = /^(\d+)([_\-.])/.exec(lastName);
  if (!m) return `${slug}.sql`;
  const sep = m[2] === '.' ? '_' : m[2];
  if (m[1].length >= 12) {
    const t = stamp14(now).slice(0, m[1].length).padEnd(m[1].length, '0');
    return `${BigInt(t) > BigInt(m[1]) ? t : (BigInt(m[1]) + 1n).toString()}${sep}${slug}.sql`;
  }
  return `${(BigInt(m[1]) + 1n).toString().padStart(m[1].length, '0')}${sep}${slug}.sql`;
}
