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
import { createEngine } from '../core/engine/pgliteEngine';
import type { Dialect } from '../core/dialect';
import { concurrentIndexDdl } from '../core/migrations/advice';
import { dialectOption, formatOption, parseCommandLine, rowsOption, wholeNumber } from './args';
import { displayPath, formatBytes, isLintable, readTextFile, selectFiles } from './files';
import { EXIT, UsageError, type CliIO } from './io';
import { loadSchema } from './schema';

const HELP = `Usage: sql-plan-advisor advise --schema <path> [options] (<paths…> | --query "<sql>")

Proposes indexes for a query, or for every query in .sql and TS/JS files, and verifies each one
in the bundled PostgreSQL engine (PGlite) loaded with the schema and synthetic rows: only
indexes the planner uses and that lower the estimated plan cost are printed. In workspace mode
the candidates are merged (one index serving several queries is preferred) and the write cost
of each extra index is noted.

Options:
  --schema <path>        DDL file or folder (repeatable; required)
  --query "<sql>"        advise on this one statement instead of files
  --rows <table=N,…>     synthetic rows per table (default 10000 each; k/m suffixes allowed)
  --default-rows <N>     rows for tables not named in --rows
  --max-candidates <N>   candidates verified per query (default 5)
  --format text|json     output format (default text)
  --dialect postgresql|mysql   MySQL: no INCLUDE, no partial indexes; verified on PostgreSQL
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
  if (!schemaPaths.length) throw new UsageError('--schema <path> is required (the DDL the queries run against)');
  const single = args.string('query');
  if (single !== undefined && args.positionals.length) throw new UsageError('give either --query "<sql>" or paths, not both');
  if (single === undefined && !args.positionals.length) throw new UsageError('missing the files or folders to advise on (or --query "<sql>")');
  if (single !== undefined && !single.trim()) throw new UsageError('--query is empty');

  const { catalog, sources } = loadSchema(schemaPaths, io, dialect);
  const queries = single === undefined ? readQueries(args.positionals, io, dialect) : [];
  if (single === undefined && queries.length === 0) {
    io.err('sql-plan-advisor advise: no SELECT, UPDATE or DELETE statements found in the given paths\n');
  }

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
  };
}

function readQueries(paths: string[], io: CliIO, dialect: 'postgresql' | 'mysql'): WorkspaceQuery[] {
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
    queries.push(...collectQueries(shown, read.text, dialect));
  }
  return queries;
}
