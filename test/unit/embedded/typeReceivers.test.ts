/**
 * N+1 receivers judged by the real TypeScript type checker, on a fixture project with its own
 * tsconfig.json and hand-written node_modules declarations (pg, typeorm: database; pdf-lib,
 * keyv: not). The fixture's loops are labelled `// N+1` / `// not N+1` in the source.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../../src/cli/main';
import { bufferIO } from '../../../src/cli/io';
import { packageOfFile, ProjectTypes, WorkspaceTypes } from '../../../src/core/embedded/typeReceivers';
import { lintDocument } from '../../../src/core/lint/document';
import type { LintOptions } from '../../../src/core/lint/types';
import { buildCatalog } from '../../../src/core/schema/catalog';

const repo = path.resolve(__dirname, '../../..');
const fixture = path.join(repo, 'test/fixtures/typed-receivers');
const jobsFile = path.join(fixture, 'src/jobs.ts');
const jobs = fs.readFileSync(jobsFile, 'utf8');
const catalog = buildCatalog([], 'postgresql');

/** 1-based lines of the source whose comment labels them with `label`. */
function labelled(text: string, label: RegExp): number[] {
  return text.split('\n').flatMap((l, i) => (label.test(l) ? [i + 1] : []));
}
const N_PLUS_ONE = labelled(jobs, /\/\/ N\+1$/);
const NOT = labelled(jobs, /\/\/ not N\+1$/);

function nPlusOneLines(file: string, text: string, extra: Partial<LintOptions> = {}): number[] {
  const opts: LintOptions = { dialect: 'postgresql', catalog, ...extra };
  return lintDocument(file, text, opts)
    .filter((f) => f.ruleId === 'n-plus-one')
    .map((f) => text.slice(0, f.start).split('\n').length);
}

describe('typeReceivers: the package a declaration belongs to', () => {
  it('reads plain, scoped, @types and Prisma-generated paths; project files have none', () => {
    assert.equal(packageOfFile('/w/node_modules/pg/lib/index.d.ts'), 'pg');
    assert.equal(packageOfFile('/w/node_modules/@prisma/client/index.d.ts'), '@prisma/client');
    assert.equal(packageOfFile('/w/node_modules/.prisma/client/index.d.ts'), '.prisma/client');
    assert.equal(packageOfFile('/w/node_modules/@types/pg/index.d.ts'), 'pg');
    assert.equal(packageOfFile('/w/node_modules/@types/babel__core/index.d.ts'), '@babel/core');
    assert.equal(packageOfFile('/w/node_modules/.pnpm/typeorm@0.3.20/node_modules/typeorm/repository/Repository.d.ts'), 'typeorm');
    assert.equal(packageOfFile('/w/src/db.ts'), undefined);
  });
});

describe('typeReceivers: N+1 with the type checker', function () {
  // Building the fixture's Program (DOM and ES libraries included) takes seconds on a loaded machine.
  this.timeout(120_000);
  let types: ProjectTypes;
  before(() => {
    types = ProjectTypes.open(path.join(fixture, 'tsconfig.json'))!;
    assert.ok(types, 'the fixture has a tsconfig.json and node_modules');
  });
  after(() => types.dispose());

  it('the fixture labels four N+1 loops and three that are not', () => {
    assert.equal(N_PLUS_ONE.length, 4);
    assert.equal(NOT.length, 3);
  });

  it('reports exactly the labelled N+1 loops when receivers are judged by type', () => {
    assert.deepEqual(nPlusOneLines(jobsFile, jobs, { embedded: { receiverTypes: types } }), N_PLUS_ONE);
  });

  it('provenance alone gets the typed parameters and the pdf-lib/keyv receivers wrong (what types fix)', () => {
    const untyped = nPlusOneLines(jobsFile, jobs);
    const [store, runner] = N_PLUS_ONE;
    const [pdf, cache] = NOT;
    assert.ok(!untyped.includes(store) && !untyped.includes(runner), `missed without types: ${untyped}`);
    assert.ok(untyped.includes(pdf) && untyped.includes(cache), `false positives without types: ${untyped}`);
  });

  it('an unsaved edit is re-checked on the same Program incrementally; unchanged files keep their trees', () => {
    const entitiesFile = path.join(fixture, 'src/entities.ts');
    const entities = fs.readFileSync(entitiesFile, 'utf8');
    const before = types.forFile(entitiesFile, entities)!.sourceFile;
    // The repository parameter becomes the key-value cache: its `save` is no longer a query.
    const edited = jobs.replace('store: UserStore', 'store: KeyStore');
    assert.notEqual(edited, jobs);
    assert.deepEqual(nPlusOneLines(jobsFile, edited, { embedded: { receiverTypes: types } }), N_PLUS_ONE.slice(1));
    assert.equal(types.forFile(entitiesFile, entities)!.sourceFile, before, 'entities.ts was not re-parsed');
    // Back to the saved text: the finding returns.
    assert.deepEqual(nPlusOneLines(jobsFile, jobs, { embedded: { receiverTypes: types } }), N_PLUS_ONE);
  });

  it('a file the Program does not hold with that text gets no typed answer (provenance then)', () => {
    assert.equal(types.forFile(path.join(repo, 'src/core/dialect.ts'), 'export {};'), undefined);
  });
});

describe('typeReceivers: projects without types', () => {
  it('a tsconfig without node_modules anywhere above opens no project', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-types-'));
    try {
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{ "compilerOptions": { "strict": true } }');
      assert.equal(ProjectTypes.open(path.join(dir, 'tsconfig.json')), undefined);
      const missing: string[] = [];
      const ws = new WorkspaceTypes((d, why) => missing.push(`${d}: ${why}`));
      const file = path.join(dir, 'a.ts');
      assert.equal(ws.forFile(file, 'export const a = 1;'), undefined);
      assert.equal(ws.forFile(file, 'export const a = 2;'), undefined);
      assert.deepEqual(missing, [`${dir}: no node_modules`]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CLI: lint --types', function () {
  this.timeout(120_000);
  it('judges N+1 receivers with the fixture project\'s types; without the flag, by provenance', async () => {
    const lintJson = async (extra: string[]) => {
      const io = bufferIO(repo);
      const code = await run(['lint', 'test/fixtures/typed-receivers/src', '--format', 'json', ...extra], io);
      const out = JSON.parse(io.stdout()) as { findings: { file: string; line: number; rule: string }[] };
      return { code, stderr: io.stderr(), lines: out.findings.filter((f) => f.rule === 'n-plus-one' && f.file.endsWith('jobs.ts')).map((f) => f.line) };
    };
    const typed = await lintJson(['--types']);
    assert.equal(typed.code, 1);
    assert.deepEqual(typed.lines, N_PLUS_ONE);
    assert.doesNotMatch(typed.stderr, /--types/);
    const untyped = await lintJson([]);
    assert.notDeepEqual(untyped.lines, N_PLUS_ONE);
  });
});
