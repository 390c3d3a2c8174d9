import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { buildCatalog } from '../../../src/core/schema/catalog';
import { ormIndexForm } from '../../../src/core/schema/orm/indexSyntax';
import { catalogShape } from './catalogShape';

const dir = path.resolve(__dirname, '../../fixtures/orm/sequelize');
const read = (f: string) => ({ file: f, text: fs.readFileSync(path.join(dir, f), 'utf8') });
const sources = () => ['migrations', 'models'].flatMap((d) => fs.readdirSync(path.join(dir, d)).sort().map((f) => read(`${d}/${f}`)));

describe('Sequelize migrations, models and sequelize-typescript classes → catalog', () => {
  it('equals the catalog of the DDL Sequelize runs for them', () => {
    const fromOrm = buildCatalog(sources(), 'postgresql');
    const fromSql = buildCatalog([read('schema.sql')], 'postgresql');
    assert.deepEqual(fromOrm.problems, []);
    assert.deepEqual(fromSql.problems, []);
    assert.deepEqual([...fromOrm.tables.keys()].sort(), ['customers', 'orders', 'products', 'reviews', 'shops']);
    assert.deepEqual(catalogShape(fromOrm), catalogShape(fromSql));
  });

  it('writes advice as a queryInterface.addIndex migration', () => {
    const products = buildCatalog(sources(), 'postgresql').tables.get('products')!;
    assert.equal(products.origin, 'sequelize');
    const form = ormIndexForm(products, { name: 'products_name_idx', keys: [{ column: 'name' }] });
    assert.equal(form?.syntax, "await queryInterface.addIndex('products', ['name'], { name: 'products_name_idx' });");
  });
});
