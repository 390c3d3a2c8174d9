/**
 * Batched parsing (`preparseQueries`): PostgreSQL parses many statements in one call and the
 * tree is cut back into statements. The results must be exactly what parsing each statement
 * alone gives — ranges, parameters, error messages and offsets — whatever sits around it:
 * broken statements, non-ASCII text (the parser counts bytes), placeholders, repeated texts.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { SqlLinter } from '../../src/core/lint/linter';
import { clearQueryCache, parseQuery, preparseQueries } from '../../src/core/query/parse';
import { buildCatalog } from '../../src/core/schema/catalog';
import { splitStatements } from '../../src/core/sql/split';

const corpusDir = path.resolve(__dirname, '../fixtures/pg-corpus');
const corpus = fs
  .readdirSync(corpusDir)
  .filter((f) => f.endsWith('.sql'))
  .sort()
  .flatMap((f) => splitStatements(fs.readFileSync(path.join(corpusDir, f), 'utf8')).map((s) => s.text));

const mixed = [
  "SELECT id FROM users WHERE name = 'Zoë' AND lower(email) = ?",
  'SELECT * FROM orders WHERE user_id = :userId AND total > $1',
  'SELECT id FROM users WHERE email = lower(:email) ORDER BY id',
  'SELEC id FROM users',
  "SELECT id FROM \"usërs\" WHERE note LIKE '%🙂%' AND date_trunc('day', placed_at) = DATE '2026-01-05'",
  'SELECT id FROM users WHERE',
  "UPDATE users SET name = 'ü' WHERE id = 1",
  'SELECT id FROM users WHERE name = \'Zoë\' AND lower(email) = ?',
  'DELETE FROM orders o USING users u WHERE o.user_id = u.id AND u.email LIKE \'%x\'',
  'SELECT (1 FROM users',
  "SELECT data ? 'k', data @> '{\"a\": 1}' FROM events WHERE data->>'kind' = 'ß'",
  'SELECT 1 +',
];

/** A parse as JSON, without the blocks' back links to their parents (a cycle). */
const modelJson = (x: unknown) => JSON.stringify(x, (k, v) => (k === 'parent' ? undefined : v));

/** Each text parsed alone, then all of them through one batch; both as JSON for comparison. */
function aloneAndBatched(texts: string[]): { alone: string[]; batched: string[] } {
  clearQueryCache();
  const alone = texts.map((t) => modelJson(parseQuery(t, 'postgresql')));
  clearQueryCache();
  preparseQueries(texts, 'postgresql');
  const batched = texts.map((t) => modelJson(parseQuery(t, 'postgresql')));
  clearQueryCache();
  return { alone, batched };
}

describe('batched PostgreSQL parsing', () => {
  it('gives every corpus statement exactly the model it gets alone', () => {
    const { alone, batched } = aloneAndBatched(corpus);
    assert.ok(corpus.length >= 300);
    assert.deepEqual(batched, alone);
  });

  it('keeps broken, non-ASCII and placeholder statements identical to parsing them alone', () => {
    const { alone, batched } = aloneAndBatched(mixed);
    assert.deepEqual(batched, alone);
    // The broken ones keep their own message and offset (not the batch's).
    const failures = mixed.map((t) => parseQuery(t, 'postgresql')).filter((r) => !r.ok);
    assert.deepEqual(
      failures.map((r) => (r.ok ? '' : `${r.message}@${r.offset}`)),
      ['syntax error at or near "SELEC"@0', 'syntax error at end of input@26', 'syntax error at or near "FROM"@10', 'syntax error at end of input@10'],
    );
  });

  it('stays exact when most statements in a batch are broken', () => {
    const texts = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? `SELECT id FROM users WHERE id = ${i}` : `SELECT id FROM users WHERE id = ${i} AND`));
    const { alone, batched } = aloneAndBatched(texts);
    assert.deepEqual(batched, alone);
  });

  it('lints a document with broken statements in between exactly as statement by statement', () => {
    const catalog = buildCatalog([{ file: 'schema.sql', text: 'CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);' }]);
    const opts = { dialect: 'postgresql' as const, catalog };
    const doc = Array.from({ length: 150 }, (_, i) => mixed[i % mixed.length] + (i % 7 === 0 ? ' -- note' : '')).join(';\n') + ';';
    clearQueryCache();
    const whole = new SqlLinter().lint(doc, opts);
    const oneByOne = splitStatements(doc).flatMap((st) => {
      clearQueryCache();
      return new SqlLinter().lint(st.text, opts).map((f) => {
        const moved = { ...f, start: f.start + st.start, end: f.end + st.start };
        if (f.fixes) moved.fixes = f.fixes.map((fx) => ({ ...fx, edits: fx.edits.map((e) => ({ ...e, start: e.start + st.start, end: e.end + st.start })) }));
        return moved;
      });
    });
    assert.ok(whole.some((f) => f.ruleId === 'parse-error'));
    assert.deepEqual(whole, oneByOne);
  });

  it('re-linting the same text returns the same findings without checking again', () => {
    const catalog = buildCatalog([{ file: 'schema.sql', text: 'CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);' }]);
    const opts = { dialect: 'postgresql' as const, catalog };
    const linter = new SqlLinter();
    const doc = mixed.join(';\n');
    const first = linter.lint(doc, opts);
    const checked = linter.checkedStatements;
    const again = linter.lint(doc, opts);
    assert.deepEqual(again, first);
    assert.notEqual(again, first);
    assert.equal(linter.checkedStatements, checked);
    // A changed setting is not the same answer.
    const off = linter.lint(doc, { ...opts, rules: { 'parse-error': 'off' } });
    assert.ok(!off.some((f) => f.ruleId === 'parse-error') && first.some((f) => f.ruleId === 'parse-error'));
  });
});
