/**
 * The one place that loads PostgreSQL's own parser (libpg-query: the PostgreSQL 18 grammar
 * compiled to WASM, the same version PGlite runs). The module compiles its WASM as soon as it
 * is required, so it is required lazily: activation and MySQL-only work never pay for it.
 * After `loadPgParser()` resolves once, every parse call is synchronous.
 */
import type { ParseResult as PgParseTree } from 'libpg-query';

type LibPg = typeof import('libpg-query');

let lib: LibPg | undefined;
let loading: Promise<void> | undefined;

/** Loads and compiles the parser once (≈ tens of ms); later calls return the same promise. */
export function loadPgParser(): Promise<void> {
  if (!loading) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require('libpg-query') as LibPg;
    loading = mod.loadModule().then(() => {
      lib = mod;
    });
  }
  return loading;
}

/** True once `loadPgParser()` has resolved. */
export function pgParserReady(): boolean {
  return lib !== undefined;
}

function ready(): LibPg {
  if (!lib) throw new Error('PostgreSQL parser not loaded: await loadPgParser() first');
  return lib;
}

export type { PgParseTree };

export type PgParse =
  | { ok: true; tree: PgParseTree }
  | { ok: false; message: string; /** 0-based offset into the text, when PostgreSQL gave one. */ offset?: number };

/** Parses SQL text (one or more statements) with PostgreSQL's grammar. Never throws. */
export function parsePgSync(sql: string): PgParse {
  try {
    return { ok: true, tree: ready().parseSync(sql) };
  } catch (err) {
    return describePgError(err);
  }
}

/** Parses a PL/pgSQL function body (the text of `CREATE FUNCTION … LANGUAGE plpgsql`). */
export function parsePlPgSqlSync(sql: string): { ok: true; tree: unknown } | { ok: false; message: string; offset?: number } {
  try {
    return { ok: true, tree: ready().parsePlPgSQLSync(sql) };
  } catch (err) {
    return describePgError(err);
  }
}

/** PostgreSQL's query fingerprint: equal for statements that differ only in constants. */
export function pgFingerprintSync(sql: string): string | undefined {
  try {
    return ready().fingerprintSync(sql);
  } catch {
    return undefined;
  }
}

function describePgError(err: unknown): { ok: false; message: string; offset?: number } {
  if (err instanceof Error && !lib?.hasSqlDetails(err) && /not loaded/.test(err.message)) throw err;
  const e = err as { message?: string; sqlDetails?: { message?: string; cursorPosition?: number } };
  const message = String(e?.sqlDetails?.message ?? e?.message ?? err).split('\n')[0].slice(0, 300);
  // libpg-query reports the cursor 0-based (measured: "select from where" → 12, at "where").
  const cursor = e?.sqlDetails?.cursorPosition;
  return { ok: false, message, offset: typeof cursor === 'number' && cursor >= 0 ? cursor : undefined };
}
