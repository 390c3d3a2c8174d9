-- E2E: a missing index whose quick fix writes a Knex migration that builds it CONCURRENTLY.
SELECT id, total_cents FROM orders WHERE status = 'open';
