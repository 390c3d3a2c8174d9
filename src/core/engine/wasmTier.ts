/**
 * V8 compiles WebAssembly twice by default: a quick baseline (Liftoff) at once, then optimised
 * code (TurboFan) for hot functions in the background. For PGlite's 9 MB PostgreSQL the second
 * tier costs more than it returns in a short-lived process: measured here on the first-Explain
 * path, Liftoff only took CPU from ≈ 1.9 s to ≈ 0.8 s and peak RSS from ≈ 300 MB to ≈ 180 MB,
 * while a planned EXPLAIN stays in the low milliseconds. The flag is process-wide and applies
 * to modules compiled after it is set, so only a process that is ours alone (the CLI) sets it,
 * before the engine starts.
 */
import * as v8 from 'v8';

let applied = false;

/** Makes WebAssembly compiled from now on use the baseline compiler only (process-wide). */
export function useBaselineWasmCompiler(): void {
  if (applied) return;
  applied = true;
  v8.setFlagsFromString('--liftoff-only');
}
