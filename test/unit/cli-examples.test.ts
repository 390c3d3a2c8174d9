/**
 * The example project is the CLI's acceptance test: every query file marks the lines where
 * findings are expected with a trailing `-- expect: <rule>` (or `// expect:` in TS/JS), and
 * the CLI must report exactly those (rule + line), nothing more, nothing less.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { bufferIO } from '../../src/cli/io';
import { isLintable, selectFiles } from '../../src/cli/files';

const root = path.resolve(__dirname, '../..');
const shop = 'examples/shop';

const EXPECT = /(?:--|\/\/)\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*$/;

/** `file:line rule` for every annotation in the example project, sorted. */
function expectedFindings(): string[] {
  const out: string[] = [];
  const { files } = selectFiles([shop], root, isLintable);
  for (const file of files) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const m = EXPECT.exec(line);
        if (m) for (const rule of m[1].split(',')) out.push(`${rel}:${i + 1} ${rule.trim()}`);
      });
  }
  return out.sort();
}

interface JsonFinding {
  file: string;
  rule: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

async function lintJson(args: string[]): Promise<{ code: number; findings: JsonFinding[]; stderr: string }> {
  const io = bufferIO(root);
  const code = await run(['lint', ...args, '--format', 'json'], io);
  return { code, findings: JSON.parse(io.stdout()).findings, stderr: io.stderr() };
}

describe('CLI on the example project (examples/shop)', () => {
  it('has annotations for every rule the examples promise to show', () => {
    const rules = new Set(expectedFindings().map((e) => e.split(' ')[1]));
    for (const rule of ['function-on-column', 'expression-on-column', 'leading-wildcard', 'select-star', 'missing-index', 'leftmost-prefix', 'n-plus-one', 'parse-error']) {
      assert.ok(rules.has(rule), `no example marks ${rule}`);
    }
  });

  it('reports exactly the annotated findings (rule + line) and exits 1', async () => {
    const { code, findings, stderr } = await lintJson([shop]);
    const actual = findings.map((f) => `${f.file}:${f.line} ${f.rule}`).sort();
    assert.deepEqual(actual, expectedFindings());
    assert.equal(code, 1);
    assert.equal(stderr, '');
  });

  it('keeps the clean queries clean and exits 0 when only they are linted (schema from --schema)', async () => {
    const { code, findings } = await lintJson([`${shop}/queries/01_clean.sql`, '--schema', `${shop}/schema`]);
    assert.deepEqual(findings, []);
    assert.equal(code, 0);
  });

  it('uses the migrations in the linted folder as the schema when --schema is absent', async () => {
    // Linting schema + one query file: missing-index needs the catalog built from schema/.
    const { findings } = await lintJson([`${shop}/schema`, `${shop}/queries/06_missing_index.sql`]);
    assert.deepEqual(
      findings.map((f) => `${f.line} ${f.rule}`),
      // The schema's own findings: foreign keys without an index, an index built without CONCURRENTLY.
      ['6 missing-index', '9 missing-index', '5 unindexed-foreign-key', '4 unindexed-foreign-key', '4 blocking-index-build'],
    );
  });

  it('prints the suggested CREATE INDEX under a missing-index finding in text output', async () => {
    const io = bufferIO(root);
    await run(['lint', `${shop}/queries/06_missing_index.sql`, '--schema', `${shop}/schema`], io);
    const lines = io.stdout().split('\n');
    const at = lines.findIndex((l) => l.startsWith(`${shop}/queries/06_missing_index.sql:9:`));
    assert.ok(at >= 0, io.stdout());
    assert.match(lines[at + 1], /^    suggested: CREATE INDEX \S+ ON users \(country\);$/);
  });

  it('without any schema, schema-aware rules stay silent and the rest still report', async () => {
    const { findings } = await lintJson([`${shop}/queries/06_missing_index.sql`, `${shop}/queries/04_wildcards.sql`]);
    assert.ok(findings.every((f) => f.rule !== 'missing-index' && f.rule !== 'leftmost-prefix'));
    assert.equal(findings.filter((f) => f.rule === 'leading-wildcard').length, 3);
  });

  it('reports statements after an unparsable one, with exact positions', async () => {
    const { findings } = await lintJson([`${shop}/queries/08_parse_error.sql`, '--schema', `${shop}/schema`]);
    const parseError = findings.find((f) => f.rule === 'parse-error')!;
    assert.equal(parseError.line, 6);
    assert.match(parseError.message, /Could not parse this statement/);
    const star = findings.find((f) => f.rule === 'select-star')!;
    // `SELECT * FROM orders …` on line 8: the `*` is column 8.
    assert.deepEqual([star.line, star.column, star.endLine, star.endColumn], [8, 8, 8, 9]);
    assert.ok(findings.some((f) => f.rule === 'function-on-column' && f.line === 10));
  });
});
