-- E2E scenario 1: each of the first three statements defeats an index; the last one is clean.
SELECT id, name FROM users WHERE lower(email) = 'ada@example.com';
SELECT id, email FROM users WHERE email LIKE '%@example.com';
SELECT * FROM orders WHERE user_id = 42;
SELECT id, name FROM users WHERE email = 'bob@example.com';
