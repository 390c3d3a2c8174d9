/**
 * The workspace index: per-file summaries (summary.ts) keyed by content hash, and the
 * cross-file answers built from them on demand — is this callee a SQL sink (a wrapper whose
 * parameter reaches a raw SQL call, transitively, through imports, re-exports, object members
 * and destructuring), and does it query at all (for N+1 across files).
 *
 * Editing one file re-summarises that file only; the memoised answers are dropped and
 * recomputed lazily for the call sites that are asked about, so an edit costs one parse.
 */
import { createHash } from 'node:crypto';
import { configuredSink, type CalleeRef, type PlaceholderStyle, type SinkDialect, type SinkInfo, type SinkResolver } from '../embedded/sinks';
import { ModuleResolver, type IndexHost } from './resolve';
import { summarizeFile, type FileSummary, type FunctionSummary } from './summary';

/** Bumped when the summary shape changes, so stale caches are ignored. */
export const SUMMARY_VERSION = 1;

/** Content hash of a file's text (the cache key of its summary). */
export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

interface Entry {
  hash: string;
  summary: FileSummary;
}

/** Where a symbol path resolved to: a function of a file. */
interface Target {
  file: string;
  fn: FunctionSummary;
}

const MAX_DEPTH = 16;
let nextIndexId = 1;

export interface IndexOptions {
  /** Sinks named in settings, for what inference cannot see. */
  sqlFunctions?: readonly SinkInfo[];
  /** Summaries from a previous run, by content hash (the on-disk cache). */
  cached?: ReadonlyMap<string, FileSummary>;
  /** False: sinks only, no "functions that query" (cheaper; for the one-file index of a quick lint). */
  queries?: boolean;
}

/** Cross-file sink and "queries" inference over a workspace. */
export class WorkspaceIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly resolver: ModuleResolver;
  private generation = 0;
  /** Distinguishes indexes in cache keys (two indexes may hold the same file with different neighbours). */
  private readonly id = nextIndexId++;
  private readonly sinkMemo = new Map<string, SinkInfo | null>();
  private readonly queryMemo = new Map<string, string | null>();
  /** Files read from the host because an import led there (not opened by anyone). */
  private readonly missing = new Set<string>();
  /** Summaries computed in this session (the cache to write back). */
  readonly fresh = new Map<string, FileSummary>();

  constructor(private readonly host: IndexHost, private readonly options: IndexOptions = {}) {
    this.resolver = new ModuleResolver(host);
  }

  /** Number of files summarised. */
  get size(): number {
    return this.entries.size;
  }

  /** Sets a file's text (an edit or a read); returns true when its summary changed. */
  update(file: string, text: string): boolean {
    const hash = contentHash(text);
    const old = this.entries.get(file);
    if (old && old.hash === hash) return false;
    const summary = this.options.cached?.get(hash) ?? this.fresh.get(hash) ?? summarizeFile(file, text, { queries: this.options.queries });
    if (!this.options.cached?.has(hash)) this.fresh.set(hash, summary);
    this.entries.set(file, { hash, summary });
    this.missing.delete(file);
    this.invalidate();
    return true;
  }

  /**
   * Installs a summary computed elsewhere (the index worker) for a file nobody has opened
   * since; a file already updated from an editor keeps its fresher summary.
   */
  adopt(file: string, hash: string, summary: FileSummary, overwrite = false): void {
    const old = this.entries.get(file);
    if (old && !overwrite) return;
    if (old?.hash === hash) return;
    this.entries.set(file, { hash, summary });
    this.missing.delete(file);
    this.invalidate();
  }

  /** Forgets a deleted file. */
  remove(file: string): void {
    if (this.entries.delete(file)) this.invalidate();
    this.resolver.reset();
  }

  /** A file's summary, reading it through the host when nobody supplied it yet. */
  summary(file: string): FileSummary | undefined {
    const e = this.entries.get(file);
    if (e) return e.summary;
    if (this.missing.has(file)) return undefined;
    const text = this.host.readFile(file);
    if (text === undefined) {
      this.missing.add(file);
      return undefined;
    }
    const hash = contentHash(text);
    const summary = this.options.cached?.get(hash) ?? summarizeFile(file, text, { queries: this.options.queries });
    if (!this.options.cached?.has(hash)) this.fresh.set(hash, summary);
    this.entries.set(file, { hash, summary });
    return summary;
  }

  private invalidate(): void {
    this.generation++;
    this.sinkMemo.clear();
    this.queryMemo.clear();
  }

  /** The resolver the extractor and the N+1 rule use for calls in `file`. */
  resolverFor(file: string): SinkResolver {
    const version = `${this.id}:${this.generation}`;
    return {
      version,
      sinkFor: (ref) => this.sinkFor(file, ref),
      queryingLabel: (ref) => this.queryingLabel(file, ref),
    };
  }

  /** The sink a call in `file` reaches, or undefined. */
  sinkFor(file: string, ref: CalleeRef): SinkInfo | undefined {
    const configured = configuredSink(this.options.sqlFunctions ?? [], ref);
    if (configured) return configured;
    const t = this.resolveRef(file, ref.root, ref.members, 0);
    if (!t) return undefined;
    for (let i = 0; i < 8; i++) {
      const s = this.sinkOfParam(t, i, 0, new Set());
      if (s) return s;
    }
    return undefined;
  }

  /** Label of the database call reached by calling `ref` from `file`, or undefined. */
  queryingLabel(file: string, ref: CalleeRef): string | undefined {
    const t = this.resolveRef(file, ref.root, ref.members, 0);
    return t ? this.queriesOf(t, 0, new Set()) : undefined;
  }

  private sinkOfParam(t: Target, param: number, depth: number, seen: Set<string>): SinkInfo | undefined {
    const key = `${t.file}\u0000${t.fn.name}\u0000${param}`;
    const memo = this.sinkMemo.get(key);
    if (memo !== undefined) return memo ?? undefined;
    if (seen.has(key) || depth > MAX_DEPTH) return undefined;
    seen.add(key);
    let found: SinkInfo | undefined;
    const direct = t.fn.directSinks.find((s) => s.param === param);
    if (direct) {
      let dialect: SinkDialect = direct.dialect;
      if (direct.via && dialect === 'default') dialect = this.importedValueDialect(t.file, direct.via.from, direct.via.imported) ?? 'default';
      found = { name: shortName(t.fn.name), argIndex: param, dialect, placeholders: withDefaults(t.fn.placeholders) };
    } else {
      for (const flow of t.fn.flows) {
        if (flow.param !== param) continue;
        const callee = this.resolveRef(t.file, flow.callee.root, flow.callee.members, 0);
        const inner = callee && this.sinkOfParam(callee, flow.argIndex, depth + 1, seen);
        if (inner) {
          // The outer wrapper is what the caller sees; placeholders are rewritten anywhere on the way.
          found = { name: shortName(t.fn.name), argIndex: param, dialect: inner.dialect, placeholders: merge(inner.placeholders, t.fn.placeholders) };
          break;
        }
      }
    }
    this.sinkMemo.set(key, found ?? null);
    return found;
  }

  private queriesOf(t: Target, depth: number, seen: Set<string>): string | undefined {
    const key = `${t.file}\u0000${t.fn.name}`;
    const memo = this.queryMemo.get(key);
    if (memo !== undefined) return memo ?? undefined;
    if (seen.has(key) || depth > MAX_DEPTH) return undefined;
    seen.add(key);
    let label = t.fn.queries ?? (t.fn.directSinks.length ? `${shortName(t.fn.name)}()` : undefined);
    if (!label) {
      for (const c of t.fn.calls) {
        const callee = this.resolveRef(t.file, c.root, c.members, 0);
        const inner = callee && this.queriesOf(callee, depth + 1, seen);
        if (inner) {
          label = inner;
          break;
        }
      }
    }
    this.queryMemo.set(key, label ?? null);
    return label;
  }

  /** Dialect of a client value exported by a project file (`export const clickhouse = createClient()`). */
  private importedValueDialect(fromFile: string, specifier: string, imported: string): SinkDialect | undefined {
    const file = this.resolver.resolve(specifier, fromFile);
    const s = file && this.summary(file);
    if (!s) return undefined;
    const exp = s.exports.find((e) => e.exported === imported && e.local);
    const local = exp?.local ?? (imported === 'default' ? undefined : imported);
    return local ? s.values[local] : undefined;
  }

  /** Resolves a symbol path as seen from `file` to a function. */
  private resolveRef(file: string, root: string, members: string[], depth: number): Target | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const s = this.summary(file);
    if (!s) return undefined;
    const full = [root, ...members];
    // Longest local function or alias prefix first: `Db.query`, then `db` → alias.
    for (let n = full.length; n >= 1; n--) {
      const key = full.slice(0, n).join('.');
      if (n === full.length && s.functions[key]) return { file, fn: s.functions[key] };
      const alias = s.aliases[key];
      // Alias cycles (`const a = b; const b = a`) end at MAX_DEPTH.
      if (alias) return this.resolveRef(file, alias.root, [...alias.members, ...full.slice(n)], depth + 1);
    }
    const imp = s.imports.find((i) => i.local === root);
    if (!imp) return undefined;
    const target = this.resolver.resolve(imp.from, file);
    if (!target) return undefined;
    if (imp.imported === '*') {
      if (members.length === 0) return undefined;
      return this.resolveExport(target, members[0], members.slice(1), depth + 1);
    }
    return this.resolveExport(target, imp.imported, members, depth + 1);
  }

  /** Resolves `exported` (then `members`) of `file` to a function. */
  private resolveExport(file: string, exported: string, members: string[], depth: number): Target | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const s = this.summary(file);
    if (!s) return undefined;
    for (const e of s.exports) {
      if (e.exported !== exported) continue;
      if (e.local !== undefined) return this.resolveRef(file, e.local, members, depth + 1);
      if (e.from) {
        const target = this.resolver.resolve(e.from, file);
        if (!target) continue;
        if (e.imported === '*') {
          if (members.length === 0) continue;
          return this.resolveExport(target, members[0], members.slice(1), depth + 1);
        }
        return this.resolveExport(target, e.imported ?? exported, members, depth + 1);
      }
    }
    for (const e of s.exports) {
      if (e.exported !== '*' || !e.from || exported === 'default') continue;
      const target = this.resolver.resolve(e.from, file);
      const t = target && this.resolveExport(target, exported, members, depth + 1);
      if (t) return t;
    }
    return undefined;
  }

  /** Every summary (for the on-disk cache), by content hash. */
  summariesByHash(): Map<string, FileSummary> {
    const out = new Map<string, FileSummary>();
    for (const e of this.entries.values()) out.set(e.hash, e.summary);
    return out;
  }
}

/** `Db.rawQuery` → `rawQuery`; `default.rawQuery` → `rawQuery`. */
function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

function withDefaults(p: readonly PlaceholderStyle[]): PlaceholderStyle[] {
  return merge(['curly'], p);
}

function merge(a: readonly PlaceholderStyle[], b: readonly PlaceholderStyle[]): PlaceholderStyle[] {
  return [...new Set([...a, ...b])];
}

/** The on-disk form of the summary cache (shared by the CLI cache folder and the extension's storage). */
export function serializeSummaries(summaries: ReadonlyMap<string, FileSummary>): string {
  return JSON.stringify({ version: SUMMARY_VERSION, summaries: Object.fromEntries(summaries) });
}

/** Reads a cache written by `serializeSummaries`; anything else (old version, corrupt) is an empty cache. */
export function parseSummaries(text: string | undefined): Map<string, FileSummary> {
  if (!text) return new Map();
  try {
    const json = JSON.parse(text) as { version?: number; summaries?: Record<string, FileSummary> };
    if (json.version !== SUMMARY_VERSION || !json.summaries || typeof json.summaries !== 'object') return new Map();
    return new Map(Object.entries(json.summaries));
  } catch {
    return new Map();
  }
}
