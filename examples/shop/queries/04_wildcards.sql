-- leading-wildcard: a pattern that starts with % cannot use a b-tree index; a trigram
-- (pg_trgm GIN) index or a trailing wildcard can. Expected: leading-wildcard on the marked lines.

SELECT id, email FROM users WHERE email LIKE '%@example.com'; -- expect: leading-wildcard

SELECT id, name FROM products WHERE category = 'lighting' AND name ILIKE '%lamp%'; -- expect: leading-wildcard

-- The pattern is built around a parameter, but still starts with %.
SELECT id, name FROM products WHERE sku LIKE '%' || $1; -- expect: leading-wildcard
