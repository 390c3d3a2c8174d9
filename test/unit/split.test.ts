import { strict as assert } from 'assert';
import { splitStatements } from '../../src/core/sql/split';

describe('splitStatements', () => {
  const texts = (sql: string, d?: 'postgresql' | 'mysql') => splitStatements(sql, d).map((s) => s.text);

  it('splits on semicolons and keeps exact offsets', () => {
    const src = 'SELECT 1;\n  SELECT 2 ;';
    const st = splitStatements(src);
    assert.deepEqual(st.map((s) => s.text), ['SELECT 1', 'SELECT 2']);
    for (const s of st) assert.equal(src.slice(s.start, s.end), s.text);
  });
  it('ignores semicolons inside strings, identifiers and comments', () => {
    assert.deepEqual(texts(`SELECT 'a;b', "x;y" FROM t -- c;d\n WHERE /* ; */ a = 1; SELECT 2`), [
      `SELECT 'a;b', "x;y" FROM t -- c;d\n WHERE /* ; */ a = 1`,
      'SELECT 2',
    ]);
  });
  it('handles doubled quotes, E-strings and nested block comments', () => {
    assert.deepEqual(texts(`SELECT 'it''s;'; SELECT E'a\\';b'; /* a /* b; */ c; */ SELECT 3`), [
      `SELECT 'it''s;'`,
      `SELECT E'a\\';b'`,
      'SELECT 3',
    ]);
  });
  it('keeps dollar-quoted bodies whole and does not treat $1 as a tag', () => {
    const fn = `CREATE FUNCTION f() RETURNS int AS $body$ BEGIN; RETURN 1; END; $body$ LANGUAGE plpgsql`;
    assert.deepEqual(texts(`${fn}; SELECT * FROM t WHERE a = $1; SELECT $$;$$`), [
      fn,
      'SELECT * FROM t WHERE a = $1',
      'SELECT $$;$$',
    ]);
  });
  it('drops comment-only and empty segments and leading comments', () => {
    const src = '-- header\n;;\n/* doc */ SELECT 1';
    const st = splitStatements(src);
    assert.equal(st.length, 1);
    assert.equal(st[0].text, 'SELECT 1');
    assert.equal(st[0].start, src.indexOf('SELECT'));
  });
  it('understands MySQL backticks, # comments and backslash escapes', () => {
    assert.deepEqual(texts("SELECT `a;b` FROM t # x;y\n; SELECT 'a\\';'", 'mysql'), [
      'SELECT `a;b` FROM t', // a trailing comment is not part of the statement's range
      "SELECT 'a\\';'",
    ]);
  });
  it('survives unterminated strings and comments', () => {
    assert.deepEqual(texts(`SELECT 'abc; SELECT 2`), [`SELECT 'abc; SELECT 2`]);
    assert.deepEqual(texts(`SELECT 1; /* never closed ; SELECT 2`), ['SELECT 1']);
  });

  it('keeps a BEGIN ATOMIC body (with CASE … END inside) in one statement', () => {
    const sql = 'CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN a > 1 THEN 1 END; SELECT 2; END; SELECT begin, atomic FROM t; SELECT 3';
    assert.deepEqual(texts(sql), [
      'CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN a > 1 THEN 1 END; SELECT 2; END',
      'SELECT begin, atomic FROM t',
      'SELECT 3',
    ]);
  });

  it('skips psql meta-commands such as pg_dump\'s \\restrict lines (PostgreSQL only)', () => {
    const sql = '\\restrict abc123\nSET x = 1;\n\\connect shop\nSELECT 1;\n\\unrestrict abc123\n';
    const st = splitStatements(sql);
    assert.deepEqual(st.map((s) => s.text), ['SET x = 1', 'SELECT 1']);
    assert.equal(sql.slice(st[0].start, st[0].end), 'SET x = 1');
  });
});
