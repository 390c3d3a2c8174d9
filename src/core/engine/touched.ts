/**
 * The relations a statement names, read from PostgreSQL's own parse tree (libpg-query), so the
 * engine can fill exactly those tables with synthetic rows before planning it.
 */
import { parsePgSync } from '../sql/pg/libpg';

/** A relation as written in the statement (names already case-folded by the parser). */
export interface NamedRelation {
  schema?: string;
  name: string;
}

/**
 * Every `RangeVar` of the statement (FROM items, JOINs, subqueries, CTE bodies, DML targets).
 * Undefined when PostgreSQL cannot parse the text: the caller then assumes any table may be read.
 * A CTE's own name is reported too when it is referenced; looking it up finds no table, or the
 * table of the same name, which is filled harmlessly.
 */
export function relationsIn(sql: string): NamedRelation[] | undefined {
  const parsed = parsePgSync(sql);
  if (!parsed.ok) return undefined;
  const out = new Map<string, NamedRelation>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      // FROM items are wrapped (`{ RangeVar: … }`); DML targets are bare (`relation: { relname … }`).
      if ((key === 'RangeVar' || key === 'relation') && value && typeof value === 'object') {
        const rv = value as { schemaname?: string; relname?: string };
        if (rv.relname) out.set(`${rv.schemaname ?? ''}.${rv.relname}`, { schema: rv.schemaname || undefined, name: rv.relname });
      }
      walk(value);
    }
  };
  walk(parsed.tree);
  return [...out.values()];
}
