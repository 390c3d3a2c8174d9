/**
 * The PostgreSQL corpus (`test/fixtures/pg-corpus/`): several hundred valid statements written
 * for this project, covering the grammar broadly. Every one must parse with PostgreSQL's own
 * parser, and the rule findings must be exactly the ones reviewed case by case and written
 * above each statement as `-- expect: <rule-id> <text the finding covers>` (no line: silent).
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { SqlLinter, PARSE_ERROR_RULE } from '../../src/core/lint/linter';
import { parseQuery } from '../../src/core/query/parse';
import { buildCatalog } from '../../src/core/schema/catalog';
import { splitStatements } from '../../src/core/sql/split';

const dir = path.resolve(__dirname, '../fixtures/pg-corpus');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
const catalog = buildCatalog([{ file: '00_schema.sql', text: fs.readFileSync(path.join(dir, '00_schema.sql'), 'utf8') }]);

describe('PostgreSQL corpus', () => {
  it('holds at least 300 statements', () => {
    const count = files.reduce((n, f) => n + splitStatements(fs.readFileSync(path.join(dir, f), 'utf8')).length, 0);
    assert.ok(count >= 300, `${count} statements`);
  });

  for (const file of files) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const statements = splitStatements(text);

    it(`${file}: every statement parses (${statements.length} statements)`, () => {
      const failures = statements
        .map((st) => ({ st, r: parseQuery(st.text, 'postgresql') }))
        .filter(({ r }) => !r.ok)
        .map(({ st, r }) => `${st.text.slice(0, 80)} → ${r.ok ? '' : r.message}`);
      assert.deepEqual(failures, []);
    });

    it(`${file}: findings are exactly the reviewed ones, and no parse-error`, () => {
      const found = new SqlLinter().lint(text, { dialect: 'postgresql', catalog });
      assert.deepEqual(found.filter((f) => f.ruleId === PARSE_ERROR_RULE).map((f) => f.message), []);
      let previousEnd = 0;
      const mismatches: string[] = [];
      for (const st of statements) {
        const expected = [...text.slice(previousEnd, st.end).matchAll(/^-- expect: ([a-z-]+) (.*)$/gm)].map((m) => `${m[1]} ${m[2]}`);
        const actual = found.filter((f) => f.start >= st.start && f.start < st.end).map((f) => `${f.ruleId} ${text.slice(f.start, f.end)}`);
        if (JSON.stringify(expected) !== JSON.stringify(actual)) mismatches.push(`${st.text.slice(0, 90)}\n  expected ${JSON.stringify(expected)}\n  actual   ${JSON.stringify(actual)}`);
        previousEnd = st.end;
      }
      assert.deepEqual(mismatches, []);
    });
  }
});
