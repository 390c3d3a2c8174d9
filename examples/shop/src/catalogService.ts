/**
 * Catalogue and fulfilment logic with Prisma and Knex, batched: nothing here is reported.
 * Relations are loaded with `include`, lists with `in`/`whereIn`, and per-item work happens
 * on data already in memory.
 */
import { PrismaClient } from '@prisma/client';
import knexFactory from 'knex';

const prisma = new PrismaClient();
const knex = knexFactory({ client: 'pg' });

/** Orders with their items and products, in one Prisma call. */
export async function ordersWithItems(userId: number) {
  return prisma.order.findMany({
    where: { userId },
    include: { items: { include: { product: true } } },
    orderBy: { createdAt: 'desc' },
  });
}

/** Attaches each order's customer from one batched query. */
export async function attachCustomers(orders: { userId: number; customer?: unknown }[]) {
  const ids = [...new Set(orders.map((o) => o.userId))];
  const customers = await prisma.user.findMany({ where: { id: { in: ids } } });
  const byId = new Map(customers.map((c) => [c.id, c]));
  for (const order of orders) {
    order.customer = byId.get(order.userId);
  }
  return orders;
}

/** Products in a category and price band: served by products_category_price_idx. */
export async function productsInBand(category: string, maxCents: number) {
  return knex('products').select('id', 'name', 'price_cents').where({ category }).andWhere('price_cents', '<', maxCents);
}

/** Stock check for many SKUs at once. */
export async function productsBySku(skus: string[]) {
  return knex('products').select('id', 'sku').whereIn('sku', skus);
}

/** Marks many orders shipped with one statement. */
export async function markShipped(orderIds: number[]) {
  await prisma.order.updateMany({ where: { id: { in: orderIds } }, data: { status: 'SHIPPED', shippedAt: new Date() } });
}

/** Totals computed in memory from rows fetched once. */
export async function revenueByCategory() {
  const rows = await knex('order_items')
    .join('products', 'products.id', 'order_items.product_id')
    .select('products.category', 'order_items.quantity', 'order_items.unit_price_cents');
  const totals = new Map<string, number>();
  rows.forEach((r) => totals.set(r.category, (totals.get(r.category) ?? 0) + r.quantity * r.unit_price_cents));
  return totals;
}

/** Pending orders for the fulfilment worker: the partial index orders_pending_created_at_idx. */
export async function pendingOrders() {
  return prisma.$queryRaw`SELECT id, user_id FROM orders WHERE status = 'PENDING' ORDER BY created_at LIMIT 100`;
}
