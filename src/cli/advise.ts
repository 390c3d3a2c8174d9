/**
 * Placeholder for the `advise` subcommand until its owner lands the real module
 * (same signature: `runAdvise(argv, io): Promise<number>`). Overwrite this file.
 */
import { EXIT, type CliIO } from './io';

/** Entry of the `advise` subcommand (not available yet). */
export async function runAdvise(argv: string[], io: CliIO): Promise<number> {
  void argv;
  io.err('sql-plan-advisor advise: not available in this build yet\n');
  return EXIT.usage;
}
