import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { parseSource } from '../../../src/core/embedded/source';
import { nPlusOne } from '../../../src/core/rules/n-plus-one';
import { WorkspaceIndex } from '../../../src/core/workspace/index';

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
    {
      name: 'loop-invariant query',
      code: "async function f(us) { for (const u of us) { u.s = await pool.query('SELECT * FROM settings WHERE id = 1'); } }",
      at: 'pool.query',
      message: [/runs the same query on every iteration/, /Hoist it out of the loop/],
    },
    {
      name: 'walk up a parent chain',
      code: "async function f(id) { let p = id; while (p) { const { rows } = await pool.query('SELECT parent_id FROM t WHERE id = $1', [p]); p = rows[0]?.parent_id; } }",
      at: 'pool.query',
      message: [/walk up a parent chain/, /WITH RECURSIVE/],
    },
    {
      name: 'findFirst in Promise.all(map) is not batched by Prisma',
      code: 'const f = (es) => Promise.all(es.map((email) => prisma.user.findFirst({ where: { email } })));',
      at: 'prisma.user.findFirst',
      message: [/Promise\.all still sends one query per item/],
    },
    {
      name: 'an entity a query returned',
      code: 'async function f(ids) { for (const id of ids) { const u = await User.findByPk(id); u.n++; } }',
      at: 'User.findByPk',
      message: [/for…of loop over `ids`/],
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
    { name: 'Prisma same-tick findUnique batching', code: 'const f = (ids) => Promise.all(ids.map((id) => prisma.post.findUnique({ where: { id } })));' },
    { name: 'batch loop ending on a short batch', code: 'class A { async run() { while (true) { const n = await this.batch(); if (n < 500) break; } } async batch() { return (await this.db.query("DELETE FROM e WHERE id IN (SELECT id FROM e LIMIT 500)")).rowCount; } }' },
    { name: 'drain loop ending on an empty page', code: "async function f(pool) { for (;;) { const { rows } = await pool.query('SELECT id FROM jobs LIMIT 100'); if (rows.length === 0) break; await run(rows); } }" },
    { name: 'retry until the lock is taken', code: "async function f(db) { while (true) { const r = await db.query('SELECT pg_try_advisory_lock(1) AS ok'); if (r.rows[0].ok) break; await sleep(50); } }" },
    { name: 'pdf-lib documents', code: "import { PDFDocument } from 'pdf-lib';\nasync function f(bs) { for (const b of bs) { const pdf = await PDFDocument.load(b); await pdf.save(); pdf.getPage(0); } }" },
    { name: 'DOM clean-up in forEach', code: "function f() { document.querySelectorAll('.x').forEach((el) => el.remove()); }" },
  ];
  for (const c of valid) {
    it(`silent: ${c.name}`, () => {
      assert.deepEqual(findings(c.code), []);
    });
  }

  it('reports a loop over a literal list of at most three items at info', () => {
    const sf = parseSource('case.ts', "async function f(db) { for (const s of ['a', 'b']) await db.query('DELETE FROM t WHERE s = $1', [s]); }");
    const got = nPlusOne.check(sf);
    assert.equal(got.length, 1);
    assert.equal(got[0].severity, 'info');
    assert.match(got[0].message, /2-item literal list/);
  });

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
  let secondWave = 0;
  // Files written for the second wave (shapes the first corpus did not have).
  const SECOND_WAVE = new Set(['receivers.ts', 'batches.ts', 'prisma-batching.ts', 'shapes.ts']);
  let negatives = 0;
  const misses: string[] = [];
  before(() => {
    // `workspace/` holds wrappers across files: its loops are judged with the workspace index.
    const workspaceFiles = listTs(path.join(root, 'workspace'));
    const index = new WorkspaceIndex({ readFile: (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined), fileExists: (f) => fs.existsSync(f) && fs.statSync(f).isFile() });
    const corpus = [
      ...['positive', 'negative'].flatMap((kind) => listTs(path.join(root, kind)).map((full) => ({ kind, full }))),
      ...workspaceFiles.map((full) => ({ kind: 'workspace', full })),
    ];
    for (const { kind, full } of corpus) {
      {
        const file = path.relative(path.join(root, kind), full);
        const text = fs.readFileSync(full, 'utf8');
        const sf = parseSource(full, text);
        const lines = text.split('\n');
        const marked = new Set(lines.flatMap((l, i) => (/\/\/ N\+1\s*$/.test(l) ? [i] : [])));
        positives += marked.size;
        if (kind === 'negative') negatives += countFunctions(sf);
        if (SECOND_WAVE.has(path.basename(full)) || kind === 'workspace') secondWave += kind === 'negative' ? countFunctions(sf) : marked.size;
        const ctx = kind === 'workspace' ? index.resolverFor(full) : undefined;
        const reported = new Set(nPlusOne.check(sf, ctx).map((f) => sf.getLineAndCharacterOfPosition(f.start).line));
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

  it('has at least 60 snippets of the second wave (non-database receivers, batch/retry loops, shapes, Prisma batching, wrappers across files)', () => {
    assert.ok(secondWave >= 60, `second-wave snippets: ${secondWave}`);
  });

  it('keeps precision and recall at or above 0.98 on the whole corpus', () => {
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    // Measured when written (second wave): 94 true positives, 0 false positives, 1 miss
    // (a Knex builder returned inside an array literal from flatMap, positive/blind.ts).
    assert.ok(precision >= 0.98, `precision ${precision.toFixed(3)} (tp ${tp}, fp ${fp}); ${misses.join('; ')}`);
    assert.ok(recall >= 0.98, `recall ${recall.toFixed(3)} (tp ${tp}, fn ${fn}); ${misses.join('; ')}`);
  });
});

function listTs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listTs(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

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
