/**
 * The server's real workload: the statements pg_stat_statements has seen, heaviest (total
 * execution time) first, limited to the kinds the advisor can act on.
 */
import type { WorkspaceQuery } from '../advisor/types';
import { LiveError } from './errors';
import type { PgServer } from './pgServer';
import { guardPostgresSync } from './statement';

export interface WorkloadStatement {
  sql: string;
  calls: number;
  totalMs: number;
  meanMs: number;
}

/** Top `top` statements by total time in this database; throws when pg_stat_statements is absent. */
export async function topStatements(server: PgServer, top: number): Promise<WorkloadStatement[]> {
  if (!server.capabilities.pgStatStatements) {
    throw new LiveError(
      'usage',
      `pg_stat_statements is not available on ${server.target.display} (it must be in shared_preload_libraries and created with CREATE EXTENSION pg_stat_statements): workload advice needs it; advise on files or --query instead`,
    );
  }
  const limit = Math.max(1, Math.min(1000, Math.floor(top)));
  // Over-fetch: utility statements and our own catalog reads are dropped below.
  const rows = await server
    .query(
    `SELECT s.query AS query, s.calls::float8 AS calls, s.total_exec_time::float8 AS total, s.mean_exec_time::float8 AS mean
     FROM pg_stat_statements s WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     ORDER BY s.total_exec_time DESC LIMIT ${limit * 4}`,
    )
    .catch((err: unknown) => {
      if (/shared_preload_libraries/.test(String((err as Error)?.message))) {
        throw new LiveError('usage', `pg_stat_statements is created on ${server.target.display} but not loaded (add it to shared_preload_libraries and restart): workload advice needs it`);
      }
      throw err;
    });
  const out: WorkloadStatement[] = [];
  for (const r of rows) {
    const sql = String(r.query ?? '');
    if (!isAdvisable(sql)) continue;
    out.push({ sql, calls: Number(r.calls), totalMs: Number(r.total), meanMs: Number(r.mean) });
    if (out.length >= limit) break;
  }
  return out;
}

/** Statements the advisor reads as workspace queries (the file is pg_stat_statements). */
export function workloadQueries(statements: WorkloadStatement[]): WorkspaceQuery[] {
  return statements.map((s, i) => ({ sql: s.sql, file: 'pg_stat_statements', offset: i }));
}

/**
 * A SELECT, UPDATE or DELETE (by PostgreSQL's parser). Statements over the system catalogs pass
 * here and are dropped by the advisor, which only knows the user's tables.
 */
function isAdvisable(sql: string): boolean {
  try {
    const g = guardPostgresSync(sql);
    return g.kind === 'select' || g.kind === 'update' || g.kind === 'delete';
  } catch {
    return false;
  }
}
