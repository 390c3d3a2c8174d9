import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { LiveError } from '../../src/core/live/errors';
import { overlaps } from '../../src/core/live/health';
import { convertMysqlPlan } from '../../src/core/live/mysqlPlan';
import { layoutPlan } from '../../src/core/plan/layout';
import { metricScale } from '../../src/core/plan/metrics';
import { mysqlBoxLine, mysqlFactRows } from '../../src/core/plan/mysqlFacts';
import { graphScene, svgMarkup } from '../../src/core/plan/scene';
import { guardMysql, guardPostgres } from '../../src/core/live/statement';
import { parseDatabaseUrl, redactUrl } from '../../src/core/live/target';
import { buildPlanModel } from '../../src/core/plan/model';
import { buildCatalog } from '../../src/core/schema/catalog';

const PLANS = path.join(__dirname, '..', 'fixtures', 'live', 'mysql-plans');

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof LiveError, String(err));
    assert.equal(err.kind, 'refused');
    return err.message;
  }
  assert.fail('expected a refusal');
}

describe('live: the statement gate (PostgreSQL parser)', () => {
  const allowed: [string, string, boolean][] = [
    ['SELECT * FROM orders WHERE id = $1;', 'select', false],
    ['  select 1 ; -- trailing comment', 'select', false],
    ['WITH x AS (SELECT 1) SELECT * FROM x', 'select', false],
    ['WITH d AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM d', 'select', true],
    ['SELECT id FROM orders FOR UPDATE', 'select', true],
    ["UPDATE orders SET status = 'paid' WHERE id = 1", 'update', true],
    ['INSERT INTO orders (id) VALUES (1)', 'insert', true],
    ['DELETE FROM orders USING users WHERE users.id = orders.user_id', 'delete', true],
    ['MERGE INTO orders o USING staged s ON o.id = s.id WHEN MATCHED THEN DELETE', 'merge', true],
  ];
  for (const [sql, kind, writes] of allowed) {
    it(`allows ${sql}`, async () => {
      const g = await guardPostgres(sql);
      assert.equal(g.kind, kind);
      assert.equal(g.writes, writes);
      assert.doesNotMatch(g.sql, /;\s*$/);
    });
  }

  const refused: [string, RegExp][] = [
    ['DROP TABLE orders', /DROP statements are never run/],
    ['select 1; drop table orders', /found 2 statements/],
    ['ALTER TABLE orders ADD COLUMN x int', /ALTER TABLE statements/],
    ["SET search_path = 'x'", /SET statements/],
    ["COPY orders FROM PROGRAM 'rm -rf /'", /COPY statements/],
    ["DO $$ BEGIN PERFORM 1; END $$", /DO statements/],
    ['CALL cleanup()', /CALL statements/],
    ['BEGIN', /a transaction command statements/],
    ['SELECT * INTO copy FROM orders', /SELECT … INTO creates a table/],
    ['CREATE TABLE t AS SELECT 1', /CREATE TABLE AS statements/],
    ['EXPLAIN ANALYZE DELETE FROM orders', /without EXPLAIN/],
    ['SELEC 1', /parser cannot read this statement/],
    ['', /no SQL statement/],
  ];
  for (const [sql, message] of refused) {
    it(`refuses ${JSON.stringify(sql)}`, async () => {
      let caught: unknown;
      await guardPostgres(sql).catch((e) => (caught = e));
      assert.ok(caught instanceof LiveError && caught.kind === 'refused', String(caught));
      assert.match((caught as Error).message, message);
    });
  }
});

describe('live: the statement gate (MySQL parser)', () => {
  it('allows one SELECT/UPDATE and marks locking reads as writes', () => {
    assert.deepEqual(guardMysql('SELECT * FROM `orders` WHERE id = ? LIMIT 1, 2;'), { sql: 'SELECT * FROM `orders` WHERE id = ? LIMIT 1, 2', kind: 'select', writes: false });
    assert.equal(guardMysql('SELECT id FROM orders WHERE id = 1 FOR UPDATE').writes, true);
    assert.equal(guardMysql('UPDATE orders SET total = 0').kind, 'update');
  });
  it('refuses DDL, several statements, SELECT … INTO and text it cannot parse', () => {
    assert.match(refusal(() => guardMysql('DROP TABLE orders')), /DROP statements are never run/);
    assert.match(refusal(() => guardMysql('SELECT 1; SELECT 2')), /found 2 statements/);
    assert.match(refusal(() => guardMysql('SELECT id INTO @x FROM orders')), /SELECT … INTO/);
    assert.match(refusal(() => guardMysql('SELEKT 1')), /cannot read this statement/);
  });
});

describe('live: database URLs', () => {
  it('reads dialect, host, port, database, user, password and sslmode', () => {
    const t = parseDatabaseUrl('postgresql://app:p%40ss@db.internal:6543/shop?sslmode=require');
    assert.deepEqual(
      { dialect: t.dialect, host: t.host, port: t.port, database: t.database, user: t.user, password: t.password, sslmode: t.sslmode, display: t.display },
      { dialect: 'postgresql', host: 'db.internal', port: 6543, database: 'shop', user: 'app', password: 'p@ss', sslmode: 'require', display: 'db.internal:6543/shop' },
    );
    assert.equal(parseDatabaseUrl('mysql://root@localhost/app').port, 3306);
    assert.equal(parseDatabaseUrl('mariadb://root@localhost/app').dialect, 'mysql');
    assert.equal(parseDatabaseUrl('postgres://u@h/d').port, 5432);
  });
  it('rejects what is not a database URL, in plain words', () => {
    for (const [url, message] of [
      ['not a url', /not a URL/],
      ['http://x/y', /unsupported database URL scheme 'http:'/],
      ['mysql://u@h:3306/', /names no database/],
      ['postgresql://u@h/d?sslmode=sometimes', /unknown sslmode 'sometimes'/],
    ] as [string, RegExp][]) {
      assert.throws(() => parseDatabaseUrl(url), (e: unknown) => e instanceof LiveError && e.kind === 'usage' && message.test(e.message));
    }
  });
  it('never prints a password', () => {
    assert.equal(redactUrl('postgresql://app:secret@h:5432/d'), 'postgresql://app:***@h:5432/d');
  });
});

describe('live: MySQL EXPLAIN FORMAT=JSON → plan model', () => {
  const load = (f: string) => JSON.parse(fs.readFileSync(path.join(PLANS, f), 'utf8'));

  it('MariaDB join with filesort and temporary table (captured from MariaDB 10.11)', () => {
    const { plan, hasCosts } = convertMysqlPlan(load('01-mariadb-join-filesort.json'));
    assert.equal(hasCosts, false);
    const model = buildPlanModel(plan);
    assert.deepEqual(
      model.nodes.map((n) => `${'  '.repeat(n.depth)}${n.label}`),
      ['Sort', '  Temporary Table', '    Nested Loop', '      Full Index Scan using users_email_uq on u', '      Index Lookup using orders_user_fk on o'],
    );
    const lookup = model.nodes[4];
    assert.deepEqual(lookup.mysql, { accessType: 'ref', key: 'orders_user_fk', possibleKeys: ['orders_user_fk'], usedKeyParts: ['user_id'], ref: ['shop.u.id'], rowsExamined: 3, filtered: 100, usingIndex: false });
    // Without server costs, rows examined across probes stand in: 3 rows × 3,000 probes.
    assert.equal(lookup.totalCost, 9000);
    assert.equal(model.nodes[2].planRows, 9000);
    assert.deepEqual(model.warnings.map((w) => w.kind).sort(), ['mysql-filesort', 'mysql-full-scan', 'mysql-temporary']);
  });

  it('MySQL 8 ordering operation with costs (MySQL 8.0 output shape)', () => {
    const { plan, hasCosts } = convertMysqlPlan(load('02-mysql8-ordering-costs.json'));
    assert.equal(hasCosts, true);
    const model = buildPlanModel(plan);
    assert.equal(model.root.nodeType, 'Sort');
    const scan = model.nodes[1];
    assert.equal(scan.label, 'Full Table Scan on orders');
    assert.equal(scan.totalCost, 2045.25);
    assert.equal(scan.planRows, 1987.5);
    assert.equal(model.totalCost, 2045.25);
    const full = model.warnings.find((w) => w.kind === 'mysql-full-scan')!;
    assert.equal(full.message, 'Full table scan on orders (access type ALL) examines ~19,875 rows, and its conditions keep about 10% of them: no index serves (`shop`.`orders`.`user_id` = 42).');
  });

  it('an UPDATE becomes an Update node over its scan', () => {
    const model = buildPlanModel(convertMysqlPlan(load('03-mariadb-update.json')).plan);
    assert.deepEqual(model.nodes.map((n) => n.label), ['Update on orders', 'Index Range Scan using PRIMARY on orders']);
    assert.equal(model.nodes[1].mysql?.accessType, 'range');
    assert.equal(model.warnings.length, 0);
  });

  it("shows MySQL's facts in MySQL's words: node fields, node boxes and a wider graph", () => {
    const model = buildPlanModel(convertMysqlPlan(load('01-mariadb-join-filesort.json')).plan);
    const lookup = model.nodes[4];
    // The details' "All fields" table: EXPLAIN's names, not one JSON blob under "MySQL".
    assert.equal(lookup.fields?.MySQL, undefined);
    assert.deepEqual(
      mysqlFactRows(lookup.mysql!),
      [['Access type', 'ref'], ['Key', 'orders_user_fk'], ['Possible keys', 'orders_user_fk'], ['Key parts used', 'user_id'], ['Ref', 'shop.u.id'], ['Rows examined per scan', '3'], ['Filtered', '100%']],
    );
    for (const [label, value] of mysqlFactRows(lookup.mysql!)) assert.equal(lookup.fields?.[label], value);
    const scan = model.nodes[3];
    assert.equal(scan.fields?.['Extra'], 'Using index');
    assert.equal(mysqlBoxLine(scan.mysql!), 'index · 3,000 examined · Using index · key users_email_uq');
    assert.equal(mysqlBoxLine(model.root.mysql!), 'Using filesort');
    assert.equal(mysqlBoxLine(model.nodes[1].mysql!), 'Using temporary');
    // The node boxes carry the line: the graph's second text row of each MySQL step.
    const layout = layoutPlan(model.root, model.nodes.length);
    assert.ok(layout.boxes[0].w > layoutPlan(buildPlanModel({ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 't', 'Total Cost': 1, 'Plan Rows': 1 } }).root, 1).boxes[0].w, 'MySQL plans get wider boxes');
    const scene = graphScene(model, layout, metricScale(model.nodes, 'exclusiveCost'));
    const subs = svgMarkup(scene).match(/<text class="sub"[^>]*>([^<]*)</g)!.map((t) => t.replace(/^.*>([^<]*)<$/, '$1'));
    assert.equal(subs[4], 'ref · 3 examined · key orders_user_fk');
    assert.match(subs[0], /^Using filesort · rows 9,000/);
  });

  it('rejects what is not MySQL EXPLAIN JSON', () => {
    assert.throws(() => convertMysqlPlan({ Plan: {} }), /no "query_block"/);
  });
});

describe('live: duplicate and redundant indexes', () => {
  it('finds an exact duplicate and a prefix-redundant index, never a constraint index', () => {
    const catalog = buildCatalog([
      {
        file: 's.sql',
        text: `CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int);
               CREATE INDEX t_a_b ON t (a, b); CREATE INDEX t_a_b_again ON t (a, b); CREATE INDEX t_a ON t (a);
               CREATE INDEX t_a_partial ON t (a) WHERE c > 0; CREATE UNIQUE INDEX t_id_a ON t (id, a);`,
      },
    ]);
    const { duplicates, redundant } = overlaps(catalog.tables.get('t')!);
    assert.deepEqual(duplicates.map((d) => `${d.index.name}=${d.other.name}`), ['t_a_b_again=t_a_b']);
    assert.deepEqual(redundant.map((d) => `${d.index.name}<${d.other.name}`).sort(), ['t_a<t_a_b', 't_a<t_a_b_again']);
  });
});
