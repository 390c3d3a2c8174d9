-- Queries every index rule should leave alone: each one can use an index from schema/.
-- Nothing fires anywhere in this file.
--
-- Convention in these files: a trailing `-- expect: <rule>[, <rule>]` comment marks the line
-- where a finding is expected (its first character is on that line). Lines without it must
-- stay silent. test/unit/cli-examples.test.ts checks the CLI against exactly these marks.

-- Primary key lookup.
SELECT id, email, name FROM users WHERE id = $1;

-- lower(email) is served by the expression index users_lower_email_idx.
SELECT id, name FROM users WHERE lower(email) = lower($1);

-- count(*) is not SELECT *.
SELECT count(*) FROM orders WHERE user_id = $1;

-- Equality on the leading column, sort on the second: one index scan, no sort.
SELECT id, total_cents, created_at
FROM orders
WHERE user_id = $1
ORDER BY created_at DESC
LIMIT 20;

-- Served by the composite index's leading column (and its second column as a range).
SELECT id, name, price_cents FROM products WHERE category = 'books';
SELECT id, name, price_cents FROM products WHERE category = 'books' AND price_cents < 2000;

-- A trailing wildcard can use a b-tree index.
SELECT id, name FROM products WHERE sku LIKE 'BOOK-%';

-- A function in the select list does not affect index use.
SELECT upper(name) AS shouted, email FROM users WHERE id = $1;

-- Join on the leading column of the order_items primary key.
SELECT o.id, oi.product_id, oi.quantity
FROM orders o
JOIN order_items oi ON oi.order_id = o.id
WHERE o.user_id = $1;

-- Range on an indexed timestamp.
SELECT id, kind FROM events WHERE occurred_at >= $1 AND occurred_at < $2;

-- SELECT * inside EXISTS reads no columns: harmless.
SELECT u.id, u.email FROM users u WHERE EXISTS (SELECT * FROM orders o WHERE o.user_id = u.id);

-- Column added by a later migration (006), indexed there.
SELECT id, email FROM users WHERE last_login_at < now() - interval '90 days';
