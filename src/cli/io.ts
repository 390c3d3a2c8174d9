/**
 * How every CLI subcommand talks to the outside world. Subcommands receive a `CliIO` instead
 * of touching `process` so tests can run them in-process and capture exactly what they print.
 */

export interface CliIO {
  /** Writes to standard output; callers include their own newlines. */
  out(text: string): void;
  /** Writes to standard error; callers include their own newlines. */
  err(text: string): void;
  /** Directory that relative paths are resolved against and reported relative to. */
  cwd: string;
  /** Environment variables the command may read (`DATABASE_URL`); none when absent (tests). */
  env?: Record<string, string | undefined>;
}

/** Signature every subcommand module exports (`runLint`, `runExplain`, `runAdvise`). */
export type Subcommand = (argv: string[], io: CliIO) => Promise<number>;

/** Exit codes of the CLI contract. */
export const EXIT = {
  /** Nothing to report. */
  ok: 0,
  /** Findings were reported (lint) or the command found problems to act on. */
  findings: 1,
  /** Usage error or unreadable input; a message was written to stderr. */
  usage: 2,
} as const;

/** A problem with how the command was invoked or with its input; printed on stderr, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The real process's streams and working directory. */
export function processIO(): CliIO {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
  };
}

/** An in-memory `CliIO` that records everything written (tests, benchmarks). */
export function bufferIO(cwd: string): CliIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    cwd,
    stdout: () => out,
    stderr: () => err,
  };
}
