import { strict as assert } from 'assert';
import { SqlLinter } from '../../src/core/lint/linter';
import type { LintOptions } from '../../src/core/lint/types';
import type { Finding } from '../../src/core/rules/types';
import { buildCatalog } from '../../src/core/schema/catalog';
import { innerStatements } from '../../src/core/sql/innerStatements';

const catalog = buildCatalog([{
  file: 'schema.sql',
  text: `CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);
         CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), total numeric, placed_at timestamp NOT NULL);
         CREATE INDEX orders_user_idx ON orders (user_id);
         CREATE INDEX orders_placed_idx ON orders (placed_at);`,
}], 'postgresql');
const opts: LintOptions = { dialect: 'postgresql', catalog };
const lint = (text: string, o: LintOptions = opts) => new SqlLinter().lint(text, o);
const slices = (text: string, fs: Finding[]) => fs.map((f) => `${f.ruleId}:${text.slice(f.start, f.end)}`);
/** Applies a fix's edits (back to front) to the document. */
const apply = (text: string, f: Finding) => [...f.fixes![0].edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);

describe('SQL inside views, functions, procedures and DO blocks', () => {
  it('lints the query of CREATE VIEW and CREATE MATERIALIZED VIEW at its place in the file', () => {
    const doc = `-- views
CREATE OR REPLACE VIEW gmail_users (user_id, address) AS
  SELECT id, email FROM users WHERE email LIKE '%@gmail.com'
  WITH LOCAL CHECK OPTION;
CREATE MATERIALIZED VIEW big_spenders AS
  SELECT user_id, sum(total) FROM orders WHERE lower(name) = 'x' GROUP BY 1
WITH NO DATA;`;
    assert.deepEqual(slices(doc, lint(doc)), ["leading-wildcard:'%@gmail.com'", 'function-on-column:lower(name)']);
  });

  it('lints each statement of a LANGUAGE sql body in dollar quotes; parameters are not columns', () => {
    const doc = `CREATE FUNCTION user_by_email(p_email text, p_name text) RETURNS SETOF users LANGUAGE sql STABLE AS $fn$
  SELECT * FROM users WHERE email = lower(p_email) AND name = p_name;
  SELECT id FROM users WHERE lower(email) = lower(p_email);
$fn$;`;
    // lower(p_email) wraps a parameter, not a column: no finding on it.
    assert.deepEqual(slices(doc, lint(doc)), ['select-star:*', 'missing-index:email', 'function-on-column:lower(email)']);
  });

  it('lints the statements of a BEGIN ATOMIC body (one statement for the splitter)', () => {
    const doc = `CREATE FUNCTION spend(p_user bigint, p_name text) RETURNS numeric LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN count(*) > 0 THEN sum(total) END FROM orders WHERE user_id = p_user;
  SELECT sum(total) FROM orders WHERE total * 2 > 100;
  SELECT id FROM users WHERE name = spend.p_name;
END;
SELECT id FROM users WHERE email LIKE '%a';`;
    // \`spend.p_name\` is the parameter qualified by the function's name (as pg_dump writes it).
    assert.deepEqual(slices(doc, lint(doc)), ['expression-on-column:total * 2', 'missing-index:name', "leading-wildcard:'%a'"]);
  });

  it('maps findings through the doubled quotes of a single-quoted body', () => {
    const doc = "CREATE FUNCTION find(p text) RETURNS SETOF bigint LANGUAGE sql AS 'SELECT id FROM users WHERE name LIKE ''%'' || p AND email LIKE ''%x''';";
    assert.deepEqual(slices(doc, lint(doc)), ["leading-wildcard:''%'' || p", "leading-wildcard:''%x''"]);
  });

  it('lints the SQL of a PL/pgSQL function: SELECT … INTO, UPDATE, FOR … IN SELECT, RETURN QUERY, subqueries in conditions', () => {
    const doc = `CREATE OR REPLACE FUNCTION report(p_user bigint, p_day date) RETURNS SETOF bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_total numeric;
  v_row record;
BEGIN
  SELECT sum(total) INTO v_total FROM orders WHERE user_id = p_user AND placed_at::date = p_day;
  UPDATE users SET name = 'vip' WHERE lower(email) = lower(v_row.email);
  FOR v_row IN SELECT id FROM users WHERE name LIKE '%' || v_total::text LOOP
    RAISE NOTICE '%', v_row.id;
  END LOOP;
  IF EXISTS (SELECT 1 FROM users WHERE email ILIKE '%@test') THEN
    RETURN QUERY SELECT id FROM orders WHERE total + 1 > v_total;
  END IF;
END;
$$;`;
    assert.deepEqual(slices(doc, lint(doc)), [
      'function-on-column:placed_at::date',
      'function-on-column:lower(email)',
      "leading-wildcard:'%' || v_total::text",
      "leading-wildcard:'%@test'",
      'expression-on-column:total + 1',
    ]);
  });

  it('PL/pgSQL variables behave like parameters: no finding comes from them', () => {
    const doc = `CREATE PROCEDURE touch(p_email text) LANGUAGE plpgsql AS $$
DECLARE v_name text := 'x';
BEGIN
  UPDATE users SET name = v_name WHERE email = lower(p_email) AND id = abs(v_name::bigint);
END $$;`;
    assert.deepEqual(lint(doc), []);
    // The same statement outside a function reads p_email as a column (the contrast that makes this test meaningful).
    assert.ok(lint('UPDATE users SET name = 1 WHERE email = lower(p_email) AND id = abs(v_name::bigint);').length > 0);
  });

  it('lints DO blocks', () => {
    const doc = `DO $$
BEGIN
  DELETE FROM orders WHERE date_trunc('day', placed_at) = '2026-01-05';
END
$$;`;
    const found = lint(doc);
    assert.equal(found.length, 1);
    assert.equal(found[0].ruleId, 'function-on-column');
    assert.equal(doc.slice(found[0].start, found[0].end), "date_trunc('day', placed_at)");
    // Its fix rewrites the comparison inside the body, and the block stays valid.
    assert.ok(found[0].fixes?.length, 'a range rewrite is offered');
    const fixed = apply(doc, found[0]);
    assert.match(fixed, /^DO \$\$\nBEGIN\n {2}DELETE FROM orders WHERE placed_at >= '2026-01-05' AND placed_at < /);
    assert.match(fixed, /;\nEND\n\$\$;$/);
  });

  it('never reports the checker’s parse errors inside SQL PostgreSQL accepted', () => {
    const doc = `CREATE VIEW v AS SELECT id FROM (users u JOIN orders o ON ((o.user_id = u.id))) WHERE (u.name @@ to_tsquery('x'));`;
    assert.deepEqual(lint(doc).filter((f) => f.ruleId === 'parse-error'), []);
  });

  it('finds nothing inside other statements, in MySQL, or in unparsable DDL', () => {
    assert.equal(innerStatements('CREATE TABLE t (a int)', 'postgresql'), undefined);
    assert.equal(innerStatements('CREATE VIEW v AS SELECT 1', 'mysql'), undefined);
    assert.equal(innerStatements('CREATE VIEW v AS SELEC 1', 'postgresql'), undefined);
    assert.equal(innerStatements("CREATE FUNCTION f() RETURNS int LANGUAGE c AS 'lib', 'sym'", 'postgresql'), undefined);
    const sql = 'CREATE FUNCTION f(amount int) RETURNS int LANGUAGE sql AS $$ SELECT amount + 1 $$';
    const fn = innerStatements(sql, 'postgresql')!;
    assert.deepEqual(fn.map((s) => s.text), ['SELECT $1     + 1']);
    assert.equal(sql.slice(fn[0].toOuter(0), fn[0].toOuter(17)), 'SELECT amount + 1');
  });
});
