import { prisma } from './db';

/** Search box: a substring match on the title. */
export function searchProducts(q: string) {
  return prisma.product.findMany({
    where: { title: { contains: q, mode: 'insensitive' } },
    select: { id: true, title: true, priceCents: true },
    take: 24,
  });
}

/** Category page: served by @@index([categoryId]). */
export function productsInCategory(categoryId: number) {
  return prisma.product.findMany({ where: { categoryId }, orderBy: { id: 'asc' } });
}

/** Best sellers need every order line of a product: the (orderId, productId) key leads with orderId. */
export function orderLinesOfProduct(productId: number) {
  return prisma.orderItem.findMany({ where: { productId } });
}
