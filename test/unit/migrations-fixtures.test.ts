/**
 * The migration fixture sets (plain SQL, Prisma, Knex, TypeORM under test/fixtures/migrations)
 * are the migration rules' acceptance test: linting each set as a whole through the CLI must
 * report exactly the annotated findings (`-- expect: <rule>` / `// expect: <rule>` on the line
 * where each starts), and per-query findings inside migration folders come out as `info`.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { bufferIO } from '../../src/cli/io';
import { isLintable, selectFiles } from '../../src/cli/files';

const root = path.resolve(__dirname, '..', 'fixtures', 'migrations');
const EXPECT = /(?:--|\/\/)\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*$/;

function expected(dir: string): string[] {
  const out: string[] = [];
  for (const file of selectFiles(['.'], dir, isLintable).files) {
    const rel = path.relative(dir, file).split(path.sep).join('/');
    fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const m = EXPECT.exec(line);
      if (m) for (const rule of m[1].split(',')) out.push(`${rel}:${i + 1} ${rule.trim()}`);
    });
  }
  return out.sort();
}

interface JsonFinding { file: string; rule: string; severity: string; line: number; message: string }

async function lint(dir: string, extra: string[] = []): Promise<JsonFinding[]> {
  const io = bufferIO(dir);
  const code = await run(['lint', '.', '--format', 'json', ...extra], io);
  assert.equal(io.stderr(), '');
  assert.ok(code === 0 || code === 1, `exit ${code}`);
  return JSON.parse(io.stdout()).findings;
}

const MIGRATION_RULES = new Set(['blocking-index-build', 'concurrent-index-in-transaction', 'redundant-index', 'unindexed-foreign-key']);

describe('migration fixture sets', () => {
  for (const set of ['sql', 'prisma', 'knex', 'typeorm']) {
    it(`${set}: each migration rule fires exactly where annotated`, async () => {
      const dir = path.join(root, set);
      const findings = await lint(dir);
      assert.deepEqual(findings.map((f) => `${f.file}:${f.line} ${f.rule}`).sort(), expected(dir));
      // Every set exercises at least one migration rule.
      assert.ok(findings.some((f) => MIGRATION_RULES.has(f.rule)));
    });
  }

  it('covers all four migration rules across the sets', async () => {
    const rules = new Set<string>();
    for (const set of ['sql', 'prisma', 'knex', 'typeorm']) for (const f of await lint(path.join(root, set))) rules.add(f.rule);
    assert.deepEqual([...MIGRATION_RULES].filter((r) => !rules.has(r)), []);
  });

  it('lowers per-query findings inside migrations to info, and not elsewhere', async () => {
    const findings = await lint(path.join(root, 'sql'));
    const missing = findings.filter((f) => f.rule === 'missing-index').map((f) => `${f.file} ${f.severity}`);
    assert.deepEqual(missing, ['db/migrations/0003_backfill_durations.sql info', 'queries.sql warning']);
    const off = await lint(path.join(root, 'sql'), ['--migration-query-severity', 'off']);
    assert.deepEqual(off.filter((f) => f.rule === 'missing-index').map((f) => f.file), ['queries.sql']);
    const kept = await lint(path.join(root, 'sql'), ['--migration-query-severity', 'warning']);
    assert.deepEqual(kept.filter((f) => f.rule === 'missing-index').map((f) => f.severity), ['warning', 'warning']);
  });
});
