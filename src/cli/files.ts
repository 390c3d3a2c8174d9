/**
 * Finding the files a command works on: paths given on the command line, folders walked
 * recursively (skipping dependency and build folders), sorted the way humans number
 * migrations (`2_x.sql` before `10_x.sql`), read with size and readability checks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isScannableSource } from '../core/embedded/fileKinds';

/** Folders never walked into: dependencies, VCS metadata and build output. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', 'dist', 'out']);

/** Files larger than this are skipped with a notice instead of being read. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const SQL_EXTENSIONS = ['.sql'];

/** True for files the linter handles when found inside a folder (`.sql` and TS/JS sources). */
export function isLintable(file: string): boolean {
  return SQL_EXTENSIONS.includes(path.extname(file).toLowerCase()) || isScannableSource(file);
}

/** True for `.sql` files (the ones DDL is read from). */
export function isSqlFile(file: string): boolean {
  return SQL_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

/** Orders paths segment by segment with numeric awareness (`002_orders` before `010_events`). */
export function comparePaths(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Path relative to `cwd` with forward slashes (as reported in text, JSON and SARIF output). */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file) || path.basename(file);
  return rel.split(path.sep).join('/');
}

export interface FileSelection {
  /** Absolute paths, deduplicated, in numeric path order. */
  files: string[];
  /** Paths given on the command line that do not exist or cannot be read. */
  missing: string[];
}

/**
 * Expands command-line paths: files are taken as given (whatever their extension — the user
 * named them); folders are walked recursively for files `accept` approves.
 */
export function selectFiles(paths: string[], cwd: string, accept: (file: string) => boolean): FileSelection {
  const found = new Set<string>();
  const missing: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      missing.push(p);
      continue;
    }
    if (stat.isDirectory()) walk(abs, accept, found);
    else if (stat.isFile()) found.add(abs);
    else missing.push(p);
  }
  return { files: [...found].sort(comparePaths), missing };
}

function walk(dir: string, accept: (file: string) => boolean, found: Set<string>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // An unreadable sub-folder is not worth failing the run for.
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) walk(full, accept, found);
    } else if (e.isFile() || e.isSymbolicLink()) {
      // Symlinked files are followed; symlinked folders are not, so cycles cannot occur.
      if (e.isSymbolicLink() && !isRegularFile(full)) continue;
      if (accept(full)) found.add(full);
    }
  }
}

function isRegularFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export type ReadResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'too-large'; bytes: number }
  | { ok: false; reason: 'unreadable'; message: string };

/** Reads a UTF-8 text file, refusing files over `MAX_FILE_BYTES` before reading them. */
export function readTextFile(file: string, maxBytes = MAX_FILE_BYTES): ReadResult {
  try {
    const { size } = fs.statSync(file);
    if (size > maxBytes) return { ok: false, reason: 'too-large', bytes: size };
    const text = fs.readFileSync(file, 'utf8');
    // A BOM is invisible in editors; dropping it keeps reported columns equal to what they show.
    return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, reason: 'unreadable', message: e.code ?? e.message ?? String(err) };
  }
}

/** "12.3 MB" style size for notices. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}
