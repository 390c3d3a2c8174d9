/**
 * The query model from both front ends: PostgreSQL's own parser (libpg-query) and
 * node-sql-parser for MySQL. Shapes, ranges, scopes, constants and parameters.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import type { Dialect } from '../../src/core/dialect';
import type { Expr, QueryStatement, Range } from '../../src/core/query/model';
import { parseQuery } from '../../src/core/query/parse';
import { blockScope, resolveColumn } from '../../src/core/query/scope';
import { comparisons, conjuncts, isConstant, predicateRoots } from '../../src/core/query/walk';
import { buildCatalog } from '../../src/core/schema/catalog';

const root = path.resolve(__dirname, '../..');

function statement(sql: string, dialect: Dialect = 'postgresql'): QueryStatement {
  const r = parseQuery(sql, dialect);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.statements[0];
}

const slice = (sql: string, r: Range | undefined) => (r ? sql.slice(r.start, r.end) : '<no range>');

describe('query model', () => {
  const catalog = buildCatalog([{ file: 's.sql', text: 'CREATE TABLE users (id int, email text); CREATE TABLE orders (id int, user_id int, email text);' }]);

  for (const dialect of ['postgresql', 'mysql'] as const) {
    describe(dialect, () => {
      it('lists query blocks in text order: CTEs, the block, subqueries, set-operation branches', () => {
        const st = statement('WITH a AS (SELECT id FROM users) SELECT id FROM a WHERE id IN (SELECT user_id FROM orders) UNION SELECT id FROM users', dialect);
        const selects = st.blocks.filter((b) => b.kind === 'select');
        assert.deepEqual(selects.map((b) => blockScope(b, catalog).map((s) => s.relation).join(',')), ['users', 'a', 'orders', 'users']);
        assert.equal(blockScope(selects[1], catalog)[0].table, undefined, 'a CTE shadows the catalog');
        assert.equal(selects[2].parent, selects[1]);
      });

      it('resolves aliases, unqualified columns and outer references; ambiguity is unknown', () => {
        const st = statement('SELECT u.id FROM users u JOIN orders o ON o.user_id = u.id WHERE email = 1 AND EXISTS (SELECT 1 FROM orders x WHERE x.user_id = u.id AND user_id = 3)', dialect);
        const [outer, inner] = st.blocks;
        const where = conjuncts(outer.where!) as Extract<Expr, { kind: 'comparison' }>[];
        assert.equal(resolveColumn(where[0].left as Extract<Expr, { kind: 'column' }>, outer, catalog), undefined, 'email is in both tables');
        const on = predicateRoots(outer)[1] as Extract<Expr, { kind: 'comparison' }>;
        assert.equal(resolveColumn(on.left as Extract<Expr, { kind: 'column' }>, outer, catalog)?.table.name, 'orders');
        assert.equal(inner.inExists, true);
        const innerConds = conjuncts(inner.where!) as Extract<Expr, { kind: 'comparison' }>[];
        assert.equal(resolveColumn(innerConds[0].right as Extract<Expr, { kind: 'column' }>, inner, catalog)?.table.name, 'users', 'outer alias u');
        assert.equal(resolveColumn(innerConds[1].left as Extract<Expr, { kind: 'column' }>, inner, catalog)?.column, 'user_id');
      });

      it('gives exact ranges for comparisons, operands, casts, IN lists and stars', () => {
        const sql = "SELECT o.*, count(*) FROM users u, orders o WHERE CAST(u.id AS char) = 'x' AND u.id IN (1, 2) AND lower(u.email) LIKE 'a%' -- trailing";
        const st = statement(sql, dialect);
        const b = st.blocks[0];
        assert.equal(slice(sql, b.selectList[0].expr.range), 'o.*');
        assert.equal(b.selectList[0].expr.kind, 'star');
        const [cast, inList, like] = comparisons(b.where!);
        assert.equal(slice(sql, cast.range), "CAST(u.id AS char) = 'x'", 'a trailing comment is not part of a range');
        assert.equal(slice(sql, cast.left.range), 'CAST(u.id AS char)');
        assert.equal(slice(sql, cast.right.range), "'x'");
        assert.equal(inList.op, 'IN');
        assert.equal(slice(sql, inList.right.range), '(1, 2)');
        assert.equal(like.op, 'LIKE');
        assert.equal(slice(sql, like.left.range), 'lower(u.email)');
        assert.equal(slice(sql, like.opRange), 'LIKE');
      });

      it('reads ORDER BY direction, LIMIT and the OFFSET clause', () => {
        const sql = dialect === 'mysql' ? 'SELECT id FROM users ORDER BY email DESC, id LIMIT 40, 20' : 'SELECT id FROM users ORDER BY email DESC NULLS LAST, id LIMIT 20 OFFSET 40';
        const b = statement(sql, dialect).blocks[0];
        assert.deepEqual(b.orderBy.map((o) => [slice(sql, o.expr.range), o.direction ?? '']), [['email', 'desc'], ['id', '']]);
        assert.equal(b.limit?.kind === 'literal' && b.limit.value, '20');
        assert.equal(b.offset?.kind === 'literal' && b.offset.value, '40');
        assert.equal(slice(sql, b.offsetClause), dialect === 'mysql' ? 'LIMIT 40, 20' : 'OFFSET 40');
        if (dialect === 'postgresql') assert.equal(b.orderBy[0].nulls, 'last');
      });
    });
  }

  describe('postgresql only', () => {
    it('reads every shape node-sql-parser rejected', () => {
      const shapes = [
        `SELECT id FROM docs WHERE "searchVector" @@ to_tsquery('english', $1)`,
        `SELECT id FROM events WHERE (ts AT TIME ZONE 'UTC')::date = $1`,
        'DELETE FROM a USING b WHERE a.b_id = b.id AND b.gone',
        'WITH x AS (SELECT id FROM a WHERE stale) DELETE FROM a WHERE id IN (SELECT id FROM x)',
        'WITH x AS (SELECT id FROM a) INSERT INTO log (a_id) SELECT id FROM x',
        'WITH x AS (SELECT id, n FROM a) UPDATE b SET n = x.n FROM x WHERE b.id = x.id',
        `SELECT id FROM orgs WHERE kind = 'PERSONAL'::"OrganisationType"`,
        `UPDATE t SET x = CASE WHEN y > 0 THEN 'p' ELSE 'n' END WHERE id = $1`,
        'UPDATE t SET total = s.total FROM s WHERE s.id = t.id',
        'SELECT * FROM unnest(ARRAY[$1]::uuid[]) AS u(id)',
        'SELECT id FROM t WHERE a IS NOT DISTINCT FROM $1',
        'SELECT count(*) FILTER (WHERE paid) FROM orders',
        'SELECT a, b, count(*) FROM t GROUP BY GROUPING SETS ((a), (b), ())',
      ];
      for (const sql of shapes) {
        const r = parseQuery(sql, 'postgresql');
        assert.ok(r.ok, `${sql}: ${r.ok ? '' : r.message}`);
        assert.ok(r.statements[0].blocks.length > 0, sql);
      }
      const del = statement('DELETE FROM a USING b WHERE a.b_id = b.id');
      assert.equal(del.kind, 'delete');
      assert.deepEqual(del.blocks[0].from.map((f) => f.relation.kind === 'table' && f.relation.name), ['a', 'b']);
      const dataCte = statement('WITH x AS (SELECT id FROM a) INSERT INTO log (a_id) SELECT id FROM x');
      assert.deepEqual(dataCte.blocks.map((b) => b.kind), ['select', 'insert', 'select']);
    });

    it('treats typed literals and casts of literals or parameters as constants', () => {
      const sql = "SELECT 1 FROM t WHERE a = DATE '2026-01-05' AND b = '2026-01-05'::date AND c = $1::uuid AND d = CAST($2 AS int) AND e > now() - INTERVAL '7 days' AND f = TIMESTAMPTZ '2026-01-05 10:00+00' AND g = x::date";
      const cmps = comparisons(statement(sql).blocks[0].where!);
      assert.deepEqual(cmps.map((c) => isConstant(c.right)), [true, true, true, true, true, true, false]);
      assert.deepEqual(cmps.map((c) => slice(sql, c.right.range)), [
        "DATE '2026-01-05'", "'2026-01-05'::date", '$1::uuid', 'CAST($2 AS int)', "now() - INTERVAL '7 days'", "TIMESTAMPTZ '2026-01-05 10:00+00'", 'x::date',
      ]);
      const first = cmps[0].right;
      assert.ok(first.kind === 'cast' && first.syntax === 'typed-literal' && first.type === 'date');
    });

    it('reads $n, ? and :name parameters, and keeps the JSONB ? operator an operator', () => {
      const sql = "SELECT id FROM t WHERE a = $1 AND b = ? AND c IN (:ids) AND data ? 'key' AND d LIKE ?";
      const st = statement(sql);
      assert.deepEqual(st.params.map((p) => p.name), ['$1', '?', ':ids', '?']);
      assert.deepEqual(st.params.map((p) => slice(sql, p.range)), ['$1', '?', ':ids', '?']);
      const jsonb = comparisons(st.blocks[0].where!).length;
      assert.equal(jsonb, 4, 'data ? key is an operator, not a comparison');
    });

    it('maps byte offsets to characters in text with non-ASCII characters', () => {
      const sql = "SELECT 'é', 'ü' FROM t WHERE lower(name) = 'ø' AND x = $1";
      const [a, b] = comparisons(statement(sql).blocks[0].where!);
      assert.equal(slice(sql, a.left.range), 'lower(name)');
      assert.equal(slice(sql, b.right.range), '$1');
    });

    it("reports parse errors in PostgreSQL's words with the position", () => {
      const sql = 'SELECT id FORM users';
      const r = parseQuery(sql, 'postgresql');
      assert.ok(!r.ok);
      assert.equal(r.message, 'syntax error at or near "users"');
      assert.equal(r.offset, sql.indexOf('users'));
    });

    it('says clearly when the parser was not loaded before the first PostgreSQL parse', () => {
      const code = "require('./src/core/query/parse').parseQuery('SELECT 1', 'postgresql')";
      const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', code], { cwd: root, encoding: 'utf8', timeout: 60000 });
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /PostgreSQL parser not loaded: await loadPgParser\(\) first/);
    });
  });
});
