/**
 * leftmost-prefix (needs schema): a composite index contains the filtered column, but not as
 * its leading key, and the query does not constrain the leading key. A B-tree on (a, b) is
 * sorted by a first; without a condition on a, the entries for a given b are spread all over it.
 */
import { isServed, skippedPrefixIndexes, suggestedDdl, suggestedKeys, tableAccesses } from './table-access';
import type { IndexDef } from '../schema/types';
import type { Finding, SqlRule } from './types';

function keyList(ix: IndexDef): string {
  return ix.keys.map((k) => k.column ?? k.expression ?? '?').join(', ');
}

export const leftmostPrefix: SqlRule = {
  kind: 'sql',
  id: 'leftmost-prefix',
  description: 'Flags queries that filter on a non-leading column of a composite index without constraining its leading column(s).',
  rationale:
    'A composite B-tree index on (status, created_at) is sorted by status first and by created_at only within each status. ' +
    'A query on created_at alone cannot seek into it, because matching entries are scattered across every status. ' +
    'The index becomes usable when the query also constrains the leading column (equality, or a range on the last column used), ' +
    'so the rule is silent then — and also when another index leads with one of the constrained columns.',
  defaultSeverity: 'warning',
  needsSchema: true,
  examples: {
    bad: ["SELECT id FROM orders WHERE created_at > now() - interval '1 day' -- index on (status, created_at)"],
    good: ["SELECT id FROM orders WHERE status = 'PAID' AND created_at > now() - interval '1 day' -- index on (status, created_at)"],
  },
  fix: 'Constrain the leading column too, reorder the index so the filtered column leads, or add an index that leads with it.',
  check(ctx) {
    const actx = { text: ctx.statement.text, dialect: ctx.dialect, catalog: ctx.catalog };
    const out: Omit<Finding, 'severity' | 'ruleId'>[] = [];
    for (const block of ctx.statements.flatMap((st) => st.blocks)) {
      for (const access of tableAccesses(block, actx)) {
        if (isServed(access)) continue;
        const skipped = skippedPrefixIndexes(access);
        if (skipped.length === 0) continue;
        const { index, use } = skipped[0];
        if (!use.range) continue;
        const lead = index.keys.slice(0, skipped[0].position).map((k) => k.column ?? k.expression).join(', ');
        const others = skipped.length > 1 ? ` (also: ${skipped.slice(1).map((s) => s.index.name).join(', ')})` : '';
        out.push({
          message:
            `Index ${index.name} (${keyList(index)}) cannot be used for ${use.column}: the query does not constrain its leading column${skipped[0].position > 1 ? 's' : ''} ${lead}${others}. ` +
            `Filter on ${lead} as well, or add an index for this query: (${suggestedKeys(access).join(', ')}).`,
          start: use.range.start,
          end: use.range.end,
          suggestedIndex: { table: access.table.name, ddl: suggestedDdl(access, ctx.dialect) },
        });
      }
    }
    return out;
  },
};
