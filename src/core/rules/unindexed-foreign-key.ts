/**
 * unindexed-foreign-key (migrations and schema files): a foreign key whose referencing columns
 * no index leads with. PostgreSQL indexes the referenced key (it must be unique) but never the
 * referencing columns, so every DELETE of a parent row, every update of its key, and every join
 * from the parent side scans the child table.
 */
import { registerRuleMeta } from './index';
import type { Finding } from './types';
import type { MigrationRule } from '../migrations/rule';
import type { MigrationSet } from '../migrations/set';
import { createIndexDdl, quoteIdent } from '../schema/indexes';
import type { ForeignKey, Table } from '../schema/types';

/** True when some usable index's leading keys are exactly the foreign key's columns (in any order). */
function isIndexed(table: Table, fk: ForeignKey): boolean {
  const cols = new Set(fk.columns);
  return table.indexes.some((ix) => {
    if (ix.where || !(ix.method === 'btree' || (ix.method === 'hash' && fk.columns.length === 1))) return false;
    const lead = ix.keys.slice(0, fk.columns.length);
    return lead.length === cols.size && lead.every((k) => k.column !== undefined && cols.has(k.column));
  });
}

/** The constraint's own range (from the statement facts), else its declaring statement. */
function rangeOf(set: MigrationSet, fk: ForeignKey): { start: number; end: number } | undefined {
  const src = fk.source;
  if (!src) return undefined;
  const file = set.byFile.get(src.file);
  const end = src.end ?? src.offset;
  for (const fact of file?.facts ?? []) {
    if (!('foreignKeys' in fact) || fact.start < src.offset || fact.start >= Math.max(end, src.offset + 1)) continue;
    const hit = fact.foreignKeys.find((f) => f.columns.join(',').toLowerCase() === fk.columns.join(',').toLowerCase() && f.refTable.toLowerCase() === fk.refTable.toLowerCase());
    if (hit) return { start: hit.start, end: hit.end };
  }
  return { start: src.offset, end };
}

export const unindexedForeignKey: MigrationRule = {
  kind: 'migration',
  id: 'unindexed-foreign-key',
  description: 'Flags a foreign key whose referencing columns no index leads with.',
  rationale:
    'PostgreSQL requires an index on the referenced (parent) key but creates none on the referencing (child) columns. ' +
    'Without one, every DELETE of a parent row and every change of its key scans the whole child table to look for references ' +
    '(under a lock, once per parent row), and every join from the parent to its children scans the child table too. ' +
    'With Prisma\'s `relationMode = "prisma"` there is no database foreign key at all: Prisma emulates the referential actions with ' +
    'queries on the child columns, so the index matters even more.',
  defaultSeverity: 'warning',
  needsSchema: true,
  examples: {
    bad: ['CREATE TABLE order_items (\n  id bigint PRIMARY KEY,\n  order_id bigint NOT NULL REFERENCES orders (id)\n);'],
    good: [
      'CREATE TABLE order_items (\n  id bigint PRIMARY KEY,\n  order_id bigint NOT NULL REFERENCES orders (id)\n);\nCREATE INDEX order_items_order_id_idx ON order_items (order_id);',
    ],
  },
  fix: 'Add an index leading with the foreign-key columns (CREATE INDEX CONCURRENTLY on a table that already holds data).',
  check({ file, set, catalog }) {
    const out: Omit<Finding, 'severity' | 'ruleId'>[] = [];
    for (const table of catalog.tables.values()) {
      for (const fk of table.foreignKeys) {
        if (fk.source?.file !== file.file || isIndexed(table, fk)) continue;
        const range = rangeOf(set, fk);
        if (!range) continue;
        const ddl = createIndexDdl(table, fk.columns.map((c) => quoteIdent(c, set.dialect)), set.dialect, { nameParts: fk.columns });
        const cols = fk.columns.join(', ');
        const emulated = table.origin === 'prisma' ? ' (Prisma emulates this relation with queries on these columns)' : '';
        out.push({
          message:
            `Foreign key ${table.name} (${cols}) → ${fk.refTable} has no index leading with ${cols}${emulated}: every DELETE or key update on ${fk.refTable} ` +
            `scans ${table.name} for referencing rows, and joins from ${fk.refTable} to ${table.name} scan it too. Add: ${ddl}`,
          start: range.start,
          end: range.end,
          suggestedIndex: { table: table.name, ddl },
        });
      }
    }
    return out.sort((a, b) => a.start - b.start);
  },
};

registerRuleMeta(unindexedForeignKey);
