/**
 * Pure half of the index advisor: predicate analysis and candidate generation, on the real
 * parser and the real schema catalog (no engine). Tables of query → expected index shape.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeQuery, generateCandidates } from '../../src/core/advisor';
import type { Candidate, DataStats } from '../../src/core/advisor/types';
import { parseArrayText, valueFraction } from '../../src/core/advisor/stats';
import { normalizeExpression } from '../../src/core/advisor/expression';
import { buildCatalog } from '../../src/core/schema/catalog';
import type { Dialect } from '../../src/core/dialect';

const schemaText = fs.readFileSync(path.join(__dirname, '../fixtures/advisor/schema.sql'), 'utf8');
const catalog = buildCatalog([{ file: 'schema.sql', text: schemaText }]);
const mysqlCatalog = buildCatalog([{ file: 'schema.sql', text: schemaText }], 'mysql');

function candidates(sql: string, dialect: Dialect = 'postgresql', stats?: DataStats): Candidate[] {
  return generateCandidates(analyzeQuery(sql, dialect === 'mysql' ? mysqlCatalog : catalog, dialect), dialect === 'mysql' ? mysqlCatalog : catalog, dialect, { stats });
}

/** "(user_id, created_at)" for the first candidate of a kind. */
function keysOf(c: Candidate | undefined): string {
  return c ? `(${c.keys.map((k) => (k.column ?? k.expression) + (k.descending ? ' DESC' : '')).join(', ')})` : 'none';
}

describe('advisor: predicate analysis', () => {
  it('finds equality, range, ORDER BY with direction, LIMIT and the columns read', () => {
    const a = analyzeQuery('SELECT o.total, o.status FROM orders o WHERE o.user_id = $1 AND o.created_at > $2 ORDER BY o.created_at DESC LIMIT 10', catalog, 'postgresql');
    assert.equal(a.ok, true);
    assert.equal(a.limit, 10);
    const u = a.tables[0];
    assert.equal(u.table, 'orders');
    assert.deepEqual(u.predicates.map((p) => [p.key.column, p.op, p.value]), [
      ['user_id', 'eq', 'param'],
      ['created_at', 'range', 'param'],
    ]);
    assert.deepEqual(u.orderBy, [{ key: { column: 'created_at' }, descending: true }]);
    assert.deepEqual(u.referenced, ['total', 'status', 'user_id', 'created_at']);
    assert.equal(u.selectAll, false);
  });

  const table: [string, string, unknown][] = [
    ['IN list', "SELECT id FROM orders WHERE status IN ('PAID', 'SHIPPED')", [['status', 'in']]],
    ['= ANY($1)', 'SELECT id FROM orders WHERE user_id = ANY($1)', [['user_id', 'in']]],
    ['reversed comparison flips the operator', 'SELECT id FROM orders WHERE $1 < total', [['total', 'range']]],
    ['BETWEEN is a range', 'SELECT id FROM orders WHERE total BETWEEN 1 AND 5', [['total', 'range']]],
    ['IS NULL is a constant predicate', 'SELECT id FROM orders WHERE note IS NULL', [['note', 'null']]],
    ['expression on a column', 'SELECT id FROM users WHERE lower(email) = $1', [['lower(email)', 'eq']]],
    ['date_trunc expression', "SELECT id FROM users WHERE date_trunc('day', created_at) = $1", [["date_trunc('day', created_at)", 'eq']]],
    ['<> is not sargable', 'SELECT id FROM orders WHERE status <> $1', []],
    ['OR is not split', 'SELECT id FROM orders WHERE user_id = $1 OR total > 5', []],
    ['column = column of the same table is not a predicate', 'SELECT id FROM orders WHERE total = id', []],
    ['arithmetic on a column is not an index key (rewrite it instead)', 'SELECT id FROM orders WHERE total / 100 > 5', []],
    ['now() - interval is a value', "SELECT id FROM orders WHERE created_at > now() - interval '7 days'", [['created_at', 'range']]],
  ];
  for (const [name, sql, expected] of table) {
    it(name, () => {
      const a = analyzeQuery(sql, catalog, 'postgresql');
      assert.equal(a.ok, true, a.message);
      assert.deepEqual(
        a.tables[0].predicates.map((p) => [p.key.column ?? p.key.expression, p.op]),
        expected,
      );
    });
  }

  it('records join keys on both sides and keeps filters per table', () => {
    const a = analyzeQuery('SELECT u.name, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE u.country = $1', catalog, 'postgresql');
    const users = a.tables.find((t) => t.table === 'users')!;
    const orders = a.tables.find((t) => t.table === 'orders')!;
    assert.deepEqual(users.joinKeys, ['id']);
    assert.deepEqual(orders.joinKeys, ['user_id']);
    assert.deepEqual(users.predicates.map((p) => p.key.column), ['country']);
    assert.deepEqual(orders.predicates, []);
  });

  it('analyses subqueries, CTEs and UNION branches as their own blocks', () => {
    const a = analyzeQuery(
      "WITH recent AS (SELECT id FROM users WHERE created_at > $1) SELECT id FROM orders WHERE user_id IN (SELECT id FROM recent) UNION SELECT id FROM events WHERE kind = 'x'",
      catalog,
      'postgresql',
    );
    assert.deepEqual(a.tables.map((t) => t.table).sort(), ['events', 'orders', 'users']);
    assert.deepEqual(a.unknownTables, []);
  });

  it('treats an outer column in a correlated subquery as a per-row value', () => {
    const a = analyzeQuery('SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.status = $1)', catalog, 'postgresql');
    const orders = a.tables.find((t) => t.table === 'orders')!;
    assert.deepEqual(orders.predicates.map((p) => [p.key.column, p.op, p.value]), [
      ['user_id', 'eq', 'param'],
      ['status', 'eq', 'param'],
    ]);
  });

  it('resolves ORDER BY by position and by output alias', () => {
    const byPos = analyzeQuery('SELECT created_at, id FROM orders WHERE user_id = $1 ORDER BY 1 DESC', catalog, 'postgresql');
    assert.deepEqual(byPos.tables[0].orderBy, [{ key: { column: 'created_at' }, descending: true }]);
    const byAlias = analyzeQuery('SELECT created_at AS t FROM orders WHERE user_id = $1 ORDER BY t', catalog, 'postgresql');
    assert.deepEqual(byAlias.tables[0].orderBy, [{ key: { column: 'created_at' }, descending: false }]);
  });

  it('drops ORDER BY that mixes tables (no single index can deliver it)', () => {
    const a = analyzeQuery('SELECT 1 FROM users u JOIN orders o ON o.user_id = u.id ORDER BY u.name, o.created_at', catalog, 'postgresql');
    assert.ok(a.tables.every((t) => t.orderBy.length === 0));
  });

  it('handles UPDATE and DELETE targets', () => {
    const up = analyzeQuery("UPDATE orders SET status = 'PAID' WHERE user_id = $1 AND status = 'PENDING'", catalog, 'postgresql');
    assert.equal(up.statementType, 'update');
    assert.deepEqual(up.tables[0].predicates.map((p) => p.key.column), ['user_id', 'status']);
    const del = analyzeQuery('DELETE FROM events WHERE occurred_at < $1', catalog, 'postgresql');
    assert.deepEqual(del.tables[0].predicates.map((p) => [p.key.column, p.op]), [['occurred_at', 'range']]);
  });

  it('reports bad input clearly instead of throwing', () => {
    const bad = analyzeQuery('SELEC id FROM orders', catalog, 'postgresql');
    assert.equal(bad.ok, false);
    assert.match(bad.message!, /could not parse/);
    const ddl = analyzeQuery('CREATE TABLE t (a int)', catalog, 'postgresql');
    assert.equal(ddl.ok, false);
    assert.match(ddl.message!, /only SELECT, UPDATE and DELETE/);
    const unknown = analyzeQuery('SELECT a FROM nowhere WHERE b = 1', catalog, 'postgresql');
    assert.equal(unknown.ok, true);
    assert.deepEqual(unknown.unknownTables, ['nowhere']);
    assert.deepEqual(generateCandidates(unknown, catalog, 'postgresql'), []);
    const deep = analyzeQuery('SELECT id FROM orders WHERE ' + '('.repeat(3000) + 'user_id = 1' + ')'.repeat(3000), catalog, 'postgresql');
    assert.equal(typeof deep.ok, 'boolean');
  });

  it('reads MySQL syntax (? parameters, backticks)', () => {
    const a = analyzeQuery('SELECT `total` FROM `orders` WHERE `user_id` = ? AND LOWER(note) = ?', mysqlCatalog, 'mysql');
    assert.equal(a.ok, true, a.message);
    assert.deepEqual(a.tables[0].predicates.map((p) => [p.key.column ?? p.key.expression, p.value]), [
      ['user_id', 'param'],
      ['lower(note)', 'param'],
    ]);
  });
});

describe('advisor: candidate generation', () => {
  const shapes: [string, string, string, string][] = [
    // [name, sql, kind of first candidate, its keys]
    ['equality then range that also delivers ORDER BY', 'SELECT * FROM orders WHERE user_id = $1 AND created_at > $2 ORDER BY created_at', 'composite', '(user_id, created_at)'],
    ['equality then ORDER BY columns', 'SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 10', 'composite', '(user_id, created_at)'],
    ['mixed directions keep DESC where needed', 'SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC, id ASC', 'composite', '(user_id, created_at, id DESC)'],
    ['a range on another column blocks the sort keys', 'SELECT * FROM orders WHERE user_id = $1 AND total > $2 ORDER BY created_at', 'composite', '(user_id, total)'],
    ['an IN list blocks the sort keys', "SELECT * FROM orders WHERE status IN ('PAID', 'SHIPPED') ORDER BY created_at", 'single', '(status)'],
    ['an equality column in ORDER BY is skipped', 'SELECT * FROM orders WHERE user_id = $1 ORDER BY user_id, created_at', 'composite', '(user_id, created_at)'],
    ['expression index for lower(email)', 'SELECT * FROM users WHERE lower(email) = $1', 'expression', '(lower(email))'],
    ['GROUP BY columns follow equality when there is no ORDER BY', 'SELECT country, count(*) FROM users GROUP BY country', 'single', '(country)'],
    ['one range column at most', 'SELECT * FROM orders WHERE total > $1 AND created_at > $2', 'single', '(total)'],
  ];
  for (const [name, sql, kind, keys] of shapes) {
    it(name, () => {
      const c = candidates(sql);
      assert.ok(c.length > 0, 'expected a candidate');
      assert.equal(c[0].kind, kind);
      assert.equal(keysOf(c[0]), keys);
      assert.match(c[0].ddl, /^CREATE INDEX \w+ ON \w+ \(/);
    });
  }

  it('orders equality columns most selective first when statistics are known', () => {
    const stats: DataStats = new Map([
      ['orders', { rows: 1000, columns: new Map([
        ['status', { nDistinct: 8, nullFrac: 0, mostCommon: [] }],
        ['user_id', { nDistinct: -0.5, nullFrac: 0, mostCommon: [] }],
      ]) }],
    ]);
    const c = candidates('SELECT * FROM orders WHERE status = $1 AND user_id = $2', 'postgresql', stats);
    assert.equal(keysOf(c[0]), '(user_id, status)');
    // Without statistics a literal (likely a status) goes after a parameter.
    assert.equal(keysOf(candidates("SELECT * FROM orders WHERE status = 'PAID' AND user_id = $2")[0]), '(user_id, status)');
  });

  it('proposes a covering index with INCLUDE of the other selected columns (PostgreSQL)', () => {
    const c = candidates('SELECT total, status FROM orders WHERE user_id = $1 AND created_at > $2 ORDER BY created_at');
    const cov = c.find((x) => x.kind === 'covering');
    assert.ok(cov);
    assert.equal(keysOf(cov), '(user_id, created_at)');
    assert.deepEqual(cov!.include, ['total', 'status']);
    assert.match(cov!.ddl, /INCLUDE \(total, status\)$/);
  });

  it('MySQL: no INCLUDE (columns appended to the key, primary key left out), no partial index', () => {
    const c = candidates("SELECT id, total, status FROM orders WHERE user_id = ? AND status = 'PENDING' ORDER BY created_at", 'mysql');
    const cov = c.find((x) => x.kind === 'covering');
    assert.ok(cov);
    assert.doesNotMatch(cov!.ddl, /INCLUDE/);
    assert.ok(!cov!.keys.some((k) => k.column === 'id'), 'InnoDB already carries the primary key');
    assert.ok(cov!.keys.some((k) => k.column === 'total'));
    assert.ok(!c.some((x) => x.kind === 'partial' || x.where));
    assert.ok(c.every((x) => !/ WHERE /.test(x.ddl)));
  });

  it('MySQL expression keys are wrapped in parentheses', () => {
    const c = candidates('SELECT id FROM users WHERE LOWER(email) = ?', 'mysql');
    assert.equal(c[0].ddl, 'CREATE INDEX users_lower_email_idx ON users ((lower(email)))');
  });

  it('proposes a partial index for a selective constant predicate', () => {
    const stats: DataStats = new Map([
      ['orders', { rows: 10000, columns: new Map([['status', { nDistinct: 8, nullFrac: 0, mostCommon: [{ value: 'DELIVERED', freq: 0.6 }, { value: 'PENDING', freq: 0.03 }] }]]) }],
    ]);
    const c = candidates("SELECT id, total FROM orders WHERE status = 'PENDING' ORDER BY created_at LIMIT 20", 'postgresql', stats);
    const partial = c.find((x) => x.kind === 'partial');
    assert.ok(partial);
    assert.equal(keysOf(partial), '(created_at)');
    assert.equal(partial!.where, "status = 'PENDING'");
    // Small already, so it also carries the other selected columns for an Index Only Scan.
    assert.equal(partial!.ddl, "CREATE INDEX orders_created_at_pending_incl_idx ON orders (created_at) INCLUDE (id, total) WHERE status = 'PENDING'");
    assert.match(partial!.reason, /3\.0% of rows/);
    // A common value is not worth a partial index.
    const common = candidates("SELECT id FROM orders WHERE status = 'DELIVERED' ORDER BY created_at", 'postgresql', stats);
    assert.ok(!common.some((x) => x.kind === 'partial'));
  });

  it('proposes the join key of the inner table', () => {
    const c = candidates('SELECT u.name, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE u.country = $1');
    assert.ok(c.some((x) => x.table === 'orders' && keysOf(x) === '(user_id)'));
    assert.ok(c.some((x) => x.table === 'users' && keysOf(x) === '(country)'));
    // users.id leads the primary key: no join-key index for it.
    assert.ok(!c.some((x) => x.table === 'users' && keysOf(x) === '(id)'));
  });

  it('suggests nothing when an existing index already serves the query (leftmost prefix)', () => {
    assert.deepEqual(candidates('SELECT * FROM events WHERE account_id = $1 ORDER BY occurred_at DESC LIMIT 10'), []);
    assert.deepEqual(candidates('SELECT * FROM events WHERE account_id = $1'), []);
    assert.deepEqual(candidates('SELECT * FROM orders WHERE id = $1'), []);
    // An existing partial index whose predicate the query repeats pins that column.
    assert.deepEqual(candidates("SELECT * FROM events WHERE kind = 'login' ORDER BY occurred_at LIMIT 5"), []);
    assert.notDeepEqual(candidates("SELECT * FROM events WHERE kind = 'logout' ORDER BY occurred_at LIMIT 5"), []);
    // A unique index bound by equality returns one row whatever else is asked.
    assert.deepEqual(candidates('SELECT * FROM users WHERE email = $1 ORDER BY created_at'), []);
  });

  it('names the existing index a new one extends as redundant', () => {
    const c = candidates('SELECT * FROM events WHERE kind = $1 AND occurred_at > $2');
    assert.equal(keysOf(c[0]), '(kind, occurred_at)');
    assert.deepEqual(c[0].redundant, ['events_kind_idx']);
    // The leading column of an existing index, skipped: not redundant, and a new index is proposed.
    const skip = candidates('SELECT * FROM events WHERE occurred_at > $1');
    assert.equal(keysOf(skip[0]), '(occurred_at)');
    assert.deepEqual(skip[0].redundant, []);
  });

  it('gives distinct, valid index names and caps the count', () => {
    const c = generateCandidates(
      analyzeQuery("SELECT u.name, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE u.country = $1 AND o.status = 'PENDING' AND o.created_at > $2 ORDER BY o.created_at", catalog, 'postgresql'),
      catalog,
      'postgresql',
      { maxCandidates: 3 },
    );
    assert.equal(c.length, 3);
    const names = c.map((x) => x.name);
    assert.equal(new Set(names).size, names.length);
    for (const n of names) assert.ok(n.length <= 63 && /^[a-z0-9_]+$/.test(n), n);
  });
});

describe('advisor: statistics helpers', () => {
  it('parses PostgreSQL array text', () => {
    assert.deepEqual(parseArrayText('{PAID,"two words","a\\"b",x}'), ['PAID', 'two words', 'a"b', 'x']);
    assert.deepEqual(parseArrayText('{0.5,0.25}').map(Number), [0.5, 0.25]);
    assert.deepEqual(parseArrayText(null), []);
  });

  it('estimates the fraction of rows with a value', () => {
    const stats: DataStats = new Map([
      ['t', { rows: 100, columns: new Map([['s', { nDistinct: 4, nullFrac: 0.1, mostCommon: [{ value: 'a', freq: 0.5 }, { value: 't', freq: 0.2 }] }]]) }],
    ]);
    assert.equal(valueFraction(stats, 't', 's', "'a'"), 0.5);
    assert.equal(valueFraction(stats, 't', 's', 'NULL'), 0.1);
    assert.equal(valueFraction(stats, 't', 's', 'true'), 0.2);
    // Not in the MCV list: (1 - 0.1 - 0.7) shared by the 2 other values.
    assert.ok(Math.abs(valueFraction(stats, 't', 's', "'zzz'")! - 0.1) < 1e-9);
    assert.equal(valueFraction(stats, 'nope', 's', "'a'"), undefined);
  });

  it('normalises expressions for comparison with the catalog', () => {
    assert.equal(normalizeExpression('LOWER( email )'), normalizeExpression('(lower(email))'));
    assert.notEqual(normalizeExpression("date_trunc('Day', ts)"), normalizeExpression("date_trunc('day', ts)"));
  });
});

describe('advisor: index names', () => {
  it('never reuses an existing index name and marks DESC keys', () => {
    const schema = `CREATE TABLE t (id int PRIMARY KEY, a int, b int);
      CREATE INDEX t_a_b_idx ON t (b, a);`;
    const cat = buildCatalog([{ file: 's.sql', text: schema }]);
    const c = generateCandidates(analyzeQuery('SELECT * FROM t WHERE a = $1 ORDER BY b', cat, 'postgresql'), cat, 'postgresql');
    assert.equal(c[0].name, 't_a_b_idx2');
    const d = generateCandidates(analyzeQuery('SELECT * FROM t WHERE a = $1 ORDER BY b DESC, id', cat, 'postgresql'), cat, 'postgresql');
    assert.equal(d[0].ddl, 'CREATE INDEX t_a_b_id_desc_idx ON t (a, b, id DESC)');
  });
});
