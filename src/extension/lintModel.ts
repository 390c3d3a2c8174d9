/**
 * The decisions behind lint diagnostics, kept free of the `vscode` module so they can be unit
 * tested: which documents are linted and how, rule settings from user configuration,
 * severity mapping, matching a diagnostic back to the finding it came from, and debouncing.
 */
import type { DocumentFinding, RuleSettings } from '../core/lint/types';
import type { Severity } from '../core/rules/types';

/** How a document is linted: as a SQL file, as TS/JS with embedded SQL, or not at all. */
export type LintMode = 'sql' | 'source' | undefined;

/** Language ids treated as SQL (VS Code's own plus common dialect extensions). */
const SQL_LANGUAGES = new Set(['sql', 'pgsql', 'postgres', 'postgresql', 'mysql', 'plpgsql']);
const SOURCE_LANGUAGES: Record<string, string> = {
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascript: '.js',
  javascriptreact: '.jsx',
};
/** Every language id a document can have and still be linted (provider selectors). */
export const LINTED_LANGUAGE_IDS: readonly string[] = [...SQL_LANGUAGES, ...Object.keys(SOURCE_LANGUAGES)];

/** URI schemes of documents the user edits (not git diffs, output panels or settings). */
const EDITABLE_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

/** Decides whether and how a document is linted. */
export function lintMode(languageId: string, scheme: string, embeddedEnabled: boolean): LintMode {
  if (!EDITABLE_SCHEMES.has(scheme)) return undefined;
  if (SQL_LANGUAGES.has(languageId)) return 'sql';
  if (languageId in SOURCE_LANGUAGES) return embeddedEnabled ? 'source' : undefined;
  return undefined;
}

/**
 * File name handed to the core, which dispatches on the extension: an untitled TypeScript
 * buffer ("Untitled-1") must still be scanned as TypeScript, a `.sql` opened as SQL stays SQL.
 */
export function lintFileName(fileName: string, languageId: string): string {
  const ext = SOURCE_LANGUAGES[languageId];
  if (ext) return /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/i.test(fileName) ? fileName : fileName + ext;
  return /\.sql$/i.test(fileName) ? fileName : fileName + '.sql';
}

const LEVELS = new Set(['off', 'error', 'warning', 'info', 'hint']);

/** Reads `sqlPlanAdvisor.rules` from settings, ignoring malformed entries rather than failing. */
export function ruleSettingsFrom(raw: unknown): RuleSettings {
  const out: RuleSettings = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    const level = value.toLowerCase();
    if (level === 'information') out[id] = 'info';
    else if (LEVELS.has(level)) out[id] = level as Severity | 'off';
  }
  return out;
}

/** Index into `vscode.DiagnosticSeverity` (Error = 0, Warning = 1, Information = 2, Hint = 3). */
export function diagnosticSeverityIndex(severity: Severity): 0 | 1 | 2 | 3 {
  switch (severity) {
    case 'error':
      return 0;
    case 'warning':
      return 1;
    case 'info':
      return 2;
    default:
      return 3;
  }
}

/** True when a document is too big to lint as you type (`lint.maxFileSizeKb`). */
export function isOversized(textLength: number, maxFileSizeKb: number): boolean {
  return maxFileSizeKb > 0 && textLength > maxFileSizeKb * 1024;
}

/** The one information diagnostic shown instead of linting an oversized document. */
export function oversizeMessage(textLength: number, maxFileSizeKb: number): string {
  const kb = Math.round(textLength / 1024);
  return (
    `This file (${kb} KB) is larger than sqlPlanAdvisor.lint.maxFileSizeKb (${maxFileSizeKb} KB), ` +
    'so it is not linted as you type. Raise the setting, or run `sql-plan-advisor lint` on it.'
  );
}

/**
 * Findings that produced a diagnostic: same rule and same offsets. Diagnostics handed back to
 * code-action providers are copies, so identity cannot be used; range + rule is exact enough.
 */
export function findingsFor(findings: readonly DocumentFinding[], ruleId: string, start: number, end: number): DocumentFinding[] {
  return findings.filter((f) => f.ruleId === ruleId && f.start === start && f.end === end);
}

/** Findings whose range contains an offset (hover). Empty ranges match at their position. */
export function findingsAt(findings: readonly DocumentFinding[], offset: number): DocumentFinding[] {
  return findings.filter((f) => f.start <= offset && (offset < f.end || (f.start === f.end && offset === f.start)));
}

/** Timer functions, injectable so tests can drive time by hand. */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Runs one pending callback per key after `ms` of quiet; a new request for a key replaces the old. */
export class KeyedDebouncer {
  private readonly pending = new Map<string, unknown>();

  constructor(private readonly timers: Timers = realTimers) {}

  /** Schedules `run` for `key` after `ms`, cancelling what was pending for that key. */
  schedule(key: string, ms: number, run: () => void): void {
    this.cancel(key);
    const handle = this.timers.set(() => {
      this.pending.delete(key);
      run();
    }, Math.max(0, ms));
    this.pending.set(key, handle);
  }

  /** Cancels the pending callback for `key`, if any. */
  cancel(key: string): void {
    const handle = this.pending.get(key);
    if (handle !== undefined) {
      this.timers.clear(handle);
      this.pending.delete(key);
    }
  }

  /** True while a callback is waiting for `key`. */
  isPending(key: string): boolean {
    return this.pending.has(key);
  }

  /** Cancels everything (dispose). */
  cancelAll(): void {
    for (const key of [...this.pending.keys()]) this.cancel(key);
  }
}
