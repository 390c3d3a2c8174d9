/**
 * Prisma calls against the fixture schema: each index rule fires on a call exactly where it
 * fires on the equivalent SQL, on the part of the call that produced it, and nowhere else.
 * Each case lints the TS snippet (the ORM path) and the hand-written SQL Prisma sends for it.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { lintSource } from '../../../src/core/embedded/lintSource';
import { ormQueries } from '../../../src/core/embedded/orm/index';
import { SqlLinter } from '../../../src/core/lint/linter';
import { buildCatalog } from '../../../src/core/schema/catalog';

const dir = path.resolve(__dirname, '../../fixtures/orm/prisma');
const catalog = buildCatalog([{ file: 'schema.prisma', text: fs.readFileSync(path.join(dir, 'schema.prisma'), 'utf8') }], 'postgresql');
const opts = { dialect: 'postgresql' as const, catalog };
/** Rules that judge SQL Prisma writes itself (column lists, NOT IN guards), not the call. */
const ORM_SILENT = new Set(['select-star', 'not-in-subquery', 'parse-error']);

interface Case {
  code: string;
  /** The statement Prisma sends for it (the linted twin). */
  sql: string;
  /** Expected `rule@text-of-the-range` findings on the call. */
  findings?: string[];
}

function lintCall(code: string): string[] {
  const text = `async function f(prisma: any, q: string, since: Date, ids: number[]) {\n  return ${code};\n}\n`;
  return lintSource(`case${Math.random()}.ts`, text, opts).map((f) => `${f.ruleId}@${text.slice(f.start, f.end)}`);
}

function lintTwin(sql: string): string[] {
  return new SqlLinter().lint(sql, opts).map((f) => f.ruleId).filter((r) => !ORM_SILENT.has(r));
}

const valid: Case[] = [
  { code: "prisma.account.findUnique({ where: { email: 'a@b.c' } })", sql: 'SELECT id FROM accounts WHERE email = $1 LIMIT $2' },
  { code: 'prisma.post.findMany({ where: { authorId: q }, orderBy: { slug: "asc" } })', sql: 'SELECT id FROM "Post" WHERE author_id = $1 ORDER BY slug ASC' },
  { code: 'prisma.post.findMany({ where: { title: { startsWith: q } } })', sql: `SELECT id FROM "Post" WHERE title LIKE ($1 || '%')` },
  { code: 'prisma.post.findMany({ where: { publishedAt: { gte: since } }, orderBy: { publishedAt: "desc" }, take: 10 })', sql: 'SELECT id FROM "Post" WHERE "publishedAt" >= $1 ORDER BY "publishedAt" DESC LIMIT $2' },
  { code: 'prisma.comment.findUnique({ where: { postId_seq: { postId: 1, seq: 2 } } })', sql: 'SELECT "postId" FROM "Comment" WHERE ("postId" = $1 AND seq = $2) LIMIT $3' },
  { code: 'prisma.comment.count({ where: { accountId: q } })', sql: 'SELECT COUNT(*) FROM (SELECT "postId" FROM "Comment" WHERE "accountId" = $1) AS sub' },
  { code: 'prisma.post.findMany({ where: { id: { in: ids } } })', sql: 'SELECT id FROM "Post" WHERE id IN ($1)' },
  // A boolean filter and an OR of filters are not index-missing findings in SQL either.
  { code: 'prisma.post.findMany({ where: { published: true } })', sql: 'SELECT id FROM "Post" WHERE published = $1' },
  { code: 'prisma.account.findMany({ where: { OR: [{ email: q }, { role: "ADMIN" }] } })', sql: 'SELECT id FROM accounts WHERE (email = $1 OR role = $2)' },
  // Not statically known: a spread filter leaves the call out rather than guess.
  { code: 'prisma.post.findMany({ where: { ...filters, title: { contains: q } } })', sql: 'SELECT 1' },
  // Not a Prisma model: an unknown accessor is not rendered.
  { code: 'prisma.widget.findMany({ where: { name: { contains: q } } })', sql: 'SELECT 1' },
];

const invalid: Case[] = [
  { code: 'prisma.post.findMany({ where: { title: { contains: q } } })', sql: `SELECT id FROM "Post" WHERE title LIKE ('%' || $1 || '%')`, findings: ['leading-wildcard@contains: q'] },
  { code: "prisma.post.findMany({ where: { title: { endsWith: q, mode: 'insensitive' } } })", sql: `SELECT id FROM "Post" WHERE title ILIKE ('%' || $1)`, findings: ["leading-wildcard@endsWith: q"] },
  { code: 'prisma.post.findMany({ where: { views: { gt: 1000 } } })', sql: 'SELECT id FROM "Post" WHERE views > $1', findings: ['missing-index@gt: 1000'] },
  { code: 'prisma.post.findMany({ where: { slug: q } })', sql: 'SELECT id FROM "Post" WHERE slug = $1', findings: ['leftmost-prefix@slug: q'] },
  { code: 'prisma.comment.findMany({ where: { seq: 1 } })', sql: 'SELECT "postId" FROM "Comment" WHERE seq = $1', findings: ['leftmost-prefix@seq: 1'] },
  { code: 'prisma.post.updateMany({ where: { views: { lt: 10 } }, data: { published: false } })', sql: 'UPDATE "Post" SET published = $1 WHERE views < $2', findings: ['missing-index@lt: 10'] },
  { code: 'prisma.post.findMany({ where: { author: { is: { role: "ADMIN" } } } })', sql: 'SELECT id FROM "Post" WHERE author_id IN (SELECT t1.id FROM accounts AS t1 WHERE t1.role = $1 AND t1.id IS NOT NULL)', findings: ['missing-index@role: "ADMIN"'] },
  { code: 'prisma.account.findMany({ where: { posts: { some: { title: { contains: q } } } } })', sql: `SELECT id FROM accounts WHERE id IN (SELECT t1.author_id FROM "Post" AS t1 WHERE t1.title LIKE ('%' || $1 || '%') AND t1.author_id IS NOT NULL)`, findings: ['leading-wildcard@contains: q'] },
  // `none`, `every` and `isNot` are NOT IN sub-selects, as Prisma's engine writes them (`every`: no related row fails the filter).
  { code: 'prisma.account.findMany({ where: { posts: { none: { views: { gt: 1000 } } } } })', sql: 'SELECT id FROM accounts WHERE id NOT IN (SELECT t1.author_id FROM "Post" AS t1 WHERE (t1.views > $1) AND t1.author_id IS NOT NULL)', findings: ['missing-index@gt: 1000'] },
  { code: 'prisma.account.findMany({ where: { posts: { every: { title: { contains: q }, published: true } } } })', sql: `SELECT id FROM accounts WHERE id NOT IN (SELECT t1.author_id FROM "Post" AS t1 WHERE NOT (t1.title LIKE ('%' || $1 || '%') AND t1.published = $2) AND t1.author_id IS NOT NULL)`, findings: ['leading-wildcard@contains: q'] },
  { code: 'prisma.post.findMany({ where: { author: { isNot: { role: "ADMIN" } } } })', sql: 'SELECT id FROM "Post" WHERE author_id NOT IN (SELECT t1.id FROM accounts AS t1 WHERE (t1.role = $1) AND t1.id IS NOT NULL)', findings: ['missing-index@role: "ADMIN"'] },
];

describe('Prisma calls: rules fire where the equivalent SQL fires', () => {
  for (const c of valid) {
    it(`valid: ${c.code}`, () => {
      assert.deepEqual(lintTwin(c.sql), [], 'the SQL twin must be clean too');
      assert.deepEqual(lintCall(c.code), []);
    });
  }
  for (const c of invalid) {
    it(`invalid: ${c.code}`, () => {
      const found = lintCall(c.code);
      assert.deepEqual(found, c.findings);
      assert.deepEqual(lintTwin(c.sql), c.findings!.map((f) => f.split('@')[0]), 'the SQL twin fires the same rules');
    });
  }

  it('reads a where object held in a const, and leaves a where it cannot see out', () => {
    const seen = 'function f(prisma: any, q: string) {\n  const where = { title: { contains: q } };\n  return prisma.post.findMany({ where });\n}\n';
    assert.deepEqual(lintSource('c1.ts', seen, opts).map((f) => f.ruleId), ['leading-wildcard']);
    const unseen = 'function f(prisma: any, where: object) {\n  return prisma.post.findMany({ where });\n}\n';
    assert.deepEqual(lintSource('c2.ts', unseen, opts), []);
  });

  it('speaks Prisma in the message', () => {
    const text = 'const r = prisma.post.findMany({ where: { title: { contains: q, mode: "insensitive" } } });\n';
    const [f] = lintSource('m.ts', text, opts);
    assert.ok(f.message.startsWith("`contains` with mode: 'insensitive' becomes `ILIKE '%…%'`: "), f.message);
    assert.match(f.message, /no B-tree index on Post\.title can serve it/);
  });

  it('offers the index in Prisma syntax beside the DDL', () => {
    const text = 'const r = prisma.post.findMany({ where: { views: { gt: 1000 } } });\n';
    const [f] = lintSource('s.ts', text, opts);
    assert.equal(f.suggestedIndex?.orm?.syntax, '@@index([views])');
    assert.equal(f.suggestedIndex?.orm?.file, 'schema.prisma');
  });

  it('lists calls with the SQL Prisma sends, quoted and qualified as Prisma does', () => {
    const text = 'import { prisma } from "./db";\nexport const list = (since: Date) =>\n  prisma.post.findMany({ where: { publishedAt: { gt: since } }, select: { id: true, title: true }, orderBy: [{ publishedAt: "desc" }], take: 20, skip: 40 });\n';
    const [q] = ormQueries('svc.ts', text, catalog);
    assert.equal(q.source, 'prisma');
    assert.equal(q.sql, 'SELECT "public"."Post"."id", "public"."Post"."title" FROM "public"."Post" WHERE ("public"."Post"."publishedAt" > $1) ORDER BY "public"."Post"."publishedAt" DESC LIMIT $2 OFFSET $3');
    assert.deepEqual([q.line, q.column, q.endLine], [3, 3, 3]);
    assert.deepEqual(q.tables, ['Post']);
  });
});
