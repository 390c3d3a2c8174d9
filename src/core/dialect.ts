/** SQL dialects the advisor understands. PostgreSQL is primary; MySQL is second. */
export type Dialect = 'postgresql' | 'mysql';

export const DIALECTS: readonly Dialect[] = ['postgresql', 'mysql'];

/** Parses a user-supplied dialect name, or returns undefined when it is not one we support. */
export function parseDialect(name: string | undefined): Dialect | undefined {
  if (!name) return undefined;
  const n = name.toLowerCase();
  if (n === 'postgresql' || n === 'postgres' || n === 'pg') return 'postgresql';
  if (n === 'mysql' || n === 'mariadb') return 'mysql';
  return undefined;
}
