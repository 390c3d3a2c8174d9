/** Shape shared by every benchmark section (`bench/<section>.ts` exports `run()`). */

export interface BenchRow {
  /** What was measured, e.g. "cold lint, 1,000 statements". */
  name: string;
  value: number;
  /** `ms`, `statements/s`, `MB`… */
  unit: string;
  /** The quality bar from the product brief, when there is one, e.g. "< 1000 ms". */
  target?: string;
  /** Whether `value` meets `target` (omit when there is no target). */
  ok?: boolean;
}

/** A benchmark section module: `bench/lint.ts`, `bench/embedded.ts`, `bench/engine.ts`… */
export interface BenchSection {
  run(): Promise<BenchRow[]>;
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Milliseconds taken by `fn`, measured with the high-resolution clock. */
export function timeMs(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * Wall-clock and CPU milliseconds taken by `fn`. On a busy machine wall time inflates while
 * CPU time (user + system of this process) stays close to the uncontended cost.
 */
export function measure(fn: () => void): { wallMs: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}

/** Rounds for display/JSON: 2 decimals under 10, 1 under 1000, else whole numbers. */
export function round(n: number): number {
  if (Math.abs(n) < 10) return Math.round(n * 100) / 100;
  if (Math.abs(n) < 1000) return Math.round(n * 10) / 10;
  return Math.round(n);
}
