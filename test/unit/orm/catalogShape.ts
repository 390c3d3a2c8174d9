/**
 * A catalog reduced to what must agree between an ORM schema and its SQL DDL: tables, columns
 * with types and nullability, primary keys, unique key sets, foreign keys and indexes (by name,
 * keys, uniqueness, method). Where and how each was declared is left out.
 */
import type { Catalog } from '../../../src/core/schema/types';

export function catalogShape(catalog: Catalog): unknown {
  return [...catalog.tables.values()]
    .map((t) => ({
      table: `${t.schema && t.schema !== 'public' ? t.schema + '.' : ''}${t.name}`,
      columns: t.columns.map((c) => `${c.name} ${c.type}${c.notNull ? ' not null' : ''}`),
      primaryKey: t.primaryKey,
      uniqueKeys: [...t.uniques.map((u) => u.join(',')), ...t.indexes.filter((i) => i.unique && !i.implicit).map((i) => i.keys.map((k) => k.column).join(','))].sort(),
      foreignKeys: t.foreignKeys.map((f) => `(${f.columns.join(',')}) -> ${f.refTable}(${f.refColumns.join(',')})`).sort(),
      indexes: t.indexes
        .filter((i) => !i.implicit)
        .map((i) => `${i.name}${i.unique ? ' unique' : ''} ${i.method} (${i.keys.map((k) => (k.column ?? k.expression) + (k.descending ? ' desc' : '')).join(', ')})`)
        .sort(),
    }))
    .sort((a, b) => a.table.localeCompare(b.table));
}
