/**
 * Index health of a PostgreSQL server: indexes never scanned since the statistics were last
 * reset (with that time, since "unused for two days" and "for a year" are different findings),
 * duplicate and redundant indexes, and the size of every table and its indexes.
 */
import type { IndexDef, Table } from '../schema/types';
import type { PgServer } from './pgServer';

export interface IndexHealth {
  server: string;
  /** When this database's statistics were last reset (ISO text), if ever. */
  statsReset?: string;
  unused: { table: string; index: string; bytes: number; unique: boolean }[];
  duplicates: { table: string; index: string; sameAs: string; bytes: number }[];
  redundant: { table: string; index: string; coveredBy: string; bytes: number }[];
  tables: { table: string; rows: number; tableBytes: number; indexBytes: number; indexes: number }[];
}

/** Reads the health report (three statistics queries plus the schema). */
export async function indexHealth(server: PgServer): Promise<IndexHealth> {
  const schema = await server.schema();
  const reset = await server.query(`SELECT stats_reset::text AS reset FROM pg_stat_database WHERE datname = current_database()`);
  const usage = await server.query(
    `SELECT s.relname::text AS tbl, s.indexrelname::text AS idx, s.idx_scan::float8 AS scans, pg_relation_size(s.indexrelid)::float8 AS bytes, i.indisunique AS uniq
     FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid ORDER BY s.relname, s.indexrelname`,
  );
  const sizes = await server.query(
    `SELECT c.relname::text AS tbl, GREATEST(c.reltuples, 0)::float8 AS rows, pg_table_size(c.oid)::float8 AS tbytes, pg_indexes_size(c.oid)::float8 AS ibytes,
       (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid)::int AS n
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
     ORDER BY pg_total_relation_size(c.oid) DESC`,
  );
  const bytesOf = new Map(usage.map((u) => [`${u.tbl}.${u.idx}`, Number(u.bytes)]));
  const health: IndexHealth = {
    server: `${server.capabilities.version} at ${server.target.display}`,
    statsReset: reset[0]?.reset ? String(reset[0].reset) : undefined,
    unused: usage.filter((u) => Number(u.scans) === 0).map((u) => ({ table: String(u.tbl), index: String(u.idx), bytes: Number(u.bytes), unique: u.uniq === true })),
    duplicates: [],
    redundant: [],
    tables: sizes.map((s) => ({ table: String(s.tbl), rows: Number(s.rows), tableBytes: Number(s.tbytes), indexBytes: Number(s.ibytes), indexes: Number(s.n) })),
  };
  for (const table of new Set(schema.catalog.tables.values())) {
    const { duplicates, redundant } = overlaps(table);
    for (const d of duplicates) health.duplicates.push({ table: table.name, index: d.index.name, sameAs: d.other.name, bytes: bytesOf.get(`${table.name}.${d.index.name}`) ?? 0 });
    for (const r of redundant) health.redundant.push({ table: table.name, index: r.index.name, coveredBy: r.other.name, bytes: bytesOf.get(`${table.name}.${r.index.name}`) ?? 0 });
  }
  return health;
}

function keyText(ix: IndexDef): string[] {
  return ix.keys.map((k) => `${k.column ?? k.expression}${k.descending ? ' desc' : ''}`);
}

/**
 * Duplicates: same method, keys, INCLUDE and predicate. Redundant: a non-unique B-tree whose
 * keys are a leading prefix of another B-tree's with the same predicate (the longer one serves
 * every lookup the shorter does).
 */
export function overlaps(table: Table): { duplicates: { index: IndexDef; other: IndexDef }[]; redundant: { index: IndexDef; other: IndexDef }[] } {
  const duplicates: { index: IndexDef; other: IndexDef }[] = [];
  const redundant: { index: IndexDef; other: IndexDef }[] = [];
  const ixs = table.indexes;
  for (let i = 0; i < ixs.length; i++) {
    const a = ixs[i];
    const ka = keyText(a);
    for (let j = 0; j < ixs.length; j++) {
      if (i === j) continue;
      const b = ixs[j];
      if (a.method !== b.method || (a.where ?? '') !== (b.where ?? '')) continue;
      const kb = keyText(b);
      const same = ka.length === kb.length && ka.every((k, n) => k === kb[n]) && [...a.include].sort().join() === [...b.include].sort().join();
      if (same) {
        // Report the later one of a pair once; keep the constraint-backed one.
        if (j < i && !a.implicit) duplicates.push({ index: a, other: b });
        continue;
      }
      if (a.method === 'btree' && !a.unique && !a.implicit && ka.length < kb.length && ka.every((k, n) => k === kb[n])) redundant.push({ index: a, other: b });
    }
  }
  return { duplicates, redundant };
}

/** The report as plain text for the CLI (and Markdown-friendly for the editor). */
export function healthText(h: IndexHealth): string {
  const lines: string[] = [`Index health of ${h.server}`, `Statistics since: ${h.statsReset ?? 'the server started (never reset)'}`, ''];
  lines.push(h.unused.length ? 'Unused indexes (no scan since then):' : 'Unused indexes: none.');
  for (const u of h.unused) lines.push(`  ${u.table}.${u.index}  ${bytes(u.bytes)}${u.unique ? '  (unique: it enforces a constraint even when never scanned)' : ''}`);
  lines.push(h.duplicates.length ? 'Duplicate indexes:' : 'Duplicate indexes: none.');
  for (const d of h.duplicates) lines.push(`  ${d.table}.${d.index} is the same as ${d.sameAs}  ${bytes(d.bytes)}`);
  lines.push(h.redundant.length ? 'Redundant indexes (a longer index leads with the same columns):' : 'Redundant indexes: none.');
  for (const r of h.redundant) lines.push(`  ${r.table}.${r.index} is covered by ${r.coveredBy}  ${bytes(r.bytes)}`);
  lines.push('', 'Sizes:');
  for (const t of h.tables) lines.push(`  ${t.table}: ${Math.round(t.rows).toLocaleString('en-US')} rows, table ${bytes(t.tableBytes)}, ${t.indexes} index${t.indexes === 1 ? '' : 'es'} ${bytes(t.indexBytes)}`);
  return lines.join('\n') + '\n';
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
