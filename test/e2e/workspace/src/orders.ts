// @ts-nocheck -- a fixture to lint, not to compile (no `pg` types here).
// E2E scenario 2: one query per user inside a loop (N+1), and SQL embedded in a string.
import { Pool } from 'pg';

const pool = new Pool();

export async function ordersForUsers(userIds: number[]) {
  const all = [];
  for (const id of userIds) {
    const { rows } = await pool.query('SELECT * FROM orders WHERE user_id = $1', [id]);
    all.push(...rows);
  }
  return all;
}

export async function userByEmail(email: string) {
  const { rows } = await pool.query('SELECT id, name FROM users WHERE lower(email) = $1', [email]);
  return rows[0];
}
