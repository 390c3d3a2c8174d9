import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { buildMigrationSet } from '../../../src/core/migrations/set';
import { sourceMigration } from '../../../src/core/migrations/tools';
import { buildCatalog } from '../../../src/core/schema/catalog';
import { applyTextEdits, ormIndexChange, type OrmIndexChange } from '../../../src/core/schema/orm/indexEdits';
import type { Catalog, SchemaSource } from '../../../src/core/schema/types';

const fixtures = path.resolve(__dirname, '../../fixtures/orm');
const NOW = new Date('2024-06-01T12:00:00Z');

function sourcesOf(orm: string): SchemaSource[] {
  const dir = path.join(fixtures, orm);
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  return walk(dir)
    .filter((f) => !f.endsWith('.sql'))
    .sort()
    .map((f) => ({ file: path.relative(dir, f).split(path.sep).join('/'), text: fs.readFileSync(f, 'utf8') }));
}

/** The change for `ddl` on `table`, computed from the sources as the extension would. */
function changeFor(sources: SchemaSource[], table: string, ddl: string, dialect: 'postgresql' | 'mysql' = 'postgresql'): OrmIndexChange {
  const catalog = buildCatalog(sources, 'postgresql');
  const t = catalog.tables.get(table);
  assert.ok(t, `table ${table} in the catalog`);
  const fileText = sources.find((s) => s.file === t.source?.file)?.text;
  const change = ormIndexChange(t, ddl, { fileText, migrations: buildMigrationSet(sources, dialect), dialect, now: NOW });
  assert.ok(change, 'a change');
  return change;
}

/** The sources after the change: the file edited, or the new migration appended (it applies last). */
function applied(sources: SchemaSource[], change: OrmIndexChange): SchemaSource[] {
  if (change.kind === 'new') {
    assert.ok(!sources.some((s) => s.file === change.file), 'a new file, not an existing one');
    return [...sources, { file: change.file, text: change.text }];
  }
  return sources.map((s) => (s.file === change.file ? { ...s, text: applyTextEdits(s.text, change.edits) } : s));
}

function indexOn(catalog: Catalog, table: string, name: string): { keys: string[]; unique: boolean; method?: string } | undefined {
  const ix = catalog.tables.get(table)?.indexes.find((i) => i.name === name);
  return ix && { keys: ix.keys.map((k) => `${k.column}${k.descending ? ' desc' : ''}`), unique: !!ix.unique, ...(ix.method && ix.method !== 'btree' ? { method: ix.method } : {}) };
}

/** Round trip: apply the change, re-read with our own ORM reader, and the index is there, with no new problems. */
function roundTrip(orm: string, table: string, ddl: string, name: string): { change: OrmIndexChange; after: Catalog } {
  const sources = sourcesOf(orm);
  const before = buildCatalog(sources, 'postgresql');
  assert.equal(indexOn(before, table, name), undefined, 'not there before');
  const change = changeFor(sources, table, ddl);
  const after = buildCatalog(applied(sources, change), 'postgresql');
  assert.deepEqual(after.problems, before.problems);
  return { change, after };
}

describe('ORM index quick fixes: edits in the ORM’s own code, read back by our ORM readers', () => {
  describe('Drizzle', () => {
    it('creates the extra-config callback (array form) when the table has none', () => {
      const { change, after } = roundTrip('drizzle', 'teams', 'CREATE INDEX teams_name_plan_idx ON teams (name, plan)', 'teams_name_plan_idx');
      assert.equal(change.kind, 'edit');
      assert.deepEqual(indexOn(after, 'teams', 'teams_name_plan_idx'), { keys: ['name', 'plan'], unique: false });
      const text = applyTextEdits(sourcesOf('drizzle').find((s) => s.file === 'schema.ts')!.text, (change as Extract<OrmIndexChange, { kind: 'edit' }>).edits);
      assert.match(text, /settings: jsonb\('settings'\),\n\}, \(table\) => \[index\('teams_name_plan_idx'\)\.on\(table\.name, table\.plan\)\]\);/);
    });

    it('adds a property to the object form, with the callback’s own parameter name', () => {
      const { change, after } = roundTrip('drizzle', 'members', 'CREATE INDEX members_active_joined_at_idx ON members (active, joined_at DESC)', 'members_active_joined_at_idx');
      assert.deepEqual(indexOn(after, 'members', 'members_active_joined_at_idx'), { keys: ['active', 'joined_at desc'], unique: false });
      const text = applyTextEdits(sourcesOf('drizzle').find((s) => s.file === 'schema.ts')!.text, (change as Extract<OrmIndexChange, { kind: 'edit' }>).edits);
      assert.match(text, /teamJoined: index\('members_team_joined_idx'\)\.on\(t\.teamId, t\.joinedAt\.desc\(\)\),\n {4}membersActiveJoinedAtIdx: index\('members_active_joined_at_idx'\)\.on\(t\.active, t\.joinedAt\.desc\(\)\),\n/);
      // The members index existing before is untouched.
      assert.ok(indexOn(after, 'members', 'members_team_joined_idx'));
    });

    it('appends to the array form (trailing comma kept) and imports uniqueIndex only when missing', () => {
      const { change, after } = roundTrip('drizzle', 'invoices', 'CREATE UNIQUE INDEX invoices_team_issued_key ON invoices USING btree (team_id, issued_at)', 'invoices_team_issued_key');
      assert.deepEqual(indexOn(after, 'invoices', 'invoices_team_issued_key'), { keys: ['team_id', 'issued_at'], unique: true });
      const edits = (change as Extract<OrmIndexChange, { kind: 'edit' }>).edits;
      assert.equal(edits.length, 1, 'uniqueIndex is already imported: one edit');
      assert.match(edits[0].newText, /^\n {4}uniqueIndex\('invoices_team_issued_key'\)\.on\(t\.teamId, t\.issuedAt\),$/);
    });

    it('adds the missing import to the drizzle-orm/pg-core import', () => {
      const sources = sourcesOf('drizzle').map((s) => ({ ...s, text: s.text.replace('import { bigint, boolean, index, ', 'import { bigint, boolean, ') }));
      // Without `index` imported the fixture still reads (the reader goes by callee name).
      const change = changeFor(sources, 'teams', 'CREATE INDEX teams_name_idx ON teams (name)');
      const after = applied(sources, change);
      assert.match(after.find((s) => s.file === 'schema.ts')!.text, /import \{ bigint, boolean, integer, .*, uuid, varchar, index \} from 'drizzle-orm\/pg-core';/);
      assert.deepEqual(indexOn(buildCatalog(after, 'postgresql'), 'teams', 'teams_name_idx'), { keys: ['name'], unique: false });
    });

    it('adds the index through a block-bodied callback’s return and uses the method (.using)', () => {
      const text = `import { pgTable, text, index } from 'drizzle-orm/pg-core';\n\nexport const notes = pgTable('notes', {\n  body: text('body'),\n}, (n) => {\n  return [];\n});\n`;
      const sources = [{ file: 'db/notes.ts', text }];
      const change = changeFor(sources, 'notes', 'CREATE INDEX notes_body_idx ON notes USING gin (body gin_trgm_ops)');
      const after = applied(sources, change);
      assert.match(after[0].text, /return \[index\('notes_body_idx'\)\.using\('gin', n\.body\.op\('gin_trgm_ops'\)\)\];/);
      assert.deepEqual(indexOn(buildCatalog(after, 'postgresql'), 'notes', 'notes_body_idx'), { keys: ['body'], unique: false, method: 'gin' });
    });
  });

  describe('TypeORM', () => {
    it('adds @Index([...]) with property names under @Entity, and keeps the Index import', () => {
      const { change, after } = roundTrip('typeorm', 'agents', 'CREATE INDEX agents_display_name_idx ON agents (display_name)', 'agents_display_name_idx');
      assert.equal(change.kind, 'edit');
      assert.deepEqual(indexOn(after, 'agents', 'agents_display_name_idx'), { keys: ['display_name'], unique: false });
      const edits = (change as Extract<OrmIndexChange, { kind: 'edit' }>).edits;
      assert.deepEqual(edits.map((e) => e.newText), ["\n@Index('agents_display_name_idx', ['displayName'])"]);
    });

    it('imports Index from typeorm when the entity file does not', () => {
      const text = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';\n\n@Entity('notes')\nexport class Note {\n  @PrimaryGeneratedColumn()\n  id: number;\n\n  @Column({ name: 'author_id' })\n  authorId: number;\n\n  @Column()\n  title: string;\n}\n`;
      const sources = [{ file: 'src/note.entity.ts', text }];
      const change = changeFor(sources, 'notes', 'CREATE UNIQUE INDEX notes_author_title_key ON notes (author_id, title)');
      const after = applied(sources, change);
      assert.match(after[0].text, /^import \{ Column, Entity, PrimaryGeneratedColumn, Index \} from 'typeorm';/);
      assert.match(after[0].text, /@Entity\('notes'\)\n@Index\('notes_author_title_key', \['authorId', 'title'\], \{ unique: true \}\)\nexport class Note/);
      assert.deepEqual(indexOn(buildCatalog(after, 'postgresql'), 'notes', 'notes_author_title_key'), { keys: ['author_id', 'title'], unique: true });
    });
  });

  describe('Knex', () => {
    it('PostgreSQL: a new migration with raw CREATE INDEX CONCURRENTLY and the transaction disabled (the migration-safety advice)', () => {
      const { change, after } = roundTrip('knex', 'books', 'CREATE INDEX books_title_idx ON books (title)', 'books_title_idx');
      assert.equal(change.kind, 'new');
      const c = change as Extract<OrmIndexChange, { kind: 'new' }>;
      assert.equal(c.file, 'migrations/20240601120000_add_books_title_idx.ts', 'after the last migration, in its language');
      assert.match(c.text, /export const config = \{ transaction: false \};/);
      assert.match(c.text, /await knex\.raw\(`CREATE INDEX CONCURRENTLY books_title_idx ON books \(title\)`\);/);
      assert.deepEqual(indexOn(after, 'books', 'books_title_idx'), { keys: ['title'], unique: false });
      // The migration tooling sees it as a Knex migration that runs outside a transaction.
      assert.deepEqual(sourceMigration(c.file, c.text) && { tool: sourceMigration(c.file, c.text)!.tool, transactional: sourceMigration(c.file, c.text)!.transactional }, { tool: 'knex', transactional: false });
    });

    it('MySQL: table.index([...]) inside knex.schema.alterTable, in Knex’s transaction', () => {
      const sources = sourcesOf('knex');
      const change = changeFor(sources, 'books', 'CREATE INDEX books_title_idx ON books (title)', 'mysql') as Extract<OrmIndexChange, { kind: 'new' }>;
      assert.match(change.text, /await knex\.schema\.alterTable\('books', \(table\) => \{\n {4}table\.index\(\['title'\], 'books_title_idx'\);\n {2}\}\);/);
      assert.doesNotMatch(change.text, /transaction: false|CONCURRENTLY/);
      assert.deepEqual(indexOn(buildCatalog(applied(sources, change), 'postgresql'), 'books', 'books_title_idx'), { keys: ['title'], unique: false });
    });
  });

  describe('Sequelize', () => {
    it('a new migration with queryInterface.addIndex(…, { concurrently: true }) and no transaction', () => {
      const { change, after } = roundTrip('sequelize', 'products', 'CREATE INDEX products_name_price_idx ON products (name, price DESC)', 'products_name_price_idx');
      const c = change as Extract<OrmIndexChange, { kind: 'new' }>;
      assert.equal(c.file, 'migrations/20240601120000-add-products-name-price-idx.js');
      assert.match(c.text, /await queryInterface\.addIndex\('products', \['name', \{ name: 'price', order: 'DESC' \}\], \{ name: 'products_name_price_idx', concurrently: true \}\);/);
      assert.match(c.text, /await queryInterface\.removeIndex\('products', 'products_name_price_idx', \{ concurrently: true \}\);/);
      assert.doesNotMatch(c.text, /transaction\(/);
      assert.deepEqual(indexOn(after, 'products', 'products_name_price_idx'), { keys: ['name', 'price desc'], unique: false });
    });

    it('a table declared by a model gets its migration in the project’s migrations folder', () => {
      const { change, after } = roundTrip('sequelize', 'customers', 'CREATE INDEX customers_email_lower_idx ON customers (email)', 'customers_email_lower_idx');
      assert.equal(change.kind === 'new' && change.file.startsWith('migrations/2024060112'), true);
      assert.deepEqual(indexOn(after, 'customers', 'customers_email_lower_idx'), { keys: ['email'], unique: false });
    });
  });

  it('gives no change for shapes the ORM cannot declare (partial index): the raw DDL stays the way', () => {
    const sources = sourcesOf('drizzle');
    const t = buildCatalog(sources, 'postgresql').tables.get('teams')!;
    assert.equal(ormIndexChange(t, 'CREATE INDEX teams_pro ON teams (name) WHERE plan = \'pro\'', { fileText: sources[0].text, dialect: 'postgresql', now: NOW }), undefined);
  });
});
