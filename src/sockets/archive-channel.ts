/**
 * The common use of CArchive over a CSocket (SPEC §1 "request then answer"): one load and one store
 * archive on a connected stream socket, and `exchange()` — store a request, load its answer.
 *
 * Exchanges are served first-in first-out with up to `pipeline` requests in flight (SPEC §3): the
 * default 1 is lock-step, because a VC6 peer building a fresh CArchive per message reads ahead and
 * drops what follows (format §6, §9.2). Answers are matched to requests by order alone, so an answer
 * is always read even when its caller gave up (timed out): it is decoded and discarded, and the next
 * caller gets its own answer, never a stale one (an answer that does not decode stops exchanges
 * until the caller resynchronises: see AnswerQueue). Pipelined requests written in one turn of the
 * event loop go out in one send; a lock-step request goes out at once.
 */
import type { MessageCodec, TypeExpr } from '../archive/index.js';
import { AnswerQueue, type Owed } from './answer-queue.js';
import { Archive, type ArchiveOptions } from './archive.js';
import { ERR_ABORTED, ERR_INVALID_STATE, ERR_TIMEOUT } from './errors.js';
import { SocketFile } from './socket-file.js';
import type { StreamSocket } from './stream-socket.js';
import type { WaitOptions } from './wait-queue.js';

export interface ArchiveChannelOptions extends Omit<ArchiveOptions, 'timeoutMs'> {
  /** Requests in flight at most (default 1: lock-step). */
  pipeline?: number;
}

interface Turn {
  go: () => void;
  fail: (err: unknown) => void;
}

export class ArchiveChannel {
  readonly socket: StreamSocket;
  readonly file: SocketFile;
  readonly load: Archive;
  readonly store: Archive;
  private maxInFlight: number;
  private sent = 0;
  private readonly turns: Turn[] = [];
  private readonly answers: AnswerQueue;
  private flushScheduled = false;
  private closed = false;

  constructor(socket: StreamSocket, options: ArchiveChannelOptions = {}) {
    this.socket = socket;
    this.file = new SocketFile(socket);
    this.maxInFlight = checkPipeline(options.pipeline ?? 1);
    this.load = new Archive(this.file, 'load', options);
    // The channel sends once per event-loop turn (scheduleFlush); CArchive's 4096-byte buffer would
    // split a turn's pipelined requests into several sends (measured: 21 vs 64 per send, +25%).
    this.store = new Archive(this.file, 'store', { bufferSize: 64 * 1024, ...options });
    this.answers = new AnswerQueue(socket, this.load);
  }

  /** Requests in flight at most. */
  get pipeline(): number {
    return this.maxInFlight;
  }

  /** Changing it applies at once: a larger window lets waiting exchanges go. */
  set pipeline(n: number) {
    this.maxInFlight = checkPipeline(n);
    this.admit();
  }

  /** Requests sent whose answers are not read yet (including those whose caller gave up). */
  get inFlight(): number {
    return this.sent;
  }

  /** Exchanges waiting for their turn (not yet sent). */
  get waiting(): number {
    return this.turns.length;
  }

  /**
   * Stores `value` as `request`, then loads one `response`. The timeout covers the wait for a turn
   * and for the answer; a request that never got its turn was not sent (`details.sent: false`).
   */
  async exchange(request: TypeExpr | MessageCodec, value: unknown, response: TypeExpr | MessageCodec, options: WaitOptions = {}): Promise<unknown> {
    const req = this.store.codec(request);
    const res = this.load.codec(response);
    const { timeoutMs, signal } = options;
    const deadline = timeoutMs !== undefined && timeoutMs > 0 ? Date.now() + timeoutMs : undefined;
    // A slot is counted for this exchange before any await: by `done()` when it hands over a turn.
    if (this.sent < this.maxInFlight && this.turns.length === 0) this.sent++;
    else await this.turn(`exchange of ${req.name}`, options);
    if (this.closed || this.answers.outOfStep !== undefined || signal?.aborted === true) {
      this.done();
      if (signal?.aborted === true) throw new ERR_ABORTED(`exchange of ${req.name}`).with({ sent: false });
      if (this.closed) throw new ERR_INVALID_STATE('the archive channel is closed');
      throw new ERR_INVALID_STATE(
        'an earlier answer did not decode and is still first in the stream: load it with the right type or read its bytes raw, or close the session',
      ).with({ outOfStep: true });
    }
    let owed!: Owed;
    // Once sent, the answer is owed even if this caller stops waiting: it is read and dropped.
    const answer = new Promise<unknown>((resolve, reject) => {
      owed = { codec: res, resolve, reject, answer: true };
    });
    try {
      // Validation fails here, before a byte is buffered: nothing was sent, the turn passes on.
      this.store.writeMessage(req, value);
    } catch (err) {
      this.done();
      throw err;
    }
    // Owed in the same tick as the write: answers match requests by order alone.
    this.answers.push(owed);
    // Lock-step has nothing to batch with: send now rather than after the loop's other I/O, which
    // takes the turnaround out of the peer's round trip (bench:gateway, pool of lock-step sessions).
    if (this.maxInFlight === 1) this.store.flush().catch(() => undefined);
    else this.scheduleFlush();
    const settled = answer.finally(() => this.done());
    if (deadline === undefined && signal === undefined) return settled;
    return waitFor(settled, `the answer (${res.name}) to ${req.name}`, deadline, timeoutMs, signal);
  }

  /** `ar >> value` in line with the exchanges: atomic; a timeout leaves every byte for the next read. */
  read(type: TypeExpr | MessageCodec, options: WaitOptions = {}): Promise<unknown> {
    const codec = this.load.codec(type);
    return this.owe({ codec }, `reading ${codec.name}`, options);
  }

  /** Raw bytes in line: exactly `n`, or with `partial` whatever is there (1 to `n`) once some is. */
  readBytes(n: number, partial: boolean, options: WaitOptions = {}): Promise<Buffer> {
    return this.owe({ bytes: n, partial }, `reading ${partial ? 'up to ' : ''}${n} byte(s)`, options) as Promise<Buffer>;
  }

  private owe(what: Omit<Owed, 'resolve' | 'reject'>, label: string, options: WaitOptions): Promise<unknown> {
    const { timeoutMs, signal } = options;
    return new Promise<unknown>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const give = (err: unknown) => {
        // Still in line means nothing was consumed for it: leave, and say so.
        if (this.answers.withdraw(owed)) {
          cleanup();
          reject(err);
        }
      };
      const onAbort = () => give(new ERR_ABORTED(label));
      const cleanup = () => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const owed: Owed = {
        ...what,
        resolve: (v) => {
          cleanup();
          resolve(v);
        },
        reject: (e) => {
          cleanup();
          reject(e);
        },
      };
      if (signal?.aborted) return reject(new ERR_ABORTED(label));
      if (timeoutMs !== undefined && timeoutMs > 0) timer = setTimeout(() => give(new ERR_TIMEOUT(label, timeoutMs)), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.answers.push(owed);
    });
  }

  /**
   * Sends what the store archive holds at the end of this turn of the event loop: one send for
   * many requests. Not at the end of the microtask queue: pipelined answers decoded from one chunk
   * resolve their callers a few promise hops apart, so a microtask flush ran between every two of
   * them and sent each new request alone (one write per message, measured by bench:roundtrip).
   */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.store.flush().catch(() => undefined); // a send error fails the answer's read (peer gone)
    });
  }

  private turn(what: string, options: WaitOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const { timeoutMs, signal } = options;
      let timer: NodeJS.Timeout | undefined;
      const leave = (err: unknown) => {
        const i = this.turns.indexOf(turn);
        if (i >= 0) this.turns.splice(i, 1);
        cleanup();
        reject(err);
      };
      const onAbort = () => leave(new ERR_ABORTED(what).with({ sent: false }));
      const cleanup = () => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const turn: Turn = {
        go: () => {
          cleanup();
          resolve();
        },
        fail: leave,
      };
      if (timeoutMs !== undefined && timeoutMs > 0) {
        timer = setTimeout(() => leave(new ERR_TIMEOUT(what, timeoutMs).with({ sent: false })), timeoutMs);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.turns.push(turn);
    });
  }

  /** Frees a slot and lets the next waiting exchanges in. */
  private done(): void {
    this.sent--;
    this.admit();
  }

  /** Hands free slots to waiting exchanges in order, each counted in before it resumes. */
  private admit(): void {
    while (this.turns.length > 0 && this.sent < this.maxInFlight) {
      this.sent++;
      this.turns.shift()!.go();
    }
  }

  /** Flushes the store archive and fails the exchanges still waiting for a turn. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.turns.splice(0)) t.fail(new ERR_INVALID_STATE('the session was closed'));
    await this.store.close().catch(() => undefined);
    this.answers.failAll(new ERR_INVALID_STATE('the session was closed'));
  }
}

function checkPipeline(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 1024) throw new ERR_INVALID_STATE(`pipeline must be an integer from 1 to 1024, got ${n}`);
  return n;
}

/** `p`, unless the deadline passes or the signal aborts first (then `p` goes on, unobserved). */
function waitFor<T>(p: Promise<T>, what: string, deadline: number | undefined, timeoutMs: number | undefined, signal: AbortSignal | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => finish(() => reject(new ERR_ABORTED(what).with({ sent: true })));
    const finish = (settle: () => void) => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    if (deadline !== undefined) {
      const left = Math.max(1, deadline - Date.now());
      timer = setTimeout(() => finish(() => reject(new ERR_TIMEOUT(what, timeoutMs!).with({ sent: true }))), left);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => finish(() => resolve(v)),
      (e: unknown) => finish(() => reject(e)),
    );
  });
}
