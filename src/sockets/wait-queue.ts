/**
 * Callers waiting for a condition on a socket (bytes arrived, a connection to accept, a datagram),
 * each with its own timeout and AbortSignal. MFC's CSocket waits forever (format §8.4); Archway's
 * waits all end: with the value, a timeout, a cancel, or the socket's failure.
 */
import type { ArchwayError } from '../archive/index.js';
import { ERR_ABORTED, ERR_TIMEOUT } from './errors.js';

export interface WaitOptions {
  /** Give up after this many milliseconds (0 or undefined: no limit). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Waiter<T> {
  check: () => T | undefined;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}

export class WaitQueue<T> {
  private waiters: Waiter<T>[] = [];

  get size(): number {
    return this.waiters.length;
  }

  /**
   * Resolves with `check()`'s value once it returns one (it may also throw to fail the wait).
   * Checked at once, then on every `wake()`.
   */
  wait(check: () => T | undefined, what: string, options: WaitOptions = {}): Promise<T> {
    let now: T | undefined;
    try {
      now = check();
    } catch (err) {
      return Promise.reject(err);
    }
    if (now !== undefined) return Promise.resolve(now);
    const { timeoutMs, signal } = options;
    if (signal?.aborted) return Promise.reject(new ERR_ABORTED(what));
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => finish(() => reject(new ERR_ABORTED(what)));
      const waiter: Waiter<T> = {
        check,
        resolve: (v) => finish(() => resolve(v)),
        reject: (e) => finish(() => reject(e)),
      };
      const finish = (settle: () => void) => {
        const i = this.waiters.indexOf(waiter);
        if (i < 0) return;
        this.waiters.splice(i, 1);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        settle();
      };
      this.waiters.push(waiter);
      if (timeoutMs !== undefined && timeoutMs > 0) {
        timer = setTimeout(() => finish(() => reject(new ERR_TIMEOUT(what, timeoutMs))), timeoutMs);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Re-checks every waiter in arrival order. */
  wake(): void {
    for (const w of [...this.waiters]) {
      let value: T | undefined;
      try {
        value = w.check();
      } catch (err) {
        w.reject(err);
        continue;
      }
      if (value !== undefined) w.resolve(value);
    }
  }

  /** Fails every waiter. */
  fail(err: ArchwayError): void {
    for (const w of [...this.waiters]) w.reject(err);
  }
}
