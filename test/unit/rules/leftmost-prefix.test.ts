import { ruleTests } from './harness';

const schema = `
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, status text, total numeric, created_at timestamptz);
CREATE INDEX orders_status_created_at_idx ON orders (status, created_at);
CREATE TABLE line_items (order_id bigint, product_id bigint, qty int, PRIMARY KEY (order_id, product_id));
CREATE TABLE logs (id bigint, a int, b int, c int);
CREATE INDEX logs_a_b_c_idx ON logs (a, b, c);
`;

ruleTests('leftmost-prefix', {
  schema,
  valid: [
    "SELECT id FROM orders WHERE status = 'PAID' AND created_at > $1",
    "SELECT id FROM orders WHERE status IN ('PAID', 'NEW')",
    "SELECT id FROM orders WHERE status > 'M'", // a range on the leading column is usable
    'SELECT qty FROM line_items WHERE order_id = $1',
    'SELECT qty FROM line_items WHERE order_id = $1 AND product_id = $2',
    'SELECT id FROM logs WHERE a = 1 AND c = 3', // leading column constrained: usable
    'SELECT id FROM orders WHERE user_id = $1', // no composite index contains user_id: missing-index speaks
    'SELECT id FROM orders WHERE id = 3 AND created_at > $1', // primary key serves the query
    "SELECT id FROM orders WHERE status = 'A' OR created_at > $1", // OR is not analysed
  ],
  invalid: [
    {
      sql: 'SELECT id FROM orders WHERE created_at > $1',
      errors: [{
        text: 'created_at',
        message: ['Index orders_status_created_at_idx (status, created_at) cannot be used for created_at', 'does not constrain its leading column status'],
        ddl: 'CREATE INDEX orders_created_at_idx ON orders (created_at);',
      }],
    },
    {
      sql: 'SELECT qty FROM line_items li WHERE li.product_id = $1',
      errors: [{ text: 'li.product_id', message: 'Index line_items_pkey (order_id, product_id)', ddl: 'CREATE INDEX line_items_product_id_idx ON line_items (product_id);' }],
    },
    {
      sql: 'SELECT id FROM logs WHERE c = 3 AND b = 2',
      errors: [{ text: 'c', message: 'leading columns a, b', ddl: 'CREATE INDEX logs_c_b_idx ON logs (c, b);' }],
    },
    {
      sql: 'SELECT id FROM orders WHERE user_id = $1 AND created_at >= $2',
      errors: [{ text: 'created_at', ddl: 'CREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at);' }],
    },
  ],
});
