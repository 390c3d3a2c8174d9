import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { buildCatalog } from '../../../src/core/schema/catalog';
import { ormIndexForm } from '../../../src/core/schema/orm/indexSyntax';
import { catalogShape } from './catalogShape';

const dir = path.resolve(__dirname, '../../fixtures/orm/knex');
const read = (f: string) => ({ file: f, text: fs.readFileSync(path.join(dir, f), 'utf8') });
const migrations = () => fs.readdirSync(path.join(dir, 'migrations')).sort().map((f) => read(`migrations/${f}`));

describe('Knex migrations → catalog', () => {
  it('equals the catalog of the DDL Knex runs for them (up only, in order)', () => {
    const fromOrm = buildCatalog(migrations(), 'postgresql');
    const fromSql = buildCatalog([read('schema.sql')], 'postgresql');
    assert.deepEqual(fromOrm.problems, []);
    assert.deepEqual(fromSql.problems, []);
    assert.deepEqual([...fromOrm.tables.keys()].sort(), ['authors', 'book_tags', 'books']);
    assert.deepEqual(catalogShape(fromOrm), catalogShape(fromSql));
  });

  it('marks tables as Knex-declared and writes advice as table.index', () => {
    const books = buildCatalog(migrations(), 'postgresql').tables.get('books')!;
    assert.equal(books.origin, 'knex');
    assert.equal(books.source?.file, 'migrations/20240101090000_init.js');
    const form = ormIndexForm(books, { name: 'books_title_idx', keys: [{ column: 'title' }] });
    assert.equal(form?.syntax, "knex.schema.alterTable('books', (table) => { table.index(['title'], 'books_title_idx'); });");
  });

  it('reads raw DDL in a migration up (CREATE INDEX CONCURRENTLY), and ignores it outside migrations', () => {
    const raw = { file: 'migrations/20240301000000_books_title.js', text: "exports.config = { transaction: false };\nexports.up = (knex) => knex.raw('CREATE INDEX CONCURRENTLY books_title_idx ON books (title)');\n" };
    const withRaw = buildCatalog([...migrations(), raw], 'postgresql');
    assert.deepEqual(withRaw.tables.get('books')!.indexes.find((i) => i.name === 'books_title_idx')?.keys, [{ column: 'title' }]);
    const cleanup = { file: 'test/helpers/db.ts', text: "export async function reset(knex) {\n  await knex.raw('DROP TABLE books');\n  await knex.schema.createTable('scratch', (t) => { t.increments('id'); });\n}\n" };
    assert.ok(buildCatalog([...migrations(), cleanup], 'postgresql').tables.has('books'), 'a helper that drops a table is not a migration');
  });
});
