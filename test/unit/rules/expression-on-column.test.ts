import { ruleTests } from './harness';

const schema = `
CREATE TABLE users (id bigint PRIMARY KEY, age integer, score numeric(10,2));
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12,2), quantity int, price real);
`;

ruleTests('expression-on-column', {
  schema,
  valid: [
    'SELECT id FROM users WHERE age = 29',
    'SELECT age + 1 FROM users WHERE id = $1',
    'SELECT id FROM users WHERE age = $1 + 1',
    "SELECT id FROM orders WHERE total > 100 * 2",
    'SELECT id FROM orders WHERE total * quantity > 100', // two columns: no constant to move
    'SELECT id FROM users GROUP BY id HAVING sum(age) + 1 > 3',
  ],
  invalid: [
    {
      // PostgreSQL only: a cast parameter is a constant and moves as written.
      sql: 'SELECT id FROM users WHERE age + 1 = $1::int',
      errors: [{ text: 'age + 1', fixed: 'SELECT id FROM users WHERE age = $1::int - 1' }],
    },
    {
      sql: 'SELECT id FROM users WHERE age + 1 = 30',
      errors: [{ text: 'age + 1', message: ['age + 1 applies arithmetic to age', 'an index on age cannot be used', 'age = 29'], fixed: 'SELECT id FROM users WHERE age = 29' }],
    },
    { sql: 'SELECT id FROM users WHERE 30 = age + 1', errors: [{ text: 'age + 1', fixed: 'SELECT id FROM users WHERE age = 29' }] },
    { sql: 'SELECT id FROM users WHERE age - 5 >= 18', errors: [{ text: 'age - 5', fixed: 'SELECT id FROM users WHERE age >= 23' }] },
    { sql: 'SELECT id FROM users WHERE 10 - age < 3', errors: [{ text: '10 - age', fixed: 'SELECT id FROM users WHERE age > 7' }] },
    { sql: 'SELECT id FROM users WHERE 1 + age <= 3.5', errors: [{ text: '1 + age', fixed: 'SELECT id FROM users WHERE age <= 2.5' }] },
    { sql: 'SELECT id FROM users WHERE score + 0.1 = 0.3', errors: [{ text: 'score + 0.1', fixed: 'SELECT id FROM users WHERE score = 0.2' }] },
    { sql: 'SELECT id FROM users WHERE age + 1 = $1', errors: [{ text: 'age + 1', fixed: 'SELECT id FROM users WHERE age = $1 - 1' }] },
    { sql: 'SELECT id FROM orders WHERE total / 100 >= 50', errors: [{ text: 'total / 100', fixed: 'SELECT id FROM orders WHERE total >= 5000' }] },
    { sql: 'SELECT id FROM orders WHERE price * 2 > 7', errors: [{ text: 'price * 2', fixed: 'SELECT id FROM orders WHERE price > 3.5' }] },
    // Multiplying or dividing by a negative number flips the comparison.
    { sql: 'SELECT id FROM orders WHERE price * -2 > 7', errors: [{ text: 'price * -2', fixed: 'SELECT id FROM orders WHERE price < -3.5' }] },
    { sql: 'SELECT id FROM orders WHERE total / -4 <= 2', errors: [{ text: 'total / -4', fixed: 'SELECT id FROM orders WHERE total >= -8' }] },
    // Integer division truncates: no automatic rewrite, but still reported.
    { sql: 'SELECT id FROM orders WHERE quantity / 10 = 3', errors: [{ text: 'quantity / 10', message: 'Move the arithmetic to the constant side', fixed: null }] },
    // 10 / 3 does not terminate: no inexact rewrite.
    { sql: 'SELECT id FROM users WHERE age * 3 = 10', errors: [{ text: 'age * 3', fixed: null }] },
    { sql: 'SELECT id FROM orders WHERE price * 2 > $1', errors: [{ text: 'price * 2', fixed: null }] },
    { sql: 'SELECT id FROM users u WHERE u.age + 1 = 30 OR u.id = 1', errors: [{ text: 'u.age + 1', fixed: 'SELECT id FROM users u WHERE u.age = 29 OR u.id = 1' }] },
    { sql: 'DELETE FROM users WHERE age * 2 = 40', errors: [{ text: 'age * 2', fixed: 'DELETE FROM users WHERE age = 20' }] },
    { sql: 'SELECT id FROM unknown WHERE n + 2 > 5', errors: [{ text: 'n + 2', fixed: 'SELECT id FROM unknown WHERE n > 3' }] },
  ],
});
