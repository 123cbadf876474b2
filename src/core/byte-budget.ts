/**
 * One bound on the bytes a process holds for its peers (SPEC §5: memory is bounded globally as well
 * as per session): bytes received and not read yet, and bytes queued to send. Holders add what
 * they keep and release what they give up; past the limit, readers pause (a flooding peer meets
 * TCP backpressure) and new work that would add bytes is refused (OVERLOADED) until some are freed.
 */
export class ByteBudget {
  readonly limit: number;
  /** Bytes held now. */
  held = 0;
  /** Bytes promised to readers waiting for large messages, not arrived yet: new work must leave room for them. */
  reserved = 0;
  private waiting = new Set<() => void>();

  constructor(limit: number) {
    if (!(limit > 0)) throw new RangeError(`a byte budget needs a positive limit, got ${limit}`);
    this.limit = limit;
  }

  /** True once the bytes held reach the limit. */
  get over(): boolean {
    return this.held >= this.limit;
  }

  /** Bytes that can still be held or promised. */
  get free(): number {
    return Math.max(0, this.limit - this.held - this.reserved);
  }

  /** Counts `n` more bytes (received bytes are counted even past the limit: they are here). */
  hold(n: number): void {
    this.held += n;
  }

  release(n: number): void {
    const wasOver = this.over;
    this.held -= n;
    if (this.held < 0) this.held = 0;
    if (wasOver && !this.over && this.waiting.size > 0) {
      const waiting = [...this.waiting];
      this.waiting.clear();
      for (const fn of waiting) fn();
    }
  }

  /** Calls `fn` once the budget is no longer over its limit (a paused reader resumes). */
  whenFree(fn: () => void): void {
    if (!this.over) fn();
    else this.waiting.add(fn);
  }

  /** Forgets a `whenFree` callback (its holder went away). */
  forget(fn: () => void): void {
    this.waiting.delete(fn);
  }
}

/** A budget that never runs out (library use without a gateway). */
export const UNBOUNDED = new ByteBudget(Number.MAX_SAFE_INTEGER);
