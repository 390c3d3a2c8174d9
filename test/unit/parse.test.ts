import { strict as assert } from 'assert';
import { Locator, queryBlocks, resolveColumn, conjuncts, predicateRoots } from '../../src/core/sql/ast';
import { parseStatement } from '../../src/core/sql/parse';
import { parseWithRepairs } from '../../src/core/sql/repair';
import { normalizeExpression, tokenize } from '../../src/core/sql/tokens';
import { buildCatalog } from '../../src/core/schema/catalog';

describe('tokenize', () => {
  it('keeps exact offsets and skips comments', () => {
    const sql = "SELECT \"A\".b, 'it''s' -- c\n FROM t /* x */ WHERE a::int >= $1 AND b = :name AND c = ?";
    const toks = tokenize(sql);
    for (const t of toks) assert.equal(sql.slice(t.start, t.end), t.text);
    assert.deepEqual(toks.map((t) => t.kind + ':' + t.value), [
      'word:select', 'quoted:A', 'op:.', 'word:b', 'op:,', "string:it's", 'word:from', 'word:t', 'word:where', 'word:a', 'op:::',
      'word:int', 'op:>=', 'param:$1', 'word:and', 'word:b', 'op:=', 'param::name', 'word:and', 'word:c', 'op:=', 'param:?',
    ]);
  });

  it('reads dollar quotes, E-strings, numbers and MySQL backticks', () => {
    assert.deepEqual(tokenize("$$a;b$$ E'x\\'y' 1.5e3 .5").map((t) => t.kind + ':' + t.value), ['string:a;b', "string:x'y", 'number:1.5e3', 'number:.5']);
    assert.deepEqual(tokenize('`Order` # c\n x', 'mysql').map((t) => t.kind + ':' + t.value), ['quoted:Order', 'word:x']);
  });
});

describe('normalizeExpression', () => {
  const cases: [string, string][] = [
    ['LOWER( email )', 'lower(email)'],
    ['lower(u.email)', 'lower(email)'],
    ['lower((email)::text)', 'lower(email)'],
    ['(lower(email))', 'lower(email)'],
    ["date_trunc( 'day' , created_at )", "date_trunc('day',created_at)"],
    ['created_at::DATE', 'created_at::date'],
    ['"Email"', '"Email"'],
    ['a IS NULL', 'a is null'],
  ];
  for (const [input, out] of cases) it(`${input} → ${out}`, () => assert.equal(normalizeExpression(input), out));
});

describe('parseWithRepairs', () => {
  it("parses `LIKE '%' || $1`, which node-sql-parser rejects, and maps offsets back", () => {
    const sql = "SELECT id FROM t WHERE a LIKE '%' || $1 || '%' AND b ILIKE $2 || '%'";
    assert.equal(parseStatement(sql).ok, false);
    const r = parseWithRepairs(sql, 'postgresql');
    assert.equal(r.result.ok, true);
    assert.equal(r.text, "SELECT id FROM t WHERE a LIKE ('%' || $1 || '%') AND b ILIKE ($2 || '%')");
    const open = r.text.indexOf("('%'");
    assert.equal(r.toOriginal(open + 1), sql.indexOf("'%'"));
    assert.equal(r.toOriginal(r.text.indexOf(' AND')), sql.indexOf(' AND'));
    assert.equal(r.toOriginal(r.text.length), sql.length);
  });

  it('blanks parameter casts, locking clauses and FETCH FIRST without moving any offset', () => {
    const sql = 'SELECT id FROM t WHERE a = ANY($1::int[]) AND b >= $2::timestamp with time zone ORDER BY c FETCH FIRST 5 ROWS ONLY FOR UPDATE SKIP LOCKED';
    const r = parseWithRepairs(sql, 'postgresql');
    assert.equal(r.result.ok, true);
    assert.equal(r.text.length, sql.length);
    const blank = (x: string) => ' '.repeat(x.length);
    const expected = sql
      .replace('::int[]', blank('::int[]'))
      .replace('::timestamp with time zone', blank('::timestamp with time zone'))
      .replace('FETCH FIRST 5 ROWS ONLY', 'LIMIT 5'.padEnd('FETCH FIRST 5 ROWS ONLY'.length))
      .replace('FOR UPDATE SKIP LOCKED', blank('FOR UPDATE SKIP LOCKED'));
    assert.equal(r.text, expected);
    assert.equal(r.toOriginal(20), 20);
    assert.deepEqual(r.blanked.map((b) => sql.slice(b.start, b.end)), ['::int[]', '::timestamp with time zone', 'FETCH FIRST 5 ROWS ONLY', 'FOR UPDATE SKIP LOCKED']);
  });

  it('leaves statements alone when they parse or cannot be repaired', () => {
    const ok = parseWithRepairs('SELECT 1', 'postgresql');
    assert.equal(ok.text, 'SELECT 1');
    const bad = parseWithRepairs('SELECT FROM WHERE ||', 'postgresql');
    assert.equal(bad.result.ok, false);
    assert.equal(bad.text, 'SELECT FROM WHERE ||');
  });
});

describe('AST helpers', () => {
  const catalog = buildCatalog([{ file: 's.sql', text: 'CREATE TABLE users (id int, email text); CREATE TABLE orders (id int, user_id int, email text);' }]);
  const blocksOf = (sql: string) => {
    const r = parseStatement(sql);
    assert.ok(r.ok);
    return queryBlocks(r.ast, catalog);
  };

  it('lists query blocks in text order: CTEs, the block, subqueries, UNION branches', () => {
    const blocks = blocksOf('WITH a AS (SELECT id FROM users) SELECT id FROM a WHERE id IN (SELECT user_id FROM orders) UNION SELECT id FROM users');
    assert.deepEqual(blocks.map((b) => b.scope.map((s) => s.relation).join(',')), ['users', 'a', 'orders', 'users']);
    assert.equal(blocks[1].scope[0].table, undefined, 'a CTE shadows the catalog');
    assert.equal(blocks[2].parent, blocks[1]);
  });

  it('resolves aliases, unqualified columns and outer references; ambiguity is unknown', () => {
    const [outer, inner] = blocksOf('SELECT u.id FROM users u JOIN orders o ON o.user_id = u.id WHERE email = 1 AND EXISTS (SELECT 1 FROM orders x WHERE x.user_id = u.id AND user_id = 3)');
    const where = conjuncts(outer.node.where);
    assert.equal(resolveColumn(where[0].left, outer), undefined, 'email is in both tables');
    const on = predicateRoots(outer)[1];
    assert.equal(resolveColumn(on.left, outer)?.table.name, 'orders');
    const innerConds = conjuncts(inner.node.where);
    assert.equal(resolveColumn(innerConds[0].right, inner)?.table.name, 'users', 'outer alias u');
    assert.equal(resolveColumn(innerConds[1].left, inner)?.column, 'user_id');
  });

  it('locates nodes without loc: column refs, casts, operands', () => {
    const sql = "SELECT 1 FROM users u WHERE u.email::text = 'x' AND CAST(id AS bigint) > 3 -- trailing";
    const r = parseStatement(sql);
    assert.ok(r.ok);
    const loc = new Locator(sql, 'postgresql');
    const [a, b] = conjuncts(r.ast[0].where);
    assert.equal(sql.slice(loc.range(a)!.start, loc.range(a)!.end), "u.email::text = 'x'");
    const ops = loc.operands(a)!;
    assert.equal(sql.slice(ops.left.start, ops.left.end), 'u.email::text');
    assert.equal(sql.slice(ops.right.start, ops.right.end), "'x'");
    const castB = loc.range(b.left, loc.range(b))!;
    assert.equal(sql.slice(castB.start, castB.end), 'CAST(id AS bigint)');
    const bRange = loc.range(b)!;
    assert.equal(sql.slice(bRange.start, bRange.end), 'CAST(id AS bigint) > 3', 'trailing comment is not part of the range');
  });
});
