/**
 * `sql-plan-advisor advise --schema <path> [--rows t=N,…] [--format text|json] (<paths…> | --query "<sql>")`:
 * proposes indexes (composite, covering, partial, expression) for one query or for every query
 * in the given files/folders, verifies each in the bundled PostgreSQL engine, and prints the
 * ones that lower the plan cost. JSON: `{"suggestions":[{"table","kind","ddl","costBefore",
 * "costAfter","queries":[…]}, …]}` (plus plan and reason fields).
 * Exit 0 = nothing to suggest, 1 = suggestions printed, 2 = usage error or unreadable input.
 */
import * as os from 'os';
import * as path from 'path';
import { AdvisorError, adviseWorkspace, suggestIndexes, suggestionsText } from '../core/advisor';
import { collectQueries } from '../core/advisor/collect';
import type { IndexSuggestion, WorkspaceQuery } from '../core/advisor/types';
import { useBaselineWasmCompiler } from '../core/engine/wasmTier';
import { createEngine } from '../core/engine/pgliteEngine';
import type { PlanEngine } from '../core/engine/types';
import type { LiveServer } from '../core/live/connect';
import { healthText, indexHealth } from '../core/live/health';
import { verifierFor, type Verifier } from '../core/live/verifier';
import { topStatements, workloadQueries } from '../core/live/workload';
import type { Catalog } from '../core/schema/types';
import { dialectOption, formatOption, parseCommandLine, rowsOption, wholeNumber, type ParsedArgs } from './args';
import type { Dialect } from '../core/dialect';
import { concurrentIndexDdl } from '../core/migrations/advice';
import { displayPath, formatBytes, isLintable, readTextFile, selectFiles } from './files';
import { EXIT, UsageError, type CliIO } from './io';
import { databaseUrl, LIVE_HELP, LIVE_OPTIONS, liveFailure, openLive } from './live';
import { loadSchema } from './schema';

const HELP = `Usage: sql-plan-advisor advise --schema <path> [options] (<paths…> | --query "<sql>")
       sql-plan-advisor advise --database-url <url> [options] (<paths…> | --query "<sql>" | --workload [--top N] | --health)

Proposes indexes for a query, or for every query in .sql and TS/JS files, and verifies each one
in the bundled PostgreSQL engine (PGlite) loaded with the schema and synthetic rows: only
indexes the planner uses and that lower the estimated plan cost are printed. In workspace mode
the candidates are merged (one index serving several queries is preferred) and the write cost
of each extra index is noted.

Options:
  --schema <path>        schema file or folder: SQL DDL, schema.prisma, ORM models/migrations
                         (repeatable; required unless --database-url)
  --query "<sql>"        advise on this one statement instead of files
  --rows <table=N,…>     synthetic rows per table (default 10000 each; k/m suffixes allowed)
  --default-rows <N>     rows for tables not named in --rows
  --max-candidates <N>   candidates verified per query (default 5)
  --format text|json     output format (default text)
  --dialect postgresql|mysql   MySQL: no INCLUDE, no partial indexes; verified on PostgreSQL
${LIVE_HELP}  --workload             advise on the server's top statements (pg_stat_statements)
  --top <N>              statements taken from the workload (default 20)
  --health               report unused, duplicate and redundant indexes and sizes (no advice)
  With --database-url, candidates are verified on the server with HypoPG when it is installed,
  otherwise in the bundled engine loaded with the server's schema and row counts.
  -h, --help             show this help

Exit status: 0 nothing to suggest, 1 suggestions printed, 2 usage error or unreadable input.
`;

/** Entry of the `advise` subcommand. */
export async function runAdvise(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandLine(argv, {
    schema: { type: 'string', multiple: true },
    query: { type: 'string' },
    rows: { type: 'string', multiple: true },
    'default-rows': { type: 'string' },
    'max-candidates': { type: 'string' },
    format: { type: 'string' },
    dialect: { type: 'string' },
    ...LIVE_OPTIONS,
    workload: { type: 'boolean' },
    top: { type: 'string' },
    health: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (args.flag('help')) {
    io.out(HELP);
    return EXIT.ok;
  }
  const format = formatOption(args.string('format'), ['text', 'json'] as const);
  const dialect = dialectOption(args.string('dialect'));
  const rows = rowsOption(args.strings('rows'));
  const defaultRows = wholeNumber(args.string('default-rows'), '--default-rows');
  const maxCandidates = wholeNumber(args.string('max-candidates'), '--max-candidates');
  const schemaPaths = args.strings('schema');
  const url = databaseUrl(args, io);
  if ((args.flag('workload') || args.flag('health')) && !url) throw new UsageError(`--${args.flag('workload') ? 'workload' : 'health'} needs --database-url <url> (a live PostgreSQL server)`);
  if (url) return runLiveAdvise(args, url, io, { format, dialect, rows, defaultRows, maxCandidates, schemaPaths });
  if (!schemaPaths.length) throw new UsageError('--schema <path> is required (the DDL the queries run against), or --database-url <url>');
  const single = args.string('query');
  if (single !== undefined && args.positionals.length) throw new UsageError('give either --query "<sql>" or paths, not both');
  if (single === undefined && !args.positionals.length) throw new UsageError('missing the files or folders to advise on (or --query "<sql>")');
  if (single !== undefined && !single.trim()) throw new UsageError('--query is empty');

  const { catalog, sources } = await loadSchema(schemaPaths, io, dialect);
  const queries = single === undefined ? readQueries(args.positionals, io, dialect, catalog) : [];
  if (single === undefined && queries.length === 0) {
    io.err('sql-plan-advisor advise: no SELECT, UPDATE or DELETE statements found in the given paths\n');
  }

  // This process is ours alone: PostgreSQL's WASM compiles once, with the baseline compiler.
  useBaselineWasmCompiler();
  const engine = await createEngine(sources, catalog, {
    rows,
    defaultRows,
    dialect,
    cacheDir: path.join(os.tmpdir(), 'sql-plan-advisor'),
  });
  try {
    for (const p of engine.schemaProblems) io.err(`sql-plan-advisor advise: schema: ${p.statement}: ${p.message}\n`);
    let suggestions: (IndexSuggestion & { writeCost?: string; sources?: { file: string; offset: number }[] })[];
    const notes: string[] = dialect === 'mysql' ? ['MySQL advice is verified on the PostgreSQL engine: costs and plans are an approximation.'] : [];
    let analysed = 1;
    if (single !== undefined) {
      try {
        suggestions = await suggestIndexes(single, catalog, engine, { dialect, maxCandidates });
      } catch (err) {
        if (err instanceof AdvisorError) {
          io.err(`sql-plan-advisor advise: ${err.message}\n`);
          return EXIT.usage;
        }
        throw err;
      }
    } else {
      const advice = await adviseWorkspace(queries, catalog, engine, { dialect, maxCandidates });
      suggestions = advice.suggestions;
      analysed = advice.queriesAnalyzed;
      notes.splice(0, notes.length, ...advice.notes);
      const statements = (advice.queryOccurrences ?? []).reduce((n, q) => n + q.occurrences, 0);
      if (statements > (advice.queryOccurrences ?? []).length) notes.push(`${statements} statements are ${advice.queryOccurrences!.length} distinct queries: repeats of the same query (same fingerprint) count once.`);
      for (const s of advice.skipped) io.err(`sql-plan-advisor advise: skipped ${s.file} (offset ${s.offset}): ${s.reason}\n`);
    }
    if (format === 'json') {
      io.out(JSON.stringify({ suggestions: suggestions.map((x) => jsonSuggestion(x, dialect)), notes }, null, 2) + '\n');
    } else {
      const head = single === undefined ? `${analysed} quer${analysed === 1 ? 'y' : 'ies'} analysed, ${suggestions.length} index${suggestions.length === 1 ? '' : 'es'} suggested (verified in the PostgreSQL engine).\n\n` : '';
      io.out(head + suggestionsText(suggestions, dialect) + notes.map((n) => `note: ${n}\n`).join(''));
    }
    return suggestions.length ? EXIT.findings : EXIT.ok;
  } finally {
    // PGlite started from a snapshot keeps the process alive until closed.
    await engine.close();
  }
}

/** The contract's fields first, then the explanatory ones. */
function jsonSuggestion(s: IndexSuggestion & { writeCost?: string; sources?: { file: string; offset: number }[] }, dialect: Dialect): Record<string, unknown> {
  return {
    table: s.table,
    kind: s.kind,
    ddl: s.ddl,
    // What to put in a migration: on PostgreSQL the build must not block writes to a live table.
    migrationDdl: concurrentIndexDdl(s.ddl, dialect),
    costBefore: s.costBefore,
    costAfter: s.costAfter,
    queries: s.queries,
    ...(s.name ? { name: s.name } : {}),
    ...(s.planBefore ? { planBefore: s.planBefore } : {}),
    ...(s.planAfter ? { planAfter: s.planAfter } : {}),
    reason: s.reason,
    ...(s.redundant?.length ? { redundant: s.redundant } : {}),
    ...(s.writeCost ? { writeCost: s.writeCost } : {}),
    ...(s.size ? { indexBytes: s.size.bytes, tableRows: s.size.tableRows } : {}),
    ...(s.sources ? { sources: s.sources.map((x) => ({ file: x.file, offset: x.offset })) } : {}),
    ...(s.note ? { note: s.note } : {}),
    ...(s.orm ? { orm: s.orm } : {}),
  };
}

function readQueries(paths: string[], io: CliIO, dialect: 'postgresql' | 'mysql', catalog: Catalog): WorkspaceQuery[] {
  const { files, missing } = selectFiles(paths, io.cwd, isLintable);
  if (missing.length) throw new UsageError(`path not found: ${missing.join(', ')}`);
  const queries: WorkspaceQuery[] = [];
  for (const file of files) {
    const shown = displayPath(file, io.cwd);
    const read = readTextFile(file);
    if (!read.ok) {
      io.err(`sql-plan-advisor advise: skipped ${shown} (${read.reason === 'too-large' ? `${formatBytes(read.bytes)}, over the 10 MB limit` : read.message})\n`);
      continue;
    }
    queries.push(...collectQueries(shown, read.text, dialect, catalog));
  }
  return queries;
}

interface LiveAdviseOptions {
  format: 'text' | 'json';
  dialect: 'postgresql' | 'mysql';
  rows: Record<string, number>;
  defaultRows?: number;
  maxCandidates?: number;
  schemaPaths: string[];
}

/**
 * `advise --database-url …`: the catalog from the server (or --schema), candidates verified on
 * the server with HypoPG or in the bundled engine mirroring it; `--workload` takes the queries
 * from pg_stat_statements, `--health` reports on the existing indexes instead.
 */
async function runLiveAdvise(args: ParsedArgs, url: string, io: CliIO, o: LiveAdviseOptions): Promise<number> {
  const single = args.string('query');
  const modes = [single !== undefined, args.positionals.length > 0, args.flag('workload'), args.flag('health')].filter(Boolean).length;
  if (modes === 0) throw new UsageError('missing what to advise on: paths, --query "<sql>", --workload or --health');
  if (modes > 1) throw new UsageError('give one of: paths, --query "<sql>", --workload, --health');
  if (single !== undefined && !single.trim()) throw new UsageError('--query is empty');
  const top = wholeNumber(args.string('top'), '--top') ?? 20;
  let server: LiveServer;
  try {
    server = await openLive(url, args);
  } catch (err) {
    return liveFailure(err, io, 'advise');
  }
  let verifier: Verifier | undefined;
  try {
    const dialect = server.dialect;
    if (args.flag('health')) {
      if (server.dialect !== 'postgresql') throw new UsageError('--health reads PostgreSQL statistics; it is not available for MySQL yet');
      const health = await indexHealth(server);
      io.out(o.format === 'json' ? JSON.stringify(health, null, 2) + '\n' : healthText(health));
      return health.unused.length || health.duplicates.length || health.redundant.length ? EXIT.findings : EXIT.ok;
    }
    const schema = await server.schema();
    const catalog: Catalog = o.schemaPaths.length ? (await loadSchema(o.schemaPaths, io, dialect)).catalog : schema.catalog;
    let queries: WorkspaceQuery[] = [];
    if (args.flag('workload')) {
      if (server.dialect !== 'postgresql') throw new UsageError('--workload reads pg_stat_statements; it is PostgreSQL only');
      queries = workloadQueries(await topStatements(server, top));
      if (!queries.length) io.err('sql-plan-advisor advise: pg_stat_statements holds no SELECT, UPDATE or DELETE statements for this database yet\n');
    } else if (single === undefined) {
      queries = readQueries(args.positionals, io, dialect, catalog);
    }
    verifier = await verifierFor(server, schema, catalog, (sources, cat, opts) => createEngine(sources, cat, opts) as Promise<PlanEngine>, {
      rows: o.rows,
      defaultRows: o.defaultRows,
      cacheDir: path.join(os.tmpdir(), 'sql-plan-advisor'),
    });
    const notes = [verifier.note];
    let suggestions: (IndexSuggestion & { writeCost?: string; sources?: { file: string; offset: number }[] })[];
    let analysed = 1;
    if (single !== undefined) {
      suggestions = await suggestIndexes(single, catalog, verifier.engine, { dialect, maxCandidates: o.maxCandidates });
    } else {
      const advice = await adviseWorkspace(queries, catalog, verifier.engine, { dialect, maxCandidates: o.maxCandidates });
      suggestions = advice.suggestions;
      analysed = advice.queriesAnalyzed;
      notes.push(...advice.notes);
      for (const s of advice.skipped) io.err(`sql-plan-advisor advise: skipped ${s.file} (offset ${s.offset}): ${s.reason}\n`);
    }
    if (o.format === 'json') {
      io.out(JSON.stringify({ suggestions: suggestions.map((x) => jsonSuggestion(x, dialect)), verifiedWith: verifier.how, server: `${server.capabilities.version} at ${server.target.display}`, notes }, null, 2) + '\n');
    } else {
      const head = single === undefined ? `${analysed} quer${analysed === 1 ? 'y' : 'ies'} analysed, ${suggestions.length} index${suggestions.length === 1 ? '' : 'es'} suggested.\n\n` : '';
      io.out(head + suggestionsText(suggestions) + notes.map((n) => `note: ${n}\n`).join(''));
    }
    return suggestions.length ? EXIT.findings : EXIT.ok;
  } catch (err) {
    if (err instanceof AdvisorError) {
      io.err(`sql-plan-advisor advise: ${err.message}\n`);
      return EXIT.usage;
    }
    return liveFailure(err, io, 'advise');
  } finally {
    await verifier?.close();
    await server.close();
  }
}
