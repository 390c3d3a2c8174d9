-- The catalogue. Shoppers browse by category and price band, so the composite index
-- leads with category: it serves `category = …` and `category = … AND price_cents < …`,
-- but not `price_cents < …` alone (leftmost-prefix rule).
CREATE TABLE products (
  id           serial  PRIMARY KEY,
  sku          text    NOT NULL UNIQUE,
  name         text    NOT NULL,
  category     text    NOT NULL,
  price_cents  integer NOT NULL CHECK (price_cents >= 0),
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX products_category_price_idx ON products (category, price_cents);
