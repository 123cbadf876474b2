/**
 * Waiting in tests without a fixed sleep: until a condition holds, or for a promise within a bound.
 * A test waits on the event or figure that matters (a socket event, a counter, buffered bytes); a
 * condition that has no event of its own is polled here, and nowhere else.
 */
import { setTimeout as tick } from 'node:timers/promises';

/** How often `until` re-checks. A poll interval, not a wait: the check ends it. */
const POLL_MS = 5;

/** Resolves once `check()` holds; fails the test after `timeoutMs`, naming `what` it waited for. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await tick(POLL_MS);
  }
}

/** `promise`'s value, or a failure naming `what` if it has not settled within `ms` (a bound, not a wait). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
