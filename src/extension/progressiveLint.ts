/**
 * Lints a large SQL document in time slices so the extension host stays responsive: a cold
 * lint of a 1,000-statement file costs about a second of parsing, which would otherwise block
 * every extension for that long. The document is linted as a growing prefix cut at statement
 * boundaries; the incremental linter keeps the statements it has checked, so each slice only
 * checks the statements it adds, and the last pass (the whole text) yields the final result.
 * No `vscode` import: tested with the real linter.
 */
import type { SqlLinter } from '../core/lint/linter';
import type { DocumentFinding, LintOptions } from '../core/lint/types';
import { splitStatements } from '../core/sql/split';

export interface SliceOptions {
  /** Work budget between yields, in ms. */
  sliceMs: number;
  /** Checked after every yield; returning true abandons the run (the result is `undefined`). */
  isCancelled: () => boolean;
  /** Gives the event loop a turn (default: `setImmediate`). */
  yieldToEventLoop?: () => Promise<void>;
  /** Clock in ms (default: `performance.now`). */
  now?: () => number;
}

const defaultYield = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Lints `text` with `linter` like `linter.lint(text, opts)` would, but yields to the event
 * loop whenever a slice has used its budget. Returns the findings, or `undefined` if cancelled.
 */
export async function lintInSlices(linter: SqlLinter, text: string, opts: LintOptions, options: SliceOptions): Promise<DocumentFinding[] | undefined> {
  const now = options.now ?? (() => performance.now());
  const yieldToEventLoop = options.yieldToEventLoop ?? defaultYield;
  const statements = splitStatements(text, opts.dialect);
  let done = 0;
  // Statements already cached cost almost nothing, so the step grows while slices stay cheap.
  let step = 8;
  for (;;) {
    const sliceStart = now();
    do {
      const next = Math.min(statements.length, done + step);
      if (next >= statements.length) return linter.lint(text, opts);
      const t0 = now();
      // Cut just before the next statement: the prefix never holds a partial statement.
      linter.lint(text.slice(0, statements[next].start), opts);
      done = next;
      const took = now() - t0;
      if (took < options.sliceMs / 4) step *= 2;
      else if (took > options.sliceMs && step > 1) step = Math.max(1, step >> 1);
    } while (now() - sliceStart < options.sliceMs);
    await yieldToEventLoop();
    if (options.isCancelled()) return undefined;
  }
}
