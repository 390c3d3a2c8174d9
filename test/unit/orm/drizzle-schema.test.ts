import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { buildCatalog } from '../../../src/core/schema/catalog';
import { ormIndexForm } from '../../../src/core/schema/orm/indexSyntax';
import { catalogShape } from './catalogShape';

const dir = path.resolve(__dirname, '../../fixtures/orm/drizzle');
const read = (f: string) => ({ file: f, text: fs.readFileSync(path.join(dir, f), 'utf8') });

describe('Drizzle tables → catalog', () => {
  it('equals the catalog of the DDL drizzle-kit writes for them', () => {
    const fromOrm = buildCatalog([read('schema.ts')], 'postgresql');
    const fromSql = buildCatalog([read('schema.sql')], 'postgresql');
    assert.deepEqual(fromOrm.problems, []);
    assert.deepEqual(fromSql.problems, []);
    assert.equal(fromOrm.tables.size, 3);
    assert.deepEqual(catalogShape(fromOrm), catalogShape(fromSql));
  });

  it('keeps origin, property names and the declaration range', () => {
    const src = read('schema.ts');
    const members = buildCatalog([src], 'postgresql').tables.get('members')!;
    assert.equal(members.origin, 'drizzle');
    assert.equal(members.columns.find((c) => c.name === 'joined_at')?.field, 'joinedAt');
    assert.match(src.text.slice(members.source!.offset, members.source!.end), /^members = pgTable\(\n {2}'members',[\s\S]*\)$/);
    const form = ormIndexForm(members, { name: 'members_active_joined_at_idx', keys: [{ column: 'active' }, { column: 'joined_at', descending: true }] });
    assert.equal(form?.syntax, "index('members_active_joined_at_idx').on(table.active, table.joinedAt.desc())");
  });

  it('reads nothing from files that do not use drizzle-orm', () => {
    const cat = buildCatalog([{ file: 'x.ts', text: "const pgTable = (n: string, c: object) => c;\nexport const t = pgTable('t', { id: 1 });\n" }], 'postgresql');
    assert.equal(cat.tables.size, 0);
  });
});
