/**
 * The bytes a load archive has received and not read yet — CArchive's own buffer, filled from its
 * socket file as chunks arrive — and the pace of the socket. Past `maxBufferedBytes` reading pauses
 * (the peer meets TCP backpressure, nothing is lost), unless the reader waiting first needs more (a
 * message larger than the cap must still arrive whole); that demand is set by the read line alone.
 * Received bytes count against the process's ByteBudget: once it is over, sessions holding more
 * than a little pause too, so a flood on one session cannot take the memory of all.
 */
import { UNBOUNDED, type ByteBudget } from '../core/index.js';
import { LoadBuffer, type DecodeResult, type JsonForm, type LoadState, type MessageCodec } from '../archive/index.js';
import type { StreamSocket } from '../sockets/index.js';
import type { SocketFile } from './socket-file.js';

/** Below this, a session keeps reading even when the budget is over: small answers keep flowing. */
const FLOOR = 64 * 1024;

export interface InboxOptions {
  /** Bytes kept before reading pauses (default 1 MiB). */
  maxBufferedBytes?: number;
  budget?: ByteBudget;
}

export class Inbox {
  private readonly buffer = new LoadBuffer();
  private readonly socket: StreamSocket;
  private readonly cap: number;
  private readonly budget: ByteBudget;
  private demand = 0;
  /** What this inbox promised its reader beyond its cap and has not received yet (in the budget). */
  private reservation = 0;
  private disposed = false;
  /** Made when the budget first squeezes this inbox (most never are: one closure less per session). */
  private onFree: (() => void) | undefined;
  /** Served after every chunk: the read line of this inbox's archive, set once it is made. */
  reader: { pump(): void } | undefined;

  constructor(file: SocketFile, options: InboxOptions) {
    this.socket = file.socket;
    this.cap = options.maxBufferedBytes ?? 1024 * 1024;
    this.budget = options.budget ?? UNBOUNDED;
    file.readInto((chunk) => {
      if (this.disposed) return;
      this.buffer.push(chunk);
      this.budget.hold(chunk.length);
      if (this.reservation > 0) this.reserve();
      this.flow();
      this.reader?.pump();
    });
  }

  /** Bytes received and not read. */
  get length(): number {
    return this.buffer.length;
  }

  /** Archive offset of the next unread byte. */
  get offset(): number {
    return this.buffer.offset;
  }

  /**
   * Whether `n` bytes may be buffered: past the cap, what is missing must fit in the budget beside
   * what other readers were promised (four reads of 64 MiB must not all be let in at once).
   */
  canHold(n: number): boolean {
    return n <= this.cap || n - this.buffer.length <= this.budget.free + this.reservation;
  }

  /** Keeps reading (past the cap if need be) until `n` bytes are buffered; 0: nobody waits. */
  want(n: number): void {
    this.demand = n;
    this.reserve();
    this.flow();
  }

  /** Promises the budget what the demand past the cap still needs, as bytes arrive or demand changes. */
  private reserve(): void {
    const missing = Math.max(0, this.demand - Math.max(this.cap, this.buffer.length));
    this.budget.reserved += missing - this.reservation;
    this.reservation = missing;
  }

  /** Takes `n` raw bytes off the front (they must be there). */
  take(n: number): Buffer {
    const bytes = this.buffer.take(n);
    this.budget.release(n);
    this.flow();
    return bytes;
  }

  /** Decodes one whole message if all of its bytes are here (consuming them), else says how many more. */
  tryDecode(codec: MessageCodec, state: LoadState, form: JsonForm = 'lossless'): DecodeResult {
    const result = this.buffer.tryDecode(codec, state, form);
    if (result.done) {
      this.budget.release(result.length);
      this.flow();
    }
    return result;
  }

  /** Pauses or resumes the socket: called after every change of the buffer, the demand or the budget. */
  private flow(): void {
    if (this.disposed) return;
    const length = this.buffer.length;
    const full = length >= Math.max(this.cap, this.demand);
    const squeezed = this.budget.over && length >= FLOOR && length >= this.demand;
    if (full || squeezed) {
      this.socket.pause();
      if (squeezed) this.budget.whenFree((this.onFree ??= () => this.flow()));
    } else {
      this.socket.resume();
    }
  }

  /** The session is gone: its bytes go back to the budget. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.onFree !== undefined) this.budget.forget(this.onFree);
    this.budget.reserved -= this.reservation;
    this.reservation = 0;
    this.budget.release(this.buffer.length);
    this.buffer.take(this.buffer.length);
  }
}
