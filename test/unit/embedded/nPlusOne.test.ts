import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { parseSource } from '../../../src/core/embedded/source';
import { nPlusOne } from '../../../src/core/rules/n-plus-one';

function findings(code: string, file = 'case.ts') {
  const sf = parseSource(file, code);
  return nPlusOne.check(sf).map((f) => ({ text: code.slice(f.start, f.end), message: f.message }));
}

describe('n-plus-one rule', () => {
  // Each invalid case: the reported text, and fragments the message must contain.
  const invalid: { name: string; code: string; at: string; message: RegExp[] }[] = [
    {
      name: 'Prisma finder in for…of',
      code: 'async function f(orders) { for (const o of orders) { o.c = await prisma.customer.findUnique({ where: { id: o.cid } }); } }',
      at: 'prisma.customer.findUnique',
      message: [/`prisma\.customer\.findUnique\(\)`/, /for…of loop over `orders` \(line 1\)/, /findMany\(\{ where: \{ id: \{ in: ids \} \} \}\)/, /include/],
    },
    {
      name: 'pg query in Promise.all(map)',
      code: "const f = (ids) => Promise.all(ids.map((id) => pool.query('SELECT * FROM users WHERE id = $1', [id])));",
      at: 'pool.query',
      message: [/`ids\.map\(\)` callback/, /Promise\.all still sends one query per item/, /= ANY\(\$1\)/],
    },
    {
      name: 'TypeORM repository in for loop',
      code: 'async function f(ids, userRepository) { for (let i = 0; i < ids.length; i++) await userRepository.findOne({ where: { id: ids[i] } }); }',
      at: 'userRepository.findOne',
      message: [/the for loop/, /In\(ids\)/, /relations/],
    },
    {
      name: 'Sequelize association getter',
      code: 'async function f(orders) { for (const order of orders) { const items = await order.getItems(); } }',
      at: 'order.getItems',
      message: [/`order\.getItems\(\)`/, /include/],
    },
    {
      name: 'Sequelize static in while',
      code: 'async function f(q) { while (q.length) { await User.findByPk(q.pop()); } }',
      at: 'User.findByPk',
      message: [/while loop/, /findAll\(\{ where: \{ id: ids \} \}\)/],
    },
    {
      name: 'Mongoose static walking up parents in do…while',
      code: 'async function f(id) { do { const d = await Doc.findById(id); id = d.parent; } while (id); }',
      at: 'Doc.findById',
      message: [/do…while loop/, /walk up a parent chain/, /WITH RECURSIVE/],
    },
    {
      name: 'Knex builder awaited in forEach',
      code: "function f(ids) { ids.forEach(async (id) => { await knex('users').where({ id }).first(); }); }",
      at: "knex('users')",
      message: [/`knex\('users'\)…first\(\)`/, /whereIn/],
    },
    {
      name: 'Kysely executed builder in for…in',
      code: "async function f(m) { for (const k in m) await db.selectFrom('person').where('id', '=', m[k]).execute(); }",
      at: "db.selectFrom('person')",
      message: [/for…in loop over `m`/, /where\('id', 'in', ids\)/],
    },
    {
      name: 'Drizzle select in flatMap',
      code: 'async function f(ids) { return ids.flatMap(async (id) => await db.select().from(users).where(eq(users.id, id))); }',
      at: 'db.select()',
      message: [/flatMap/, /inArray/],
    },
    {
      name: 'mysql2 write in reduce',
      code: "async function f(rows) { await rows.reduce(async (p, r) => { await p; await conn.execute('INSERT INTO t (a) VALUES (?)', [r.a]); }, Promise.resolve()); }",
      at: 'conn.execute',
      message: [/`rows\.reduce\(\)` callback/, /INSERT … VALUES \(…\), \(…\)/],
    },
    {
      name: 'Prisma write gets bulk advice',
      code: 'async function f(ids) { for (const id of ids) await prisma.order.update({ where: { id }, data: { seen: true } }); }',
      at: 'prisma.order.update',
      message: [/createMany|updateMany/],
    },
    {
      name: 'one level of indirection through a local function',
      code: "async function load(id) { return pool.query('SELECT * FROM t WHERE id = $1', [id]); }\nasync function f(ids) { for (const id of ids) await load(id); }",
      at: 'load',
      message: [/`load\(\)` queries the database \(`pool\.query\(\)`, line 1\)/, /for…of loop over `ids` \(line 2\)/],
    },
    {
      name: 'indirection through a class method',
      code: 'class S { async one(id) { return this.repo.findOneBy({ id }); } async all(ids) { for (const id of ids) await this.one(id); } }',
      at: 'this.one',
      message: [/`this\.one\(\)` queries the database/],
    },
    {
      name: 'postgres.js tagged template in loop',
      code: 'async function f(ids) { for (const id of ids) { await sql`SELECT * FROM users WHERE id = ${id}`; } }',
      at: 'sql',
      message: [/`sql`…``/],
    },
    {
      name: 'query inside a transaction callback inside a loop',
      code: "async function f(items) { for (const i of items) { await knex.transaction(async (trx) => { await trx('stock').where({ id: i.id }).decrement('n', 1); }); } }",
      at: "trx('stock')",
      message: [/for…of loop over `items`/],
    },
  ];
  for (const c of invalid) {
    it(`reports: ${c.name}`, () => {
      const got = findings(c.code);
      assert.equal(got.length, 1, JSON.stringify(got));
      assert.equal(got[0].text, c.at);
      for (const m of c.message) assert.match(got[0].message, m);
    });
  }

  const valid: { name: string; code: string }[] = [
    { name: 'query before the loop', code: 'async function f() { const us = await prisma.user.findMany(); for (const u of us) console.log(u); }' },
    { name: 'query after the loop', code: 'async function f(xs) { let t = 0; for (const x of xs) t += x; await pool.query("UPDATE s SET t = $1", [t]); }' },
    { name: 'the loop iterable is the query', code: 'async function f() { for (const u of await prisma.user.findMany()) console.log(u); }' },
    { name: 'Array.prototype.find on a plain array', code: 'function f(users, id) { for (const g of [users]) g.find((u) => u.id === id); }' },
    { name: 'Map.get in a loop', code: 'function f(ids, m) { return ids.map((id) => m.get(id)); }' },
    { name: 'batched IN query', code: "async function f(ids) { return pool.query('SELECT * FROM t WHERE id = ANY($1)', [ids]); }" },
    { name: 'Prisma batch $transaction(map)', code: 'async function f(ids) { await prisma.$transaction(ids.map((id) => prisma.o.update({ where: { id }, data: {} }))); }' },
    { name: 'loops that do not touch the database', code: 'function f(xs) { const out = []; for (const x of xs) out.push(x * 2); xs.forEach((x) => console.log(x)); return out; }' },
    { name: 'DataLoader batches', code: 'function f(ids, loader) { return Promise.all(ids.map((id) => loader.load(id))); }' },
    { name: 'builder composed in a loop, run once', code: "function f(fs) { let q = knex('p'); for (const x of fs) q = q.where(x.c, x.v); return q; }" },
    { name: 'query then break (first match)', code: "async function f(ids) { for (const id of ids) { await pool.query('DELETE FROM t WHERE id = $1', [id]); break; } }" },
    { name: 'retry loop returning the result', code: 'async function f() { for (let i = 0; i < 3; i++) { try { return await prisma.user.count(); } catch {} } }' },
    { name: 'function stored for later, not run in the loop', code: "function f(ids) { for (const id of ids) { const g = function () { return 1; }; } }" },
    { name: 'Apollo client.query with a GraphQL document', code: 'async function f(ids) { for (const id of ids) await client.query({ query: Q, variables: { id } }); }' },
    { name: 'HTTP and storage calls in a loop', code: 'async function f(ids) { for (const id of ids) { await api.get(`/u/${id}`); await fetch(`/u/${id}`); await localStorage.getItem(id); } }' },
    { name: 'Object.create and Math.max in map', code: 'function f(ps, vs) { ps.map((p) => Object.create(p)); vs.map((v) => Math.max(...v)); }' },
    { name: 'local function without a query', code: 'function fmt(r) { return r.id; }\nfunction f(rows) { return rows.map((r) => fmt(r)); }' },
    { name: 'a recursive querying function (not a loop)', code: "async function walk(id) { const r = await pool.query('SELECT parent FROM t WHERE id = $1', [id]); if (r.rows[0]) await walk(r.rows[0].parent); }" },
  ];
  for (const c of valid) {
    it(`silent: ${c.name}`, () => {
      assert.deepEqual(findings(c.code), []);
    });
  }

  it('reports only the innermost loop for nested loops', () => {
    const got = findings('async function f(cs) { for (const c of cs) { for (const p of c.ps) { await prisma.r.findMany({ where: { p: p.id } }); } } }');
    assert.equal(got.length, 1);
    assert.match(got[0].message, /loop over `c\.ps`/);
  });

  it('never throws on broken source', () => {
    assert.ok(Array.isArray(findings('for (const x of { await prisma.user.findMany(')));
  });
});

/**
 * The labelled corpus: snippets in the shapes real Prisma, TypeORM, Sequelize, Knex, pg,
 * mysql2 (and Mongoose, Drizzle, Kysely, sqlite, postgres.js, slonik) code takes. In
 * `positive/`, each line ending in `// N+1` is one expected finding; every function in
 * `negative/` is a snippet that must stay silent. `blind.ts` in each folder was written
 * before the rule was run on it (held out from tuning).
 */
describe('n-plus-one labelled corpus', () => {
  const root = path.join(__dirname, '../../fixtures/n-plus-one');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let positives = 0;
  let negatives = 0;
  const misses: string[] = [];
  before(() => {
    for (const kind of ['positive', 'negative']) {
      for (const file of fs.readdirSync(path.join(root, kind)).filter((f) => f.endsWith('.ts'))) {
        const text = fs.readFileSync(path.join(root, kind, file), 'utf8');
        const sf = parseSource(file, text);
        const lines = text.split('\n');
        const marked = new Set(lines.flatMap((l, i) => (/\/\/ N\+1\s*$/.test(l) ? [i] : [])));
        positives += marked.size;
        if (kind === 'negative') negatives += countFunctions(sf);
        const reported = new Set(nPlusOne.check(sf).map((f) => sf.getLineAndCharacterOfPosition(f.start).line));
        for (const line of reported) {
          if (marked.has(line)) tp++;
          else {
            fp++;
            misses.push(`false positive ${kind}/${file}:${line + 1}`);
          }
        }
        for (const line of marked) {
          if (!reported.has(line)) {
            fn++;
            misses.push(`missed ${kind}/${file}:${line + 1}`);
          }
        }
      }
    }
  });

  it('has at least 40 positive and 40 negative snippets', () => {
    assert.ok(positives >= 40, `positives: ${positives}`);
    assert.ok(negatives >= 40, `negatives: ${negatives}`);
  });

  it('keeps precision and recall at or above the measured figures (1.00 / 0.98)', () => {
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    // Measured when written: 66 true positives, 0 false positives, 1 miss
    // (a Knex builder returned inside an array literal from flatMap, positive/blind.ts).
    assert.ok(precision >= 1, `precision ${precision.toFixed(3)}; ${misses.join('; ')}`);
    assert.ok(recall >= 0.98, `recall ${recall.toFixed(3)}; ${misses.join('; ')}`);
  });
});

function countFunctions(sf: ts.SourceFile): number {
  let n = 0;
  const visit = (node: ts.Node): void => {
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.body) n++;
    if (ts.isVariableStatement(node) && node.parent === sf && node.declarationList.declarations.some((d) => d.initializer && ts.isArrowFunction(d.initializer))) n++;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return n;
}
