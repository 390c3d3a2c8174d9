/** Sliced linting of big SQL documents (src/extension/progressiveLint.ts), with the real linter. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { SqlLinter } from '../../src/core/lint/linter';
import type { LintOptions } from '../../src/core/lint/types';
import { buildCatalog } from '../../src/core/schema/catalog';
import { splitStatements } from '../../src/core/sql/split';
import { lintInSlices } from '../../src/extension/progressiveLint';
import { generateSqlWorkload } from '../../bench/workload';

const schemaDir = path.resolve(__dirname, '../../examples/shop/schema');
const catalog = buildCatalog(
  fs
    .readdirSync(schemaDir)
    .sort()
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(schemaDir, f), 'utf8') })),
);
const opts: LintOptions = { dialect: 'postgresql', catalog };
const text = generateSqlWorkload(120, 7);

/** A clock that advances a fixed amount per reading, so slicing does not depend on machine speed. */
function fakeClock(stepMs: number): () => number {
  let t = 0;
  return () => (t += stepMs);
}

describe('sliced linting', () => {
  it('produces exactly what one full lint produces, yielding between slices', async () => {
    const expected = new SqlLinter().lint(text, opts);
    assert.ok(expected.length > 10, 'the workload has findings');
    let yields = 0;
    const got = await lintInSlices(new SqlLinter(), text, opts, {
      sliceMs: 30,
      isCancelled: () => false,
      yieldToEventLoop: async () => void yields++,
      now: fakeClock(10),
    });
    assert.deepEqual(got, expected);
    assert.ok(yields >= 2, `yields: ${yields}`);
  });

  it('checks each statement once across slices (the linter keeps the prefix it checked)', async () => {
    const linter = new SqlLinter();
    await lintInSlices(linter, text, opts, { sliceMs: 30, isCancelled: () => false, yieldToEventLoop: async () => {}, now: fakeClock(10) });
    const distinct = new Set(splitStatements(text).map((s) => s.text)).size;
    // Every statement is checked once; the statement after each cut is never checked early.
    assert.equal(linter.checkedStatements, distinct);
  });

  it('stops and returns undefined when cancelled', async () => {
    let yields = 0;
    const got = await lintInSlices(new SqlLinter(), text, opts, {
      sliceMs: 30,
      isCancelled: () => yields >= 1,
      yieldToEventLoop: async () => void yields++,
      now: fakeClock(10),
    });
    assert.equal(got, undefined);
  });

  it('handles tiny and empty documents in one pass', async () => {
    let yields = 0;
    const args = { sliceMs: 30, isCancelled: () => false, yieldToEventLoop: async () => void yields++ };
    assert.deepEqual(await lintInSlices(new SqlLinter(), '', opts, args), []);
    const one = "SELECT id FROM users WHERE email LIKE '%x'";
    assert.deepEqual(await lintInSlices(new SqlLinter(), one, opts, args), new SqlLinter().lint(one, opts));
    assert.equal(yields, 0);
  });
});
