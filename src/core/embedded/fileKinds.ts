/**
 * Which files hold TS/JS source we scan for embedded SQL and N+1 loops. Kept apart from
 * `source.ts` because that module loads the TypeScript compiler (~0.6 s): callers that only
 * need to classify a file name (activation, the CLI's file walk) must not pay for it.
 */

/** File extensions we scan for embedded SQL and N+1 loops. */
export const SOURCE_EXTENSIONS: readonly string[] = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** True when the file name has an extension we scan (declaration files excluded). */
export function isScannableSource(fileName: string): boolean {
  const lower = fileName.toLowerCase();
  return SOURCE_EXTENSIONS.some((ext) => lower.endsWith(ext)) && !lower.endsWith('.d.ts');
}
