import { prisma } from './db';

/** The packing screen: orders waiting to ship, oldest first. */
export function ordersToShip() {
  return prisma.order.findMany({
    where: { status: 'PAID' },
    orderBy: { placedAt: 'asc' },
    take: 100,
  });
}

/** The daily report: everything placed since a moment, across customers. */
export function ordersSince(since: Date) {
  return prisma.order.count({ where: { placedAt: { gte: since } } });
}

/** Cancels stale unpaid orders. */
export function cancelStale(before: Date) {
  return prisma.order.updateMany({
    where: { status: 'PENDING', placedAt: { lt: before } },
    data: { status: 'CANCELLED' },
  });
}
