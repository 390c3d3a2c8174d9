/**
 * Placeholder for the `explain` subcommand until its owner lands the real module
 * (same signature: `runExplain(argv, io): Promise<number>`). Overwrite this file.
 */
import { EXIT, type CliIO } from './io';

/** Entry of the `explain` subcommand (not available yet). */
export async function runExplain(argv: string[], io: CliIO): Promise<number> {
  void argv;
  io.err('sql-plan-advisor explain: not available in this build yet\n');
  return EXIT.usage;
}
