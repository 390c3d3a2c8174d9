import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '../..');
const workspace = path.join(root, 'test/fixtures/workspaces/wrappers');

interface Query {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  source: string;
  dialect: string;
  sql: string;
  tables: string[];
}

/**
 * The done-when fixture, through the bundled CLI: a `rawQuery` wrapper two imports deep
 * behind the `@/lib/…` alias (tsconfig `extends` → `paths`), `{{name::uuid}}` placeholders,
 * and a ClickHouse helper of the same name beside it.
 */
describe('CLI: queries and lint on a workspace with project wrappers (bundled build)', function () {
  let bundle: string;
  let cacheDir: string;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [bundle, ...args], { cwd: workspace, encoding: 'utf8', timeout: 60000, env: { ...process.env, SQL_PLAN_ADVISOR_CACHE_DIR: cacheDir } });

  before(async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'spa-queries-'));
    cacheDir = path.join(out, 'cache');
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
    fs.copyFileSync(path.join(root, 'node_modules/libpg-query/wasm/libpg-query.wasm'), path.join(out, 'libpg-query.wasm'));
  });

  it('lists every PostgreSQL statement sent through the wrapper, with $n parameters and tables', () => {
    const r = run('queries', 'src', 'db', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const queries = JSON.parse(r.stdout).queries as Query[];
    const pg = queries.filter((q) => q.dialect === 'postgresql');
    assert.deepEqual(
      pg.map((q) => `${q.file}:${q.line}:${q.column} ${q.source}`),
      ['src/queries/pageviews.ts:8:5 wrapper:rawQuery', 'src/queries/referrers.ts:7:5 wrapper:rawQuery', 'src/queries/referrers.ts:15:19 wrapper:rawQuery'],
    );
    assert.match(pg[0].sql, /where website_id = \$1::uuid\s+and lower\(url_path\) = \$2\s+group by url_path$/);
    assert.match(pg[2].sql, /session_id = \$1::uuid\s+order by created_at$/);
    for (const q of pg) assert.deepEqual(q.tables, ['website_event']);
    for (const q of queries) assert.deepEqual(Object.keys(q), ['file', 'line', 'column', 'endLine', 'endColumn', 'source', 'dialect', 'sql', 'tables']);
  });

  it('lists the ClickHouse helper’s SQL as ClickHouse, kept as written', () => {
    const r = run('queries', 'src', '--format', 'json');
    const ch = (JSON.parse(r.stdout).queries as Query[]).filter((q) => q.dialect !== 'postgresql');
    assert.equal(ch.length, 1);
    assert.equal(ch[0].dialect, 'clickhouse');
    assert.equal(ch[0].source, 'wrapper:rawQuery');
    assert.equal(ch[0].line, 20);
    assert.match(ch[0].sql, /website_id = \{websiteId:UUID\}/);
  });

  it('lints the wrapper SQL at the right lines and reports nothing on the ClickHouse SQL', () => {
    const r = run('lint', 'src', '--schema', 'db/schema.sql', '--format', 'json');
    assert.equal(r.status, 1, r.stderr);
    const findings = (JSON.parse(r.stdout).findings as { file: string; rule: string; line: number; column: number }[]).map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`);
    assert.deepEqual(findings, [
      'src/app/report.ts:7:20 n-plus-one',
      'src/queries/pageviews.ts:11:12 function-on-column',
      'src/queries/referrers.ts:7:13 select-star',
      'src/queries/referrers.ts:15:71 missing-index',
    ]);
    // Lines 17–29 of pageviews.ts hold the ClickHouse query: SELECT *, lower(), LIKE '%…', ClickHouse syntax.
    assert.ok(!findings.some((f) => /pageviews\.ts:(1[7-9]|2\d):/.test(f)));
  });

  it('prints a readable text listing and caches file summaries between runs', () => {
    const r = run('queries', 'src');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /src\/queries\/pageviews\.ts:8:5 wrapper:rawQuery \[postgresql\] website_event\n {4}select url_path/);
    assert.match(r.stdout, /4 queries in 2 files\./);
    assert.ok(fs.existsSync(path.join(cacheDir, 'summaries.json')));
  });

  it('rejects bad usage with exit 2', () => {
    const r = run('queries', '--format', 'sarif', 'src');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown format 'sarif'/);
  });
});
