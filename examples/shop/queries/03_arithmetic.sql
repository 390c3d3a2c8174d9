-- expression-on-column: arithmetic on the column side of a comparison defeats the index.
-- The quick fix moves it to the constant side. Expected: expression-on-column on the marked lines.

-- Fix: id = 42
SELECT id, email FROM users WHERE id + 1 = 43; -- expect: expression-on-column

-- Fix: price_cents >= 5000 (the category = … part alone is fine)
SELECT id, name FROM products WHERE category = 'toys' AND price_cents / 100 >= 50; -- expect: expression-on-column
