/**
 * Data-distribution facts for the advisor: reads `pg_stats` / `pg_class` from the engine (after
 * its ANALYZE) and answers "how many distinct values" and "what fraction of rows has this value".
 */
import type { PlanEngine } from '../engine/types';
import type { ColumnStats, DataStats, TableStats } from './types';

const STATS_SQL = `SELECT s.tablename::text AS tablename, s.attname::text AS attname, s.n_distinct::float8 AS n_distinct,
  s.null_frac::float8 AS null_frac, s.most_common_vals::text AS mcv, s.most_common_freqs::text AS mcf
  FROM pg_stats s WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema')`;
const ROWS_SQL = `SELECT c.relname::text AS relname, c.reltuples::float8 AS reltuples FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')`;

/**
 * Statistics from the engine (two small catalog queries). Undefined when the engine has no
 * `query` method or the read fails — the advisor then relies on verification alone. Not cached
 * across calls: an engine host may restart with another schema behind the same object.
 */
export function loadStats(engine: PlanEngine): Promise<DataStats | undefined> {
  return readStats(engine).catch(() => undefined);
}

async function readStats(engine: PlanEngine): Promise<DataStats | undefined> {
  if (typeof engine.query !== 'function') return undefined;
  const stats: DataStats = new Map();
  const table = (name: string): TableStats => {
    let t = stats.get(name);
    if (!t) {
      t = { rows: 0, columns: new Map() };
      stats.set(name, t);
    }
    return t;
  };
  for (const row of await engine.query(ROWS_SQL)) {
    table(String(row.relname)).rows = Math.max(0, Number(row.reltuples) || 0);
  }
  for (const row of await engine.query(STATS_SQL)) {
    const values = parseArrayText(row.mcv);
    const freqs = parseArrayText(row.mcf).map(Number);
    const column: ColumnStats = {
      nDistinct: Number(row.n_distinct) || 0,
      nullFrac: Number(row.null_frac) || 0,
      mostCommon: values.map((value, i) => ({ value, freq: freqs[i] ?? 0 })),
    };
    table(String(row.tablename)).columns.set(String(row.attname), column);
  }
  return stats;
}

/** Parses PostgreSQL array text (`{PENDING,PAID,"two words"}`) into unquoted element strings. */
export function parseArrayText(text: unknown): string[] {
  if (Array.isArray(text)) return text.map(String);
  if (typeof text !== 'string' || !text.startsWith('{')) return [];
  const out: string[] = [];
  let i = 1;
  while (i < text.length - 1) {
    if (text[i] === '"') {
      let v = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') i++;
        v += text[i++];
      }
      out.push(v);
      i += 2; // closing quote and comma
    } else {
      const end = text.indexOf(',', i);
      const stop = end < 0 ? text.length - 1 : end;
      out.push(text.slice(i, stop));
      i = stop + 1;
    }
  }
  return out;
}

/** Estimated number of distinct values of a column, or undefined when unknown. */
export function distinctValues(stats: DataStats | undefined, table: string, column: string): number | undefined {
  const t = stats?.get(table);
  const c = t?.columns.get(column);
  if (!t || !c) return undefined;
  return c.nDistinct >= 0 ? c.nDistinct : -c.nDistinct * t.rows;
}

/**
 * Fraction of rows where `column` equals the literal `constant` (SQL text such as `'PENDING'`,
 * `42`, `true`, `NULL`), from the most-common-values list; undefined when unknown.
 */
export function valueFraction(stats: DataStats | undefined, table: string, column: string, constant: string): number | undefined {
  const t = stats?.get(table);
  const c = t?.columns.get(column);
  if (!t || !c) return undefined;
  if (constant.toUpperCase() === 'NULL') return c.nullFrac;
  const value = literalText(constant);
  const hit = c.mostCommon.find((m) => m.value === value || (isBool(value) && isBool(m.value) && boolOf(m.value) === boolOf(value)));
  if (hit) return hit.freq;
  // Not among the most common values: share what the MCV list and NULLs leave among the rest.
  const distinct = distinctValues(stats, table, column) ?? 0;
  const rest = Math.max(0, 1 - c.nullFrac - c.mostCommon.reduce((s, m) => s + m.freq, 0));
  const others = Math.max(1, distinct - c.mostCommon.length);
  return rest / others;
}

function literalText(constant: string): string {
  const m = /^'((?:[^']|'')*)'$/.exec(constant.trim());
  return m ? m[1].replace(/''/g, "'") : constant.trim();
}

function isBool(v: string): boolean {
  return /^(t|f|true|false)$/i.test(v);
}

function boolOf(v: string): boolean {
  return /^t/i.test(v);
}
