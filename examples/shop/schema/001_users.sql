-- Users of the shop. `email` is unique (an implicit index) and is also looked up
-- case-insensitively, which the expression index serves.
CREATE TABLE users (
  id          bigserial PRIMARY KEY,
  email       text        NOT NULL UNIQUE,
  name        text        NOT NULL,
  country     char(2),
  age         integer,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Expression index: serves WHERE lower(email) = lower($1).
CREATE INDEX users_lower_email_idx ON users (lower(email));
