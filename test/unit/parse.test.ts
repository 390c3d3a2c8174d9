import { strict as assert } from 'assert';
import { normalizeExpression, tokenize } from '../../src/core/sql/tokens';

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
