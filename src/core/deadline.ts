/**
 * The one way Archway bounds a wait (SPEC §5: every wait is bounded; MFC's CSocket waits forever,
 * format §8.4). A wait takes `{ timeoutMs, signal }`; `deadline()` makes them one `Deadline`, whose
 * expiry is a TIMEOUT error and whose caller's abort is ABORTED — mapped here and nowhere else.
 * Library defaults are bounded (DEFAULT_WAIT_MS); `timeoutMs: Infinity` says "as long as it takes".
 *
 * A Deadline is cheaper than `AbortSignal.any([signal, AbortSignal.timeout(ms)])` on the hot path
 * (one exchange per HTTP request): in-process waiters get a direct callback, an AbortSignal is made
 * only if asked, and no Node timer is made per wait. Deadlines of one duration expire in the order
 * they were made, so they share one timer, armed for the oldest (Node's own timer lists work so; a
 * setTimeout and clearTimeout per exchange were ~250 ns, 8 % of bench:roundtrip's CPU per message).
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

/** Told once when a deadline expires: a function, or an object (no closure made per wait). */
export type Expiry = ((err: ArchwayError) => void) | { expired(err: ArchwayError): void };

/**
 * What a wait is, for messages: a string, or an object whose `toString()` says it, made only if
 * the wait fails (an exchange's "the answer (OrderAck) to Order" is not built for every exchange).
 */
export type WaitName = string | { toString(): string };

function tell(fn: Expiry, err: ArchwayError): void {
  if (typeof fn === 'function') fn(err);
  else fn.expired(err);
}

/** The longest delay Node's timers take (2^31 - 1 ms, ~24.8 days); a longer wait re-arms. */
const MAX_DELAY = 2 ** 31 - 1;

/** The pending deadlines of one duration, oldest first, and the one timer that serves them. */
interface ExpiryList {
  readonly ms: number;
  head: Deadline | undefined;
  tail: Deadline | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Whether the timer keeps the process alive: only while a deadline is pending. */
  refed: boolean;
}

const lists = new Map<number, ExpiryList>();

export class Deadline {
  /**
   * When it expires, on the monotonic clock of `performance.now()` (Infinity: never): a change of
   * the wall clock moves no deadline.
   */
  readonly at: number;
  private readonly what: WaitName;
  private readonly ms: number;
  private list: ExpiryList | undefined;
  private prev: Deadline | undefined;
  private next: Deadline | undefined;
  private readonly parent: AbortSignal | undefined;
  private onParentAbort: (() => void) | undefined;
  /** The first listener, and the others if any: most waits have one (no array per wait). */
  private listener: Expiry | undefined;
  private listeners: Expiry[] | undefined;
  private controller: AbortController | undefined;
  /** Set once expired or aborted: the error every waiter gets. */
  reason: ArchwayError | undefined;

  constructor(timeoutMs: number, signal: AbortSignal | undefined, what: WaitName) {
    this.what = what;
    this.ms = timeoutMs;
    this.at = Number.isFinite(timeoutMs) ? performance.now() + timeoutMs : Infinity;
    this.parent = signal;
    if (signal?.aborted === true) {
      this.reason = new ERR_ABORTED(String(what));
      return;
    }
    if (Number.isFinite(timeoutMs)) Deadline.link(this);
    if (signal !== undefined) {
      this.onParentAbort = () => this.expire(new ERR_ABORTED(String(what)));
      signal.addEventListener('abort', this.onParentAbort, { once: true });
    }
  }

  /** Appends `d` to its duration's list (its expiry is the latest there) and keeps the timer armed. */
  private static link(d: Deadline): void {
    let list = lists.get(d.ms);
    if (list === undefined) {
      list = { ms: d.ms, head: undefined, tail: undefined, timer: undefined, refed: false };
      lists.set(d.ms, list);
    }
    d.list = list;
    d.prev = list.tail;
    if (list.tail === undefined) list.head = d;
    else list.tail.next = d;
    list.tail = d;
    if (list.timer === undefined) Deadline.arm(list, d.at - performance.now());
    else if (!list.refed) {
      list.timer.ref();
      list.refed = true;
    }
  }

  private static unlink(d: Deadline): void {
    const list = d.list;
    if (list === undefined) return;
    if (d.prev === undefined) list.head = d.next;
    else d.prev.next = d.next;
    if (d.next === undefined) list.tail = d.prev;
    else d.next.prev = d.prev;
    d.list = d.prev = d.next = undefined;
    // Left armed for the next deadline of this duration (the usual case), but not holding the
    // process open: a program whose last wait ended exits without waiting for the timer.
    if (list.head === undefined && list.refed) {
      list.timer?.unref();
      list.refed = false;
    }
  }

  private static arm(list: ExpiryList, delay: number): void {
    list.timer = setTimeout(Deadline.fire, Math.min(MAX_DELAY, Math.max(0, delay)), list);
    list.refed = true;
  }

  /** The timer of `list` went off: the deadlines due expire, the timer is armed for the next one. */
  private static fire(this: void, list: ExpiryList): void {
    list.timer = undefined;
    const now = performance.now();
    try {
      for (let d = list.head; d !== undefined && d.at <= now; d = list.head) d.expire(new ERR_TIMEOUT(String(d.what), d.ms));
    } finally {
      // Re-armed even when a listener threw: the deadlines behind it must still expire.
      if (list.timer === undefined) {
        if (list.head !== undefined) Deadline.arm(list, list.head.at - now);
        else lists.delete(list.ms);
      }
    }
  }

  /** Milliseconds left (0 once expired, Infinity without a limit). */
  get left(): number {
    return this.reason !== undefined ? 0 : Math.max(0, this.at - performance.now());
  }

  /** Calls `fn` once, when the deadline expires or the caller aborts (at once if it did already). */
  onExpire(fn: Expiry): void {
    if (this.reason !== undefined) tell(fn, this.reason);
    else if (this.listener === undefined) this.listener = fn;
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
    return new Deadline(Number.isFinite(this.at) ? Math.max(0, this.at - performance.now()) : Infinity, this.parent, what);
  }

  /** Ends the deadline without expiring it: its timer and its listener on the caller's signal go. */
  dispose(): void {
    Deadline.unlink(this);
    if (this.onParentAbort !== undefined) this.parent?.removeEventListener('abort', this.onParentAbort);
    this.onParentAbort = undefined;
    this.listener = undefined;
    this.listeners = undefined;
  }

  private expire(err: ArchwayError): void {
    if (this.reason !== undefined) return;
    this.reason = err;
    const { listener, listeners } = this;
    this.dispose();
    this.controller?.abort(err);
    if (listener !== undefined) tell(listener, err);
    if (listeners !== undefined) for (const fn of listeners) tell(fn, err);
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
    return String(this.what);
  }

  /** The limit the caller gave, in ms. */
  get timeoutMs(): number {
    return this.ms;
  }
}

/** One Deadline from a wait's options; `fallbackMs` when they give no timeout. */
export function deadline(options: WaitOptions | undefined, what: WaitName, fallbackMs = DEFAULT_WAIT_MS): Deadline {
  const ms = options?.timeoutMs ?? fallbackMs;
  if (!(ms >= 0)) throw new RangeError(`timeoutMs must be a non-negative number or Infinity, got ${String(ms)}`);
  return new Deadline(ms, options?.signal, what);
}
