-- select-star: SELECT * reads (and ships) every column, and stops index-only scans.
-- With a known table the quick fix expands it to the table's columns.
-- Expected: select-star on the marked lines.

SELECT * FROM users WHERE id = $1; -- expect: select-star

SELECT o.*, u.email -- expect: select-star
FROM orders o
JOIN users u ON u.id = o.user_id
WHERE o.id = $1;

-- A table the schema does not know: still flagged (no fix), and no schema rule guesses.
SELECT * FROM audit_log WHERE actor = 'system'; -- expect: select-star
