-- leftmost-prefix: a composite index exists, but the query skips its leading column,
-- so the index cannot be used for this predicate. Expected: leftmost-prefix on the marked lines.

-- products_category_price_idx is (category, price_cents); no category here.
SELECT id, name FROM products WHERE price_cents < 1000; -- expect: leftmost-prefix

-- The order_items primary key is (order_id, product_id); this lookup has no order_id.
SELECT order_id, quantity FROM order_items WHERE product_id = $1; -- expect: leftmost-prefix
