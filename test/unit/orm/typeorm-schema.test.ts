import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { buildCatalog } from '../../../src/core/schema/catalog';
import { ormIndexForm } from '../../../src/core/schema/orm/indexSyntax';
import { catalogShape } from './catalogShape';

const dir = path.resolve(__dirname, '../../fixtures/orm/typeorm');
const read = (f: string) => ({ file: f, text: fs.readFileSync(path.join(dir, f), 'utf8') });
const sources = () => ['entities', 'migrations'].flatMap((d) => fs.readdirSync(path.join(dir, d)).sort().map((f) => read(`${d}/${f}`)));

describe('TypeORM entities and migrations → catalog', () => {
  it('equals the catalog of the DDL TypeORM generates and runs for them', () => {
    const fromOrm = buildCatalog(sources(), 'postgresql');
    const fromSql = buildCatalog([read('schema.sql')], 'postgresql');
    assert.deepEqual(fromOrm.problems, []);
    assert.deepEqual(fromSql.problems, []);
    assert.deepEqual([...fromOrm.tables.keys()].sort(), ['agents', 'audit_log', 'support_ticket']);
    assert.deepEqual(catalogShape(fromOrm), catalogShape(fromSql));
  });

  it('marks entity and migration tables as TypeORM-declared and writes advice as @Index', () => {
    const cat = buildCatalog(sources(), 'postgresql');
    assert.equal(cat.tables.get('audit_log')!.origin, 'typeorm');
    const ticket = cat.tables.get('support_ticket')!;
    assert.equal(ticket.model, 'SupportTicket');
    const form = ormIndexForm(ticket, { name: 'support_ticket_queue_opened_at_idx', keys: [{ column: 'queue' }, { column: 'opened_at' }] });
    assert.equal(form?.syntax, "@Index('support_ticket_queue_opened_at_idx', ['queue', 'openedAt'])");
  });
});
