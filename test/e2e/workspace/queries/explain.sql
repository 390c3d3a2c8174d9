-- E2E scenario 4: no expression index on lower(email), so PostgreSQL scans the table.
SELECT id, name FROM users WHERE lower(email) = 'ada@example.com';
