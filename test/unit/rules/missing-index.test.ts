import { strict as assert } from 'assert';
import { emptyCatalog } from '../../../src/core/schema/catalog';
import { lintWith, ruleTests } from './harness';

const schema = `
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, name text, age int, org_id bigint, created_at timestamptz);
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  status text NOT NULL,
  total numeric,
  created_at timestamptz NOT NULL
);
CREATE TABLE events (id bigint, kind text, created_at timestamptz);
CREATE INDEX orders_status_created_at_idx ON orders (status, created_at);
CREATE INDEX users_org_id_idx ON users USING hash (org_id);
CREATE TABLE jobs (id bigint PRIMARY KEY, state text, run_at timestamptz, done boolean NOT NULL DEFAULT false);
CREATE INDEX jobs_pending_run_at_idx ON jobs (run_at) WHERE state = 'PENDING';
`;

ruleTests('missing-index', {
  schema,
  mysqlSchema: 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, `status` varchar(20), KEY orders_status (status));',
  valid: [
    'SELECT email FROM users WHERE id = $1', // primary key
    'SELECT id FROM users WHERE email = $1', // unique constraint
    'SELECT id FROM users WHERE org_id = $1', // hash index leads with org_id
    "SELECT id FROM orders WHERE status = 'PAID'", // composite index, leading column
    "SELECT id FROM orders WHERE status = 'PAID' AND created_at > now() - interval '1 day'",
    "SELECT id FROM orders WHERE status = 'PAID' AND total > 100", // one constrained column is served
    'SELECT id FROM orders WHERE created_at > $1', // leftmost-prefix speaks, not this rule
    'SELECT id FROM nosuch WHERE x = 1', // unknown table: silent
    'SELECT id FROM users WHERE nosuch_column = 1', // unknown column: silent
    'SELECT id FROM users WHERE age = 1 OR id = 2', // OR branches are not analysed
    'SELECT id FROM users ORDER BY name', // ORDER BY without LIMIT
    'SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id', // the join is served by users_pkey
    'SELECT lower(name) FROM users WHERE lower(name) = $1', // function-on-column's business
    'SELECT id FROM (SELECT id, age FROM users) s WHERE s.age = 3', // subquery source: unknown
    { sql: 'SELECT id FROM orders WHERE status = ?', dialect: 'mysql' }, // MySQL inline KEY
    "SELECT id FROM jobs WHERE state = 'PENDING' AND run_at < now()", // the partial index applies
    'SELECT id FROM jobs WHERE done = false', // never suggest a B-tree on a boolean
  ],
  invalid: [
    {
      sql: 'SELECT id, total FROM orders WHERE user_id = $1',
      errors: [{
        text: 'user_id',
        message: ['No index on orders leads with user_id', 'reads the whole table'],
        ddl: 'CREATE INDEX orders_user_id_idx ON orders (user_id);',
      }],
    },
    {
      sql: 'SELECT id FROM orders o WHERE o.total > 100 AND o.user_id = $1 ORDER BY o.created_at LIMIT 10',
      errors: [{
        text: 'o.total',
        message: 'any of user_id, total, created_at: this query filters on user_id, total and sorts (with LIMIT) by created_at',
        // Equality first, then the one range column; the sort column cannot follow a range.
        ddl: 'CREATE INDEX orders_user_id_total_idx ON orders (user_id, total);',
      }],
    },
    {
      sql: 'SELECT id FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 20',
      errors: [{ text: 'user_id', ddl: 'CREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at);' }],
    },
    {
      sql: 'SELECT id FROM events ORDER BY created_at DESC LIMIT 20',
      errors: [{ text: 'created_at', message: 'sorts (with LIMIT) by created_at', ddl: 'CREATE INDEX events_created_at_idx ON events (created_at);' }],
    },
    {
      sql: 'SELECT u.id FROM users u JOIN orders o ON o.user_id = u.id WHERE u.age BETWEEN 20 AND 30',
      errors: [{ text: 'u.age', ddl: 'CREATE INDEX users_age_idx ON users (age);' }],
    },
    {
      // A join on two unindexed columns: both sides are reported.
      sql: 'SELECT 1 FROM events e JOIN users u ON u.name = e.kind',
      errors: [{ text: 'u.name', ddl: 'CREATE INDEX users_name_idx ON users (name);' }, { text: 'e.kind', ddl: 'CREATE INDEX events_kind_idx ON events (kind);' }],
    },
    {
      sql: "UPDATE orders SET status = 'SHIPPED' WHERE user_id = 7 AND total IS NULL",
      errors: [{ text: 'user_id', ddl: 'CREATE INDEX orders_user_id_total_idx ON orders (user_id, total);' }],
    },
    { sql: 'DELETE FROM events WHERE kind IN ($1, $2)', errors: [{ text: 'kind' }] },
    {
      // The partial index only covers PENDING jobs, and this query does not say so.
      sql: 'SELECT id FROM jobs WHERE run_at < now() AND done = true',
      errors: [{ text: 'run_at', ddl: 'CREATE INDEX jobs_run_at_idx ON jobs (run_at);' }],
    },
    {
      sql: 'SELECT id FROM users WHERE id IN (SELECT user_id FROM orders WHERE total > 10)',
      errors: [{ text: 'total', ddl: 'CREATE INDEX orders_total_idx ON orders (total);' }],
    },
    { sql: 'SELECT id FROM orders WHERE user_id = ?', dialect: 'mysql', errors: [{ text: 'user_id', ddl: 'CREATE INDEX orders_user_id_idx ON orders (user_id);' }] },
  ],
});

describe('rule missing-index without a schema', () => {
  it('stays silent when the catalog is empty', () => {
    assert.deepEqual(lintWith('missing-index', 'SELECT id FROM orders WHERE user_id = $1', emptyCatalog()), []);
  });
});
