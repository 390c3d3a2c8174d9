/**
 * A cache of fully loaded engines: the PGlite data directory after schema, synthetic rows and
 * ANALYZE, keyed by everything that shaped it (schema text, row counts, dialect, engine
 * version). Starting from it skips DDL, data generation and ANALYZE — the bulk of a start —
 * so only the first session after a schema change pays for them.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { pipeline } from 'stream/promises';
import type { SchemaSource } from '../schema/types';
import type { EngineOptions, SchemaLoadProblem } from './types';

/** Bump when generated data or loading changes, so stale caches are not reused. */
const CACHE_FORMAT = 4;
/** Loaded engines kept per cache folder (each is a few MB). */
const KEEP = 4;

export interface LoadedMeta {
  schemaProblems: SchemaLoadProblem[];
  rows: Record<string, number>;
  /** Tables holding their synthetic rows (the others are filled when a query first reads them). */
  filled: string[];
}

/** The cache file for this schema and these options. */
export function loadedCacheFile(dir: string, sources: SchemaSource[], opts: EngineOptions, engineVersion: string): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ f: CACHE_FORMAT, v: engineVersion, d: opts.dialect ?? 'postgresql', r: opts.rows ?? {}, n: opts.defaultRows ?? null }));
  for (const s of sources) h.update('\u0000' + s.file + '\u0000' + s.text);
  return path.join(dir, `engine-${h.digest('hex').slice(0, 20)}.tgz`);
}

/** Reads a cached engine's data directory and metadata, if both are there. */
export function readLoaded(file: string): { data: Buffer; meta: LoadedMeta } | undefined {
  try {
    const meta = JSON.parse(fs.readFileSync(file + '.json', 'utf8')) as LoadedMeta;
    return { data: fs.readFileSync(file), meta };
  } catch {
    return undefined;
  }
}

/** Writes a loaded engine atomically (temp files + rename) and prunes the oldest entries. */
export async function writeLoaded(file: string, data: Uint8Array | NodeJS.ReadableStream, meta: LoadedMeta): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  if (data instanceof Uint8Array) fs.writeFileSync(tmp, data);
  else await pipeline(data, fs.createWriteStream(tmp));
  fs.writeFileSync(tmp + '.json', JSON.stringify(meta));
  fs.renameSync(tmp, file);
  fs.renameSync(tmp + '.json', file + '.json');
  prune(path.dirname(file));
}

function prune(dir: string): void {
  const entries = fs
    .readdirSync(dir)
    .filter((f) => /^engine-[0-9a-f]+\.tgz$/.test(f))
    .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const e of entries.slice(KEEP)) {
    fs.rmSync(path.join(dir, e.f), { force: true });
    fs.rmSync(path.join(dir, e.f + '.json'), { force: true });
  }
}
