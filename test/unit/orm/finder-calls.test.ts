/**
 * TypeORM repositories and query builders, and Sequelize models, against the fixture schemas:
 * each index rule fires on a call exactly where it fires on the SQL the call sends, on the
 * part of the call that produced it, and nowhere else.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { lintSource } from '../../../src/core/embedded/lintSource';
import { ormQueries } from '../../../src/core/embedded/orm/index';
import { SqlLinter } from '../../../src/core/lint/linter';
import { buildCatalog } from '../../../src/core/schema/catalog';

const dir = path.resolve(__dirname, '../../fixtures/orm');
const sources = (subs: string[]) => subs.flatMap((s) => fs.readdirSync(path.join(dir, s)).sort().map((f) => ({ file: `${s}/${f}`, text: fs.readFileSync(path.join(dir, s, f), 'utf8') })));
const catalog = buildCatalog(sources(['typeorm/entities', 'typeorm/migrations', 'sequelize/migrations', 'sequelize/models']), 'postgresql');
const opts = { dialect: 'postgresql' as const, catalog };
const ORM_SILENT = new Set(['select-star', 'not-in-subquery', 'parse-error']);

interface Case {
  code: string;
  sql: string;
  findings?: string[];
}

function lintCall(code: string): string[] {
  const text = `class TicketService {\n  constructor(private readonly tickets: Repository<SupportTicket>) {}\n  async run(q: string, since: Date) {\n    return ${code};\n  }\n}\n`;
  return lintSource(`f${Math.random()}.ts`, text, opts).map((f) => `${f.ruleId}@${text.slice(f.start, f.end)}`);
}

function lintTwin(sql: string): string[] {
  return new SqlLinter().lint(sql, opts).map((f) => f.ruleId).filter((r) => !ORM_SILENT.has(r));
}

const valid: Case[] = [
  { code: "this.tickets.find({ where: { status: 'open' }, order: { openedAt: 'DESC' }, take: 20 })", sql: 'SELECT id FROM support_ticket t WHERE t.status = $1 ORDER BY t.opened_at DESC LIMIT $2' },
  { code: "this.tickets.findOneBy({ queue: q, number: 7 })", sql: 'SELECT id FROM support_ticket t WHERE (t.queue = $1 AND t.number = $2) LIMIT $3' },
  { code: "this.tickets.createQueryBuilder('t').where('t.status = :s', { s: 'open' }).getMany()", sql: 'SELECT id FROM support_ticket t WHERE (t.status = $1)' },
  { code: "dataSource.getRepository(Agent).findOne({ where: { email: q } })", sql: 'SELECT id FROM agents a WHERE a.email = $1 LIMIT $2' },
  { code: 'Review.findAll({ where: { productId: 3 }, order: [["rating", "DESC"]] })', sql: 'SELECT id FROM "Reviews" AS r WHERE r.product_id = $1 ORDER BY r.rating DESC' },
  { code: 'Review.findByPk(42)', sql: 'SELECT id FROM "Reviews" AS r WHERE r.id = $1 LIMIT $2' },
  { code: "Review.findAll({ where: { body: { [Op.startsWith]: q } } })", sql: `SELECT id FROM "Reviews" AS r WHERE r.body LIKE ($1 || '%')` },
  // A relation filter and a Raw() operator are not statically known: left out.
  { code: 'this.tickets.find({ where: { assignee: { email: q } } })', sql: 'SELECT 1' },
  { code: "this.tickets.find({ where: { queue: Raw((a) => `lower(${a}) = 'x'`) } })", sql: 'SELECT 1' },
];

const invalid: Case[] = [
  { code: 'this.tickets.find({ where: { openedAt: MoreThan(since) } })', sql: 'SELECT id FROM support_ticket t WHERE t.opened_at > $1', findings: ['leftmost-prefix@openedAt: MoreThan(since)'] },
  { code: 'this.tickets.findOneBy({ number: 12 })', sql: 'SELECT id FROM support_ticket t WHERE t.number = $1 LIMIT $2', findings: ['leftmost-prefix@number: 12'] },
  { code: "dataSource.getRepository(Agent).find({ where: { displayName: ILike('%' + q + '%') } })", sql: `SELECT id FROM agents a WHERE a.display_name ILIKE ('%' || $1 || '%')`, findings: ["leading-wildcard@displayName: ILike('%' + q + '%')"] },
  { code: "this.tickets.createQueryBuilder('t').where('t.openedAt > :since', { since }).orderBy('t.openedAt', 'DESC').getMany()", sql: 'SELECT id FROM support_ticket t WHERE (t.opened_at > $1) ORDER BY t.opened_at DESC', findings: ["leftmost-prefix@'t.openedAt > :since'"] },
  { code: 'this.tickets.count({ where: { effortHours: MoreThan(8) } })', sql: 'SELECT COUNT(*) FROM support_ticket t WHERE t."effortHours" > $1', findings: ['missing-index@effortHours: MoreThan(8)'] },
  { code: 'Review.findAll({ where: { rating: { [Op.gte]: 4 } }, limit: 10 })', sql: 'SELECT id FROM "Reviews" AS r WHERE r.rating >= $1 LIMIT $2', findings: ['leftmost-prefix@[Op.gte]: 4'] },
  { code: 'Review.count({ where: { body: { [Op.substring]: q } } })', sql: `SELECT COUNT(*) FROM "Reviews" AS r WHERE r.body LIKE ('%' || $1 || '%')`, findings: ['leading-wildcard@[Op.substring]: q'] },
  { code: "Review.destroy({ where: { body: null } })", sql: 'DELETE FROM "Reviews" WHERE body IS NULL', findings: ['missing-index@body: null'] },
];

describe('TypeORM and Sequelize calls: rules fire where the equivalent SQL fires', () => {
  for (const c of valid) {
    it(`valid: ${c.code}`, () => {
      assert.deepEqual(lintTwin(c.sql), [], 'the SQL twin must be clean too');
      assert.deepEqual(lintCall(c.code), []);
    });
  }
  for (const c of invalid) {
    it(`invalid: ${c.code}`, () => {
      assert.deepEqual(lintCall(c.code), c.findings);
      assert.deepEqual(lintTwin(c.sql), c.findings!.map((f) => f.split('@')[0]), 'the SQL twin fires the same rules');
    });
  }

  it("names the entity's property, not the column, in messages", () => {
    const text = 'class S {\n  constructor(private readonly tickets: Repository<SupportTicket>) {}\n  f(since: Date) { return this.tickets.find({ where: { openedAt: MoreThan(since) } }); }\n}\n';
    const [f] = lintSource('m.ts', text, opts);
    assert.ok(f.message.startsWith('this.tickets.find filters on `openedAt`: '), f.message);
  });

  it('renders TypeORM and Sequelize SQL in their own shapes', () => {
    const text = "const a = () => getRepository(Agent).findOneBy({ email: 'x' });\nconst b = () => Review.findAll({ attributes: ['id'], where: { rating: 5 }, limit: 3 });\n";
    assert.deepEqual(ormQueries('x.ts', text, catalog).map((x) => `${x.source}: ${x.sql}`), [
      'typeorm: SELECT "Agent"."id" AS "Agent_id", "Agent"."email" AS "Agent_email", "Agent"."display_name" AS "Agent_display_name" FROM "agents" "Agent" WHERE "Agent"."email" = $1 LIMIT $2',
      'sequelize: SELECT "id" FROM "Reviews" AS "Review" WHERE "Review"."rating" = $1 LIMIT $2',
    ]);
  });
});
