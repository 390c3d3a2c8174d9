/**
 * Argument parsing shared by the subcommands: Node's own `util.parseArgs` (strict, so typos
 * are usage errors rather than silently ignored) plus converters for the option values the
 * CLI contract defines (`--dialect`, `--format`, `--rows table=N,…`).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DIALECTS, parseDialect, type Dialect } from '../core/dialect';
import { UsageError } from './io';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The option may be given several times (`--schema a --schema b`). */
  multiple?: boolean;
  /** One-letter alias (`-h`). */
  short?: string;
}

/** Parsed command line with typed accessors. */
export class ParsedArgs {
  constructor(
    private readonly values: Record<string, unknown>,
    /** Arguments that are not options (paths, the SQL text…), in order. */
    readonly positionals: string[],
  ) {}

  /** Value of a single-valued string option (the last one wins if repeated). */
  string(name: string): string | undefined {
    const v = this.values[name];
    if (Array.isArray(v)) return v.length ? String(v[v.length - 1]) : undefined;
    return typeof v === 'string' ? v : undefined;
  }

  /** All values of a repeatable string option, in order given. */
  strings(name: string): string[] {
    const v = this.values[name];
    if (Array.isArray(v)) return v.map(String);
    return typeof v === 'string' ? [v] : [];
  }

  /** True when a boolean option was given. */
  flag(name: string): boolean {
    return this.values[name] === true;
  }
}

/**
 * Parses `argv` (the arguments after the subcommand) against `options`.
 * Unknown options and missing option values throw `UsageError` with Node's message.
 */
export function parseCommandLine(argv: string[], options: Record<string, OptionSpec>): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: options as ParseArgsConfig['options'],
      strict: true,
      allowPositionals: true,
    });
    return new ParsedArgs(values as Record<string, unknown>, positionals);
  } catch (err) {
    // Node's messages are already clear ("Unknown option '--foo'").
    throw new UsageError(String((err as Error).message ?? err));
  }
}

/** Reads `--dialect`; PostgreSQL when absent. */
export function dialectOption(value: string | undefined): Dialect {
  if (value === undefined) return 'postgresql';
  const d = parseDialect(value);
  if (!d) throw new UsageError(`unknown dialect '${value}' (expected ${DIALECTS.join(' or ')})`);
  return d;
}

/** Reads `--format` against the formats a subcommand supports; the first is the default. */
export function formatOption<F extends string>(value: string | undefined, allowed: readonly F[]): F {
  if (value === undefined) return allowed[0];
  const f = allowed.find((a) => a === value.toLowerCase());
  if (!f) throw new UsageError(`unknown format '${value}' (expected ${allowed.join(', ')})`);
  return f;
}

/**
 * Reads `--rows orders=1000000,users=50000` (repeatable) into lower-cased table → count.
 * Counts accept `_` separators and k/m suffixes (`orders=1m`).
 */
export function rowsOption(values: string[]): Record<string, number> {
  const rows: Record<string, number> = {};
  for (const value of values) {
    for (const part of value.split(',')) {
      const item = part.trim();
      if (!item) continue;
      const m = /^([A-Za-z_][\w$.]*)\s*=\s*(\d[\d_]*)([kKmM]?)$/.exec(item);
      if (!m) throw new UsageError(`--rows expects table=N[,table=N…], got '${item}'`);
      const base = Number(m[2].replace(/_/g, ''));
      const scale = m[3] === '' ? 1 : m[3].toLowerCase() === 'k' ? 1_000 : 1_000_000;
      rows[m[1].toLowerCase()] = base * scale;
    }
  }
  return rows;
}

/** A non-negative integer option value, or undefined when the option was not given. */
export function wholeNumber(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${option} expects a whole number, got '${text}'`);
  return n;
}
