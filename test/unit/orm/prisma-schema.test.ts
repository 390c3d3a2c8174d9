import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { buildCatalog } from '../../../src/core/schema/catalog';
import { readPrismaSchema } from '../../../src/core/schema/orm/prisma';
import { ormIndexForm } from '../../../src/core/schema/orm/indexSyntax';
import { catalogShape } from './catalogShape';

const dir = path.resolve(__dirname, '../../fixtures/orm/prisma');
const read = (f: string) => ({ file: f, text: fs.readFileSync(path.join(dir, f), 'utf8') });

describe('schema.prisma → catalog', () => {
  it('equals the catalog of the DDL prisma migrate writes for it', () => {
    const fromPrisma = buildCatalog([read('schema.prisma')], 'postgresql');
    const fromSql = buildCatalog([read('schema.sql')], 'postgresql');
    assert.deepEqual(fromPrisma.problems, []);
    assert.deepEqual(fromSql.problems, []);
    assert.equal(fromPrisma.tables.size, 5);
    assert.deepEqual(catalogShape(fromPrisma), catalogShape(fromSql));
  });

  it('keeps model and field names, origin and declaration ranges', () => {
    const src = read('schema.prisma');
    const cat = buildCatalog([src], 'postgresql');
    const accounts = cat.tables.get('accounts')!;
    assert.equal(accounts.origin, 'prisma');
    assert.equal(accounts.model, 'Account');
    assert.equal(accounts.columns.find((c) => c.name === 'created_at')?.field, 'createdAt');
    const decl = src.text.slice(accounts.source!.offset, accounts.source!.end);
    assert.match(decl, /^model Account \{[\s\S]*@@map\("accounts"\)\n\}$/);
    const ix = cat.tables.get('post')!.indexes.find((i) => i.name === 'post_title_lookup')!;
    assert.equal(src.text.slice(ix.source!.offset, ix.source!.end), '@@index([title], map: "post_title_lookup")');
    assert.deepEqual(cat.tables.get('post')!.relations?.map((r) => `${r.field}:${r.model}${r.list ? '[]' : ''}`), ['author:Account', 'comments:Comment[]', 'topics:Topic[]']);
  });

  it('leaves foreign keys out under relationMode = "prisma"', () => {
    const text = read('schema.prisma').text.replace('url      = env("DATABASE_URL")', 'url = env("DATABASE_URL")\n  relationMode = "prisma"');
    const { tables } = readPrismaSchema('schema.prisma', text);
    assert.deepEqual(tables.flatMap((t) => t.foreignKeys), []);
  });

  it('reports lines it cannot read instead of failing', () => {
    const { tables, problems } = readPrismaSchema('s.prisma', 'model A {\n  id Int @id\n  ???\n  @@index(oops)\n}\n');
    assert.equal(tables.length, 1);
    assert.deepEqual(problems.map((p) => p.message), ['could not read this line of model A', 'could not read @@index: expected a list of fields']);
  });

  it('writes advice as @@index and inserts it before the closing brace', () => {
    const src = read('schema.prisma');
    const post = buildCatalog([src], 'postgresql').tables.get('post')!;
    const form = ormIndexForm(post, { name: 'x', keys: [{ column: 'author_id' }, { column: 'publishedAt', descending: true }] })!;
    assert.equal(form.syntax, '@@index([authorId, publishedAt(sort: Desc)])');
    const edited = src.text.slice(0, form.edit!.offset) + form.edit!.newText + src.text.slice(form.edit!.offset);
    assert.match(edited, /@@index\(\[title\], map: "post_title_lookup"\)\n  @@index\(\[authorId, publishedAt\(sort: Desc\)\]\)\n\}/);
    assert.equal(ormIndexForm(post, { name: 'x', keys: [{ column: 'title' }], include: ['id'] }), undefined);
  });
});
