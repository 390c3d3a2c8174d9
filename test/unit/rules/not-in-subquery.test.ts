import { ruleTests } from './harness';

const schema = `
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, manager_id bigint);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, buyer_id bigint NOT NULL);
`;

ruleTests('not-in-subquery', {
  schema,
  valid: [
    // PostgreSQL only: <> ALL (SELECT …) is a different operator (not this rule's concern).
    'DELETE FROM orders WHERE user_id <> ALL(SELECT id FROM users)',
    "SELECT id FROM orders WHERE user_id NOT IN (1, 2, 3)",
    'SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)',
    'SELECT id FROM users WHERE id IN (SELECT user_id FROM orders)',
    // The subquery selects a NOT NULL column / a primary key: the NULL trap cannot fire.
    'SELECT id FROM users WHERE id NOT IN (SELECT buyer_id FROM orders)',
    'SELECT id FROM orders WHERE user_id NOT IN (SELECT id FROM users)',
  ],
  invalid: [
    { sql: "UPDATE orders SET buyer_id = 0 WHERE user_id NOT IN (SELECT manager_id FROM users)", errors: [{ text: 'NOT IN' }] },
    {
      sql: 'SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM orders)',
      errors: [{ text: 'NOT IN', message: ['id NOT IN (SELECT …) returns no rows at all if the subquery yields a NULL', 'NOT EXISTS'] }],
    },
    // The NOT NULL column comes from the nullable side of an outer join.
    { sql: 'SELECT id FROM users WHERE id NOT IN (SELECT o.buyer_id FROM users u LEFT JOIN orders o ON o.user_id = u.id)', errors: [{ text: 'NOT IN' }] },
    { sql: 'SELECT id FROM users u WHERE u.id NOT  IN (SELECT manager_id FROM users WHERE manager_id > 0) OR u.id = 1', errors: [{ text: 'NOT  IN' }] },
    { sql: 'DELETE FROM users WHERE id NOT IN (SELECT x FROM unknown_table)', errors: [{ text: 'NOT IN' }] },
  ],
});
