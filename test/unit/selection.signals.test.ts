/**
 * Workspace signals from a catalog built by the real DDL reader and queries classified by the
 * real tokenizer: each signal must say what it saw and pre-fill the matching answer.
 */
import assert from 'node:assert/strict';
import { buildCatalog } from '../../src/core/schema/catalog';
import { computeSignals } from '../../src/core/selection/signals';
import { queryFacts } from '../../src/core/selection/queryFacts';
import { adviseSelection } from '../../src/core/selection/advise';
import { prefilledAnswers } from '../../src/core/selection/questions';

const SHOP_DDL = `
CREATE TABLE tenants (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE users (id bigint PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants(id), email text UNIQUE NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE products (id bigint PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants(id), name text NOT NULL, attributes jsonb, price numeric(10,2) NOT NULL, stock_on_hand int NOT NULL DEFAULT 0);
CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants(id), user_id bigint NOT NULL REFERENCES users(id), total numeric(12,2) NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE order_items (order_id bigint REFERENCES orders(id), product_id bigint REFERENCES products(id), tenant_id bigint NOT NULL, quantity int NOT NULL, PRIMARY KEY (order_id, product_id));
CREATE TABLE events (id bigserial PRIMARY KEY, tenant_id bigint NOT NULL, kind text NOT NULL, payload jsonb, occurred_at timestamptz NOT NULL);
CREATE TABLE follows (follower_id bigint NOT NULL REFERENCES users(id), followee_id bigint NOT NULL REFERENCES users(id), PRIMARY KEY (follower_id, followee_id));
CREATE TABLE sessions (sid text PRIMARY KEY, data jsonb NOT NULL, expires_at timestamptz);
`;

const SHOP_QUERIES = [
  "SELECT id, name FROM products WHERE name ILIKE '%' || $1 || '%'",
  "SELECT id, name FROM products WHERE name LIKE '%shoe%'",
  "SELECT id FROM users WHERE email LIKE '%@example.com'",
  "SELECT * FROM products p WHERE p.name ILIKE '%red%' AND p.price < 100",
  "SELECT u.id FROM users u WHERE u.email ~~* '%bob%'",
  "SELECT id FROM products WHERE name LIKE ('%blue%')",
  "SELECT id FROM products WHERE name LIKE 'prefix%'",
  'SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $1',
  'SELECT * FROM users WHERE id = $1',
  'SELECT count(*), status FROM orders GROUP BY status',
  "SELECT kind, count(*) FROM events WHERE occurred_at >= now() - interval '1 day' GROUP BY kind",
  'INSERT INTO events (tenant_id, kind, payload, occurred_at) VALUES ($1, $2, $3, now())',
  'INSERT INTO orders (id, tenant_id, user_id, total, status, created_at) VALUES ($1, $2, $3, $4, $5, now())',
  "UPDATE orders SET status = 'PAID' WHERE id = $1",
  'SELECT total FROM orders WHERE id = $1 FOR UPDATE',
  "WITH RECURSIVE fof AS (SELECT followee_id FROM follows WHERE follower_id = $1 UNION SELECT f.followee_id FROM follows f JOIN fof ON f.follower_id = fof.followee_id) SELECT count(*) FROM fof",
  'SELECT id FROM products WHERE to_tsvector(name) @@ plainto_tsquery($1)',
  // Two statements in one text: both counted.
  'BEGIN; UPDATE products SET price = price * 1.1 WHERE tenant_id = $1; COMMIT',
  // DDL among the queries is not a query.
  'CREATE INDEX ON orders (user_id)',
];

describe('selection signals: query facts', () => {
  const cases: Array<[string, Partial<ReturnType<typeof queryFacts>>]> = [
    ["SELECT * FROM t WHERE a ILIKE '%x%'", { kind: 'select', leadingWildcard: true }],
    ["SELECT * FROM t WHERE a LIKE 'x%'", { kind: 'select', leadingWildcard: false }],
    ["SELECT * FROM t WHERE a LIKE '%' || $1", { leadingWildcard: true }],
    ['SELECT * FROM docs WHERE tsv @@ to_tsquery($1)', { fullText: true }],
    ['SELECT * FROM a JOIN b ON a.id = b.a_id', { joins: true, tables: ['a', 'b'] }],
    ['WITH x AS (SELECT 1) INSERT INTO public.events (a) SELECT * FROM x', { kind: 'insert', writes: 'events' }],
    ['UPDATE ONLY "Accounts" SET balance = 0 WHERE id = 1', { kind: 'update', writes: 'Accounts' }],
    ['DELETE FROM sessions WHERE sid = $1', { kind: 'delete', writes: 'sessions' }],
    ['SELECT * FROM accounts WHERE id = $1 FOR UPDATE', { lockingRead: true, equalityColumns: ['id'] }],
    ['CREATE TABLE t (a int)', { kind: 'ddl' }],
    ['COMMIT', { kind: 'transaction' }],
    ["SELECT 'LIKE ''%x'' FROM t'", { leadingWildcard: false }],
    ['-- just a comment', { kind: 'other' }],
  ];
  for (const [sql, expected] of cases) {
    it(sql, () => {
      const f = queryFacts(sql);
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(f[k as keyof typeof f], v, `${k} of ${sql}`);
    });
  }
});

describe('selection signals: shop workspace', () => {
  const catalog = buildCatalog([{ file: 'schema.sql', text: SHOP_DDL }]);
  const s = computeSignals({ catalog, queries: SHOP_QUERIES });
  const text = (id: string) => s.signals.find((x) => x.id === id)?.text;

  it('reads the catalog built from real DDL', () => {
    assert.equal(catalog.problems.length, 0, JSON.stringify(catalog.problems));
    assert.equal(s.tableCount, 8);
  });
  it('counts tables with foreign keys and suggests relational data', () => {
    assert.equal(text('foreign-keys'), '5 tables with foreign keys');
    assert.equal(s.answers.dataShape, 'relational');
  });
  it('notes JSON columns without calling the data documents', () => {
    assert.equal(text('json-columns'), 'JSON columns used in 3 tables (alongside relational data: JSONB covers it)');
  });
  it('finds leading wildcards and full-text functions', () => {
    assert.equal(text('leading-wildcard'), "`LIKE '%…%'` in 6 queries → full-text need");
    assert.equal(text('full-text'), 'full-text search functions in 1 query');
    assert.ok(s.answers.patterns?.includes('full-text'));
  });
  it('recognises an append-only time series, and not a table the code updates', () => {
    assert.equal(text('time-series:events'), 'append-only table `events` with a timestamp → time-series');
    assert.equal(text('time-series:orders'), undefined, 'orders is updated, so not append-only');
    assert.ok(s.answers.patterns?.includes('time-range'));
  });
  it('recognises an edge table and recursive traversal', () => {
    assert.equal(text('edge:follows'), 'edge table `follows` links users to users → graph relationships');
    assert.equal(text('recursive'), 'recursive CTEs in 1 query → graph traversal');
    assert.ok(s.answers.patterns?.includes('graph-traversal'));
  });
  it('recognises a key-value table', () => {
    assert.equal(text('key-value:sessions'), 'key-value table `sessions` (sid, data, expires_at)');
  });
  it('sees money columns and locking reads as multi-record transactions', () => {
    assert.match(text('money')!, /\(`products\.price`, `products\.stock_on_hand`, `orders\.total`\)/);
    assert.match(text('transactions')!, /SELECT … FOR UPDATE in 1 query, 2 transaction statements/);
    assert.equal(s.answers.transactions, 'multi-record');
  });
  it('measures the write share of the code', () => {
    // 19 texts → 19 DML statements (BEGIN/COMMIT and CREATE INDEX excluded): 2 UPDATEs, 4 writes.
    assert.equal(s.queryCount, 18);
    assert.equal(text('write-share'), '11 UPDATE statements per 100 queries; 22 of 100 write (in the code, not measured traffic)');
    assert.equal(s.answers.readWriteMix, 'read-heavy');
  });
  it('counts key lookups, joins and aggregations', () => {
    assert.equal(text('key-lookups'), '3 lookups by primary or unique key');
    assert.equal(text('joins'), 'JOIN in 2 queries');
    assert.equal(text('group-by'), 'GROUP BY in 2 queries');
  });
  it('suggests the tenant key as shard key', () => {
    assert.deepEqual(s.shardKeyHint, { column: 'tenant_id', tables: 5 });
  });
  it('pre-fills answers that the model can rank', () => {
    const a = prefilledAnswers(s);
    assert.equal(a.transactions, 'multi-record');
    const advice = adviseSelection(a, { shardKeyHint: s.shardKeyHint?.column });
    assert.equal(advice.winner.id, 'postgresql');
  });
});

describe('selection signals: other workspaces', () => {
  it('an IoT schema of append-only readings suggests time-ordered data', () => {
    const catalog = buildCatalog([{ file: 'm/001.sql', text: `
      CREATE TABLE devices (id bigint PRIMARY KEY, name text);
      CREATE TABLE readings (device_id bigint NOT NULL REFERENCES devices(id), ts timestamptz NOT NULL, temperature double precision, humidity double precision);
      CREATE TABLE battery_metrics (device_id bigint NOT NULL REFERENCES devices(id), ts timestamptz NOT NULL, volts real);` }]);
    const s = computeSignals({ catalog, queries: [
      'INSERT INTO readings (device_id, ts, temperature, humidity) VALUES ($1, $2, $3, $4)',
      "SELECT time_bucket('5 minutes', ts) AS b, avg(temperature) FROM readings WHERE device_id = $1 AND ts > now() - interval '1 day' GROUP BY b",
    ] });
    assert.equal(s.answers.dataShape, 'wide-time-ordered');
    assert.ok(s.answers.patterns?.includes('time-range'));
    assert.ok(s.answers.patterns?.includes('aggregations'));
  });
  it('a document-heavy schema suggests documents', () => {
    const catalog = buildCatalog([{ file: 'schema.sql', text: `
      CREATE TABLE pages (id uuid PRIMARY KEY, body jsonb NOT NULL, updated_at timestamptz);
      CREATE TABLE blocks (id uuid PRIMARY KEY, content jsonb NOT NULL);` }]);
    const s = computeSignals({ catalog, queries: [] });
    assert.equal(s.answers.dataShape, 'documents');
    assert.match(s.signals.find((x) => x.id === 'json-columns')!.text, /JSON columns used in 2 tables → documents/);
  });
  it('an empty workspace yields no signals and no pre-filled answers', () => {
    const s = computeSignals({ catalog: buildCatalog([]), queries: [] });
    assert.deepEqual(s.signals, []);
    assert.deepEqual(s.answers, {});
  });
  it('garbage and binary-looking input never throws', () => {
    const junk = ['\u0000\u0001\u0002 SELECT', "SELECT ((((((((((( '", 'x'.repeat(200_000), ';;;', '$$ unterminated'];
    const s = computeSignals({ catalog: buildCatalog([{ file: 'bin.sql', text: '\u0000\u0000PNG' }]), queries: junk });
    assert.equal(s.tableCount, 0);
  });
});
