/**
 * Lints any document the extension or CLI hands us: `.sql` (and unknown extensions) through
 * the SQL linter, TS/JS sources through the embedded-SQL scanner. Binary content is skipped
 * with one informational finding. Never throws.
 */
import { isScannableSource } from '../embedded/fileKinds';
import { lintSource } from '../embedded/lintSource';
import { SqlLinter, PARSE_ERROR_RULE } from './linter';
import { withMigrationFindings } from '../migrations/lint';
import type { DocumentFinding, LintOptions } from './types';

/** True for TypeScript/JavaScript files (scanned for embedded SQL and N+1 loops). */
export const isSourceFile = isScannableSource;

/** True when the text looks binary (a NUL byte in the first 8 KB). */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}

const sqlLinters = new Map<string, SqlLinter>();

/** Lints one file's text; offsets in the findings are into `text`. */
export function lintDocument(fileName: string, text: string, opts: LintOptions): DocumentFinding[] {
  if (looksBinary(text)) {
    return [{ ruleId: PARSE_ERROR_RULE, severity: 'info', message: 'This file looks binary (it contains NUL bytes) and was skipped.', start: 0, end: 0 }];
  }
  try {
    const findings = isSourceFile(fileName) ? lintSource(fileName, text, opts) : linterFor(fileName).lint(text, opts);
    return opts.migrations ? withMigrationFindings(fileName, text, findings, { ...opts.migrations, catalog: opts.catalog, rules: opts.rules }) : findings;
  } catch (err) {
    return [{ ruleId: PARSE_ERROR_RULE, severity: 'info', message: `Linting stopped on this file: ${String((err as Error)?.message ?? err).slice(0, 200)}`, start: 0, end: 0 }];
  }
}

/** One incremental linter per file name, so re-linting an edited file re-checks only what changed. */
function linterFor(fileName: string): SqlLinter {
  let l = sqlLinters.get(fileName);
  if (!l) {
    if (sqlLinters.size >= 200) sqlLinters.delete(sqlLinters.keys().next().value as string);
    l = new SqlLinter();
    sqlLinters.set(fileName, l);
  }
  return l;
}

/** Forgets a file's cached results (call when an editor closes the document). */
export function forgetDocument(fileName: string): void {
  sqlLinters.delete(fileName);
}
