// @ts-nocheck -- a fixture to lint, not to compile. The project's own SQL helper (Queries view scenario).
import { PrismaClient } from '@prisma/client';

const client = new PrismaClient();

export async function rawQuery(sql: string, data: Record<string, unknown> = {}) {
  const params: unknown[] = [];
  const query = sql.replace(/\{\{\s*(\w+)(::\w+)?\s*}}/g, (_m, name: string, type?: string) => {
    params.push(data[name]);
    return `$${params.length}${type ?? ''}`;
  });
  return client.$queryRawUnsafe(query, ...params);
}
