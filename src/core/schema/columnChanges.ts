/**
 * Column changes every schema reader applies the same way (PostgreSQL DDL, the MySQL token
 * reader, ORM migrations): what a dropped or renamed column takes with it.
 */
import type { Table } from './types';

/**
 * Drops a column with what PostgreSQL drops with it: a primary key or unique constraint that
 * includes it (the whole constraint), foreign keys from it, and every index that uses it — as a
 * key, inside a key expression, in INCLUDE, or in the partial-index predicate.
 */
export function dropColumn(table: Table, name: string): void {
  table.columns = table.columns.filter((x) => x.name !== name);
  if (table.primaryKey.includes(name)) table.primaryKey = [];
  table.uniques = table.uniques.filter((u) => !u.includes(name));
  table.foreignKeys = table.foreignKeys.filter((fk) => !fk.columns.includes(name));
  const word = new RegExp(`\\b${name.replace(/[^A-Za-z0-9_]/g, '\\$&')}\\b`);
  table.indexes = table.indexes.filter(
    (ix) => !ix.keys.some((k) => k.column === name || (k.expression !== undefined && word.test(k.expression))) && !ix.include.includes(name) && !(ix.where && word.test(ix.where)),
  );
}

/** Renames a column everywhere the table mentions it: keys, constraints, index keys and INCLUDE. */
export function renameColumn(table: Table, from: string, to: string): void {
  const col = table.columns.find((x) => x.name === from);
  if (col) col.name = to;
  const swap = (x: string) => (x === from ? to : x);
  table.primaryKey = table.primaryKey.map(swap);
  table.uniques = table.uniques.map((u) => u.map(swap));
  for (const fk of table.foreignKeys) fk.columns = fk.columns.map(swap);
  for (const ix of table.indexes) {
    for (const k of ix.keys) if (k.column === from) k.column = to;
    ix.include = ix.include.map(swap);
  }
}
