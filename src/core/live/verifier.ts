/**
 * Where index candidates for a live server are verified. With HypoPG on a PostgreSQL server,
 * on the server itself (hypothetical indexes, real statistics, nothing created). Otherwise in
 * the bundled engine loaded with the server's schema and its row counts, so plan shapes follow
 * the real table sizes. The caller always learns which one was used.
 */
import type { EngineOptions, PlanEngine } from '../engine/types';
import type { Catalog, SchemaSource } from '../schema/types';
import type { LiveServer } from './connect';
import type { ServerSchema } from './pgCatalog';

/** Largest synthetic table we generate to mirror a server table (generation time grows with it). */
export const MAX_MIRRORED_ROWS = 500_000;

export interface Verifier {
  engine: PlanEngine;
  how: 'hypopg' | 'bundled';
  /** One sentence for the user: which engine verified the advice, and what that means. */
  note: string;
  /** Closes what this verifier opened (never the server connection itself). */
  close(): Promise<void>;
}

export type BundledEngineFactory = (sources: SchemaSource[], catalog: Catalog, opts: EngineOptions) => Promise<PlanEngine>;

/** Picks HypoPG on the server when available, else a bundled engine mirroring the server. */
export async function verifierFor(server: LiveServer, schema: ServerSchema, catalog: Catalog, createBundled: BundledEngineFactory, opts: EngineOptions = {}): Promise<Verifier> {
  if (server.dialect === 'postgresql' && server.capabilities.hypopg) {
    return {
      engine: server,
      how: 'hypopg',
      note: `Verified on ${server.capabilities.version} at ${server.target.display} with HypoPG hypothetical indexes (real statistics; nothing was created).`,
      close: async () => undefined,
    };
  }
  const rows: Record<string, number> = {};
  let capped = false;
  for (const [table, n] of Object.entries(schema.rows)) {
    rows[table] = Math.min(Math.round(n), MAX_MIRRORED_ROWS);
    if (n > MAX_MIRRORED_ROWS) capped = true;
  }
  const engine = await createBundled([{ file: `server:${server.target.display}`, text: schema.ddl }], catalog, { ...opts, rows: { ...rows, ...(opts.rows ?? {}) }, dialect: server.dialect });
  const why =
    server.dialect === 'mysql'
      ? `${server.capabilities.version} has no hypothetical indexes`
      : server.capabilities.hypopgAvailable
        ? 'HypoPG is installed on the server but not created in this database (CREATE EXTENSION hypopg enables verification on the server)'
        : 'HypoPG is not installed on the server';
  return {
    engine,
    how: 'bundled',
    note: `Verified in the bundled engine loaded with the server's schema and row counts${capped ? ` (tables capped at ${MAX_MIRRORED_ROWS.toLocaleString('en-US')} rows)` : ''}, because ${why}; value distributions there are synthetic.`,
    close: () => engine.close(),
  };
}
