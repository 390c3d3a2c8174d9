-- missing-index: a filtered or joined column with no index that starts with it.
-- The suggestion puts equality columns first, then one range column.
-- Expected: missing-index on the marked lines.

-- Suggest: CREATE INDEX … ON events (user_id, kind)
SELECT id, occurred_at FROM events WHERE user_id = $1 AND kind = 'login'; -- expect: missing-index

-- Suggest: CREATE INDEX … ON users (country)
SELECT id, name FROM users WHERE country = 'NZ'; -- expect: missing-index
