import { strict as assert } from 'assert';
import { lintDocument } from '../../src/core/lint/document';
import { extractSql } from '../../src/core/embedded/extract';
import { readSqlFunctions } from '../../src/core/embedded/sinks';
import { buildCatalog } from '../../src/core/schema/catalog';
import { parseSummaries, serializeSummaries, WorkspaceIndex } from '../../src/core/workspace/index';

/** An in-memory workspace: path → text. */
function workspace(files: Record<string, string>, sqlFunctions: unknown = undefined) {
  const host = { readFile: (f: string) => files[f], fileExists: (f: string) => f in files };
  const index = new WorkspaceIndex(host, { sqlFunctions: readSqlFunctions(sqlFunctions).sinks });
  const extract = (file: string) => extractSql(file, files[file], 'postgresql', index.resolverFor(file)).map((e) => ({ sql: e.sql, api: e.api, wrapper: e.wrapper, engine: e.engine }));
  return { index, extract, files };
}

const PG_WRAPPER = `import { Pool } from 'pg';
const pool = new Pool();
export async function runSql(text: string, values: unknown[] = []) {
  const { rows } = await pool.query(text, values);
  return rows;
}
`;

describe('workspace index: sinks across files', () => {
  it('follows a relative named import', () => {
    const w = workspace({ '/p/db.ts': PG_WRAPPER, '/p/a.ts': "import { runSql } from './db';\nrunSql('SELECT id FROM users WHERE email = $1', [e]);" });
    assert.deepEqual(w.extract('/p/a.ts'), [{ sql: 'SELECT id FROM users WHERE email = $1', api: 'runSql', wrapper: 'runSql', engine: 'postgresql' }]);
  });

  it('follows tsconfig paths through extends, baseUrl imports and folder index files', () => {
    const w = workspace({
      '/p/tsconfig.json': '{ "extends": "./base.json" }',
      '/p/base.json': '{ "compilerOptions": { "baseUrl": "src", "paths": { "~db/*": ["server/db/*"] } } }',
      '/p/src/server/db/index.ts': "export { runSql as query } from './pg';",
      '/p/src/server/db/pg.ts': PG_WRAPPER,
      '/p/src/a.ts': "import { query } from '~db/index';\nquery('SELECT 1 FROM t');",
      '/p/src/b.ts': "import { query } from 'server/db';\nquery('SELECT 2 FROM t');",
    });
    assert.deepEqual(w.extract('/p/src/a.ts').map((e) => e.wrapper), ['runSql']);
    assert.deepEqual(w.extract('/p/src/b.ts').map((e) => e.sql), ['SELECT 2 FROM t']);
  });

  it('follows default, namespace and star re-exports, object members and destructuring', () => {
    const w = workspace({
      '/p/raw.ts': PG_WRAPPER,
      '/p/all.ts': "export * from './raw';",
      '/p/helpers.ts': "import { runSql } from './all';\nexport default { runSql };",
      '/p/a.ts': "import helpers from './helpers';\nconst { runSql } = helpers;\nrunSql('SELECT x FROM t1');",
      '/p/b.ts': "import * as all from './all';\nall.runSql('SELECT b FROM t2');",
      '/p/c.ts': "import h from './helpers';\nh.runSql('SELECT c FROM t3');",
      '/p/d.ts': "const { runSql } = require('./raw');\nrunSql('SELECT d FROM t4');",
    });
    for (const f of ['a', 'b', 'c', 'd']) assert.equal(w.extract(`/p/${f}.ts`).length, 1, f);
  });

  it('is transitive: a wrapper of a wrapper, and class methods on an exported instance', () => {
    const w = workspace({
      '/p/raw.ts': PG_WRAPPER,
      '/p/repo.ts': "import { runSql } from './raw';\nexport class Repo { one(sql: string) { return this.many(sql.trim()); } many(q: string) { return runSql(q); } }\nexport const repo = new Repo();",
      '/p/a.ts': "import { repo } from './repo';\nrepo.one('SELECT * FROM orders WHERE id = $1');",
    });
    assert.deepEqual(w.extract('/p/a.ts').map((e) => e.wrapper), ['one']);
  });

  it('does not treat a function whose parameter never reaches SQL as a sink', () => {
    const w = workspace({
      '/p/log.ts': "export function log(msg: string) { console.log(msg); }",
      '/p/a.ts': "import { log } from './log';\nlog('SELECT 1 FROM t');",
    });
    assert.deepEqual(w.extract('/p/a.ts'), []);
  });

  it('recognises {{name}}, {{name::type}}, :name and @name placeholders in the wrapper’s style', () => {
    const w = workspace({
      '/p/raw.ts': "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport function q(sql: string, data = {}) { const s = sql.replace(/:(\\w+)/g, (_, n) => '$1'); return prisma.$queryRawUnsafe(s); }",
      '/p/a.ts': "import { q } from './raw';\nq('SELECT * FROM t WHERE a = :a AND b::text = :b AND c = :a');",
    });
    assert.deepEqual(w.extract('/p/a.ts').map((e) => e.sql), ['SELECT * FROM t WHERE a = $1 AND b::text = $2 AND c = $1']);
    const v = workspace({ '/p/a.ts': "q(`SELECT * FROM t WHERE id = {{id::uuid}} AND n = @n AND x = '{{not}}'`);" }, [{ name: 'q', placeholders: ['curly', 'at'] }]);
    assert.deepEqual(v.extract('/p/a.ts').map((e) => e.sql), ["SELECT * FROM t WHERE id = $1::uuid AND n = $2 AND x = '{{not}}'"]);
  });

  it('drops a template hole spliced where no value can stand (a fragment), keeping the statement parsable', () => {
    const w = workspace({ '/p/raw.ts': PG_WRAPPER, '/p/a.ts': "import { runSql } from './raw';\nrunSql(`SELECT id FROM t WHERE a = {{a}} ${filter} AND b = ${b}`);" });
    assert.deepEqual(w.extract('/p/a.ts').map((e) => e.sql), ['SELECT id FROM t WHERE a = $1  AND b = $2']);
  });

  it('gives wrappers over ClickHouse, BigQuery, Snowflake and DuckDB their engine', () => {
    const w = workspace({
      '/p/ch.ts': "import { createClient } from '@clickhouse/client';\nconst ch = createClient();\nexport const chQuery = (query: string) => ch.query({ query, format: 'JSON' });",
      '/p/bq.ts': "import { BigQuery } from '@google-cloud/bigquery';\nconst bq = new BigQuery();\nexport async function bqQuery(query: string) { const [rows] = await bq.query({ query }); return rows; }",
      '/p/sf.ts': "import snowflake from 'snowflake-sdk';\nconst conn = snowflake.createConnection({});\nexport function sfQuery(sqlText: string) { return conn.execute({ sqlText }); }",
      '/p/dd.ts': "import duckdb from 'duckdb';\nconst db = new duckdb.Database(':memory:');\nexport function ddQuery(sql: string) { return db.all(sql); }",
      '/p/a.ts': "import { chQuery } from './ch';\nimport { bqQuery } from './bq';\nimport { sfQuery } from './sf';\nimport { ddQuery } from './dd';\nchQuery('SELECT * FROM e WHERE lower(p) = {p:String}');\nbqQuery('SELECT * FROM `proj.ds.t`');\nsfQuery('SELECT * FROM t QUALIFY 1');\nddQuery('SELECT * FROM read_parquet(?)');",
    });
    assert.deepEqual(w.extract('/p/a.ts').map((e) => e.engine), ['clickhouse', 'bigquery', 'snowflake', 'duckdb']);
    const catalog = buildCatalog([], 'postgresql');
    const findings = lintDocument('/p/a.ts', w.files['/p/a.ts'], { dialect: 'postgresql', catalog, embedded: { resolverFor: (f) => w.index.resolverFor(f) } });
    assert.deepEqual(findings, []);
  });

  it('uses configured sqlFunctions for what inference cannot see', () => {
    const w = workspace({ '/p/a.ts': "import { exec } from 'some-sdk';\nexec('SELECT * FROM users WHERE lower(email) = $1');\nother.exec('SELECT 1 FROM t');" }, ['exec']);
    assert.deepEqual(w.extract('/p/a.ts').map((e) => e.wrapper), ['exec', 'exec']);
    assert.deepEqual(readSqlFunctions([{ name: 'x', placeholders: 'weird' }, 12]).problems.length, 2);
  });

  it('re-indexes an edited file and answers from the new text', () => {
    const w = workspace({ '/p/raw.ts': PG_WRAPPER, '/p/a.ts': "import { runSql } from './raw';\nrunSql('SELECT 1 FROM t');" });
    assert.equal(w.extract('/p/a.ts').length, 1);
    w.files['/p/raw.ts'] = 'export function runSql(text: string) { return text; }';
    assert.equal(w.index.update('/p/raw.ts', w.files['/p/raw.ts']), true);
    assert.equal(w.extract('/p/a.ts').length, 0);
    assert.equal(w.index.update('/p/raw.ts', w.files['/p/raw.ts']), false);
  });

  it('round-trips summaries through the cache format and ignores a corrupt cache', () => {
    const w = workspace({ '/p/raw.ts': PG_WRAPPER });
    w.index.summary('/p/raw.ts');
    const back = parseSummaries(serializeSummaries(w.index.summariesByHash()));
    assert.equal(back.size, 1);
    assert.deepEqual([...back.values()][0].functions.runSql.directSinks, [{ param: 0, dialect: 'postgresql' }]);
    assert.equal(parseSummaries('{not json').size, 0);
    assert.equal(parseSummaries('{"version":0,"summaries":{}}').size, 0);
  });
});

describe('n-plus-one in tests, seeds and migrations (relaxed globs)', () => {
  const code = "export async function seed(ids) { for (const id of ids) await pool.query('INSERT INTO t (id) VALUES ($1)', [id]); }";
  const catalog = buildCatalog([], 'postgresql');
  const severityOf = (file: string, relaxedGlobs?: string[]) =>
    lintDocument(file, code, { dialect: 'postgresql', catalog, embedded: relaxedGlobs ? { relaxedGlobs } : undefined }).filter((f) => f.ruleId === 'n-plus-one').map((f) => f.severity);
  it('reports at info by default in tests, seeds and migrations, at the rule severity elsewhere', () => {
    assert.deepEqual(severityOf('/p/src/orders.test.ts'), ['info']);
    assert.deepEqual(severityOf('/p/prisma/seed/users.ts'), ['info']);
    assert.deepEqual(severityOf('/p/db/migrations/0003_backfill.ts'), ['info']);
    assert.deepEqual(severityOf('/p/src/orders.ts'), ['warning']);
  });
  it('follows the configured globs', () => {
    assert.deepEqual(severityOf('/p/scripts/backfill.ts', ['**/scripts/**']), ['info']);
    assert.deepEqual(severityOf('/p/src/orders.test.ts', ['**/scripts/**']), ['warning']);
  });
});
