import { ruleTests } from './harness';

ruleTests('offset-pagination', {
  valid: [
    // PostgreSQL only: FETCH without OFFSET, a small offset under a locking clause.
    'SELECT id FROM events ORDER BY id FETCH NEXT 10 ROWS ONLY',
    'SELECT id FROM events ORDER BY id LIMIT 10 OFFSET 20 FOR UPDATE SKIP LOCKED',
    'SELECT id FROM orders ORDER BY id LIMIT 20',
    'SELECT id FROM orders ORDER BY id LIMIT 20 OFFSET 40',
    'SELECT id FROM orders ORDER BY id LIMIT 20 OFFSET 999',
    'SELECT id FROM orders WHERE id > $1 ORDER BY id LIMIT 20',
    { sql: 'SELECT id FROM orders ORDER BY id LIMIT 40, 20', dialect: 'mysql' },
    { sql: 'SELECT id FROM orders ORDER BY id LIMIT 20', dialect: 'mysql' },
  ],
  invalid: [
    { sql: 'SELECT id FROM events ORDER BY created_at DESC OFFSET $1 ROWS FETCH FIRST 20 ROWS ONLY', errors: [{ text: 'OFFSET $1 ROWS', message: "the last row's created_at" }] },
    {
      sql: 'SELECT id, total FROM orders ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET $1',
      errors: [{ text: 'OFFSET $1', message: ['read and discard every skipped row', "remember the last row's (created_at, id)"] }],
    },
    { sql: 'SELECT id FROM events ORDER BY id LIMIT 50 OFFSET 100000', errors: [{ text: 'OFFSET 100000', message: "the last row's id" }] },
    { sql: 'SELECT id FROM events LIMIT 50 OFFSET :skip', errors: [{ text: 'OFFSET :skip', message: '(sort_key, id)' }] },
    {
      sql: 'SELECT id FROM users WHERE id IN (SELECT user_id FROM orders ORDER BY id LIMIT 10 OFFSET $1) ORDER BY id LIMIT 5 OFFSET 5000',
      errors: [{ text: 'OFFSET $1' }, { text: 'OFFSET 5000' }],
    },
    { sql: 'SELECT id FROM orders ORDER BY id LIMIT 5000, 20', dialect: 'mysql', errors: [{ text: 'LIMIT 5000, 20' }] },
    { sql: 'SELECT id FROM orders ORDER BY id LIMIT ?, ?', dialect: 'mysql', errors: [{ text: 'LIMIT ?, ?' }] },
  ],
});
