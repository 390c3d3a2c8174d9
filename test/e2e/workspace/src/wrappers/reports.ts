// @ts-nocheck -- a fixture to lint, not to compile. Queries sent through the helper in db.ts.
import { rawQuery } from './db';

export async function ordersOfUser(userId: number) {
  return rawQuery('SELECT id, total FROM orders WHERE user_id = {{userId}}', { userId });
}

export async function userByEmail(email: string) {
  return rawQuery('SELECT * FROM users WHERE lower(email) = {{email}}', { email });
}
