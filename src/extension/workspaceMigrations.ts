/**
 * The workspace's migrations in apply order, for the migration rules: the schema files plus
 * TS/JS migrations (Knex, TypeORM, Sequelize) found in migration folders. Rebuilt after the
 * schema is, and when a migration file is saved; PostgreSQL's parser is loaded first, since the
 * rules read DDL with it.
 */
import * as vscode from 'vscode';
import { parseDialect } from '../core/dialect';
import { buildMigrationSet, type MigrationSet } from '../core/migrations/set';
import { migrationPlace } from '../core/migrations/layout';
import { isScannableSource } from '../core/embedded/fileKinds';
import type { SchemaSource } from '../core/schema/types';
import { loadPgParser } from '../core/sql/pg/libpg';
import type { WorkspaceSchema } from './workspaceSchema';

const SOURCE_MIGRATIONS = '**/{migrations,migration}/**/*.{ts,js,mjs,cjs}';
const MAX_FILES = 2000;
const MAX_FILE_BYTES = 1024 * 1024;

export class WorkspaceMigrations implements vscode.Disposable {
  private set: MigrationSet | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private latest = 0;

  /** Fires after the set was rebuilt. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly schema: WorkspaceSchema) {
    this.disposables.push(
      schema.onDidChange(() => void this.rebuild()),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (doc.uri.scheme === 'file' && migrationPlace(doc.uri.path).folder) void this.rebuild();
      }),
    );
  }

  /** The current set, or undefined before the first build. */
  get current(): MigrationSet | undefined {
    return this.set;
  }

  /** Reads the schema sources and TS/JS migrations into a new ordered set. */
  async rebuild(): Promise<void> {
    const seq = ++this.latest;
    await loadPgParser();
    await this.schema.ready();
    const sources: SchemaSource[] = [...this.schema.sources];
    for (const uri of await vscode.workspace.findFiles(SOURCE_MIGRATIONS, '**/node_modules/**', MAX_FILES)) {
      if (!isScannableSource(uri.path)) continue;
      try {
        const bytes = await vscode.workspace.fs.readFile(uri);
        if (bytes.byteLength <= MAX_FILE_BYTES) sources.push({ file: vscode.workspace.asRelativePath(uri), text: Buffer.from(bytes).toString('utf8') });
      } catch {
        // Deleted between find and read: not a migration any more.
      }
    }
    if (seq !== this.latest) return;
    const dialect = parseDialect(vscode.workspace.getConfiguration('sqlPlanAdvisor').get<string>('dialect')) ?? 'postgresql';
    this.set = buildMigrationSet(sources, dialect);
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
