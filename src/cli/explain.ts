/**
 * `sql-plan-advisor explain --schema <path> [--rows t=N,…] [--analyze] [--format text|json] "<sql>"`:
 * loads the schema into the bundled PostgreSQL with synthetic rows and prints the plan —
 * PostgreSQL's classic text tree plus plain-words warnings, or the contract's JSON
 * `{"plan": …, "warnings": […]}`.
 */
import * as os from 'os';
import * as path from 'path';
import { createEngine, ExplainError } from '../core/engine/pgliteEngine';
import { buildPlanModel } from '../core/plan/model';
import { renderPlanText } from '../core/plan/text';
import type { ExplainResult } from '../core/engine/types';
import { dialectOption, formatOption, parseCommandLine, rowsOption, wholeNumber } from './args';
import { EXIT, UsageError, type CliIO } from './io';
import { databaseUrl, LIVE_HELP, LIVE_OPTIONS, liveFailure, openLive } from './live';
import { loadSchema } from './schema';

const HELP = `Usage: sql-plan-advisor explain --schema <path> [options] "<sql>"
       sql-plan-advisor explain --database-url <url> [options] "<sql>"

Explains one statement in the bundled PostgreSQL engine (PGlite), loaded with the schema and
synthetic rows — or, with --database-url, on that live server (its own EXPLAIN; only one
SELECT/INSERT/UPDATE/DELETE/MERGE is ever sent, in a transaction that is rolled back).
Parameters ($1, ?, :name) get representative values from the compared column.

Options:
  --schema <path>        DDL file or folder (repeatable; required unless --database-url)
  --rows <table=N,…>     synthetic rows per table (default 10000 each; k/m suffixes allowed)
  --default-rows <N>     rows for tables not named in --rows
  --analyze              run EXPLAIN ANALYZE (inside a transaction that is rolled back)
  --format text|json     output format (default text)
  --dialect postgresql|mysql
${LIVE_HELP}  -h, --help             show this help
`;

/** Entry of the `explain` subcommand. */
export async function runExplain(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandLine(argv, {
    schema: { type: 'string', multiple: true },
    rows: { type: 'string', multiple: true },
    'default-rows': { type: 'string' },
    analyze: { type: 'boolean' },
    format: { type: 'string' },
    dialect: { type: 'string' },
    ...LIVE_OPTIONS,
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
  const schemaPaths = args.strings('schema');
  const url = databaseUrl(args, io);
  if (!schemaPaths.length && !url) throw new UsageError('--schema <path> is required (the DDL the query runs against), or --database-url <url>');
  if (args.positionals.length !== 1) {
    throw new UsageError(args.positionals.length ? 'give the SQL as one quoted argument' : 'missing the SQL statement to explain');
  }
  const sql = args.positionals[0];
  if (url) {
    // A live server plans against its own schema and statistics; --schema is not needed.
    let server;
    try {
      server = await openLive(url, args);
    } catch (err) {
      return liveFailure(err, io, 'explain');
    }
    try {
      const result = await server.explain({ sql, analyze: args.flag('analyze') });
      printPlan(result, sql, format, io, `${server.capabilities.version} at ${server.target.display}`);
      return EXIT.ok;
    } catch (err) {
      return liveFailure(err, io, 'explain');
    } finally {
      await server.close();
    }
  }
  const { catalog, sources } = loadSchema(schemaPaths, io, dialect);

  const engine = await createEngine(sources, catalog, {
    rows,
    defaultRows,
    dialect,
    // Without a shipped snapshot the first run pays for initdb; later runs start from this cache.
    cacheDir: path.join(os.tmpdir(), 'sql-plan-advisor'),
  });
  try {
    for (const p of engine.schemaProblems) io.err(`sql-plan-advisor explain: schema: ${p.statement}: ${p.message}\n`);
    let result;
    try {
      result = await engine.explain({ sql, analyze: args.flag('analyze') });
    } catch (err) {
      if (err instanceof ExplainError) {
        io.err(`sql-plan-advisor explain: ${err.message}\n`);
        return EXIT.usage;
      }
      throw err;
    }
    printPlan(result, sql, format, io);
    return EXIT.ok;
  } finally {
    // PGlite started from a snapshot keeps the process alive until closed.
    await engine.close();
  }
}

/** Prints a plan as text (PostgreSQL's tree + warnings) or the contract's JSON. */
function printPlan(result: ExplainResult, sql: string, format: 'text' | 'json', io: CliIO, server?: string): void {
  const model = buildPlanModel(result.plan, { relationRows: result.relationRows });
  const warnings = model.warnings.map((w) => w.message);
  if (format === 'json') {
    io.out(
      JSON.stringify(
        {
          plan: result.plan,
          warnings,
          executedSql: result.executedSql,
          ...(server ? { server } : {}),
          ...(result.parameters ? { parameters: result.parameters } : {}),
          ...(result.notes ? { notes: result.notes } : {}),
        },
        null,
        2,
      ) + '\n',
    );
    return;
  }
  const lines = [renderPlanText(model), ''];
  if (result.executedSql !== sql.trim().replace(/;\s*$/, '')) lines.push(`Executed: ${result.executedSql}`);
  lines.push(model.summary);
  for (const w of warnings) lines.push(`warning: ${w}`);
  for (const n of result.notes ?? []) lines.push(`note: ${n}`);
  io.out(lines.join('\n') + '\n');
}
