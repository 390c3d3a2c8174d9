/**
 * The workspace index worker (dist/indexWorker.js): reads and summarises the workspace's
 * TS/JS files off the extension nodeFileHost's thread, reusing summaries cached by content hash,
 * and builds the query inventory (with each query's findings count) for the Queries view; the
 * schema sources it is given (ORM schemas included) make ORM calls part of that inventory.
 * Messages in: `{ type: 'index', files, cached, sqlFunctions }`, `{ type: 'inventory', files,
 * root, dialect, schema, sqlFunctions, relaxedGlobs }`. Messages out: `{ type: 'summaries', items }`
 * in batches, `{ type: 'indexed', files }`, `{ type: 'inventory', items }`, `{ type: 'error', message }`.
 */
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { Dialect } from '../dialect';
import type { SinkInfo } from '../embedded/sinks';
import { collectInventory } from '../inventory/providers';
import type { InventoryItem } from '../inventory/types';
import { lintDocument } from '../lint/document';
import { buildCatalog } from '../schema/catalog';
import type { SchemaSource } from '../schema/types';
import { loadPgParser } from '../sql/pg/libpg';
import { contentHash, parseSummaries, WorkspaceIndex } from './index';
import { summarizeFile, type FileSummary } from './summary';
import { nodeFileHost } from './fileHost';

/** A query of the inventory with the number of lint findings inside its range. */
export interface InventoryEntry extends InventoryItem {
  /** Absolute path, for opening. */
  path: string;
  start: number;
  end: number;
  findings: number;
}

const BATCH = 200;

function index(files: string[], cachedText: string | undefined): void {
  const cached = parseSummaries(cachedText);
  let batch: { file: string; hash: string; summary: FileSummary }[] = [];
  for (const file of files) {
    const text = nodeFileHost.readFile(file);
    if (text === undefined) continue;
    const hash = contentHash(text);
    batch.push({ file, hash, summary: cached.get(hash) ?? summarizeFile(file, text) });
    if (batch.length >= BATCH) {
      parentPort!.postMessage({ type: 'summaries', items: batch });
      batch = [];
    }
  }
  parentPort!.postMessage({ type: 'summaries', items: batch });
  parentPort!.postMessage({ type: 'indexed', files: files.length });
}

async function inventory(msg: { files: string[]; root: string; dialect: Dialect; schema: SchemaSource[]; sqlFunctions: SinkInfo[]; relaxedGlobs?: string[] }): Promise<void> {
  await loadPgParser();
  const idx = new WorkspaceIndex(nodeFileHost, { sqlFunctions: msg.sqlFunctions });
  const files = msg.files.flatMap((file) => {
    const text = nodeFileHost.readFile(file);
    if (text === undefined) return [];
    idx.update(file, text);
    return [{ file, shown: path.relative(msg.root, file).split(path.sep).join('/'), text }];
  });
  const catalog = buildCatalog(msg.schema, msg.dialect);
  const byShown = new Map(files.map((f) => [f.shown, f]));
  const lintCache = new Map<string, { start: number; end: number }[]>();
  const items: InventoryEntry[] = collectInventory({ files, dialect: msg.dialect, catalog, resolverFor: (f) => idx.resolverFor(f) }).map((q) => {
    const f = byShown.get(q.file)!;
    let found = lintCache.get(f.file);
    if (!found) {
      found = lintDocument(f.file, f.text, { dialect: msg.dialect, catalog, embedded: { resolverFor: (x) => idx.resolverFor(x), relaxedGlobs: msg.relaxedGlobs } })
        .filter((x) => x.ruleId !== 'n-plus-one')
        .map((x) => ({ start: x.start, end: x.end }));
      lintCache.set(f.file, found);
    }
    const start = offsetOf(f.text, q.line, q.column);
    const end = offsetOf(f.text, q.endLine, q.endColumn);
    return { ...q, path: f.file, start, end, findings: found.filter((x) => x.start >= start && x.end <= end).length };
  });
  parentPort!.postMessage({ type: 'inventory', items });
}

function offsetOf(text: string, line: number, column: number): number {
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  return off + column - 1;
}

parentPort?.on('message', (msg: { type: string } & Record<string, unknown>) => {
  void (async () => {
    try {
      if (msg.type === 'index') index(msg.files as string[], msg.cached as string | undefined);
      else if (msg.type === 'inventory') await inventory(msg as never);
    } catch (err) {
      parentPort!.postMessage({ type: 'error', message: String((err as Error)?.stack ?? err) });
    }
  })();
});
