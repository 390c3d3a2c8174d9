import { strict as assert } from 'assert';
import { isSourceFile, lintDocument } from '../../src/core/lint/document';
import { lintSql, SqlLinter } from '../../src/core/lint/linter';
import type { LintOptions } from '../../src/core/lint/types';
import { ruleById, sqlRules } from '../../src/core/rules/index';
import { buildCatalog, emptyCatalog } from '../../src/core/schema/catalog';

const catalog = buildCatalog([{
  file: 'schema.sql',
  text: `CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);
         CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total numeric);`,
}]);
const opts: LintOptions = { dialect: 'postgresql', catalog };
const slices = (text: string, fs: { start: number; end: number; ruleId: string }[]) => fs.map((f) => `${f.ruleId}:${text.slice(f.start, f.end)}`);

describe('SqlLinter', () => {
  it('reports findings at document offsets across a multi-statement file', () => {
    const doc = [
      '-- header comment',
      "SELECT id FROM users WHERE lower(name) = 'x';",
      '',
      '/* block */ SELECT id',
      '  FROM orders',
      '  WHERE user_id = $1;',
      "SELECT id FROM users WHERE email LIKE '%z';",
    ].join('\n');
    const found = new SqlLinter().lint(doc, opts);
    assert.deepEqual(slices(doc, found), [
      'function-on-column:lower(name)',
      'missing-index:user_id',
      'leading-wildcard:\'%z\'',
    ]);
  });

  it('isolates a parse error to its statement and keeps checking the rest', () => {
    const doc = "SELECT * FROM users;\nSELECT id FROM WHERE AND;\nSELECT id FROM users WHERE name LIKE '%a';";
    const found = new SqlLinter().lint(doc, opts);
    const parse = found.filter((f) => f.ruleId === 'parse-error');
    assert.equal(parse.length, 1);
    // PostgreSQL's own words, at PostgreSQL's position.
    assert.equal(parse[0].message, 'Could not parse this statement: syntax error at or near "WHERE" — other statements are still checked');
    assert.equal(doc.slice(parse[0].start, parse[0].start + 5), 'WHERE');
    assert.equal(parse[0].severity, 'warning');
    const line2 = doc.split('\n')[1];
    const start = doc.indexOf(line2);
    assert.ok(parse[0].start >= start && parse[0].end <= start + line2.length, 'range stays on the broken statement');
    assert.equal(doc.slice(parse[0].end, parse[0].end + 1), ';');
    assert.deepEqual(slices(doc, found.filter((f) => f.ruleId !== 'parse-error')), ['select-star:*', "leading-wildcard:'%a'"]);
  });

  it('stays silent on valid statements the parser cannot read when they are not queries (DDL, psql-style commands)', () => {
    const doc = 'CREATE FUNCTION x() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; VACUUM ANALYZE users; SELEC 1';
    const found = new SqlLinter().lint(doc, opts);
    assert.deepEqual(found.map((f) => f.ruleId), ['parse-error']);
    assert.equal(doc.slice(found[0].start, found[0].end), 'SELEC 1');
    assert.match(found[0].message, /syntax error at or near "SELEC"/);
  });

  it('re-checks only the statements that changed', () => {
    const linter = new SqlLinter();
    const statements = Array.from({ length: 50 }, (_, i) => `SELECT id FROM users WHERE id = ${i}`);
    const doc = statements.join(';\n');
    linter.lint(doc, opts);
    assert.equal(linter.checkedStatements, 50);
    linter.lint(doc, opts);
    assert.equal(linter.checkedStatements, 50, 'unchanged text: nothing re-checked');
    const edited = doc.replace('id = 17', "lower(name) = 'q'");
    const found = linter.lint(edited, opts);
    assert.equal(linter.checkedStatements, 51, 'one edit: one statement re-checked');
    assert.deepEqual(slices(edited, found), ['function-on-column:lower(name)']);
    // Inserting text before unchanged statements moves their findings, without re-checking them.
    const shifted = '\n\n' + edited;
    const again = linter.lint(shifted, opts);
    assert.equal(linter.checkedStatements, 51);
    assert.deepEqual(slices(shifted, again), ['function-on-column:lower(name)']);
  });

  it('with a time budget, checks new statements in bounded passes until the document is complete', () => {
    const linter = new SqlLinter();
    const doc = Array.from({ length: 5 }, (_, i) => `SELECT * FROM users WHERE id = ${i}`).join(';\n');
    // A zero budget still checks one new statement per pass, so progress is guaranteed.
    let found = linter.lint(doc, opts, { maxMs: 0 });
    assert.equal(linter.checkedStatements, 1);
    assert.equal(linter.incomplete, true);
    assert.equal(found.length, 1);
    let passes = 1;
    while (linter.incomplete) {
      found = linter.lint(doc, opts, { maxMs: 0 });
      passes++;
    }
    assert.equal(passes, 5);
    assert.equal(linter.checkedStatements, 5);
    assert.deepEqual(found.map((f) => f.ruleId), Array(5).fill('select-star'));
    linter.lint(doc, opts, { maxMs: 0 });
    assert.equal(linter.incomplete, false);
  });

  it('re-checks everything when the catalog, dialect or rule settings change', () => {
    const linter = new SqlLinter();
    const doc = 'SELECT id FROM orders WHERE user_id = 1; SELECT id FROM users WHERE id = 2';
    linter.lint(doc, opts);
    linter.lint(doc, { ...opts, catalog: buildCatalog([{ file: 's.sql', text: 'CREATE TABLE orders (id int, user_id int); CREATE INDEX o ON orders (user_id);' }]) });
    assert.equal(linter.checkedStatements, 4);
    linter.lint(doc, { ...opts, dialect: 'mysql' });
    assert.equal(linter.checkedStatements, 6);
    linter.lint(doc, { ...opts, rules: { 'missing-index': 'off' } });
    assert.equal(linter.checkedStatements, 8);
  });

  it('applies severity overrides and turns rules off', () => {
    const doc = "SELECT * FROM users WHERE lower(name) = 'x'";
    const base = new SqlLinter().lint(doc, opts);
    assert.deepEqual(base.map((f) => `${f.ruleId}:${f.severity}`), ['select-star:info', 'function-on-column:warning']);
    const over = new SqlLinter().lint(doc, { ...opts, rules: { 'select-star': 'off', 'function-on-column': 'error' } });
    assert.deepEqual(over.map((f) => `${f.ruleId}:${f.severity}`), ['function-on-column:error']);
    const noParse = new SqlLinter().lint('SELECT FROM FROM', { ...opts, rules: { 'parse-error': 'off' } });
    assert.deepEqual(noParse, []);
  });

  it('shifts fix edits to document offsets', () => {
    const doc = 'SELECT 1;\nSELECT id FROM users WHERE id + 1 = 3';
    const f = new SqlLinter().lint(doc, opts).find((x) => x.ruleId === 'expression-on-column')!;
    const e = f.fixes![0].edits[0];
    assert.equal(doc.slice(0, e.start) + e.newText + doc.slice(e.end), 'SELECT 1;\nSELECT id FROM users WHERE id = 2');
  });

  it("reads `LIKE '%' || $1` without parentheses", () => {
    const doc = "SELECT 1;\nSELECT id FROM users WHERE name LIKE '%' || $1 AND email = $2";
    const found = lintSql(doc, { ...opts, rules: { 'missing-index': 'off' } });
    assert.deepEqual(slices(doc, found), ["leading-wildcard:'%' || $1"]);
  });

  it('lints the query inside EXPLAIN [ANALYZE] [(options)]', () => {
    const doc = "SELECT 1;\nEXPLAIN (ANALYZE, BUFFERS) SELECT id FROM users WHERE lower(name) = 'x'";
    assert.deepEqual(slices(doc, new SqlLinter().lint(doc, opts)), ['function-on-column:lower(name)']);
  });

  it('treats a cast parameter on the constant side as a constant, and keeps it in the fix', () => {
    const doc = 'SELECT id FROM users WHERE id + 1 = $1::bigint';
    const [f] = new SqlLinter().lint(doc, opts);
    assert.equal(f.ruleId, 'expression-on-column');
    assert.equal(doc.slice(f.start, f.end), 'id + 1');
    assert.equal(f.fixes?.[0].edits[0].newText, 'id = $1::bigint - 1');
  });

  it('reads one parse error per statement in PostgreSQL\'s words and lints the rest of the file', () => {
    const doc = "SELECT id FORM users;\nDELETE FROM a USING b WHERE a.id = b.a_id AND lower(b.name) = 'x';\nSELECT id FROM users WHERE email LIKE '%z' AND;";
    const found = new SqlLinter().lint(doc, { ...opts, rules: { 'missing-index': 'off' } });
    assert.deepEqual(found.map((f) => `${f.ruleId}:${doc.slice(f.start, f.end)}`), [
      'parse-error:users',
      'function-on-column:lower(b.name)',
      'parse-error:AND',
    ]);
    assert.match(found[0].message, /syntax error at or near "users"/);
    assert.match(found[2].message, /syntax error at end of input/);
  });

  it('handles empty, comment-only and pathological input without throwing', () => {
    const l = new SqlLinter();
    assert.deepEqual(l.lint('', opts), []);
    assert.deepEqual(l.lint('-- nothing\n/* here */', opts), []);
    const deep = 'SELECT ' + '('.repeat(300) + '1' + ')'.repeat(300);
    const found = l.lint(deep, opts);
    assert.ok(found.length <= 1);
    const huge = 'SELECT ' + Array.from({ length: 20000 }, (_, i) => `c${i}`).join(', ') + ' FROM users';
    const r = l.lint(huge, opts);
    assert.deepEqual(r.map((f) => f.ruleId), ['parse-error']);
    assert.match(r[0].message, /only statements up to/);
  });

  it('works without a schema: schema rules stay silent, others still speak', () => {
    const found = lintSql("SELECT * FROM orders WHERE user_id = 1 AND note LIKE '%x'", { dialect: 'postgresql', catalog: emptyCatalog() });
    assert.deepEqual(found.map((f) => f.ruleId), ['select-star', 'leading-wildcard']);
  });
});

describe('lintDocument', () => {
  it('treats .sql and unknown extensions as SQL', () => {
    assert.deepEqual(lintDocument('a.sql', 'SELECT * FROM users', opts).map((f) => f.ruleId), ['select-star']);
    assert.deepEqual(lintDocument('a.pgsql', 'SELECT * FROM users', opts).map((f) => f.ruleId), ['select-star']);
  });

  it('skips binary content with one info finding', () => {
    const found = lintDocument('blob.sql', 'SELECT 1\u0000\u0000garbage', opts);
    assert.equal(found.length, 1);
    assert.deepEqual([found[0].ruleId, found[0].severity], ['parse-error', 'info']);
    assert.match(found[0].message, /binary/);
  });

  it('recognises TS/JS sources', () => {
    for (const f of ['a.ts', 'b.tsx', 'c.js', 'd.jsx', 'e.mjs', 'f.cjs']) assert.ok(isSourceFile(f), f);
    for (const f of ['a.sql', 'b.d.ts', 'c.json', 'ts']) assert.ok(!isSourceFile(f), f);
  });

  it('routes TS files to the embedded-SQL scanner and never throws', () => {
    const src = "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f(id: string) {\n  return pool.query(\"SELECT * FROM users WHERE lower(name) = $1\", [id]);\n}\n";
    const found = lintDocument('repo.ts', src, opts);
    assert.ok(found.some((f) => f.ruleId === 'function-on-column' && src.slice(f.start, f.end) === 'lower(name)'), JSON.stringify(found));
    assert.doesNotThrow(() => lintDocument('broken.ts', 'function ( { ` ${', opts));
  });
});

describe('rule registry', () => {
  it('lists the SQL rules (the six core ones first) with complete metadata', () => {
    assert.deepEqual(sqlRules.map((r) => r.id), [
      'function-on-column', 'expression-on-column', 'leading-wildcard', 'select-star', 'missing-index', 'leftmost-prefix',
      'not-in-subquery', 'offset-pagination',
    ]);
    for (const r of sqlRules) {
      assert.ok(r.description.endsWith('.'), r.id);
      assert.ok(r.rationale.length > 80, r.id);
      assert.ok(r.examples.bad.length > 0 && r.examples.good.length > 0, r.id);
      assert.equal(ruleById(r.id), r);
    }
    assert.equal(ruleById('nope'), undefined);
  });
});
