/**
 * The `--database-url` option (or `DATABASE_URL`) shared by `lint`, `explain` and `advise`:
 * connecting, and turning live-server failures into one line on stderr. Connection failures
 * exit with 2, like every other input the command cannot use.
 */
import { LiveError } from '../core/live/errors';
import { connectLive, type LiveServer } from '../core/live/connect';
import { wholeNumber, type ParsedArgs } from './args';
import { EXIT, type CliIO } from './io';

/** Option specs every live-capable subcommand accepts. */
export const LIVE_OPTIONS = {
  'database-url': { type: 'string' },
  'statement-timeout': { type: 'string' },
} as const;

/** Help lines for those options. */
export const LIVE_HELP = `  --database-url <url>   a live server (postgresql://… or mysql://…; default $DATABASE_URL);
                         the schema is read from it unless --schema is given
  --statement-timeout <ms>  limit for each statement on the server (default 10000)
`;

/** `--database-url`, else `DATABASE_URL` from the environment the CLI was started with. */
export function databaseUrl(args: ParsedArgs, io: CliIO): string | undefined {
  const given = args.string('database-url');
  if (given !== undefined) return given.trim() || undefined;
  const env = io.env?.DATABASE_URL;
  return env && env.trim() ? env.trim() : undefined;
}

/** Connects, with the statement timeout the user asked for. */
export function openLive(url: string, args: ParsedArgs): Promise<LiveServer> {
  const timeout = wholeNumber(args.string('statement-timeout'), '--statement-timeout');
  return connectLive(url, { statementTimeoutMs: timeout && timeout > 0 ? timeout : undefined });
}

/** Prints a `LiveError` as one line and returns the exit code; rethrows anything else. */
export function liveFailure(err: unknown, io: CliIO, command: string): number {
  if (!(err instanceof LiveError)) throw err;
  io.err(`sql-plan-advisor ${command}: ${err.message}\n`);
  return EXIT.usage;
}
