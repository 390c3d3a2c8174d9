import { ruleTests } from './harness';

const schema = `
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text, org_id bigint, created_at timestamptz NOT NULL);
CREATE TABLE events (id bigint PRIMARY KEY, user_id bigint, kind text, created_at timestamptz NOT NULL);
CREATE INDEX users_lower_email_idx ON users (LOWER( email ));
CREATE TABLE logs (id bigint PRIMARY KEY, logged_at timestamp NOT NULL);
CREATE TABLE shipments (id bigint PRIMARY KEY, placed_at timestamp NOT NULL);
`;

ruleTests('function-on-column', {
  schema,
  mysqlSchema: 'CREATE TABLE events (id bigint PRIMARY KEY, kind varchar(20), created_at datetime NOT NULL);',
  valid: [
    // PostgreSQL only (PostgreSQL's own parser): typed literals and casts on the constant side are constants.
    "SELECT id FROM logs WHERE logged_at >= DATE '2026-01-05' AND id = CAST($1 AS bigint) AND logged_at < $2::timestamp",
    'SELECT id FROM users WHERE "name" = $1::text AND email = ANY(ARRAY[$2]::text[])',
    // Functions in the select list, on the value side, aggregates, HAVING.
    'SELECT lower(name) FROM users WHERE id = $1',
    "SELECT id FROM events WHERE created_at > now() - interval '7 days'",
    'SELECT id FROM users WHERE name = lower($1)',
    'SELECT org_id, count(*) FROM users GROUP BY org_id HAVING count(*) > 1',
    "SELECT org_id FROM users GROUP BY org_id HAVING max(lower(name)) = 'x'",
    'SELECT id FROM users WHERE id = ANY($1)',
    // An expression index on exactly this expression exists (case and spacing differ).
    "SELECT id FROM users WHERE lower(email) = 'a@example.com'",
    "SELECT u.id FROM users u WHERE LOWER(u.email) = $1",
    // OR/NOT-free bare columns.
    "SELECT id FROM events WHERE created_at >= '2024-03-01' AND created_at < '2024-03-02'",
  ],
  invalid: [
    {
      // PostgreSQL only: a typed literal on the constant side neither hides the finding nor the range rewrite.
      sql: "SELECT id FROM shipments WHERE date_trunc('day', placed_at) = DATE '2026-01-05'",
      errors: [{
        text: "date_trunc('day', placed_at)",
        message: "Rewrite it as a range on the bare column: placed_at >= '2026-01-05' AND placed_at < '2026-01-06'",
        fixed: "SELECT id FROM shipments WHERE placed_at >= '2026-01-05' AND placed_at < '2026-01-06'",
      }],
    },
    {
      sql: "SELECT id FROM shipments WHERE date_trunc('month', placed_at) = '2026-02-01'::date",
      errors: [{ text: "date_trunc('month', placed_at)", fixed: "SELECT id FROM shipments WHERE placed_at >= '2026-02-01' AND placed_at < '2026-03-01'" }],
    },
    {
      // Statements node-sql-parser could not read: data-modifying CTEs, DELETE … USING, AT TIME ZONE.
      sql: "WITH gone AS (DELETE FROM events WHERE lower(kind) = 'x' RETURNING id) SELECT count(*) FROM gone",
      errors: [{ text: 'lower(kind)', ddl: 'CREATE INDEX events_lower_kind_idx ON events (lower(kind));' }],
    },
    {
      sql: 'DELETE FROM events e USING users u WHERE e.user_id = u.id AND lower(u.name) = $1',
      errors: [{ text: 'lower(u.name)', ddl: 'CREATE INDEX users_lower_name_idx ON users (lower(name));' }],
    },
    {
      sql: "SELECT id FROM users WHERE (created_at AT TIME ZONE 'UTC')::date = $1::date",
      errors: [{ text: "(created_at AT TIME ZONE 'UTC')::date", message: 'casts the column created_at' }],
    },
    {
      sql: "SELECT id FROM users WHERE lower(name) = 'ann'",
      errors: [{
        text: 'lower(name)',
        message: ['lower(name) wraps the column name', 'an index on name cannot be used', 'expression index on lower(name)'],
        ddl: 'CREATE INDEX users_lower_name_idx ON users (lower(name));',
        fixed: null,
      }],
    },
    {
      // An expression index on lower(email) does not help upper(email).
      sql: 'SELECT id FROM users WHERE UPPER(email) = $1',
      errors: [{ text: 'UPPER(email)', ddl: 'CREATE INDEX users_upper_email_idx ON users (upper(email));' }],
    },
    {
      sql: "SELECT id FROM events WHERE date_trunc('day', created_at) = '2024-03-01'",
      errors: [{
        text: "date_trunc('day', created_at)",
        message: "Rewrite it as a range on the bare column: created_at >= '2024-03-01' AND created_at < '2024-03-02'",
        fixed: "SELECT id FROM events WHERE created_at >= '2024-03-01' AND created_at < '2024-03-02'",
      }],
    },
    {
      sql: "SELECT id FROM events e WHERE e.kind = 'a' AND date_trunc('month', e.created_at) = '2024-12-01'",
      errors: [{ text: "date_trunc('month', e.created_at)", fixed: "SELECT id FROM events e WHERE e.kind = 'a' AND e.created_at >= '2024-12-01' AND e.created_at < '2025-01-01'" }],
    },
    {
      // Inside an OR the rewrite is parenthesised so precedence is unchanged.
      sql: "SELECT id FROM events WHERE kind = 'x' OR CAST(created_at AS date) = '2024-02-29'",
      errors: [{
        text: 'CAST(created_at AS date)',
        message: 'casts the column created_at',
        fixed: "SELECT id FROM events WHERE kind = 'x' OR (created_at >= '2024-02-29' AND created_at < '2024-03-01')",
      }],
    },
    {
      sql: 'SELECT id FROM events WHERE created_at::date = $1',
      // No expression index on a timestamptz date bucket: PostgreSQL rejects it (not IMMUTABLE).
      errors: [{ text: 'created_at::date', message: "created_at >= $1 AND created_at < $1 + interval '1 day'", fixed: null, ddl: null }],
    },
    {
      sql: 'SELECT id FROM logs WHERE logged_at::date = $1',
      errors: [{ text: 'logged_at::date', message: 'Or create an expression index on logged_at::date', ddl: 'CREATE INDEX logs_logged_at_date_idx ON logs ((logged_at::date));' }],
    },
    {
      sql: 'SELECT id FROM logs WHERE extract(year from logged_at) = 2024',
      errors: [{ text: 'extract(year from logged_at)', fixed: "SELECT id FROM logs WHERE logged_at >= '2024-01-01' AND logged_at < '2025-01-01'" }],
    },
    {
      sql: 'SELECT id FROM events WHERE extract(year from created_at) = $1',
      errors: [{ text: 'extract(year from created_at)', message: 'Compare created_at with a range instead', fixed: null, ddl: null }],
    },
    {
      sql: 'SELECT id FROM events WHERE YEAR(created_at) = 2023',
      dialect: 'mysql',
      errors: [{ text: 'YEAR(created_at)', fixed: "SELECT id FROM events WHERE created_at >= '2023-01-01' AND created_at < '2024-01-01'", ddl: 'CREATE INDEX events_year_created_at_idx ON events ((year(created_at)));' }],
    },
    {
      sql: 'SELECT e.id FROM events e JOIN users u ON lower(u.name) = e.kind WHERE e.id > 0',
      errors: [{ text: 'lower(u.name)' }],
    },
    {
      sql: "UPDATE users SET name = 'x' WHERE coalesce(org_id, 0) = 0",
      errors: [{ text: 'coalesce(org_id, 0)' }],
    },
    {
      sql: "DELETE FROM events WHERE extract(year from created_at) = 2023",
      errors: [{ text: 'extract(year from created_at)' }],
    },
    {
      sql: "SELECT id FROM events WHERE DATE(created_at) = '2024-01-31'",
      dialect: 'mysql',
      errors: [{ text: 'DATE(created_at)', fixed: "SELECT id FROM events WHERE created_at >= '2024-01-31' AND created_at < '2024-02-01'" }],
    },
    {
      sql: "SELECT id FROM mystery WHERE trim(code) = 'x' AND lower(a.b) = 'y'",
      errors: [{ text: 'trim(code)', ddl: null }, { text: 'lower(a.b)' }],
    },
  ],
});
