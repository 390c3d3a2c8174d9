-- A later migration: track logins and index them for the "inactive users" report.
ALTER TABLE users ADD COLUMN last_login_at timestamptz;

CREATE INDEX users_last_login_at_idx ON users (last_login_at); -- expect: blocking-index-build
