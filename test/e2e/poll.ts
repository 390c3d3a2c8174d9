/**
 * Waiting on UI state: poll a probe until a condition holds, and fail with the last value seen,
 * so a timeout says what the user would have seen instead of "timed out".
 */

export class E2EAssertionError extends Error {}

/** Polls `probe` until `ok(value)` is true; throws with `what` and the last value after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 20_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (ok(last)) return last;
    } catch (err) {
      // A probe may race the DOM (element detached mid-read); try again until the deadline.
      lastError = err;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const seen = lastError !== undefined ? `error: ${String(lastError)}` : JSON.stringify(last, null, 1);
  throw new E2EAssertionError(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${seen}`);
}

/** Throws an assertion error with `message` unless `cond` holds. */
export function expect(cond: unknown, message: string): asserts cond {
  if (!cond) throw new E2EAssertionError(message);
}
