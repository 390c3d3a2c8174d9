/**
 * `sql-plan-advisor explain --schema <path> [--rows t=N,…] [--analyze] [--format text|json|html] "<sql>"`:
 * loads the schema into the bundled PostgreSQL with synthetic rows and prints the plan —
 * PostgreSQL's classic text tree plus plain-words warnings, the contract's JSON
 * `{"plan": …, "warnings": […]}`, or a self-contained HTML page (graph, grid, plan JSON).
 */
import * as os from 'os';
import * as path from 'path';
import { useBaselineWasmCompiler } from '../core/engine/wasmTier';
import { createEngine, ExplainError } from '../core/engine/pgliteEngine';
import { renderPlanHtml } from '../core/plan/html';
import { buildPlanModel } from '../core/plan/model';
import { renderPlanText } from '../core/plan/text';
import { makeNonce } from '../core/webviewPage';
import { dialectOption, formatOption, parseCommandLine, rowsOption, wholeNumber } from './args';
import { EXIT, UsageError, type CliIO } from './io';
import { databaseUrl, LIVE_HELP, LIVE_OPTIONS, liveFailure, openLive } from './live';
import { loadSchema } from './schema';
import { askServer, engineSocketPath, KEEP_ENGINE_IDLE_MINUTES, serveEngine, startServer, type ServerReply } from './engineServer';
import type { ExplainResult, SchemaLoadProblem } from '../core/engine/types';

const HELP = `Usage: sql-plan-advisor explain --schema <path> [options] "<sql>"
       sql-plan-advisor explain --database-url <url> [options] "<sql>"

Explains one statement in the bundled PostgreSQL engine (PGlite), loaded with the schema and
synthetic rows — or, with --database-url, on that live server (its own EXPLAIN; only one
SELECT/INSERT/UPDATE/DELETE/MERGE is ever sent, in a transaction that is rolled back).
Parameters ($1, ?, :name) get representative values from the compared column.

Options:
  --schema <path>        schema file or folder: SQL DDL, schema.prisma, ORM models/migrations
                         (repeatable; required unless --database-url)
  --rows <table=N,…>     synthetic rows per table (default 10000 each; k/m suffixes allowed)
  --default-rows <N>     rows for tables not named in --rows
  --analyze              run EXPLAIN ANALYZE (inside a transaction that is rolled back)
  --format text|json|html  output format (default text); html is a self-contained page
                         (graph, grid, plan JSON; nothing loaded from the network)
  --dialect postgresql|mysql
  --keep-engine          keep the loaded engine running in the background (${KEEP_ENGINE_IDLE_MINUTES} minutes after
                         its last use) and reuse it: later runs on the same schema skip the start
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
    'keep-engine': { type: 'boolean' },
    // Internal: the background process `--keep-engine` starts.
    'serve-engine': { type: 'boolean' },
    ...LIVE_OPTIONS,
    help: { type: 'boolean', short: 'h' },
  });
  if (args.flag('help')) {
    io.out(HELP);
    return EXIT.ok;
  }
  const format = formatOption(args.string('format'), ['text', 'json', 'html'] as const);
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
      printResult(result, sql, format, io, `${server.capabilities.version} at ${server.target.display}`);
      return EXIT.ok;
    } catch (err) {
      return liveFailure(err, io, 'explain');
    } finally {
      await server.close();
    }
  }
  const analyze = args.flag('analyze');
  const { catalog, sources } = await loadSchema(schemaPaths, io, dialect);
  const engineOptions = { rows, defaultRows, dialect };
  // This process is ours alone: PostgreSQL's WASM compiles once, with the baseline compiler.
  useBaselineWasmCompiler();

  if (args.flag('keep-engine') || args.flag('serve-engine')) {
    const socket = engineSocketPath(sources, engineOptions);
    if (args.flag('serve-engine')) {
      const engine = await createEngine(sources, catalog, { ...engineOptions, cacheDir: path.join(os.tmpdir(), 'sql-plan-advisor') });
      await serveEngine(engine, socket, KEEP_ENGINE_IDLE_MINUTES * 60_000);
      return EXIT.ok;
    }
    const argv2 = argv.filter((a) => a !== '--keep-engine');
    const reply = (await askServer(socket, { sql, analyze })) ?? (await startServer(argv2, socket, { sql, analyze }));
    if (reply) return printReply(reply, sql, format, io);
    io.err('sql-plan-advisor explain: the background engine did not start; explaining in this process\n');
  }

  const engine = await createEngine(sources, catalog, {
    ...engineOptions,
    // Without a shipped snapshot the first run pays for initdb; later runs start from this cache.
    cacheDir: path.join(os.tmpdir(), 'sql-plan-advisor'),
  });
  try {
    printProblems(engine.schemaProblems, io);
    let result;
    try {
      result = await engine.explain({ sql, analyze });
    } catch (err) {
      if (err instanceof ExplainError) {
        io.err(`sql-plan-advisor explain: ${err.message}\n`);
        return EXIT.usage;
      }
      throw err;
    }
    printResult(result, sql, format, io);
    return EXIT.ok;
  } finally {
    // PGlite started from a snapshot keeps the process alive until closed.
    await engine.close();
  }
}

function printReply(reply: ServerReply, sql: string, format: 'text' | 'json' | 'html', io: CliIO): number {
  printProblems(reply.schemaProblems, io);
  if (!reply.ok) {
    io.err(`sql-plan-advisor explain: ${reply.message}\n`);
    if (reply.userError) return EXIT.usage;
    throw new Error(reply.message);
  }
  printResult(reply.result, sql, format, io);
  return EXIT.ok;
}

function printProblems(problems: SchemaLoadProblem[], io: CliIO): void {
  for (const p of problems) io.err(`sql-plan-advisor explain: schema: ${p.statement}: ${p.message}\n`);
}

/** Prints a plan as text (PostgreSQL's tree + warnings), the contract's JSON, or the self-contained HTML page. */
function printResult(result: ExplainResult, sql: string, format: 'text' | 'json' | 'html', io: CliIO, server?: string): void {
  const model = buildPlanModel(result.plan, { relationRows: result.relationRows });
  if (server) model.source = server;
  const warnings = model.warnings.map((w) => w.message);
  if (format === 'html') {
    io.out(renderPlanHtml({ model, plan: [result.plan], sql, executedSql: result.executedSql, nonce: makeNonce() }));
  } else if (format === 'json') {
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
  } else {
    const lines = [renderPlanText(model), ''];
    if (result.executedSql !== sql.trim().replace(/;\s*$/, '')) lines.push(`Executed: ${result.executedSql}`);
    lines.push(model.summary);
    for (const w of warnings) lines.push(`warning: ${w}`);
    for (const n of result.notes ?? []) lines.push(`note: ${n}`);
    io.out(lines.join('\n') + '\n');
  }
}
