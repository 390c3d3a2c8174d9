/**
 * Index questions the schema-aware rules ask of a table (which indexes lead with a column, or
 * contain it further right) and the DDL they suggest, named after PostgreSQL's convention.
 */
import type { Dialect } from '../dialect';
import type { IndexDef, Table } from './types';

/** Methods whose indexes serve ordinary comparisons and ORDER BY on their leading column. */
const ORDERED_METHODS = new Set(['btree', 'hash']);

/** True when the index can serve `=`, ranges and sorting on its keys (B-tree-like). */
export function isOrderedIndex(ix: IndexDef): boolean {
  return ORDERED_METHODS.has(ix.method.toLowerCase());
}

/** Ordered indexes whose first key is this plain column. */
export function indexesLeadingWith(table: Table, column: string): IndexDef[] {
  return table.indexes.filter((ix) => isOrderedIndex(ix) && ix.keys[0]?.column === column);
}

/** Ordered indexes whose first key is this (normalised) expression. */
export function indexesLeadingWithExpression(table: Table, expression: string): IndexDef[] {
  return table.indexes.filter((ix) => isOrderedIndex(ix) && ix.keys[0]?.expression === expression);
}

/** Index name in PostgreSQL's style: `orders_user_id_created_at_idx`. */
export function indexName(table: string, parts: string[], suffix = 'idx'): string {
  const base = [table, ...parts]
    .map((p) => p.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, ''))
    .filter(Boolean)
    .join('_');
  // PostgreSQL truncates identifiers at 63 bytes; do it ourselves so the name stays stable.
  return `${base.slice(0, 63 - suffix.length - 1)}_${suffix}`;
}

/** Quotes an identifier only when it needs it (upper case, spaces, keywords are left to the user). */
export function quoteIdent(name: string, dialect: Dialect): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name)) return name;
  return dialect === 'mysql' ? '`' + name.replace(/`/g, '``') + '`' : '"' + name.replace(/"/g, '""') + '"';
}

/** `CREATE INDEX name ON table (k1, k2);` for plain columns or ready-made key expressions. */
export function createIndexDdl(table: Table, keys: string[], dialect: Dialect, opts: { method?: string; nameParts?: string[]; suffix?: string } = {}): string {
  const name = indexName(table.name, opts.nameParts ?? keys, opts.suffix);
  const tableName = (table.schema && table.schema !== 'public' ? quoteIdent(table.schema, dialect) + '.' : '') + quoteIdent(table.name, dialect);
  const using = opts.method ? ` USING ${opts.method}` : '';
  return `CREATE INDEX ${name} ON ${tableName}${using} (${keys.join(', ')});`;
}
