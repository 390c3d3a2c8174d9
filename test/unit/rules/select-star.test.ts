import { ruleTests } from './harness';

const schema = `
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, "displayName" text);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), total numeric);
`;

ruleTests('select-star', {
  schema,
  valid: [
    // PostgreSQL only: RETURNING * is not a select list that an index could cover.
    'DELETE FROM orders WHERE id = $1 RETURNING *',
    'SELECT id, email FROM users',
    'SELECT count(*) FROM orders',
    'SELECT count(*) AS n, max(total) FROM orders WHERE user_id = $1',
    // The select list of EXISTS is never evaluated: harmless, deliberately not flagged.
    'SELECT id FROM users u WHERE EXISTS (SELECT * FROM orders o WHERE o.user_id = u.id)',
    'SELECT id FROM users u WHERE NOT EXISTS (SELECT * FROM orders o WHERE o.user_id = u.id)',
    'SELECT 2 * 3 AS six FROM users',
    "SELECT row_to_json(u.*) FROM users u",
  ],
  invalid: [
    { sql: 'INSERT INTO orders SELECT * FROM orders WHERE id = $1 ON CONFLICT (id) DO NOTHING', errors: [{ text: '*' }] },
    {
      sql: 'SELECT * FROM users WHERE id = $1',
      errors: [{ text: '*', message: ['SELECT * reads every column', 'index-only scan'], fixed: 'SELECT id, email, "displayName" FROM users WHERE id = $1' }],
    },
    {
      sql: 'SELECT o.*, u.email FROM orders o JOIN users u ON u.id = o.user_id',
      errors: [{ text: 'o.*', message: 'every column of o', fixed: 'SELECT o.id, o.user_id, o.total, u.email FROM orders o JOIN users u ON u.id = o.user_id' }],
    },
    {
      sql: 'SELECT * FROM orders o JOIN users u ON u.id = o.user_id',
      errors: [{ text: '*', fixed: 'SELECT o.id, o.user_id, o.total, u.id, u.email, u."displayName" FROM orders o JOIN users u ON u.id = o.user_id' }],
    },
    {
      sql: 'SELECT * FROM users u WHERE u.id = 1',
      errors: [{ text: '*', fixed: 'SELECT u.id, u.email, u."displayName" FROM users u WHERE u.id = 1' }],
    },
    {
      sql: 'SELECT DISTINCT * FROM orders',
      errors: [{ text: '*', fixed: 'SELECT DISTINCT id, user_id, total FROM orders' }],
    },
    {
      // Subqueries and CTEs too; a star over a subquery or CTE has no schema-known expansion.
      sql: 'WITH r AS (SELECT * FROM orders) SELECT * FROM r WHERE id IN (SELECT id FROM (SELECT * FROM users) s)',
      errors: [
        { text: '*', fixed: 'WITH r AS (SELECT id, user_id, total FROM orders) SELECT * FROM r WHERE id IN (SELECT id FROM (SELECT * FROM users) s)' },
        { text: '*', fixed: null },
        { text: '*', fixed: 'WITH r AS (SELECT * FROM orders) SELECT * FROM r WHERE id IN (SELECT id FROM (SELECT id, email, "displayName" FROM users) s)' },
      ],
    },
    { sql: 'SELECT * FROM unknown_table', errors: [{ text: '*', fixed: null }] },
    { sql: 'INSERT INTO orders SELECT * FROM orders WHERE id = 1', errors: [{ text: '*' }] },
    { sql: 'SELECT id FROM users UNION SELECT * FROM orders', errors: [{ text: '*', fixed: 'SELECT id FROM users UNION SELECT id, user_id, total FROM orders' }] },
    { sql: 'SELECT `u`.* FROM users u', dialect: 'mysql', errors: [{ text: '`u`.*' }] },
  ],
});
