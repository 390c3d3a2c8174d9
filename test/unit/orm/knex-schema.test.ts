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
});
