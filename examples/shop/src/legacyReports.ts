/**
 * Legacy reporting code, kept as an example of what the linter catches in TypeScript.
 * Every line that should be reported ends with `// expect: <rule>`:
 * - SQL rules on SQL embedded in `pool.query`, Prisma `$queryRaw` and a concatenated string;
 * - n-plus-one on queries run once per order / per user.
 */
import { Pool } from 'pg';
import { PrismaClient } from '@prisma/client';
import knexFactory from 'knex';

const pool = new Pool();
const prisma = new PrismaClient();
const knex = knexFactory({ client: 'pg' });

const USER_COLUMNS = 'id, email, name';

export async function userById(id: number) {
  const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [id]); // expect: select-star
  return rows[0];
}

export async function ordersOnDay(day: string) {
  const { rows } = await pool.query(
    `SELECT id, total_cents FROM orders WHERE date_trunc('day', created_at) = ${day}`, // expect: function-on-column
  );
  return rows;
}

export async function bigOrders(minEuros: number) {
  return prisma.$queryRaw`SELECT id FROM orders WHERE total_cents / 100 >= ${minEuros}`; // expect: expression-on-column
}

export async function searchProducts(term: string) {
  // The pattern is built in JavaScript: '%' + term + '%' still starts with a wildcard.
  const sql = "SELECT id, name FROM products WHERE name LIKE " + "'%" + term + "%'"; // expect: leading-wildcard
  return (await pool.query(sql)).rows;
}

export async function searchUsers(term: string) {
  // The wildcard travels in the bound value, but the pattern still starts with '%'.
  const { rows } = await pool.query('SELECT id, name FROM users WHERE name ILIKE $1', [`%${term}%`]); // expect: leading-wildcard
  return rows;
}

export async function eventsOfUser(userId: number) {
  const { rows } = await pool.query('SELECT id, kind FROM events WHERE user_id = $1', [userId]); // expect: missing-index
  return rows;
}

export async function cheapProducts(maxCents: number) {
  const { rows } = await pool.query('SELECT id, name FROM products WHERE price_cents < $1', [maxCents]); // expect: leftmost-prefix
  return rows;
}

export async function usersByName(name: string) {
  return pool.query(`SELECT ${USER_COLUMNS} FROM users WHERE name = $1`, [name]); // expect: missing-index
}

export async function orderSummaries(orderIds: number[]) {
  const summaries = [];
  for (const id of orderIds) {
    const order = await prisma.order.findUnique({ where: { id } }); // expect: n-plus-one
    const items = await knex('order_items').where({ order_id: id }); // expect: n-plus-one
    summaries.push({ order, items });
  }
  return summaries;
}

export async function lastOrders(userIds: number[]) {
  return Promise.all(
    userIds.map((userId) =>
      pool.query('SELECT id, created_at FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1', [userId]), // expect: n-plus-one
    ),
  );
}
