-- Clickstream events, appended constantly and read by time window.
CREATE TABLE events (
  id           bigserial PRIMARY KEY,
  user_id      bigint REFERENCES users (id), -- expect: unindexed-foreign-key
  kind         text   NOT NULL,
  payload      jsonb  NOT NULL DEFAULT '{}',
  occurred_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX events_occurred_at_idx ON events (occurred_at);
