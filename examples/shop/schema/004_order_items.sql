-- Line items. The composite primary key (order_id, product_id) serves lookups by order,
-- but not by product alone.
CREATE TABLE order_items (
  order_id          bigint  NOT NULL REFERENCES orders (id),
  product_id        integer NOT NULL REFERENCES products (id), -- expect: unindexed-foreign-key
  quantity          integer NOT NULL CHECK (quantity > 0),
  unit_price_cents  integer NOT NULL,
  PRIMARY KEY (order_id, product_id)
);
