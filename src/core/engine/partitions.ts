/**
 * Synthetic rows for partitioned tables. Values generated for the whole table rarely fit the
 * partitions a real schema declares (monthly ranges of 2022, a list of regions), and PostgreSQL
 * rejects a row no partition accepts. So each leaf partition is filled on its own: its key
 * column takes values inside the leaf's bounds (range: between its bounds; list: one of its
 * values), and every row must also satisfy the leaf's full partition constraint (which covers
 * hash partitions, default partitions and the levels above), so nothing lands outside it.
 */
import { parsePgSync, pgParserReady } from '../sql/pg/libpg';
import { quoteLiteral, type Queryable, type TableInfo } from './introspect';
import { planFill, type FillPlan } from './synthetic';

interface LeafRow {
  qualified: string;
  bound: string | null;
  constraint: string | null;
  key_column: string | null;
  key_type: string | null;
  key_category: string | null;
}

const LEAVES_SQL = `
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qualified,
  pg_get_expr(c.relpartbound, c.oid) AS bound, pg_get_partition_constraintdef(c.oid) AS constraint,
  CASE WHEN pt.partnatts = 1 AND pt.partattrs[0] > 0 THEN a.attname END AS key_column,
  format_type(a.atttypid, a.atttypmod) AS key_type, ty.typcategory AS key_category
FROM pg_partition_tree($1::regclass) t
JOIN pg_class c ON c.oid = t.relid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_partitioned_table pt ON pt.partrelid = t.parentrelid
LEFT JOIN pg_attribute a ON a.attrelid = t.parentrelid AND a.attnum = pt.partattrs[0]
LEFT JOIN pg_type ty ON ty.oid = a.atttypid
WHERE t.isleaf AND c.relkind = 'r'
ORDER BY t.level, c.oid`;

/** Plans the fills of `todo`: one INSERT per plain table, one per leaf of a partitioned table. */
export async function planTableFills(db: Queryable, todo: TableInfo[], all: TableInfo[], counts: Map<string, number>): Promise<FillPlan[]> {
  const byName = new Map(all.map((t) => [t.qualified, t]));
  const out: FillPlan[] = [];
  for (const t of todo) {
    const rows = counts.get(t.qualified) ?? 0;
    if (!t.partitioned || rows <= 0) {
      out.push(planFill(t, rows, byName, counts));
      continue;
    }
    const leaves = (await db.query<LeafRow>(LEAVES_SQL, [t.qualified])).rows;
    if (!leaves.length) continue; // No partition yet: nothing can hold a row.
    const per = Math.max(1, Math.ceil(rows / leaves.length));
    leaves.forEach((leaf, i) => {
      const bound = leaf.bound && pgParserReady() ? boundOf(leaf.bound) : undefined;
      const override = new Map<string, string>();
      const key = leaf.key_column && leaf.key_type ? keyExpr(bound, leaf.key_type, leaf.key_category ?? '') : undefined;
      if (key && leaf.key_column) override.set(leaf.key_column, key);
      // Hash partitions keep the generated values and take the share their constraint lets
      // through, so they draw from every row number; the others take their own range of row
      // numbers (a default partition keeps the generated values that fall outside its siblings).
      const filtered = !key && bound?.strategy === 'h';
      out.push(
        planFill(t, filtered ? rows : per, byName, counts, {
          into: leaf.qualified,
          override,
          where: leaf.constraint ?? undefined,
          start: filtered ? 1 : 1 + i * per,
        }),
      );
    });
  }
  return out;
}

interface Bound {
  strategy: 'r' | 'l' | 'h' | 'default';
  /** Literals as text; undefined for MINVALUE / MAXVALUE. */
  lower?: (string | undefined)[];
  upper?: (string | undefined)[];
  list?: string[];
}

/** Reads `FOR VALUES …` (pg_get_expr of relpartbound) with PostgreSQL's grammar. */
export function boundOf(text: string): Bound | undefined {
  const parsed = parsePgSync(`CREATE TABLE x PARTITION OF y ${text}`);
  if (!parsed.ok) return undefined;
  const spec = (parsed.tree.stmts?.[0]?.stmt as { CreateStmt?: { partbound?: Record<string, unknown> } } | undefined)?.CreateStmt?.partbound;
  if (!spec) return undefined;
  if (spec.is_default) return { strategy: 'default' };
  const datums = (v: unknown) => ((v as unknown[] | undefined) ?? []).map(literalOf);
  if (spec.strategy === 'r') return { strategy: 'r', lower: datums(spec.lowerdatums), upper: datums(spec.upperdatums) };
  if (spec.strategy === 'l') return { strategy: 'l', list: datums(spec.listdatums).filter((v): v is string => v !== undefined) };
  if (spec.strategy === 'h') return { strategy: 'h' };
  return undefined;
}

function literalOf(node: unknown): string | undefined {
  const c = (node as { A_Const?: Record<string, Record<string, unknown> | boolean> }).A_Const;
  if (!c || c.isnull) return undefined;
  if (c.sval && typeof c.sval === 'object') return String(c.sval.sval ?? '');
  if (c.ival && typeof c.ival === 'object') return String(c.ival.ival ?? 0);
  if (c.fval && typeof c.fval === 'object') return String(c.fval.fval ?? '0');
  if (c.boolval && typeof c.boolval === 'object') return c.boolval.boolval ? 'true' : 'false';
  return undefined;
}

/** An expression for the key column inside a single-column range or list bound. */
function keyExpr(bound: Bound | undefined, type: string, category: string): string | undefined {
  if (!bound) return undefined;
  if (bound.strategy === 'l') {
    if (!bound.list?.length) return undefined;
    return `(ARRAY[${bound.list.map(quoteLiteral).join(', ')}])[1 + floor(random() * ${bound.list.length})::int]::${type}`;
  }
  if (bound.strategy !== 'r' || bound.lower?.length !== 1 || bound.upper?.length !== 1) return undefined;
  const [lo, hi] = [bound.lower[0], bound.upper[0]];
  if (lo === undefined && hi === undefined) return undefined;
  const t = type.toLowerCase();
  const lit = (v: string) => `${quoteLiteral(v)}::${type}`;
  if (category === 'D' && t === 'date') {
    const l = lo !== undefined ? lit(lo) : `(${lit(hi!)} - 365)`;
    const h = hi !== undefined ? lit(hi) : `(${lit(lo!)} + 365)`;
    return `(${l} + floor(random() * (${h} - ${l}))::int)`;
  }
  if (category === 'D' && t.startsWith('timestamp')) {
    const l = lo !== undefined ? lit(lo) : `(${lit(hi!)} - interval '365 days')`;
    const h = hi !== undefined ? lit(hi) : `(${lit(lo!)} + interval '365 days')`;
    return `(${l} + random() * (${h} - ${l}))::${type}`;
  }
  if (category === 'N') {
    const l = lo !== undefined ? `${quoteLiteral(lo)}::numeric` : `(${quoteLiteral(hi!)}::numeric - 1000)`;
    const h = hi !== undefined ? `${quoteLiteral(hi)}::numeric` : `(${quoteLiteral(lo!)}::numeric + 1000)`;
    const integral = /^(smallint|integer|bigint)$/.test(t);
    return integral ? `(${l} + floor(random() * (${h} - ${l})::float8)::numeric)::${type}` : `(${l} + random()::numeric * (${h} - ${l}))::${type}`;
  }
  // Other types (text ranges…): the lower bound itself is inside the partition.
  return lo !== undefined ? lit(lo) : undefined;
}
