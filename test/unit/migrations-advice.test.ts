/**
 * Our own index advice obeys the migration rules: for each fixture project, the planned
 * migration lands in the project's migration folder, in its tool's format, with CREATE INDEX
 * CONCURRENTLY outside any transaction — and linting the project with that file added reports
 * nothing on it.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { selectFiles, isLintable } from '../../src/cli/files';
import { concurrentIndexDdl, planIndexMigration } from '../../src/core/migrations/advice';
import { withMigrationFindings } from '../../src/core/migrations/lint';
import { buildMigrationSet } from '../../src/core/migrations/set';
import { buildCatalog } from '../../src/core/schema/catalog';
import { isScannableSource } from '../../src/core/embedded/fileKinds';
import type { SchemaSource } from '../../src/core/schema/types';
import { loadPgParser } from '../../src/core/sql/pg/libpg';

const fixtures = path.resolve(__dirname, '..', 'fixtures', 'migrations');
const NOW = new Date(Date.UTC(2024, 5, 1, 12, 30, 45));

function project(name: string): SchemaSource[] {
  const dir = path.join(fixtures, name);
  return selectFiles(['.'], dir, isLintable).files.map((f) => ({ file: path.relative(dir, f).split(path.sep).join('/'), text: fs.readFileSync(f, 'utf8') }));
}

/** Lints the planned file inside its project; only the migration rules' findings. */
function findingsOnPlanned(sources: SchemaSource[], planned: SchemaSource): string[] {
  const all = [...sources, planned];
  const set = buildMigrationSet(all, 'postgresql');
  const catalog = buildCatalog(set.files.filter((f) => !isScannableSource(f.file)), 'postgresql');
  return withMigrationFindings(planned.file, planned.text, [], { set, catalog }).map((f) => `${f.ruleId}: ${f.message}`);
}

describe('index advice as migrations', () => {
  before(() => loadPgParser());

  it('adds CONCURRENTLY to each CREATE INDEX on PostgreSQL only', () => {
    assert.equal(concurrentIndexDdl('CREATE INDEX a ON t (x);\nCREATE UNIQUE INDEX b ON t (y);', 'postgresql'), 'CREATE INDEX CONCURRENTLY a ON t (x);\nCREATE UNIQUE INDEX CONCURRENTLY b ON t (y);');
    assert.equal(concurrentIndexDdl('CREATE INDEX CONCURRENTLY a ON t (x)', 'postgresql'), 'CREATE INDEX CONCURRENTLY a ON t (x)');
    assert.equal(concurrentIndexDdl("-- create index here\nCREATE INDEX a ON t (x) WHERE s = 'create index'", 'postgresql'), "-- create index here\nCREATE INDEX CONCURRENTLY a ON t (x) WHERE s = 'create index'");
    assert.equal(concurrentIndexDdl('CREATE INDEX a ON t (x)', 'mysql'), 'CREATE INDEX a ON t (x)');
  });

  const cases: { set: string; ddl: string; file: string; contains: string[] }[] = [
    { set: 'sql', ddl: 'CREATE INDEX sessions_duration_minutes_idx ON sessions (duration_minutes);', file: 'db/migrations/0005_add_sessions_duration_minutes_idx.sql', contains: ['CREATE INDEX CONCURRENTLY sessions_duration_minutes_idx ON sessions (duration_minutes);'] },
    { set: 'prisma', ddl: 'CREATE INDEX post_title_idx ON "Post" (title);', file: 'prisma/migrations/20240601123045_add_post_title_idx/migration.sql', contains: ['CREATE INDEX CONCURRENTLY post_title_idx ON "Post" (title);'] },
    { set: 'knex', ddl: "CREATE INDEX orders_open_idx ON orders (customer_id) WHERE status = 'open';", file: 'db/migrations/20240601123045_add_orders_open_idx.ts', contains: ['export const config = { transaction: false };', "await knex.raw(`CREATE INDEX CONCURRENTLY orders_open_idx ON orders (customer_id) WHERE status = 'open'`);", 'DROP INDEX CONCURRENTLY IF EXISTS orders_open_idx'] },
    { set: 'typeorm', ddl: 'CREATE INDEX invoice_status_due_idx ON invoice (status, "dueAt");\nCREATE INDEX invoice_account_status_idx ON invoice ("accountId", status);', file: 'src/migrations/1717245045000-AddInvoiceStatusDueIdx.ts', contains: ['transaction = false;', 'await queryRunner.query(`CREATE INDEX CONCURRENTLY invoice_status_due_idx ON invoice (status, "dueAt")`);\n    await queryRunner.query(`CREATE INDEX CONCURRENTLY invoice_account_status_idx'] },
  ];
  for (const c of cases) {
    it(`${c.set}: a new migration in the project's format that the migration rules accept`, () => {
      const sources = project(c.set);
      const plan = planIndexMigration(buildMigrationSet(sources, 'postgresql'), c.ddl, NOW);
      assert.ok(plan);
      assert.equal(plan.file, c.file);
      for (const fragment of c.contains) assert.ok(plan.text.includes(fragment), `${plan.text}\nshould contain\n${fragment}`);
      assert.deepEqual(findingsOnPlanned(sources, { file: plan.file, text: plan.text }), []);
      // The same DDL written plainly into that place is what the rules flag.
      if (c.set === 'sql' || c.set === 'prisma') assert.notDeepEqual(findingsOnPlanned(sources, { file: plan.file, text: c.ddl }), []);
    });
  }

  it('plans nothing without a migration folder (the caller writes a plain SQL file)', () => {
    assert.equal(planIndexMigration(buildMigrationSet([{ file: 'schema.sql', text: 'CREATE TABLE t (a int);' }], 'postgresql'), 'CREATE INDEX t_a_idx ON t (a);', NOW), undefined);
  });
});
