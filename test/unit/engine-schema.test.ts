import { strict as assert } from 'assert';
import { ddlFromCatalog, pgType, statementAction } from '../../src/core/engine/schemaLoad';
import { planFills, rowsFor } from '../../src/core/engine/synthetic';
import type { TableInfo } from '../../src/core/engine/introspect';
import { buildCatalog } from '../../src/core/schema/catalog';

describe('engine schema loading', () => {
  const run = [
    'CREATE TABLE t (id int)',
    '  -- comment\n  create index i on t (id)',
    'ALTER TABLE t ADD COLUMN x int',
    'CREATE TYPE mood AS ENUM (\'a\')',
    'COMMENT ON TABLE t IS \'x\'',
    'DROP INDEX i',
    'CREATE EXTENSION IF NOT EXISTS pg_trgm',
  ];
  const skip = [
    'SELECT * FROM t',
    "SET search_path = ''",
    "INSERT INTO t VALUES (1)",
    'ALTER TABLE t OWNER TO bob',
    'GRANT SELECT ON t TO bob',
    'CREATE ROLE bob',
    'CREATE DATABASE app',
    'BEGIN',
    'VACUUM t',
    'ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO bob',
  ];
  for (const sql of run) it(`runs: ${sql.trim().split('\n').pop()}`, () => assert.equal(statementAction(sql), 'run'));
  for (const sql of skip) it(`skips: ${sql}`, () => assert.equal(statementAction(sql), 'skip'));

  it('maps MySQL types to PostgreSQL', () => {
    const table: [string, string][] = [
      ['int(11) unsigned', 'integer'],
      ['tinyint(1)', 'boolean'],
      ['datetime', 'timestamp'],
      ['double', 'double precision'],
      ['varchar(255)', 'varchar(255)'],
      ['longtext', 'text'],
      ["enum('a','b')", 'text'],
      ['json', 'jsonb'],
      ['decimal(10,2)', 'numeric(10,2)'],
      ['geometry', 'text'],
    ];
    for (const [from, to] of table) assert.equal(pgType(from), to, from);
  });

  it('writes PostgreSQL DDL for tables from the parsed catalog (MySQL schema)', () => {
    const src = [{ file: 'm.sql', text: 'CREATE TABLE `users` (`id` int unsigned NOT NULL AUTO_INCREMENT, `email` varchar(100) NOT NULL, PRIMARY KEY (`id`), KEY `ix_email` (`email`)) ENGINE=InnoDB;' }];
    const catalog = buildCatalog(src, 'mysql');
    const ddl = ddlFromCatalog([...catalog.tables.values()]);
    assert.match(ddl[0], /^CREATE TABLE users \(\n {2}id integer NOT NULL,\n {2}email varchar\(100\) NOT NULL,\n {2}PRIMARY KEY \(id\)\n\)$/);
    assert.ok(ddl.some((d) => /^CREATE INDEX ix_email ON users \(email\)$/.test(d)), ddl.join('\n'));
  });
});

describe('synthetic data plans', () => {
  const table = (over: Partial<TableInfo>): TableInfo => ({ schema: 'public', name: 't', qualified: '"public"."t"', columns: [], primaryKey: [], uniques: [], foreignKeys: [], partitioned: false, ...over });
  const col = (name: string, type: string, category: string, extra = {}) => ({ name, type, baseType: type, category, notNull: true, generated: false, identity: '', hasDefault: false, ...extra });

  it('reads row counts by name or schema.name, case-insensitively, with a default', () => {
    assert.equal(rowsFor({ schema: 'public', name: 'Orders' }, { orders: 5 }, 10), 5);
    assert.equal(rowsFor({ schema: 'app', name: 'orders' }, { 'APP.orders': 7, orders: 5 }, 10), 7);
    assert.equal(rowsFor({ schema: 'public', name: 'x' }, {}, 10), 10);
  });

  it('derives unique and foreign-key values from row numbers, and skips generated columns', () => {
    const users = table({ name: 'users', qualified: '"public"."users"', columns: [col('id', 'integer', 'N'), col('email', 'text', 'S')], primaryKey: ['id'], uniques: [['email']] });
    const orders = table({
      name: 'orders',
      qualified: '"public"."orders"',
      columns: [col('id', 'bigint', 'N', { identity: 'a' }), col('user_id', 'integer', 'N'), col('doubled', 'integer', 'N', { generated: true })],
      primaryKey: ['id'],
      foreignKeys: [{ columns: ['user_id'], refTable: '"public"."users"', refColumns: ['id'] }],
    });
    const [u, o] = planFills([users, orders], new Map([['"public"."users"', 100], ['"public"."orders"', 1000]]));
    assert.match(u.sql!, /'user' \|\| g\.i \|\| '@example\.com'/);
    assert.match(o.sql!, /OVERRIDING SYSTEM VALUE/);
    assert.match(o.sql!, /\* 100\)\)::bigint \+ 0 \* g\.i AS r\) AS fk0/);
    assert.ok(!/doubled/.test(o.sql!));
    assert.match(o.sql!, /ON CONFLICT DO NOTHING$/);
  });

  it('generates nothing for a table with zero rows', () => {
    const [p] = planFills([table({ columns: [col('id', 'integer', 'N')] })], new Map([['"public"."t"', 0]]));
    assert.equal(p.sql, undefined);
  });
});
