-- Orders. "My orders, newest first" is served by the composite index; the fulfilment
-- worker polls pending orders through a partial index that holds only those rows.
CREATE TABLE orders (
  id           bigserial PRIMARY KEY,
  user_id      bigint  NOT NULL REFERENCES users (id),
  status       text    NOT NULL DEFAULT 'PENDING',
  total_cents  integer NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  shipped_at   timestamptz
);

CREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at);

-- Partial index: only PENDING rows, a small fraction of the table.
CREATE INDEX orders_pending_created_at_idx ON orders (created_at) WHERE status = 'PENDING';
