/**
 * Extensions a schema asks for (`CREATE EXTENSION …`). PGlite loads contrib extensions only when
 * they are passed to `PGlite.create`, so they are found before PostgreSQL starts: the contrib
 * modules PGlite ships are loaded from their tarballs (next to the bundle, else in
 * node_modules); pgvector, which PGlite 0.5 does not ship, gets a stand-in `vector` type so its
 * tables load with their other columns and indexes; anything else is reported and skipped.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Extension, Extensions } from '@electric-sql/pglite';
import type { SchemaSource } from '../schema/types';
import { splitStatements } from '../sql/split';
import { parsePgSync } from '../sql/pg/libpg';
import type { SchemaLoadProblem } from './types';

/** Contrib extensions shipped next to the bundle (esbuild.js copies these tarballs). */
export const CONTRIB = [
  'pg_trgm', 'btree_gin', 'btree_gist', 'citext', 'hstore', 'ltree', 'uuid-ossp', 'pgcrypto',
  'fuzzystrmatch', 'unaccent', 'intarray', 'cube', 'earthdistance', 'tablefunc', 'isn', 'seg', 'bloom', 'lo',
] as const;

/** Extensions replaced by a stand-in, with the SQL that creates it. */
const STAND_INS: Record<string, { sql: string; types: string[]; note: string }> = {
  vector: {
    types: ['vector', 'halfvec', 'sparsevec'],
    note: "pgvector is not available in the bundled PostgreSQL: a stand-in type replaces `vector` (same typmod syntax, text values, distance operators that always return 0), so tables keep their other columns and indexes; vector indexes (hnsw, ivfflat) are not built and similarity searches are planned without them.",
    // Built from PostgreSQL's own internal functions (text I/O, varchar's typmod parser), so no
    // C code is needed; the distance operators exist only so queries using them plan.
    sql: ['vector', 'halfvec', 'sparsevec']
      .map(
        (t) => `
CREATE TYPE ${t};
CREATE FUNCTION ${t}_in(cstring) RETURNS ${t} LANGUAGE internal IMMUTABLE STRICT AS 'textin';
CREATE FUNCTION ${t}_out(${t}) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'textout';
CREATE FUNCTION ${t}_typmod_in(cstring[]) RETURNS integer LANGUAGE internal IMMUTABLE STRICT AS 'varchartypmodin';
CREATE TYPE ${t} (INPUT = ${t}_in, OUTPUT = ${t}_out, TYPMOD_IN = ${t}_typmod_in, INTERNALLENGTH = VARIABLE, STORAGE = extended, CATEGORY = 'U');
CREATE FUNCTION ${t}_distance(${t}, ${t}) RETURNS double precision LANGUAGE sql IMMUTABLE AS 'SELECT 0::double precision';
CREATE OPERATOR <-> (LEFTARG = ${t}, RIGHTARG = ${t}, FUNCTION = ${t}_distance);
CREATE OPERATOR <=> (LEFTARG = ${t}, RIGHTARG = ${t}, FUNCTION = ${t}_distance);
CREATE OPERATOR <#> (LEFTARG = ${t}, RIGHTARG = ${t}, FUNCTION = ${t}_distance);
CREATE OPERATOR <+> (LEFTARG = ${t}, RIGHTARG = ${t}, FUNCTION = ${t}_distance);`,
      )
      .join('\n'),
  },
};

/** What the schema's extensions need from the engine. */
export interface SchemaExtensions {
  /** For `PGlite.create({ extensions })`. */
  pglite: Extensions;
  /** SQL run before the schema (stand-in types). */
  prelude: string[];
  /** Extension names whose `CREATE EXTENSION` is answered by a stand-in (the statement is skipped). */
  replaced: Set<string>;
  /** Types that are stand-ins, for plan notes. */
  standInTypes: string[];
  /** What the user should know (stand-ins used, extensions not available). */
  notes: SchemaLoadProblem[];
}

/** Extension names of every `CREATE EXTENSION` in the sources (parsed by PostgreSQL's grammar). */
export function requestedExtensions(sources: SchemaSource[]): string[] {
  const names = new Set<string>();
  for (const src of sources) {
    // Only statements that can be CREATE EXTENSION are parsed: a long history stays cheap.
    if (!/create\s+extension/i.test(src.text)) continue;
    for (const st of splitStatements(src.text, 'postgresql')) {
      if (!/create\s+extension/i.test(st.text)) continue;
      const parsed = parsePgSync(st.text);
      if (!parsed.ok) continue;
      for (const s of parsed.tree.stmts ?? []) {
        const ext = (s.stmt as { CreateExtensionStmt?: { extname?: string } } | undefined)?.CreateExtensionStmt;
        if (ext?.extname) names.add(ext.extname);
      }
    }
  }
  return [...names];
}

/** Resolves the requested extensions to tarballs, stand-ins and notes. */
export function extensionsFor(sources: SchemaSource[], bundleDir: string): SchemaExtensions {
  const out: SchemaExtensions = { pglite: {}, prelude: [], replaced: new Set(), standInTypes: [], notes: [] };
  for (const name of requestedExtensions(sources)) {
    if (name === 'plpgsql') continue;
    if ((CONTRIB as readonly string[]).includes(name)) {
      const tarball = contribTarball(name, bundleDir);
      if (tarball) {
        const ext: Extension = { name, setup: async () => ({ bundlePath: pathToFileURL(tarball) }) };
        out.pglite[name.replace(/-/g, '_')] = ext;
        continue;
      }
    }
    const standIn = STAND_INS[name];
    if (standIn) {
      out.prelude.push(standIn.sql);
      out.replaced.add(name);
      out.standInTypes.push(...standIn.types);
      out.notes.push({ statement: `CREATE EXTENSION ${name}`, message: standIn.note });
      continue;
    }
    out.notes.push({ statement: `CREATE EXTENSION ${name}`, message: `the bundled PostgreSQL does not ship the "${name}" extension; objects that need it are reported below` });
    out.replaced.add(name);
  }
  return out;
}

function contribTarball(name: string, bundleDir: string): string | undefined {
  const file = `${name}.tar.gz`;
  const candidates = [path.join(bundleDir, file)];
  try {
    candidates.push(path.join(path.dirname(require.resolve('@electric-sql/pglite')), file));
  } catch {
    // Not installed (a bundle without node_modules): only the copy next to the bundle counts.
  }
  return candidates.find((f) => fs.existsSync(f));
}
