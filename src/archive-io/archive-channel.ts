/**
 * The common use of CArchive over a CSocket (SPEC §1 "request then answer"): one load and one store
 * archive on a connected stream socket, and `exchange()` — store a request, load its answer.
 *
 * Exchanges wait in the load archive's read line with its loads and raw reads, first-in first-out,
 * with up to `pipeline` requests in flight (SPEC §3): the default 1 is lock-step, because a VC6 peer
 * building a fresh CArchive per message reads ahead and drops what follows (format §6, §9.2).
 * Answers are matched to requests by order alone, so an answer is always read even when its caller
 * gave up: it is decoded and discarded, and the next caller gets its own answer. A caller that gives
 * up learns what became of its request (`details.delivery`, SPEC §5). The requests whose turn comes
 * in one turn of the event loop go out at its end, in one send per session (send-turn.ts).
 */
import { ArchwayError, deadline, type Deadline, type WaitOptions } from '../core/index.js';
import type { JsonForm, MessageCodec, ReadOptions, TypeExpr } from '../archive/index.js';
import { ERR_INVALID_STATE, type CloseResult, type StreamSocket } from '../sockets/index.js';
import { Archive, type ArchiveOptions } from './archive.js';
import type { ReadValue } from './archive-values.js';
import type { Delivery, Outgoing } from './outbox.js';
import { outOfStepError, type Reader } from './read-line.js';
import { SocketFile } from './socket-file.js';
import { sendAtTurnEnd, type TurnSender } from './send-turn.js';
import { kGiveUp, kLine, kOutbox, kSendRequest, kSendTurn, kStoreState } from './symbols.js';

/** Requests in flight at most, per session (SPEC §3 `pipeline`). */
export const MAX_PIPELINE = 1024;

export interface ArchiveChannelOptions extends ArchiveOptions {
  /** Requests in flight at most (default 1: lock-step). */
  pipeline?: number;
}

/** What the caller of a request that failed is told about it (SPEC §5). */
function deliveryDetails(delivery: Delivery) {
  return { sent: delivery !== 'withdrawn', delivery, ...(delivery === 'partial' ? { sessionClosed: true } : {}) };
}

/** Who reads a channel's messages alone: `kind` names it in the refusals of other reads. */
export interface ReadsOwner {
  readonly kind: string;
}

export class ArchiveChannel implements TurnSender {
  readonly socket: StreamSocket;
  readonly file: SocketFile;
  readonly load: Archive;
  private storeOf: Archive | undefined;
  private readonly options: ArchiveChannelOptions;
  private flushScheduled = false;
  private closed = false;
  /**
   * Who reads this channel's messages alone, if anyone (a gateway's WebSocket or event stream, SPEC
   * §1 "Browser reach"): `read`, `readBytes` and `exchange` are then refused, since a message or an
   * answer would go to whichever of them asked first. The owner reads through `load` itself.
   */
  readsOwner: ReadsOwner | undefined;

  constructor(socket: StreamSocket, options: ArchiveChannelOptions = {}) {
    this.socket = socket;
    this.file = new SocketFile(socket);
    this.load = new Archive(this.file, 'load', options);
    this.options = options;
    this.line.window = checkPipeline(options.pipeline ?? 1);
  }

  /**
   * The store archive, made on the first store: the load archive reads from the start (the peer's
   * bytes are counted and kept), but most of a gateway's idle sessions never send (bench:sessions).
   */
  get store(): Archive {
    // The channel sends once per event-loop turn (send-turn.ts); CArchive's 4096-byte buffer would
    // split a turn's pipelined requests into several sends (measured: 21 vs 64 per send, +25%).
    return (this.storeOf ??= new Archive(this.file, 'store', { bufferSize: 64 * 1024, ...this.options }));
  }

  /** Messages stored so far. */
  get messagesOut(): number {
    return this.storeOf?.messagesOut ?? 0;
  }

  private get line() {
    return this.load[kLine]!;
  }

  /** Requests in flight at most. */
  get pipeline(): number {
    return this.line.window;
  }

  /** Changing it applies at once: a larger window lets waiting exchanges go. */
  set pipeline(n: number) {
    this.line.window = checkPipeline(n);
    this.line.pump();
  }

  /** Requests sent whose answers are not read yet (including those whose caller gave up). */
  get inFlight(): number {
    return this.line.inFlight;
  }

  /** Exchanges waiting for their turn (not yet sent). */
  get waiting(): number {
    return this.line.waiting;
  }

  /** Readers in line on the load archive: loads, raw reads and answers owed (a test waits on it). */
  get readers(): number {
    return this.line.length;
  }

  /**
   * Stores `value` as `request`, then loads one `response`. The wait covers the turn and the
   * answer; on a timeout or a cancel, `details.delivery` says what became of the request.
   */
  exchange<R extends TypeExpr | MessageCodec>(request: TypeExpr | MessageCodec, value: unknown, response: R, options: ReadOptions = {}): Promise<ReadValue<R>> {
    let req: MessageCodec;
    let res: MessageCodec;
    try {
      req = this.store.codec(request);
      res = this.load.codec(response);
      this.checkOpen();
      this.checkReads();
    } catch (err) {
      return Promise.reject(err);
    }
    const ex = new Exchange(this, res, options.form, req, value);
    // The exchange names the wait (made into text only if it fails) and hears its expiry.
    const d = deadline(options, ex);
    if (d.reason !== undefined) return Promise.reject(d.reason.with(deliveryDetails('withdrawn')));
    return new Promise<unknown>((resolve, reject) => {
      ex.start(d, resolve, reject);
      this.line.push(ex);
    }) as Promise<ReadValue<R>>;
  }

  /** An exchange's request at its turn: stored, then sent at the end of the turn's I/O. Throws VALIDATION. */
  [kSendRequest](codec: MessageCodec, value: unknown): Outgoing {
    const sent = this.store.writeMessage(codec, value);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      sendAtTurnEnd(this);
    }
    return sent;
  }

  /** The end of the turn: what the store archive holds goes out in one send (send-turn.ts). */
  [kSendTurn](): void {
    this.flushScheduled = false;
    this.storeOf?.[kOutbox]!.push(); // a send error fails the answer's read (peer gone)
  }

  /** The error for a caller that gives up on `reader`, once its request is settled one way or another. */
  [kGiveUp](reader: Reader, sent: Outgoing | undefined, err: ArchwayError): ArchwayError {
    if (this.line.withdraw(reader) || sent === undefined) return err.with(deliveryDetails('withdrawn'));
    const delivery = this.store[kOutbox]!.withdraw(sent, this.store[kStoreState]);
    if (delivery === 'withdrawn') this.line.unsend(reader);
    // Part of the request may have gone and the rest cannot be taken back alone: cut the stream so
    // that no part of a message ever reaches the peer after this answer.
    if (delivery === 'partial') this.breakConnection();
    return err.with(deliveryDetails(delivery));
  }

  /** `ar >> value` in line with the exchanges: atomic; a timeout leaves every byte for the next read. */
  read<T extends TypeExpr | MessageCodec>(type: T, options: ReadOptions = {}): Promise<ReadValue<T>> {
    if (this.readsOwner !== undefined) return Promise.reject(this.ownedError());
    return this.load.read(type, options);
  }

  /** Raw bytes in line: exactly `n`, or with `partial` whatever is there (1 to `n`) once some is. */
  readBytes(n: number, partial: boolean, options: WaitOptions = {}): Promise<Buffer> {
    if (this.readsOwner !== undefined) return Promise.reject(this.ownedError());
    return partial ? this.load.receive(n, options) : this.load.readBytes(n, options);
  }

  /**
   * Stores values and flushes them, waiting until they are handed to the kernel. On a timeout or a
   * cancel they are taken back if none went out; `details.delivery` says what became of them.
   */
  async send(write: (store: Archive) => Outgoing, options: WaitOptions = {}, what = 'sending to the peer'): Promise<number> {
    this.checkOpen();
    const m = write(this.store);
    const outbox = this.store[kOutbox]!;
    const d: Deadline = deadline(options, what);
    try {
      await d.race(outbox.sent(m));
    } catch (err) {
      // Only a caller giving up (its deadline) takes a message back; a send error is the socket's.
      if (err !== d.reason || d.reason === undefined || outbox.isSent(m)) throw err;
      const delivery = outbox.withdraw(m, this.store[kStoreState]);
      if (delivery === 'partial') this.breakConnection();
      throw d.reason.with(deliveryDetails(delivery));
    }
    return m.end - m.start;
  }

  private checkOpen(): void {
    if (this.closed) throw new ERR_INVALID_STATE('the archive channel is closed');
    const outOfStep = this.line.outOfStep;
    if (outOfStep !== undefined) throw outOfStepError();
  }

  private checkReads(): void {
    if (this.readsOwner !== undefined) throw this.ownedError();
  }

  private ownedError(): ArchwayError {
    return new ERR_INVALID_STATE(`the messages of this session go to its ${this.readsOwner?.kind ?? 'reader'} (one reader per session): close that to load, read or exchange here; stores are open`);
  }

  /** Drops the connection at once: a partial message must not be completed later. */
  private breakConnection(): void {
    this.closed = true;
    this.storeOf?.abort();
    this.socket.destroy();
  }

  /**
   * Flushes the store archive within `graceMs` (the rest is dropped and counted), fails every
   * exchange and read still waiting, and gives the buffered bytes back. The socket stays open.
   */
  async close(graceMs: number): Promise<CloseResult> {
    this.closed = true;
    let flushed = true;
    const store = this.storeOf;
    if (store !== undefined) {
      try {
        await store.close({ timeoutMs: graceMs });
      } catch {
        flushed = false;
      }
    }
    const unsentBytes = store?.abort() ?? 0;
    this.line.failAll(new ERR_INVALID_STATE('the session was closed'));
    this.load.dispose();
    return { flushed: flushed && unsentBytes === 0, unsentBytes };
  }
}

function checkPipeline(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PIPELINE) {
    throw new ERR_INVALID_STATE(`pipeline must be an integer from 1 to ${MAX_PIPELINE}, got ${n}`);
  }
  return n;
}

/**
 * One exchange in the read line: its request goes out at its turn (`send`), its answer settles the
 * caller's promise, and it is its own deadline's listener and name. A class rather than closures:
 * no function, listener array or message text made per exchange (each closure first-called through
 * V8's lazy-compile stub; a waiting exchange's objects are what young collections copy).
 */
class Exchange implements Reader {
  /** Set by the read line once the request went out. */
  sent?: boolean;
  /** The request in the outbox, once stored: what a caller who gives up asks about. */
  request: Outgoing | undefined;
  private d: Deadline | undefined;
  private done: ((value: unknown) => void) | undefined;
  private fail: ((err: unknown) => void) | undefined;

  constructor(
    private readonly channel: ArchiveChannel,
    readonly codec: MessageCodec,
    readonly form: JsonForm | undefined,
    private readonly requestCodec: MessageCodec,
    private readonly value: unknown,
  ) {}

  /** Joins the wait: its deadline and its caller's promise. */
  start(d: Deadline, done: (value: unknown) => void, fail: (err: unknown) => void): void {
    this.d = d;
    this.done = done;
    this.fail = fail;
    d.onExpire(this);
  }

  /** The wait, in the words of a TIMEOUT or ABORTED error. */
  toString(): string {
    return `the answer (${this.codec.name}) to ${this.requestCodec.name}`;
  }

  /** The deadline expired or the caller aborted: the caller hears what became of the request. */
  expired(err: ArchwayError): void {
    this.fail!(this.channel[kGiveUp](this, this.request, err));
  }

  /** Validation fails here, before a byte is buffered: nothing was sent, the turn passes on. */
  send(): void {
    this.request = this.channel[kSendRequest](this.requestCodec, this.value);
  }

  resolve(value: unknown): void {
    this.d!.dispose();
    this.done!(value);
  }

  reject(err: unknown): void {
    this.d!.dispose();
    this.fail!(err);
  }
}
