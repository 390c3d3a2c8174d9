/**
 * Lints a TS/JS file: every embedded SQL statement goes through the SQL rules, whose findings
 * and fix edits are mapped back into the file; then the `n-plus-one` source rule runs.
 * Results are cached per file and text, so an unchanged file costs nothing to re-lint.
 */
import type { Catalog } from '../schema/types';
import type { Fix, Finding } from '../rules/types';
import { lintSql, PARSE_ERROR_RULE } from '../lint/linter';
import type { DocumentFinding, LintOptions } from '../lint/types';
import { nPlusOne } from '../rules/n-plus-one';
import { extractSql, MAX_SOURCE_LENGTH, type EmbeddedSql } from './extract';
import { canRenderOrmCalls, lintOrmQueries, ormCallQueries } from './orm/index';
import { DEFAULT_RELAXED_GLOBS, matchesAnyGlob } from './globs';
import { isLintedDialect, type SinkResolver } from './sinks';

type SourceModule = typeof import('./source');
let sourceModule: SourceModule | undefined;

/** The TypeScript parser wrapper, loaded on first scan (this file is imported at activation). */
function parser(): SourceModule {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (sourceModule ??= require('./source') as SourceModule);
}

interface CacheEntry {
  text: string;
  configKey: string;
  catalog: Catalog;
  findings: DocumentFinding[];
}

const cache = new Map<string, CacheEntry>();
const CACHE_CAPACITY = 100;

function info(message: string): DocumentFinding {
  return { ruleId: PARSE_ERROR_RULE, severity: 'info', message, start: 0, end: 0 };
}

/** Lints a TS/JS source file: embedded SQL with all SQL rules, plus `n-plus-one`. Never throws. */
export function lintSource(fileName: string, text: string, opts: LintOptions): DocumentFinding[] {
  if (text.slice(0, 8192).includes('\u0000')) return [info('This file looks binary (it contains NUL bytes) and was skipped.')];
  if (text.length > MAX_SOURCE_LENGTH) {
    return [info(`This file is ${(text.length / 1e6).toFixed(1)} MB; files over ${MAX_SOURCE_LENGTH / 1e6} MB are not scanned for embedded SQL.`)];
  }
  const shared = opts.embedded?.resolverFor?.(fileName);
  const resolverKey = shared?.version ?? `local:${JSON.stringify(opts.embedded?.sqlFunctions ?? [])}`;
  const configKey = opts.dialect + '\u0000' + JSON.stringify(opts.rules ?? {}) + '\u0000' + resolverKey + '\u0000' + JSON.stringify(opts.embedded?.relaxedGlobs ?? null) + (opts.embedded?.receiverTypes ? '\u0000typed' : '');
  const hit = cache.get(fileName);
  if (hit && hit.text === text && hit.configKey === configKey && hit.catalog === opts.catalog) return hit.findings;
  let findings: DocumentFinding[];
  try {
    findings = lintUncached(fileName, text, opts, shared ?? localResolver(fileName, text, opts, resolverKey));
  } catch (err) {
    // Pathologically nested code can exhaust the stack in a tree walk.
    const why = err instanceof RangeError ? 'it is too deeply nested' : String((err as Error)?.message ?? err).slice(0, 200);
    findings = [info(`Embedded SQL scanning stopped on this file: ${why}.`)];
  }
  cache.delete(fileName);
  cache.set(fileName, { text, configKey, catalog: opts.catalog, findings });
  if (cache.size > CACHE_CAPACITY) cache.delete(cache.keys().next().value as string);
  return findings;
}

type IndexModule = typeof import('../workspace/index');
let indexModule: IndexModule | undefined;

/**
 * Without the workspace index (or while it builds): a one-file index, which sees the
 * wrappers the file declares itself and the configured `sqlFunctions`.
 */
function localResolver(fileName: string, text: string, opts: LintOptions, version: string): SinkResolver {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { WorkspaceIndex } = (indexModule ??= require('../workspace/index') as IndexModule);
  const index = new WorkspaceIndex(
    { readFile: (f) => (f === fileName ? text : undefined), fileExists: (f) => f === fileName },
    { sqlFunctions: opts.embedded?.sqlFunctions, queries: false },
  );
  index.update(fileName, text);
  // Local functions that query are N+1's own business; nothing beyond the file is known.
  const summary = index.summary(fileName);
  const mayHaveSinks = (opts.embedded?.sqlFunctions?.length ?? 0) > 0 || Object.values(summary?.functions ?? {}).some((f) => f.directSinks.length > 0);
  return { sinkFor: index.resolverFor(fileName).sinkFor, version, mayHaveSinks };
}

function lintUncached(fileName: string, text: string, opts: LintOptions, resolver: SinkResolver): DocumentFinding[] {
  const out: DocumentFinding[] = [];
  for (const embedded of extractSql(fileName, text, opts.dialect, resolver)) {
    // SQL for ClickHouse, BigQuery… is listed by `queries` but never checked as PostgreSQL.
    if (!isLintedDialect(embedded.engine, opts.dialect)) continue;
    for (const f of lintSql(embedded.sql, opts)) {
      const mapped = mapFinding(f, embedded);
      if (mapped) out.push(mapped);
    }
  }
  // ORM calls (Prisma…) are rendered to the SQL they send and linted like embedded SQL.
  if (canRenderOrmCalls(opts.catalog)) out.push(...lintOrmQueries(ormCallQueries(parser().parseSource(fileName, text), opts.catalog), opts));
  const setting = opts.rules?.[nPlusOne.id];
  if (setting !== 'off') {
    // Tests, seeds and migrations loop over a handful of fixtures: reported, at info.
    const relaxed = matchesAnyGlob(fileName, opts.embedded?.relaxedGlobs ?? DEFAULT_RELAXED_GLOBS);
    // With the project's types, N+1 runs on the Program's tree so the checker can judge receivers.
    const typed = opts.embedded?.receiverTypes?.forFile(fileName, text);
    const sf = typed?.sourceFile ?? parser().parseSource(fileName, text);
    for (const f of nPlusOne.check(sf, { queryingLabel: resolver.queryingLabel, receiverTypes: typed?.originOf })) {
      const configured = setting ?? nPlusOne.defaultSeverity;
      // Lowered to info, never raised (a user's `hint` stays a hint).
      const severity = (relaxed || f.severity === 'info') && configured !== 'hint' ? 'info' : configured;
      out.push({ ...f, ruleId: nPlusOne.id, severity });
    }
  }
  return dedupe(out).sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * Maps a finding on extracted SQL into the file. A parse error in SQL that has parameters is
 * dropped: a hole standing for an identifier or a SQL fragment makes the text unparsable
 * without the query being wrong. Fixes whose edits cannot be mapped exactly are dropped.
 */
function mapFinding(f: Finding, e: EmbeddedSql): DocumentFinding | undefined {
  if (f.ruleId === PARSE_ERROR_RULE && e.params.some((p) => p.expression !== undefined)) return undefined;
  const range = e.toFileRange(f.start, f.end) ?? { start: e.start, end: e.end };
  const mapped: DocumentFinding = { ...f, start: range.start, end: range.end };
  delete mapped.fixes;
  const fixes: Fix[] = [];
  for (const fix of f.fixes ?? []) {
    const edits = fix.edits.map((ed) => e.mapEdit(ed.start, ed.end, ed.newText));
    if (edits.every((ed): ed is NonNullable<typeof ed> => ed !== undefined)) fixes.push({ title: fix.title, edits });
  }
  if (fixes.length > 0) mapped.fixes = fixes;
  return mapped;
}

/** One SQL text reached twice (a `const` used by two calls) must not report twice. */
function dedupe(findings: DocumentFinding[]): DocumentFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}\u0000${f.start}\u0000${f.end}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
