/**
 * The reads a channel owes its callers — exchange answers, loads, raw reads — in one first-in
 * first-out line, served straight from the socket's buffer whenever bytes arrive: one synchronous
 * pass decodes every answer that is complete (MFC's `do { ar >> msg; } while (!ar.IsBufferEmpty())`
 * in `OnReceive`), with no promise per wait. Each decode is atomic (all of a message or nothing).
 * A load whose caller gives up leaves the line untouched; an exchange answer stays owed, is read
 * when it comes and discarded (its request was sent: the next caller must not get it).
 */
import type { MessageCodec } from '../archive/index.js';
import type { Archive } from './archive.js';
import { ERR_INVALID_STATE } from './errors.js';
import type { StreamSocket } from './stream-socket.js';

export interface Owed {
  /** A message of `codec`, or raw bytes: exactly `bytes`, or (partial) 1 to `bytes`. */
  codec?: MessageCodec;
  bytes?: number;
  partial?: boolean;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  /** The answer to a request already sent (an exchange), rather than a read of what comes. */
  answer?: boolean;
}

export class AnswerQueue {
  private readonly line: Owed[] = [];
  private pumping = false;
  /**
   * Set when an exchange's answer does not decode: its bytes stay first in the buffer, so every
   * later answer would be read out of step. Exchanges are refused until a load or raw read
   * consumes something (the caller resynchronises) — never a stale answer to the next caller.
   */
  outOfStep: unknown;
  private readonly socket: StreamSocket;
  private readonly load: Archive;

  constructor(socket: StreamSocket, load: Archive) {
    this.socket = socket;
    this.load = load;
    const pump = () => this.pump();
    socket.on('receive', pump);
    socket.on('close', pump);
  }

  push(owed: Owed): void {
    this.line.push(owed);
    if (this.line.length === 1) this.pump();
  }

  /** Takes `owed` out of the line if it is still waiting (a load that timed out). */
  withdraw(owed: Owed): boolean {
    const i = this.line.indexOf(owed);
    if (i < 0) return false;
    this.line.splice(i, 1);
    if (i === 0) this.pump(); // the next one may be servable now
    return true;
  }

  /** Serves the line from the buffer as far as the bytes go. */
  pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      const socket = this.socket;
      while (this.line.length > 0) {
        const head = this.line[0]!;
        let value: unknown;
        let need: number;
        try {
          if (head.codec !== undefined) {
            const r = this.load.tryRead(head.codec);
            if (r.done) value = r.value;
            need = r.done ? 0 : Math.max(1, r.need);
          } else {
            const want = head.partial === true ? 1 : head.bytes!;
            need = socket.buffer.length >= want ? 0 : want - socket.buffer.length;
            if (need === 0) value = socket.take(Math.min(head.bytes!, socket.buffer.length));
          }
        } catch (err) {
          // The bytes do not decode (nothing was consumed). A load fails alone and the next read
          // tries the same bytes; an exchange answer that cannot be read puts every answer after
          // it out of step, so they all fail.
          if (head.answer === true) {
            this.outOfStep = err;
            return this.failAll(err);
          }
          this.line.shift();
          head.reject(err);
          continue;
        }
        if (need === 0) {
          this.line.shift();
          if (head.answer !== true) this.outOfStep = undefined;
          // A caller that gave up was answered already: settling again changes nothing for it, and
          // lets the exchange free its pipeline slot.
          head.resolve(value);
          continue;
        }
        if (socket.state === 'closed') return this.failAll(new ERR_INVALID_STATE('the socket was closed'));
        if (socket.peerClosed !== undefined) {
          if (head.partial === true && socket.peerClosed.reason === 'graceful') {
            this.line.shift();
            head.resolve(Buffer.alloc(0)); // Receive returns 0 at a graceful end
            continue;
          }
          return this.failAll(socket.peerClosedError(socket.buffer.length + need));
        }
        socket.want(socket.buffer.length + need);
        return;
      }
      socket.want(0);
    } finally {
      this.pumping = false;
    }
  }

  failAll(err: unknown): void {
    for (const owed of this.line.splice(0)) owed.reject(err);
  }
}
