/**
 * The one way Archway bounds a wait (SPEC §5: every wait is bounded; MFC's CSocket waits forever,
 * format §8.4). A wait takes `{ timeoutMs, signal }`; `deadline()` makes them one `Deadline`, whose
 * expiry is a TIMEOUT error and whose caller's abort is ABORTED — mapped here and nowhere else.
 * Library defaults are bounded (DEFAULT_WAIT_MS); `timeoutMs: Infinity` says "as long as it takes".
 *
 * A Deadline is cheaper than `AbortSignal.any([signal, AbortSignal.timeout(ms)])` on the hot path
 * (one exchange per HTTP request): its timer is cleared as soon as the wait ends instead of living
 * out its 30 s, and in-process waiters get a direct callback; an AbortSignal is made only if asked.
 */
import type { ArchwayError } from './archway-error.js';
import { ERR_ABORTED, ERR_TIMEOUT } from './errors.js';

/** How long a library wait lasts when the caller gives no `timeoutMs`. */
export const DEFAULT_WAIT_MS = 30_000;

export interface WaitOptions {
  /** Give up after this many milliseconds (default DEFAULT_WAIT_MS; Infinity: no limit). */
  timeoutMs?: number;
  /** Give up when this signal aborts (an HTTP client that went away). */
  signal?: AbortSignal;
}

type Expiry = (err: ArchwayError) => void;

export class Deadline {
  /** Milliseconds since the epoch when it expires (Infinity: never). */
  readonly at: number;
  private readonly what: string;
  private readonly ms: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly parent: AbortSignal | undefined;
  private onParentAbort: (() => void) | undefined;
  private listeners: Expiry[] | undefined;
  private controller: AbortController | undefined;
  /** Set once expired or aborted: the error every waiter gets. */
  reason: ArchwayError | undefined;

  constructor(timeoutMs: number, signal: AbortSignal | undefined, what: string) {
    this.what = what;
    this.ms = timeoutMs;
    this.at = Number.isFinite(timeoutMs) ? Date.now() + timeoutMs : Infinity;
    this.parent = signal;
    if (signal?.aborted === true) {
      this.reason = new ERR_ABORTED(what);
      return;
    }
    if (Number.isFinite(timeoutMs)) {
      this.timer = setTimeout(() => this.expire(new ERR_TIMEOUT(what, timeoutMs)), Math.max(0, timeoutMs));
    }
    if (signal !== undefined) {
      this.onParentAbort = () => this.expire(new ERR_ABORTED(what));
      signal.addEventListener('abort', this.onParentAbort, { once: true });
    }
  }

  /** Milliseconds left (0 once expired, Infinity without a limit). */
  get left(): number {
    return this.reason !== undefined ? 0 : Math.max(0, this.at - Date.now());
  }

  /** Calls `fn` once, when the deadline expires or the caller aborts (at once if it did already). */
  onExpire(fn: Expiry): void {
    if (this.reason !== undefined) fn(this.reason);
    else (this.listeners ??= []).push(fn);
  }

  /** An AbortSignal that aborts (with the TIMEOUT or ABORTED error as reason) when this does. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.reason !== undefined) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** The same limit for a step of the wait, under another name (a part of a longer operation). */
  child(what: string): Deadline {
    return new Deadline(Number.isFinite(this.at) ? Math.max(0, this.at - Date.now()) : Infinity, this.parent, what);
  }

  /** Ends the deadline without expiring it: its timer and its listener on the caller's signal go. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.onParentAbort !== undefined) this.parent?.removeEventListener('abort', this.onParentAbort);
    this.onParentAbort = undefined;
    this.listeners = undefined;
  }

  private expire(err: ArchwayError): void {
    if (this.reason !== undefined) return;
    this.reason = err;
    const listeners = this.listeners;
    this.dispose();
    this.controller?.abort(err);
    if (listeners !== undefined) for (const fn of listeners) fn(err);
  }

  /** `p`, or this deadline's error once it expires (then `p` goes on, unobserved). */
  race<T>(p: Promise<T>): Promise<T> {
    if (this.reason !== undefined) {
      p.catch(() => undefined);
      return Promise.reject(this.reason);
    }
    return new Promise<T>((resolve, reject) => {
      this.onExpire((err) => {
        p.catch(() => undefined); // settled after the deadline: nobody is listening any more
        reject(err);
      });
      p.then(resolve, reject).finally(() => this.dispose());
    });
  }

  /** What the wait is, for messages. */
  get name(): string {
    return this.what;
  }

  /** The limit the caller gave, in ms. */
  get timeoutMs(): number {
    return this.ms;
  }
}

/** One Deadline from a wait's options; `fallbackMs` when they give no timeout. */
export function deadline(options: WaitOptions | undefined, what: string, fallbackMs = DEFAULT_WAIT_MS): Deadline {
  const ms = options?.timeoutMs ?? fallbackMs;
  if (!(ms >= 0)) throw new RangeError(`timeoutMs must be a non-negative number or Infinity, got ${String(ms)}`);
  return new Deadline(ms, options?.signal, what);
}
