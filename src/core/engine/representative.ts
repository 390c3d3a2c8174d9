/**
 * Picks the value a parameter gets, from the statistics ANALYZE gathered on the synthetic
 * data: a typical, selective value for equality (a histogram midpoint, or the rarest of the
 * common values, like the 'pending' status people actually filter on), a value near the edge
 * of the histogram for range sides (≈ 10 % of rows), a tight window for BETWEEN.
 */
import { quoteIdent, quoteLiteral, type Queryable } from './introspect';
import type { ParamRole } from './params';

export interface ColumnStatsRow {
  mcv: string[] | null;
  hist: string[] | null;
}

/** Reads pg_stats for one column (text forms of the values). */
export async function columnStats(db: Queryable, schema: string, table: string, column: string): Promise<ColumnStatsRow | undefined> {
  const r = await db.query<ColumnStatsRow>(
    `SELECT most_common_vals::text::text[] AS mcv, histogram_bounds::text::text[] AS hist
     FROM pg_stats WHERE schemaname = $1 AND tablename = $2 AND attname = $3`,
    [schema, table, column],
  );
  return r.rows[0];
}

/** Chooses the raw value (text) for a role from the column's statistics. */
export function chooseValue(stats: ColumnStatsRow | undefined, role: ParamRole): string | undefined {
  const hist = stats?.hist?.length ? stats.hist : undefined;
  const mcv = stats?.mcv?.length ? stats.mcv : undefined;
  const at = (arr: string[], f: number) => arr[Math.min(arr.length - 1, Math.max(0, Math.floor((arr.length - 1) * f)))];
  switch (role) {
    case 'lt':
      return hist ? at(hist, 0.1) : mcv?.[mcv.length - 1];
    case 'gt':
      return hist ? at(hist, 0.9) : mcv?.[mcv.length - 1];
    case 'between-low':
      return hist ? at(hist, 0.45) : mcv?.[0];
    case 'between-high':
      return hist ? at(hist, 0.55) : mcv?.[0];
    default:
      return hist ? at(hist, 0.5) : mcv?.[mcv.length - 1];
  }
}

/** A value read straight from the table when ANALYZE kept no statistics (tiny tables). */
export async function sampleValue(db: Queryable, qualifiedTable: string, column: string): Promise<string | undefined> {
  const c = quoteIdent(column);
  const r = await db.query<{ v: string }>(`SELECT ${c}::text AS v FROM ${qualifiedTable} WHERE ${c} IS NOT NULL LIMIT 1`);
  return r.rows[0]?.v;
}

/** SQL text for a value in the given role (`LIKE` gets a prefix pattern, `ANY` an array). */
export function literalFor(value: string, role: ParamRole): string {
  if (role === 'like') return quoteLiteral(value.slice(0, Math.max(1, value.length - 2)).replace(/[%_\\]/g, '\\$&') + '%');
  // An untyped array literal, so PostgreSQL coerces it to the column's array type.
  if (role === 'array') return quoteLiteral(`{"${value.replace(/["\\]/g, '\\$&')}"}`);
  return quoteLiteral(value);
}
