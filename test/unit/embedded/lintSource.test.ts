import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { lintSource } from '../../../src/core/embedded/lintSource';
import { extractSql } from '../../../src/core/embedded/extract';
import { lintDocument } from '../../../src/core/lint/document';
import { ruleById } from '../../../src/core/rules/index';
import { buildCatalog, emptyCatalog } from '../../../src/core/schema/catalog';
import type { DocumentFinding, LintOptions } from '../../../src/core/lint/types';

const catalog = buildCatalog([
  {
    file: 'schema.sql',
    text: `CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, name text, age int);
CREATE TABLE orders (id serial PRIMARY KEY, user_id int NOT NULL REFERENCES users(id), status text, total numeric, created_at timestamptz);
CREATE INDEX orders_status_created_idx ON orders (status, created_at);`,
  },
]);
const opts: LintOptions = { dialect: 'postgresql', catalog };

function wrap(body: string): string {
  return `export async function handler(pool, prisma, id, q, ids) {\n${body}\n}\n`;
}

/** Findings as `rule: covered text` pairs, the way a user sees them in the editor. */
function seen(src: string, o: LintOptions = opts, file = 'app.ts'): string[] {
  return lintSource(file, src, o).map((f) => `${f.ruleId}: ${src.slice(f.start, f.end)}`);
}

function applyEdits(text: string, f: DocumentFinding): string {
  const edits = [...f.fixes![0].edits].sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

describe('lintSource: SQL rules on embedded SQL', () => {
  const invalid: { name: string; code: string; expect: string }[] = [
    { name: 'select-star in pg string', code: `await pool.query('SELECT * FROM users WHERE id = $1', [id]);`, expect: 'select-star: *' },
    { name: 'function-on-column in template', code: 'await pool.query(`SELECT id FROM users WHERE lower(email) = ${q}`);', expect: 'function-on-column: lower(email)' },
    { name: 'expression-on-column in Prisma $queryRaw', code: 'await prisma.$queryRaw`SELECT id FROM users WHERE age + 1 = ${q}`;', expect: 'expression-on-column: age + 1' },
    { name: 'leading-wildcard through SQL ||', code: `await pool.query("SELECT id FROM users WHERE name LIKE '%' || $1", [q]);`, expect: "leading-wildcard: '%' || $1" },
    { name: 'leading-wildcard through JS concatenation', code: `await pool.query("SELECT id FROM users WHERE name LIKE " + "'%" + q + "'");`, expect: `leading-wildcard: '%" + q + "'` },
    { name: 'leading-wildcard in a bound pg value', code: 'await pool.query(\'SELECT id FROM users WHERE name ILIKE $1\', [`%${q}%`]);', expect: 'leading-wildcard: $1' },
    { name: 'leading-wildcard in a bound ? value', code: `await pool.query('SELECT id FROM users WHERE name LIKE ? AND id = ?', ['%' + q, id]);`, expect: 'leading-wildcard: ?' },
    { name: 'leading-wildcard in a Prisma hole', code: "await prisma.$queryRaw`SELECT id FROM users WHERE name LIKE ${'%' + q}`;", expect: "leading-wildcard: ${'%' + q}" },
    { name: 'missing-index on orders.user_id', code: `await pool.query('SELECT id FROM orders WHERE user_id = $1', [id]);`, expect: 'missing-index: user_id' },
    { name: 'leftmost-prefix skips status', code: `await pool.query('SELECT id FROM orders WHERE created_at > now()');`, expect: 'leftmost-prefix: created_at' },
  ];
  for (const c of invalid) {
    it(`reports ${c.name}`, () => {
      assert.ok(seen(wrap(c.code)).includes(c.expect), `got ${JSON.stringify(seen(wrap(c.code)))}`);
    });
  }

  const valid: { name: string; code: string }[] = [
    { name: 'indexed lookup', code: `await pool.query('SELECT id, email FROM users WHERE id = $1', [id]);` },
    { name: 'bound value with a trailing wildcard only', code: `await pool.query('SELECT id FROM users WHERE name LIKE $1', [q + '%']);` },
    { name: 'trailing wildcard', code: `await pool.query("SELECT id FROM users WHERE name LIKE 'ab%'");` },
    { name: 'composite index leading column', code: `await pool.query('SELECT id FROM orders WHERE status = $1', [q]);` },
    { name: 'SQL-looking string that never reaches a query API', code: `const s = 'SELECT * FROM users WHERE lower(email) = 1'; console.log(s);` },
    { name: 'hole standing for a table name (no parse-error noise)', code: 'await pool.query(`SELECT id FROM ${q} WHERE id = 1`);' },
    { name: 'unparsable only because of a SQL fragment hole', code: 'await sql`SELECT id FROM users ${q}`;' },
  ];
  for (const c of valid) {
    it(`stays silent on ${c.name}`, () => {
      assert.deepEqual(seen(wrap(c.code)), []);
    });
  }

  it('maps the select-star fix exactly into the TS file', () => {
    const src = wrap(`await pool.query('SELECT * FROM users WHERE id = $1', [id]);`);
    const f = lintSource('app.ts', src, opts).find((x) => x.ruleId === 'select-star')!;
    assert.ok(f.fixes && f.fixes.length === 1);
    const fixed = applyEdits(src, f);
    assert.equal(extractSql('app.ts', fixed)[0].sql, 'SELECT id, email, name, age FROM users WHERE id = $1');
  });

  it('maps the expression-on-column rewrite exactly into a template literal', () => {
    const src = wrap('await pool.query(`SELECT id FROM users WHERE age + 1 = 30 AND id = ${id}`);');
    const f = lintSource('app.ts', src, opts).find((x) => x.ruleId === 'expression-on-column')!;
    const fixed = applyEdits(src, f);
    assert.match(extractSql('app.ts', fixed)[0].sql, /WHERE age = 29 AND id = \$1$/);
  });

  it('drops a fix whose edit would span two concatenated literals', () => {
    const src = wrap(`await pool.query('SELECT id FROM users WHERE age ' + '+ 1 = 30');`);
    const f = lintSource('app.ts', src, opts).find((x) => x.ruleId === 'expression-on-column');
    assert.ok(f, 'finding still reported');
    assert.equal(f!.fixes, undefined);
  });

  it('reports a real syntax error in constant embedded SQL', () => {
    const found = seen(wrap(`await pool.query('SELECT id FROM users WHERE');`));
    assert.equal(found.length, 1);
    assert.match(found[0], /^parse-error: /);
  });

  it('respects severity settings and off', () => {
    const src = wrap(`for (const i of ids) await pool.query('SELECT * FROM users WHERE id = $1', [i]);`);
    const base = lintSource('app.ts', src, opts);
    assert.ok(base.some((f) => f.ruleId === 'n-plus-one' && f.severity === 'warning'));
    const off = lintSource('app.ts', src, { ...opts, rules: { 'n-plus-one': 'off', 'select-star': 'off' } });
    assert.deepEqual(off.map((f) => f.ruleId), []);
    const err = lintSource('app.ts', src, { ...opts, rules: { 'n-plus-one': 'error' } });
    assert.equal(err.find((f) => f.ruleId === 'n-plus-one')!.severity, 'error');
  });

  it('uses MySQL placeholders and rules for the MySQL dialect', () => {
    const src = wrap('await pool.query(`SELECT id FROM users WHERE lower(email) = ${q}`);');
    const found = lintSource('app.ts', src, { dialect: 'mysql', catalog });
    assert.ok(found.some((f) => f.ruleId === 'function-on-column'));
  });

  it('works without a schema (schema rules stay silent)', () => {
    const found = seen(wrap(`await pool.query('SELECT id FROM orders WHERE user_id = $1', [id]);`), { dialect: 'postgresql', catalog: emptyCatalog() });
    assert.deepEqual(found, []);
  });

  it('returns the cached result for unchanged text and options', () => {
    const src = wrap(`await pool.query('SELECT * FROM users');`);
    assert.equal(lintSource('cache.ts', src, opts), lintSource('cache.ts', src, opts));
    assert.notEqual(lintSource('cache.ts', src, opts), lintSource('cache.ts', src + '\n', opts));
  });

  it('handles bad input with a clear message and no throw', () => {
    assert.deepEqual(lintSource('bad.ts', 'function (( { pool.query(', opts).filter((f) => f.severity !== 'info'), []);
    const bin = lintSource('bin.js', 'PK\u0003\u0004\u0000\u0000', opts);
    assert.equal(bin.length, 1);
    assert.match(bin[0].message, /binary/);
    const huge = 'x'.repeat(5_000_001);
    assert.match(lintSource('huge.js', huge, opts)[0].message, /not scanned/);
    assert.deepEqual(lintSource('empty.ts', '', opts), []);
    const deep = 'const x = ' + '['.repeat(30000) + ']'.repeat(30000) + ';';
    assert.ok(Array.isArray(lintSource('deep.ts', deep, opts)));
  });

  it('does not load the TypeScript compiler until the first scan (activation stays cheap)', function () {
    this.timeout(60_000);
    // A fresh process: in this one other tests have loaded typescript already.
    const script = `
      require('./src/core/lint/document');
      require('./src/core/embedded/extract');
      const loaded = () => Object.keys(require.cache).some((k) => /[\\/]node_modules[\\/]typescript[\\/]/.test(k));
      const before = loaded();
      const registered = !!require('./src/core/rules/index').ruleById('n-plus-one');
      require('./src/core/embedded/extract').extractSql('a.ts', "pool.query('SELECT 1 FROM t')");
      console.log(JSON.stringify({ before, registered, after: loaded() }));`;
    const root = path.resolve(__dirname, '../../..');
    const out = execFileSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: root, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), { before: false, registered: true, after: true });
  });

  it('is reached through lintDocument for TS/JS files and registers n-plus-one', () => {
    const src = wrap(`for (const i of ids) { await prisma.user.findUnique({ where: { id: i } }); }`);
    assert.deepEqual(lintDocument('src/a.ts', src, opts).map((f) => f.ruleId), ['n-plus-one']);
    assert.equal(ruleById('n-plus-one')?.defaultSeverity, 'warning');
  });
});
