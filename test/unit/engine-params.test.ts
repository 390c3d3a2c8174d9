import { strict as assert } from 'assert';
import type { Dialect } from '../../src/core/dialect';
import { bindParameters, findParameters, type ParamRole } from '../../src/core/engine/params';

const COLUMNS: Record<string, string[]> = {
  users: ['id', 'email', 'status', 'created_at', 'data'],
  orders: ['id', 'user_id', 'total', 'status', 'created_at'],
};
const lookup = (t: string) => COLUMNS[t];

interface Case {
  sql: string;
  dialect?: Dialect;
  /** Expected [text, role, table.column | undefined] per parameter, in order. */
  expect: [string, ParamRole, string | undefined][];
}

const CASES: Case[] = [
  { sql: 'SELECT * FROM users WHERE email = $1', expect: [['$1', 'eq', 'users.email']] },
  { sql: 'SELECT * FROM users u WHERE u.email = :email', expect: [[':email', 'eq', 'users.email']] },
  { sql: 'SELECT * FROM users u WHERE lower(u.email) = ?', dialect: 'mysql', expect: [['?', 'eq', 'users.email']] },
  { sql: 'SELECT * FROM users WHERE created_at > $1', expect: [['$1', 'gt', 'users.created_at']] },
  { sql: 'SELECT * FROM users WHERE $1 < created_at', expect: [['$1', 'gt', 'users.created_at']] },
  { sql: 'SELECT * FROM orders WHERE total <= $1', expect: [['$1', 'lt', 'orders.total']] },
  { sql: 'SELECT * FROM orders WHERE total BETWEEN $1 AND $2', expect: [['$1', 'between-low', 'orders.total'], ['$2', 'between-high', 'orders.total']] },
  { sql: 'SELECT * FROM orders WHERE user_id IN ($1, $2)', expect: [['$1', 'eq', 'orders.user_id'], ['$2', 'eq', 'orders.user_id']] },
  { sql: 'SELECT * FROM orders WHERE user_id = ANY($1)', expect: [['$1', 'array', 'orders.user_id']] },
  { sql: 'SELECT * FROM orders ORDER BY id LIMIT $1 OFFSET $2', expect: [['$1', 'limit', undefined], ['$2', 'offset', undefined]] },
  { sql: 'INSERT INTO users (email, status) VALUES ($1, $2)', expect: [['$1', 'eq', 'users.email'], ['$2', 'eq', 'users.status']] },
  { sql: 'INSERT INTO users VALUES ($1, $2)', expect: [['$1', 'eq', 'users.id'], ['$2', 'eq', 'users.email']] },
  { sql: 'UPDATE users SET status = $1 WHERE id = $2', expect: [['$1', 'eq', 'users.status'], ['$2', 'eq', 'users.id']] },
  { sql: 'SELECT * FROM orders o JOIN users u ON u.id = o.user_id WHERE status = $1 AND u.email LIKE $2', expect: [['$1', 'eq', 'orders.status'], ['$2', 'like', 'users.email']] },
  { sql: 'SELECT * FROM users WHERE id = ${user.id}', expect: [['${user.id}', 'eq', 'users.id']] },
  { sql: 'SELECT * FROM users WHERE email::text = $1::text', expect: [['$1', 'eq', 'users.email']] },
  { sql: 'SELECT * FROM users WHERE id + 1 = $1', expect: [['$1', 'eq', undefined]] },
  { sql: "SELECT * FROM users WHERE data ? 'key' AND email = $1", expect: [['$1', 'eq', 'users.email']] },
  { sql: 'SELECT * FROM users WHERE nosuch = $1', expect: [['$1', 'eq', undefined]] },
  { sql: "SELECT '$1', ':x' FROM users -- $2\n WHERE id = $3", expect: [['$3', 'eq', 'users.id']] },
];

describe('engine parameters', () => {
  for (const c of CASES) {
    it(`${c.sql}`, () => {
      const slots = findParameters(c.sql, c.dialect ?? 'postgresql', lookup);
      const got = slots.map((s) => [s.text, s.role, s.column ? `${s.table}.${s.column}` : undefined]);
      assert.deepEqual(got, c.expect);
      for (const s of slots) assert.equal(c.sql.slice(s.start, s.end), s.text);
    });
  }

  it('binds values in place, leaving unresolved slots as written', () => {
    const sql = 'SELECT * FROM orders WHERE user_id = $1 AND total > $2 LIMIT $3';
    const slots = findParameters(sql, 'postgresql', lookup);
    assert.equal(bindParameters(sql, slots, ["'7'", undefined, '10']), "SELECT * FROM orders WHERE user_id = '7' AND total > $2 LIMIT 10");
  });
});
