/**
 * Knex, Kysely and Drizzle chains against the fixture schemas: each index rule fires on a chain
 * exactly where it fires on the SQL the chain sends, on the link that produced it, and nowhere
 * else. Each case lints the TS snippet and its hand-written SQL twin.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { lintSource } from '../../../src/core/embedded/lintSource';
import { ormQueries } from '../../../src/core/embedded/orm/index';
import { SqlLinter } from '../../../src/core/lint/linter';
import { buildCatalog } from '../../../src/core/schema/catalog';

const dir = path.resolve(__dirname, '../../fixtures/orm');
const read = (f: string) => ({ file: f, text: fs.readFileSync(path.join(dir, f), 'utf8') });
const catalog = buildCatalog(
  [...fs.readdirSync(path.join(dir, 'knex/migrations')).sort().map((f) => read(`knex/migrations/${f}`)), read('drizzle/schema.ts')],
  'postgresql',
);
const opts = { dialect: 'postgresql' as const, catalog };
const ORM_SILENT = new Set(['select-star', 'not-in-subquery', 'parse-error']);

interface Case {
  code: string;
  sql: string;
  findings?: string[];
}

function lintCall(code: string): string[] {
  const text = `async function f(knex: any, db: any, q: string, since: Date) {\n  return await ${code};\n}\n`;
  return lintSource(`b${Math.random()}.ts`, text, opts).map((f) => `${f.ruleId}@${text.slice(f.start, f.end)}`);
}

function lintTwin(sql: string): string[] {
  return new SqlLinter().lint(sql, opts).map((f) => f.ruleId).filter((r) => !ORM_SILENT.has(r));
}

const valid: Case[] = [
  { code: "knex('books').where({ author_id: 1 }).orderBy('published_at', 'desc').first()", sql: 'select * from books where author_id = $1 order by published_at desc limit $2' },
  { code: "knex('books').where('title', 'like', q + '%')", sql: `select * from books where title like ($1 || '%')` },
  { code: "knex('authors').whereIn('id', [1, 2, 3])", sql: 'select * from authors where id in ($1, $2, $3)' },
  { code: "db.selectFrom('books').select(['id']).where('isbn', '=', q).execute()", sql: 'select id from books where isbn = $1' },
  { code: "db.selectFrom('book_tags').select('tag').where('book_id', '=', 1).execute()", sql: 'select tag from book_tags where book_id = $1' },
  { code: 'db.select().from(members).where(eq(members.email, q))', sql: 'select id from members where members.email = $1' },
  { code: 'db.query.invoices.findMany({ where: gte(invoices.issuedAt, since), limit: 20 })', sql: 'select number from invoices where invoices.issued_at >= $1 limit $2' },
  { code: "db.selectFrom('book_tags').select('book_id').where('tag', '=', q).orderBy('book_id').execute()", sql: 'select book_id from book_tags where tag = $1 order by book_id asc' },
  // A callback filter is not statically known: the chain is left out.
  { code: "knex('books').where((b) => b.where('title', 'like', '%x'))", sql: 'select 1' },
  // A chain that is never executed may still get filters: left out.
  { code: "[knex('books').where('title', 'like', '%' + q)]", sql: 'select 1' },
];

const invalid: Case[] = [
  { code: "knex('books').where('title', 'like', '%' + q).select('id')", sql: `select id from books where title like ('%' || $1)`, findings: ["leading-wildcard@where('title', 'like', '%' + q)"] },
  { code: "knex('books').where('published_at', '>', since).limit(10)", sql: 'select * from books where published_at > $1 limit $2', findings: ["leftmost-prefix@where('published_at', '>', since)"] },
  { code: "knex('authors').where('display_name', q).first('id')", sql: 'select id from authors where display_name = $1 limit $2', findings: ["missing-index@where('display_name', q)"] },
  { code: "db.selectFrom('books').select('id').where('title', 'ilike', `%${q}%`).execute()", sql: `select id from books where title ilike ('%' || $1 || '%')`, findings: ["leading-wildcard@where('title', 'ilike', `%${q}%`)"] },
  { code: 'db.select().from(invoices).where(eq(invoices.number, 3))', sql: 'select number from invoices where invoices.number = $1', findings: ['leftmost-prefix@eq(invoices.number, 3)'] },
  { code: 'db.select().from(members).where(and(eq(members.active, true), gt(members.joinedAt, since))).orderBy(desc(members.joinedAt)).limit(5)', sql: 'select id from members where (members.active = $1 and members.joined_at > $2) order by members.joined_at desc limit $3', findings: ['leftmost-prefix@gt(members.joinedAt, since)'] },
  { code: "db.update(teams).set({ plan: 'pro' }).where(ilike(teams.name, '%inc'))", sql: `update teams set plan = $1 where teams.name ilike '%inc'`, findings: ["leading-wildcard@ilike(teams.name, '%inc')"] },
];

describe('Knex, Kysely and Drizzle chains: rules fire where the equivalent SQL fires', () => {
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

  it('lists each chain with its source and the SQL it sends', () => {
    const text = "const a = () => knex('books').where('isbn', q).del();\nconst b = () => db.deleteFrom('books').where('id', '=', 1).execute();\n";
    assert.deepEqual(ormQueries('x.ts', text, catalog).map((x) => `${x.source}: ${x.sql}`), ['knex: delete from "books" where "isbn" = $1', 'kysely: delete from "books" where "id" = $1']);
  });
});
