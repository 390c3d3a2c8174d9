-- function-on-column: wrapping an indexed column in a function hides it from the index.
-- Expected: function-on-column on the lines marked below; nothing else in this file.

-- email has a unique index, but not on upper(email): suggest an expression index
-- (or use the lower(email) index that exists).
SELECT id, name FROM users WHERE upper(email) = upper($1); -- expect: function-on-column

-- date_trunc() hides created_at from orders_user_id_created_at_idx; rewrite as a range
-- (created_at >= '2024-03-01' AND created_at < '2024-03-02').
SELECT id, total_cents
FROM orders
WHERE user_id = $1
  AND date_trunc('day', created_at) = '2024-03-01'; -- expect: function-on-column

-- date() on an indexed timestamp: same problem, same range rewrite.
SELECT id, kind FROM events WHERE date(occurred_at) = current_date; -- expect: function-on-column
