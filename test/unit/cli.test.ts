/**
 * The CLI contract: arguments and exit codes, the three output formats, file selection
 * (folders, skipped folders, numeric ordering, big and binary files), run in-process through
 * `run(argv, io)`, plus the bundled `dist`-style build spawned as a real process.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { bufferIO } from '../../src/cli/io';
import { comparePaths, selectFiles, isLintable } from '../../src/cli/files';
import { lintPaths } from '../../src/cli/lint';
import { dialectOption, formatOption, rowsOption, parseCommandLine } from '../../src/cli/args';
import { version } from '../../package.json';

const root = path.resolve(__dirname, '../..');

function tempDir(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-cli-'));
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(dir, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return dir;
}

async function cli(args: string[], cwd = root) {
  const io = bufferIO(cwd);
  const code = await run(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

const WILDCARD_SQL = [
  '-- two statements',
  "SELECT id FROM users WHERE email LIKE '%@example.com';",
  '',
  "SELECT id FROM users WHERE email LIKE 'ada%';",
  '',
].join('\n');

describe('CLI: arguments and exit codes', () => {
  it('prints help with --help (exit 0) and usage on stderr without a command (exit 2)', async () => {
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: sql-plan-advisor <command>/);
    assert.match(help.stdout, /lint/);
    assert.match(help.stdout, /explain/);
    assert.match(help.stdout, /advise/);
    const none = await cli([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Usage:/);
  });

  it('prints the package version with --version', async () => {
    const r = await cli(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${version}\n`);
  });

  it('prints lint help with lint --help', async () => {
    const r = await cli(['lint', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--schema <path>/);
    assert.match(r.stdout, /--format <name>/);
  });

  const usageErrors: [string, string[], RegExp][] = [
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown option', ['lint', 'x.sql', '--fromat', 'json'], /Unknown option '--fromat'/],
    ['an unknown format', ['lint', 'examples/shop', '--format', 'xml'], /unknown format 'xml' \(expected text, json, sarif\)/],
    ['an unknown dialect', ['lint', 'examples/shop', '--dialect', 'oracle'], /unknown dialect 'oracle'/],
    ['a missing option value', ['lint', 'examples/shop', '--schema'], /argument missing/],
    ['no paths', ['lint'], /needs at least one file or folder/],
    ['a bad --rule', ['lint', 'examples/shop', '--rule', 'select-star=loud'], /--rule expects/],
    ['a missing schema path', ['lint', 'examples/shop/queries', '--schema', 'no/such/schema'], /schema path not found: no\/such\/schema/],
    ['a folder without lintable files', ['lint', 'media'], /no \.sql or TS\/JS files found in media/],
  ];
  for (const [what, args, message] of usageErrors) {
    it(`exits 2 with a message on stderr for ${what}`, async () => {
      const r = await cli(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }

  it('exits 2 for a missing input path but still lints and prints the others', async () => {
    const dir = tempDir({ 'q.sql': WILDCARD_SQL });
    const r = await cli(['lint', 'q.sql', 'missing.sql', '--format', 'json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no such file or folder: missing\.sql/);
    assert.equal(JSON.parse(r.stdout).findings.length, 1);
  });

  it('exits 0 with no findings and 1 with findings', async () => {
    const clean = tempDir({ 'q.sql': "SELECT id FROM users WHERE email LIKE 'ada%';\n" });
    assert.equal((await cli(['lint', '.'], clean)).code, 0);
    const dirty = tempDir({ 'q.sql': WILDCARD_SQL });
    assert.equal((await cli(['lint', '.'], dirty)).code, 1);
  });

  it('turns a rule off with --rule id=off', async () => {
    const dir = tempDir({ 'q.sql': WILDCARD_SQL });
    const r = await cli(['lint', '.', '--rule', 'leading-wildcard=off'], dir);
    assert.equal(r.code, 0);
    const e = await cli(['lint', '.', '--rule', 'leading-wildcard=error', '--format', 'json'], dir);
    assert.equal(JSON.parse(e.stdout).findings[0].severity, 'error');
  });
});

describe('CLI: output formats', () => {
  it('JSON has exactly the contract keys with 1-based positions and paths relative to cwd', async () => {
    const dir = tempDir({ 'sql/q.sql': WILDCARD_SQL });
    const r = await cli(['lint', 'sql', '--format', 'json'], dir);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['findings']);
    assert.equal(out.findings.length, 1);
    const f = out.findings[0];
    assert.deepEqual(Object.keys(f), ['file', 'rule', 'severity', 'message', 'line', 'column', 'endLine', 'endColumn']);
    assert.equal(f.file, 'sql/q.sql');
    assert.equal(f.rule, 'leading-wildcard');
    assert.equal(f.severity, 'warning');
    // Line 2 is `SELECT id FROM users WHERE email LIKE '%@example.com';` — the pattern starts
    // at column 39 and ends (exclusive) at column 54.
    const line2 = WILDCARD_SQL.split('\n')[1];
    assert.equal(line2.slice(f.column - 1, f.endColumn - 1), "'%@example.com'");
    assert.deepEqual([f.line, f.endLine], [2, 2]);
  });

  it('text output is file:line:col severity message [rule], grouped by file, with a summary', async () => {
    const dir = tempDir({ 'a.sql': WILDCARD_SQL, 'b.sql': WILDCARD_SQL, 'c.sql': 'SELECT 1;\n' });
    const r = await cli(['lint', '.'], dir);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^a\.sql:2:39 warning .*wildcard.* \[leading-wildcard\]$/);
    assert.equal(lines[1], '');
    assert.match(lines[2], /^b\.sql:2:39 warning .* \[leading-wildcard\]$/);
    assert.equal(lines[3], '');
    assert.equal(lines[4], '2 findings (2 warnings) in 2 files; 3 files checked.');
    const clean = await cli(['lint', 'c.sql'], dir);
    assert.equal(clean.stdout, 'No findings; 1 file checked.\n');
  });

  it('SARIF 2.1.0 has the structure GitHub code scanning requires', async () => {
    const dir = tempDir({ 'db/my queries.sql': WILDCARD_SQL, 'db/bad.sql': 'SELEC 1;\n' });
    const r = await cli(['lint', 'db', '--format', 'sarif'], dir);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'sql-plan-advisor');
    assert.match(driver.informationUri, /^https:\/\//);
    assert.equal(driver.version, version);
    const ids = driver.rules.map((x: { id: string }) => x.id);
    assert.ok(ids.includes('leading-wildcard') && ids.includes('parse-error'));
    assert.equal(new Set(ids).size, ids.length, 'rule ids are unique');
    for (const rule of driver.rules) {
      assert.ok(rule.shortDescription.text.length > 0, rule.id);
      assert.ok(rule.fullDescription.text.length > 0, rule.id);
      assert.match(rule.helpUri, new RegExp(`${rule.id}\\.md$`));
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    const results = log.runs[0].results;
    assert.equal(results.length, 2);
    for (const res of results) {
      assert.equal(driver.rules[res.ruleIndex].id, res.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      assert.ok(res.message.text.length > 0);
      const loc = res.locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.ok(!loc.artifactLocation.uri.startsWith('/') && !loc.artifactLocation.uri.includes(':'), 'relative URI');
      for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) assert.ok(Number.isInteger(loc.region[k]) && loc.region[k] >= 1, k);
    }
    const uris = results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0].physicalLocation.artifactLocation.uri);
    assert.deepEqual(uris, ['db/bad.sql', 'db/my%20queries.sql']);
    assert.match(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/.*\/$/);
  });
});

describe('CLI: TypeScript sources', () => {
  it('reports embedded SQL and N+1 findings at their places in the .ts file', async () => {
    const ts = [
      "import { Pool } from 'pg';",
      'const pool = new Pool();',
      'export async function load(ids: number[]) {',
      '  for (const id of ids) {',
      "    await pool.query('SELECT * FROM users WHERE id = $1', [id]);",
      '  }',
      '}',
      '',
    ].join('\n');
    const dir = tempDir({ 'src/app.ts': ts });
    const r = await cli(['lint', 'src', '--format', 'json'], dir);
    assert.equal(r.code, 1);
    const findings = JSON.parse(r.stdout).findings as { file: string; rule: string; line: number; column: number; endColumn: number }[];
    const line5 = ts.split('\n')[4];
    const star = findings.find((f) => f.rule === 'select-star')!;
    assert.equal(star.file, 'src/app.ts');
    assert.equal(star.line, 5);
    assert.equal(line5.slice(star.column - 1, star.endColumn - 1), '*');
    const loop = findings.find((f) => f.rule === 'n-plus-one')!;
    assert.equal(loop.line, 5);
    assert.ok(line5.slice(loop.column - 1).startsWith('pool.query'), line5.slice(loop.column - 1));
    const sarif = JSON.parse((await cli(['lint', 'src', '--format', 'sarif'], dir)).stdout);
    assert.ok(sarif.runs[0].tool.driver.rules.some((x: { id: string }) => x.id === 'n-plus-one'));
  });
});

describe('CLI: file selection', () => {
  it('walks folders for .sql and TS/JS files, skipping node_modules, .git, dist, out and .d.ts', () => {
    const dir = tempDir({
      'a.sql': '',
      'src/app.ts': '',
      'src/view.tsx': '',
      'src/x.mjs': '',
      'src/types.d.ts': '',
      'README.md': '',
      'node_modules/dep/q.sql': '',
      '.git/q.sql': '',
      'dist/q.js': '',
      'out/q.js': '',
    });
    const { files } = selectFiles(['.'], dir, isLintable);
    assert.deepEqual(
      files.map((f) => path.relative(dir, f).split(path.sep).join('/')),
      ['a.sql', 'src/app.ts', 'src/view.tsx', 'src/x.mjs'],
    );
  });

  it('orders paths with numeric awareness (2 before 10)', () => {
    const sorted = ['m/10_b.sql', 'm/2_a.sql', 'm/1_x.sql', 'm/002_c.sql'].sort(comparePaths);
    // Equal numbers (2, 002) fall back to the rest of the name.
    assert.deepEqual(sorted, ['m/1_x.sql', 'm/2_a.sql', 'm/002_c.sql', 'm/10_b.sql']);
  });

  it('applies migrations in numeric order when building the schema from linted files', () => {
    const dir = tempDir({
      'db/2_create.sql': 'CREATE TABLE items (id int PRIMARY KEY, sku text);',
      'db/10_index.sql': 'CREATE INDEX items_sku_idx ON items (sku);',
    });
    const io = bufferIO(dir);
    const { catalog } = lintPaths(['db'], { dialect: 'postgresql', schema: [] }, io);
    const names = catalog.tables.get('items')?.indexes.map((i) => i.name) ?? [];
    assert.ok(names.includes('items_sku_idx'), `indexes: ${names.join(', ')}`);
  });

  it('notes on stderr the DDL the catalog could not apply, with file and line', async () => {
    const dir = tempDir({ 'db/1_schema.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n\nCREATE INDEX b_x_idx ON b (x);\n' });
    const r = await cli(['lint', 'db'], dir);
    // The one finding: indexing a table this script does not create (blocking-index-build).
    assert.equal(r.code, 1);
    assert.match(r.stdout, /blocking-index-build/);
    assert.match(r.stderr, /note: db\/1_schema\.sql:3: schema statement not understood: .*b_x_idx/);
  });

  it('skips files over 10 MB with a notice and lints the rest', async () => {
    const dir = tempDir({ 'small.sql': WILDCARD_SQL });
    fs.writeFileSync(path.join(dir, 'huge.sql'), Buffer.alloc(10 * 1024 * 1024 + 1, 0x20));
    const r = await cli(['lint', '.', '--format', 'json'], dir);
    assert.match(r.stderr, /skipped huge\.sql: 10\.0 MB is over the 10 MB limit/);
    assert.deepEqual(JSON.parse(r.stdout).findings.map((f: { file: string }) => f.file), ['small.sql']);
    assert.equal(r.code, 1);
  });

  it('reports a binary file once instead of parsing it', async () => {
    const dir = tempDir({ 'blob.sql': Buffer.from([0x53, 0x45, 0x4c, 0x00, 0xff, 0xfe, 0x00, 0x01]) });
    const r = await cli(['lint', 'blob.sql', '--format', 'json'], dir);
    const findings = JSON.parse(r.stdout).findings;
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /binary/);
    // A file named on the command line is one schema source, not also a Prisma schema.
    assert.equal(r.stderr.match(/file looks binary/g)?.length, 1, r.stderr);
  });

  it('handles an empty file and a file with only comments', async () => {
    const dir = tempDir({ 'empty.sql': '', 'comments.sql': '-- nothing here\n/* at all */\n' });
    const r = await cli(['lint', '.'], dir);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'No findings; 2 files checked.\n');
  });

  it('reports columns as editors show them after a byte-order mark', async () => {
    const dir = tempDir({ 'bom.sql': '\ufeff' + "SELECT id FROM users WHERE email LIKE '%x';\n" });
    const r = await cli(['lint', 'bom.sql', '--format', 'json'], dir);
    const f = JSON.parse(r.stdout).findings[0];
    assert.deepEqual([f.line, f.column], [1, 39]);
  });
});

describe('CLI: option helpers', () => {
  it('parses --rows with k/m suffixes and rejects malformed entries', () => {
    assert.deepEqual(rowsOption(['orders=1m,Users=50k', 'events=1_000']), { orders: 1_000_000, users: 50_000, events: 1000 });
    assert.throws(() => rowsOption(['orders']), /--rows expects table=N/);
    assert.throws(() => rowsOption(['orders=-5']), /--rows expects/);
  });

  it('accepts dialect aliases and formats case-insensitively', () => {
    assert.equal(dialectOption(undefined), 'postgresql');
    assert.equal(dialectOption('pg'), 'postgresql');
    assert.equal(dialectOption('MariaDB'), 'mysql');
    assert.equal(formatOption('JSON', ['text', 'json'] as const), 'json');
    assert.equal(formatOption(undefined, ['text', 'json'] as const), 'text');
  });

  it('collects repeated options and --opt=value forms', () => {
    const a = parseCommandLine(['x', '--schema=a', '--schema', 'b', '--analyze'], {
      schema: { type: 'string', multiple: true },
      analyze: { type: 'boolean' },
    });
    assert.deepEqual(a.strings('schema'), ['a', 'b']);
    assert.equal(a.flag('analyze'), true);
    assert.deepEqual(a.positionals, ['x']);
  });
});

describe('CLI: bundled build', function () {
  let bundle: string;
  before(async () => {
    // Build just the CLI entry the way esbuild.js does, into a temp folder.
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-bundle-'));
    bundle = path.join(out, 'cli.js');
    await esbuild.build({
      entryPoints: [path.join(root, 'src/cli/main.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: bundle,
      define: { 'import.meta.url': '__importMetaUrl' },
      banner: { js: '#!/usr/bin/env node\nconst __importMetaUrl = require("url").pathToFileURL(__filename).href;' },
      mainFields: ['module', 'main'],
      logLevel: 'silent',
    });
    // PostgreSQL's parser is WASM, shipped next to the bundle (as esbuild.js does for dist/).
    fs.copyFileSync(path.join(root, 'node_modules/libpg-query/wasm/libpg-query.wasm'), path.join(out, 'libpg-query.wasm'));
  });

  it('runs as a process: findings exit 1 with JSON on stdout, usage errors exit 2 on stderr', () => {
    const ok = spawnSync(process.execPath, [bundle, 'lint', 'examples/shop/queries/04_wildcards.sql', '--format', 'json'], { cwd: root, encoding: 'utf8', timeout: 30000 });
    assert.equal(ok.status, 1, ok.stderr);
    const findings = JSON.parse(ok.stdout).findings;
    assert.deepEqual(findings.map((f: { line: number; rule: string }) => `${f.line} ${f.rule}`), ['4 leading-wildcard', '6 leading-wildcard', '9 leading-wildcard']);
    // From a folder with no node_modules: the bundle loads PostgreSQL's parser from the WASM beside it.
    const sql = path.join(path.dirname(bundle), 'pg.sql');
    fs.writeFileSync(sql, "DELETE FROM a USING b WHERE a.id = b.a_id AND lower(b.name) = 'x';\nSELECT id FORM t;\n");
    const pg = spawnSync(process.execPath, [bundle, 'lint', sql, '--format', 'json'], { cwd: path.dirname(bundle), encoding: 'utf8', timeout: 30000 });
    assert.equal(pg.status, 1, pg.stderr);
    assert.deepEqual(JSON.parse(pg.stdout).findings.map((f: { line: number; rule: string }) => `${f.line} ${f.rule}`), ['1 function-on-column', '2 parse-error']);
    const bad = spawnSync(process.execPath, [bundle, 'lint', '--format', 'yaml', 'x.sql'], { cwd: root, encoding: 'utf8', timeout: 30000 });
    assert.equal(bad.status, 2);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /unknown format 'yaml'/);
  });
});
