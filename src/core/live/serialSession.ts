/**
 * One server connection, one request at a time: each request is its own BEGIN … ROLLBACK on the
 * same session, so two interleaved requests would share (and end) each other's transaction.
 */
import { LiveError } from './errors';

export class SerialSession {
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  /** Runs `fn` after every request queued before it, whether those succeeded or failed. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new LiveError('statement', 'the connection was closed'));
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Refuses new requests and waits for the queued ones; true the first time only. */
  async close(): Promise<boolean> {
    if (this.closed) return false;
    this.closed = true;
    await this.tail;
    return true;
  }
}
