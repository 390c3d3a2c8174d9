/**
 * `sql-plan-advisor` command-line entry: dispatches to one module per subcommand.
 * Subcommands are required on demand so `lint` never pays for loading the PostgreSQL engine
 * that `explain` and `advise` need. (`require`, not `import()`: the bundle is CommonJS and
 * tests run the sources through tsx's CommonJS hook, which does not see dynamic imports.)
 */
import { EXIT, processIO, UsageError, type CliIO, type Subcommand } from './io';
import { VERSION } from './version';
import { loadQueryParsers } from '../core/query/parse';

interface CommandEntry {
  summary: string;
  load: () => Promise<Subcommand>;
}

const COMMANDS: Record<string, CommandEntry> = {
  lint: {
    summary: 'lint .sql and TS/JS files for index-defeating SQL',
    load: async () => (require('./lint') as typeof import('./lint')).runLint,
  },
  explain: {
    summary: 'EXPLAIN a query in the bundled PostgreSQL engine',
    load: async () => (require('./explain') as typeof import('./explain')).runExplain,
  },
  advise: {
    summary: 'suggest indexes and verify them in the engine',
    load: async () => (require('./advise') as typeof import('./advise')).runAdvise,
  },
  queries: {
    summary: 'list every query found (SQL files, embedded SQL, project wrappers)',
    load: async () => (require('./queries') as typeof import('./queries')).runQueries,
  },
};

/** Top-level help text. */
export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const list = Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
    .join('\n');
  return `Usage: sql-plan-advisor <command> [options]

Commands:
${list}

Run 'sql-plan-advisor <command> --help' for a command's options.
Options: --help, --version
`;
}

/**
 * Runs the CLI with `argv` (arguments after the program name) and returns the exit code.
 * Never throws: usage errors and unexpected failures become a stderr message and exit 2.
 */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.err : io.out)(usage());
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    io.out(`${VERSION}\n`);
    return EXIT.ok;
  }
  const entry = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!entry) {
    io.err(`sql-plan-advisor: unknown command '${command}'\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    const subcommand = await entry.load();
    // PostgreSQL's parser is WASM, loaded once here so every later lint and parse is synchronous.
    await loadQueryParsers();
    return await subcommand(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`sql-plan-advisor ${command}: ${err.message}\nRun 'sql-plan-advisor ${command} --help' for usage.\n`);
      return EXIT.usage;
    }
    // A bug must not look like "no findings": report it and fail with the input-error code.
    const e = err as Error;
    io.err(`sql-plan-advisor ${command}: internal error: ${e?.stack ?? String(err)}\n`);
    return EXIT.usage;
  }
}

// Run only when executed directly (node dist/cli.js), not when tests import `run`.
if (require.main === module) {
  // `sql-plan-advisor lint … | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw err;
  });
  run(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`sql-plan-advisor: ${String(err)}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}
