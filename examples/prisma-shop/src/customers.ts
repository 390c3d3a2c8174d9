import { prisma } from './db';

/** Sign-in: the unique email index serves this lookup. */
export function customerByEmail(email: string) {
  return prisma.customer.findUnique({ where: { email } });
}

/** A customer's latest orders: served by @@index([customerId, placedAt(sort: Desc)]). */
export function customerOrders(customerId: number) {
  return prisma.order.findMany({
    where: { customerId },
    orderBy: { placedAt: 'desc' },
    take: 20,
  });
}
