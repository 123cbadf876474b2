/**
 * The bytes a store archive owes its peer, and what became of each message. CArchive buffers what
 * `<<` writes and sends it on `Flush()` ("flushing … is equivalent to sending a message", format §6);
 * here a flush turns the buffer into a parcel, and parcels go to the socket one write at a time, so
 * that until its turn a message can still be taken back. A caller that gives up on a message learns
 * exactly what became of it (SPEC §5): `withdrawn` (none of it was sent: a retry is safe), `sent`
 * (all handed to the kernel), or `partial` (part may have gone and the rest cannot be taken back
 * alone: only closing the connection keeps a part of a message from corrupting the stream).
 * Unsent bytes are bounded per archive and count against the process's ByteBudget.
 */
import { ERR_OVERLOADED, UNBOUNDED, type ArchwayError, type ByteBudget } from '../core/index.js';
import { ArchiveWriter, type StoreState } from '../archive/index.js';
import { ERR_INVALID_STATE } from '../sockets/index.js';
import type { SocketFile } from './socket-file.js';

export type Delivery = 'withdrawn' | 'sent' | 'partial';

/** One message given to the outbox: where its bytes are until they are sent. */
export interface Outgoing {
  /** Offsets of its bytes in the writer, then in its parcel. */
  start: number;
  end: number;
  /** The index map's mark before it (undefined: a message-long map, nothing to roll back). */
  readonly mark: number | undefined;
  parcel: Parcel | undefined;
}

/**
 * Bytes flushed together, sent by one write. Its promise is made only when someone waits for it:
 * a lock-step exchange does not (its answer says the request went out), and a promise per request
 * showed in the gateway's profile.
 */
class Parcel {
  writing = false;
  sent = false;
  private outcome: { err: ArchwayError | undefined } | undefined;
  private waiters: ((err?: ArchwayError) => void)[] | undefined;

  constructor(
    public bytes: Buffer,
    readonly messages: Outgoing[],
  ) {
    for (const m of messages) m.parcel = this;
  }

  /** Resolves once every byte is handed to the kernel; rejects with the reason they were not. */
  done(): Promise<void> {
    const outcome = this.outcome;
    if (outcome !== undefined) return outcome.err === undefined ? Promise.resolve() : Promise.reject(outcome.err);
    return new Promise((resolve, reject) => (this.waiters ??= []).push((err) => (err === undefined ? resolve() : reject(err))));
  }

  settle(err?: ArchwayError): void {
    if (this.outcome !== undefined) return;
    this.outcome = { err };
    const waiters = this.waiters;
    this.waiters = undefined;
    if (waiters !== undefined) for (const w of waiters) w(err);
  }

  /** Takes the parcels queued after this one into one write: their bytes, messages and waiters. */
  absorb(others: readonly Parcel[]): void {
    const parts = [this.bytes];
    let at = this.bytes.length;
    for (const p of others) {
      for (const m of p.messages) {
        m.start += at;
        m.end += at;
        m.parcel = this;
        this.messages.push(m);
      }
      at += p.bytes.length;
      parts.push(p.bytes);
      if (p.waiters !== undefined) (this.waiters ??= []).push(...p.waiters);
    }
    this.bytes = Buffer.concat(parts, at);
  }
}

export interface OutboxOptions {
  /** The writer's initial size and the size past which it flushes by itself (CArchive's buffer). */
  bufferSize: number;
  /** Largest message (the writer's cap). */
  maxMessageBytes: number;
  /** Unsent bytes kept at most; one message of any allowed size is always taken when none wait. */
  maxQueuedBytes: number;
  budget?: ByteBudget;
}

export class Outbox {
  private writer: ArchiveWriter | undefined;
  private inWriter: Outgoing[] = [];
  private readonly parcels: Parcel[] = [];
  private queued = 0;
  private readonly file: SocketFile;
  private readonly options: OutboxOptions;
  private readonly budget: ByteBudget;
  /** The first failed send: later writes fail with it (the connection is broken). */
  sendError: ArchwayError | undefined;

  constructor(file: SocketFile, options: OutboxOptions) {
    this.file = file;
    this.options = options;
    this.budget = options.budget ?? UNBOUNDED;
  }

  /** Bytes written and not yet handed to the kernel. */
  get queuedBytes(): number {
    return this.queued;
  }

  /** Bytes written since the last flush. */
  get pending(): number {
    return this.writer?.pos ?? 0;
  }

  /**
   * Adds one message: `encode` appends it to the writer, all or nothing (it throws VALIDATION and
   * leaves nothing behind). Refused with OVERLOADED past the archive's or the process's bound.
   */
  add(state: StoreState | undefined, encode: (w: ArchiveWriter, state: StoreState | undefined) => void): Outgoing {
    if (this.sendError !== undefined) throw this.sendError;
    if (this.budget.over && this.queued > 0) {
      throw new ERR_OVERLOADED(`the gateway holds ${this.budget.held} bytes for its peers, its limit (ARCHWAY_MAX_MEMORY_BYTES); retry once peers have read`).with({ held: this.budget.held, limit: this.budget.limit });
    }
    const w = (this.writer ??= new ArchiveWriter(256, this.options.maxMessageBytes + this.options.bufferSize));
    const start = w.pos;
    const mark = state?.count;
    encode(w, state);
    const size = w.pos - start;
    if (this.queued > 0 && this.queued + size > this.options.maxQueuedBytes) {
      w.truncate(start);
      if (state !== undefined && mark !== undefined) state.rollback(mark);
      throw new ERR_OVERLOADED(`the session has ${this.queued} bytes waiting for its peer to read them; a ${size}-byte message would pass its limit of ${this.options.maxQueuedBytes} (ARCHWAY_MAX_QUEUED_BYTES)`).with({ held: this.queued, limit: this.options.maxQueuedBytes });
    }
    const m: Outgoing = { start, end: w.pos, mark, parcel: undefined };
    this.inWriter.push(m);
    this.queued += size;
    this.budget.hold(size);
    return m;
  }

  /** Turns what the writer holds into a parcel and starts sending it (nobody waits: no promise). */
  push(): void {
    const w = this.writer;
    if (w === undefined || w.pos === 0) return;
    // The writer is dropped, not reused: its bytes go out without a copy, and an idle archive
    // holds no buffer.
    this.writer = undefined;
    this.parcels.push(new Parcel(w.view(), this.inWriter));
    this.inWriter = [];
    this.pump();
  }

  /** `push`, then resolves once all of it is sent. */
  flush(): Promise<void> {
    this.push();
    const last = this.parcels[this.parcels.length - 1];
    return last === undefined ? Promise.resolve() : last.done();
  }

  /** True when `m` was handed to the kernel. */
  isSent(m: Outgoing): boolean {
    return m.parcel?.sent === true;
  }

  /** Resolves once `m` is sent (flushing it if it is still in the writer). */
  sent(m: Outgoing): Promise<void> {
    if (m.parcel === undefined) this.push();
    return m.parcel?.done() ?? Promise.resolve();
  }

  /** One write at a time: the queued parcels go out together once the previous write is done. */
  private pump(): void {
    if (this.parcels.length === 0 || this.parcels[0]!.writing || this.sendError !== undefined) return;
    if (this.parcels.length > 1) this.parcels[0]!.absorb(this.parcels.splice(1));
    const p = this.parcels[0]!;
    p.writing = true;
    this.file.write(p.bytes, this.written);
  }

  /** The end of the write of `parcels[0]` (one callback for every write: no closure per message). */
  private readonly written = (err?: ArchwayError): void => {
    const p = this.parcels.shift()!;
    this.queued -= p.bytes.length;
    this.budget.release(p.bytes.length);
    if (err === undefined) {
      p.sent = true;
      p.settle();
      this.pump();
      return;
    }
    this.sendError ??= err;
    p.settle(err);
    this.abort(err);
  };

  /**
   * Takes `m` back if none of it was sent and nothing written after it depends on it (it is the last
   * message); else says what became of it. `state` is the index map it was written with.
   */
  withdraw(m: Outgoing, state: StoreState | undefined): Delivery {
    const p = m.parcel;
    if (p?.sent === true) return 'sent';
    if (p?.writing === true) return 'partial';
    const lastInWriter = p === undefined && this.inWriter[this.inWriter.length - 1] === m;
    const lastParcel = this.parcels[this.parcels.length - 1];
    const lastQueued = p !== undefined && this.pending === 0 && lastParcel === p && p.messages[p.messages.length - 1] === m;
    if (!lastInWriter && !lastQueued) return 'partial';
    const size = m.end - m.start;
    if (lastInWriter) {
      this.writer!.truncate(m.start);
      this.inWriter.pop();
    } else {
      p!.bytes = p!.bytes.subarray(0, m.start);
      p!.messages.pop();
      if (p!.bytes.length === 0) {
        this.parcels.pop();
        p!.settle();
      }
    }
    if (state !== undefined && m.mark !== undefined) state.rollback(m.mark);
    this.queued -= size;
    this.budget.release(size);
    return 'withdrawn';
  }

  /**
   * `Abort()`: drops every byte not yet handed to the socket and gives it back to the budget; whoever
   * waits for them to be sent gets `reason`. Returns how many bytes were dropped.
   */
  abort(reason: ArchwayError = new ERR_INVALID_STATE('the store archive was aborted: its unsent bytes were dropped')): number {
    const writing = this.parcels[0]?.writing === true ? this.parcels[0] : undefined;
    for (const p of this.parcels.splice(writing === undefined ? 0 : 1)) p.settle(reason);
    this.writer = undefined;
    this.inWriter = [];
    const kept = writing?.bytes.length ?? 0;
    const dropped = this.queued - kept;
    this.budget.release(dropped);
    this.queued = kept;
    return dropped;
  }
}
