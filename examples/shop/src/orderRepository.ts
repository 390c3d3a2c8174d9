/**
 * Order data access with node-postgres, written the index-friendly way: nothing here is
 * reported. Each query is served by an index from ../schema, and lists are fetched in one
 * round trip (`= ANY($1)`) instead of once per id.
 */
import { Pool } from 'pg';

const pool = new Pool();

export interface OrderRow {
  id: number;
  user_id: number;
  status: string;
  total_cents: number;
  created_at: Date;
}

/** "My orders, newest first": served by orders_user_id_created_at_idx. */
export async function recentOrders(userId: number, limit = 20): Promise<OrderRow[]> {
  const { rows } = await pool.query<OrderRow>(
    'SELECT id, user_id, status, total_cents, created_at FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2',
    [userId, limit],
  );
  return rows;
}

/** Orders of many users in one query instead of one per user. */
export async function ordersOfUsers(userIds: number[]): Promise<Map<number, OrderRow[]>> {
  const { rows } = await pool.query<OrderRow>(
    'SELECT id, user_id, status, total_cents, created_at FROM orders WHERE user_id = ANY($1)',
    [userIds],
  );
  const byUser = new Map<number, OrderRow[]>();
  for (const row of rows) {
    const list = byUser.get(row.user_id) ?? [];
    list.push(row);
    byUser.set(row.user_id, list);
  }
  return byUser;
}

/** A day's orders as a range on created_at (no function on the column). */
export async function ordersOfDay(userId: number, day: Date): Promise<OrderRow[]> {
  const next = new Date(day.getTime() + 24 * 3600 * 1000);
  const { rows } = await pool.query<OrderRow>(
    `SELECT id, user_id, status, total_cents, created_at FROM orders
     WHERE user_id = $1 AND created_at >= $2 AND created_at < $3`,
    [userId, day, next],
  );
  return rows;
}

/** Login by e-mail: lower(email) is served by the expression index users_lower_email_idx. */
export async function userByEmail(email: string) {
  const { rows } = await pool.query('SELECT id, email, name FROM users WHERE lower(email) = lower($1)', [email]);
  return rows[0];
}

/** Items of one order: the leading column of the order_items primary key. */
export async function itemsOfOrder(orderId: number) {
  const { rows } = await pool.query(
    'SELECT product_id, quantity, unit_price_cents FROM order_items WHERE order_id = $1',
    [orderId],
  );
  return rows;
}

/** Inserts all lines of an order with one multi-row INSERT. */
export async function addItems(orderId: number, items: { productId: number; quantity: number; priceCents: number }[]) {
  const values = items.map((_, i) => `($1, $${i * 3 + 2}, $${i * 3 + 3}, $${i * 3 + 4})`).join(', ');
  const params = [orderId, ...items.flatMap((i) => [i.productId, i.quantity, i.priceCents])];
  await pool.query(`INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES ${values}`, params);
}

/** Products whose name starts with a prefix: a trailing wildcard only. */
export async function productsByPrefix(prefix: string) {
  const { rows } = await pool.query("SELECT id, name FROM products WHERE category = $1 AND name LIKE $2 || '%'", ['books', prefix]);
  return rows;
}
