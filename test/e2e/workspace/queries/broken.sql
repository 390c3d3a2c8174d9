-- E2E scenario 6: a malformed statement between valid ones.
SELECT id FROM users WHERE id = 1;
SELEC id,, FROM WHERE ((;
SELECT id, name FROM users WHERE lower(email) = 'eve@example.com';
