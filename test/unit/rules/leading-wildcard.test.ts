import { ruleTests } from './harness';

const schema = `
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);
CREATE TABLE products (id bigint PRIMARY KEY, name text, sku text);
CREATE INDEX products_name_trgm_idx ON products USING gin (name gin_trgm_ops);
`;

ruleTests('leading-wildcard', {
  schema,
  mysqlSchema: 'CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255) NOT NULL, name varchar(100));',
  valid: [
    // PostgreSQL only: a cast parameter prefix is not a wildcard.
    "SELECT id FROM users WHERE name LIKE $1::text || '%'",
    "SELECT id FROM users WHERE email LIKE 'abc%'",
    'SELECT id FROM users WHERE email LIKE $1',
    "SELECT id FROM users WHERE email LIKE $1 || '%'",
    "SELECT id FROM users WHERE email = '%x'",
    "SELECT '%x' LIKE '%x' AS m FROM users WHERE id = 1",
    // A trigram index serves the search.
    "SELECT id FROM products WHERE name ILIKE '%phone%'",
    { sql: 'SELECT id FROM users WHERE name LIKE ?', dialect: 'mysql' },
    { sql: "SELECT id FROM users WHERE name LIKE CONCAT(?, '%')", dialect: 'mysql' },
  ],
  invalid: [
    {
      // PostgreSQL only: full-text @@ next to the search, a cast pattern, a pattern in a CTE of a DELETE.
      sql: "SELECT id FROM users WHERE to_tsvector(name) @@ to_tsquery($1) AND name ILIKE '%' || $2 || '%'",
      errors: [{ text: "'%' || $2 || '%'" }],
    },
    { sql: "SELECT id FROM users WHERE name LIKE '%x'::text", errors: [{ text: "'%x'::text" }] },
    {
      sql: "WITH m AS (SELECT id FROM users WHERE email NOT ILIKE '%@test.com') DELETE FROM events USING m WHERE events.user_id = m.id",
      errors: [{ text: "'%@test.com'", message: 'The NOT ILIKE pattern' }],
    },
    {
      sql: "SELECT id FROM users WHERE email LIKE '%@example.com'",
      errors: [{
        text: "'%@example.com'",
        message: ["The LIKE pattern starts with '%'", 'no B-tree index on email', 'trigram'],
        ddl: 'CREATE INDEX users_email_trgm_idx ON users USING gin (email gin_trgm_ops);',
      }],
    },
    { sql: "SELECT id FROM users u WHERE u.name ILIKE '%ann%'", errors: [{ text: "'%ann%'", message: 'ILIKE pattern', ddl: 'CREATE INDEX users_name_trgm_idx ON users USING gin (name gin_trgm_ops);' }] },
    { sql: "SELECT id FROM users WHERE name NOT LIKE '_x'", errors: [{ text: "'_x'", message: "NOT LIKE pattern starts with '_'" }] },
    { sql: "SELECT id FROM users WHERE name LIKE '%' || $1", errors: [{ text: "'%' || $1" }] },
    { sql: "SELECT id FROM users WHERE name ILIKE '%' || $1 || '%' AND id > 3", errors: [{ text: "'%' || $1 || '%'" }] },
    { sql: "SELECT id FROM users WHERE name LIKE ('%' || :q)", errors: [{ text: "('%' || :q)" }] },
    { sql: "SELECT id FROM users WHERE id IN (SELECT id FROM users WHERE email LIKE '%x')", errors: [{ text: "'%x'" }] },
    { sql: "SELECT id FROM unknown_table WHERE col LIKE '%x'", errors: [{ text: "'%x'", message: 'no B-tree index on col', ddl: null }] },
    {
      sql: "SELECT id FROM users WHERE name LIKE CONCAT('%', ?)",
      dialect: 'mysql',
      errors: [{ text: "CONCAT('%', ?)", message: 'FULLTEXT', ddl: 'CREATE FULLTEXT INDEX users_name_ft ON users (name);' }],
    },
    { sql: "UPDATE users SET name = 'x' WHERE email LIKE '%y'", errors: [{ text: "'%y'" }] },
  ],
});
