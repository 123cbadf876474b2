/**
 * Callers waiting for a condition on a socket (a connection to accept, a datagram, received bytes),
 * each until its Deadline. MFC's CSocket waits forever (format §8.4); Archway's waits all end: with
 * the value, the deadline's error, or the socket's failure.
 */
import type { ArchwayError, Deadline } from '../core/index.js';

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
   * Checked at once, then on every `wake()`; the deadline is disposed when the wait ends.
   */
  wait(check: () => T | undefined, deadline: Deadline): Promise<T> {
    let now: T | undefined;
    try {
      now = check();
    } catch (err) {
      deadline.dispose();
      return Promise.reject(err);
    }
    if (now !== undefined) {
      deadline.dispose();
      return Promise.resolve(now);
    }
    return new Promise<T>((resolve, reject) => {
      const finish = (settle: () => void) => {
        const i = this.waiters.indexOf(waiter);
        if (i < 0) return;
        this.waiters.splice(i, 1);
        deadline.dispose();
        settle();
      };
      const waiter: Waiter<T> = {
        check,
        resolve: (v) => finish(() => resolve(v)),
        reject: (e) => finish(() => reject(e)),
      };
      this.waiters.push(waiter);
      deadline.onExpire((err) => waiter.reject(err));
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
