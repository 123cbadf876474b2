/**
 * The one line of readers of a load archive: loads, raw reads and the answers owed to exchanges, in
 * the order they were asked, served straight from the inbox whenever bytes arrive — one synchronous
 * pass decodes every reader whose message is complete (MFC's `do { ar >> msg; } while
 * (!ar.IsBufferEmpty())` in `OnReceive`), with no promise per wait. Each read is atomic (all of a
 * message or nothing). The line is also where exchanges wait for their turn: an exchange's request
 * is sent when every exchange before it was, and fewer than `window` answers are owed (SPEC §3
 * `pipeline`). The line alone says how many bytes it waits for (the inbox's demand).
 *
 * A reader whose caller gives up leaves the line untouched if it has not started; an answer owed to
 * a request already sent stays in line, is read when it comes and discarded, so the next caller
 * never gets someone else's answer.
 */
import { ERR_OVERLOADED, type ArchwayError } from '../core/index.js';
import type { JsonForm, LoadState, MessageCodec } from '../archive/index.js';
import { ERR_INVALID_STATE, type StreamSocket } from '../sockets/index.js';
import type { Inbox } from './inbox.js';
import { settleAfterSends } from './send-turn.js';
import { kStateForRead } from './symbols.js';

/** What a caller hears while the first bytes in the stream are an answer that did not decode. */
export function outOfStepError(): ArchwayError {
  return new ERR_INVALID_STATE(
    'an earlier answer did not decode and is still first in the stream: load it with the right type or read its bytes raw, or close the session',
  ).with({ outOfStep: true });
}

/** Where the line gets the load state a message is read with (its archive: the object table, per lifetime). */
export interface LoadStates {
  [kStateForRead](): LoadState;
}

export interface Reader {
  /** A message of `codec`, or raw bytes: exactly `bytes`, or (partial) 1 to `bytes`. */
  readonly codec?: MessageCodec;
  readonly bytes?: number;
  readonly partial?: boolean;
  /** The JSON form of the message's value (lossless unless asked). */
  readonly form?: JsonForm;
  /** An exchange's answer: sends its request when the line lets it (may throw: nothing was sent). */
  readonly send?: () => void;
  /** Set once the request went out: from then on the answer is owed and stays in line. */
  sent?: boolean;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export class ReadLine {
  private readonly line: Reader[] = [];
  /** Exchanges in line whose requests have not gone out yet, in order. */
  private readonly unsent: Reader[] = [];
  /** Answers owed to requests sent. */
  private owed = 0;
  private pumping = false;
  /** Answers owed at most (the session's pipeline). */
  window = 1;
  /** Messages decoded for readers of this line (loads and answers). */
  decoded = 0;
  /**
   * Set when an exchange's answer does not decode: its bytes stay first in the inbox, so every later
   * answer would be read out of step. Exchanges are refused until a load or raw read consumes
   * something (the caller resynchronises) — never a stale answer to the next caller.
   */
  outOfStep: ArchwayError | undefined;

  constructor(
    private readonly inbox: Inbox,
    private readonly socket: StreamSocket,
    private readonly states: LoadStates,
  ) {
    socket.on('close', () => this.pump());
  }

  /** Readers in line (answers owed included). */
  get length(): number {
    return this.line.length;
  }

  /** Answers owed to requests sent, whose callers may have given up. */
  get inFlight(): number {
    return this.owed;
  }

  /** Exchanges waiting for their turn to send. */
  get waiting(): number {
    return this.unsent.length;
  }

  push(reader: Reader): void {
    this.line.push(reader);
    if (reader.send !== undefined) this.unsent.push(reader);
    this.pump();
  }

  /** Takes `reader` out of line if it has not started (nothing was read or sent for it). */
  withdraw(reader: Reader): boolean {
    if (reader.sent === true) return false;
    const i = this.line.indexOf(reader);
    if (i < 0) return false;
    this.line.splice(i, 1);
    const u = this.unsent.indexOf(reader);
    if (u >= 0) this.unsent.splice(u, 1);
    if (i === 0) this.pump(); // the next one may be servable now
    return true;
  }

  /** Forgets an answer whose request was taken back before any byte of it went out. */
  unsend(reader: Reader): void {
    const i = this.line.indexOf(reader);
    if (i < 0) return;
    this.line.splice(i, 1);
    this.owed--;
    this.pump();
  }

  /** Serves the line from the inbox as far as the bytes go, sending requests as their turn comes. */
  pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        this.sendInTurn();
        const head = this.line[0];
        if (head === undefined) break;
        if (head.send !== undefined && head.sent !== true) break; // a window of 0: nothing may go
        if (!this.serve(head)) return;
      }
      this.inbox.want(0);
    } finally {
      this.pumping = false;
    }
  }

  /** Sends the requests whose turn has come: in order, while fewer than `window` answers are owed. */
  private sendInTurn(): void {
    while (this.unsent.length > 0 && this.owed < this.window) {
      const r = this.unsent.shift()!;
      r.sent = true;
      this.owed++;
      try {
        r.send!();
      } catch (err) {
        // Refused before a byte was buffered (a bad value): nothing was sent, the turn passes on.
        r.sent = false;
        this.owed--;
        this.line.splice(this.line.indexOf(r), 1);
        r.reject(err);
      }
    }
  }

  /** Tries the head reader: true when it was settled (the next one may be served), false to wait. */
  private serve(head: Reader): boolean {
    const inbox = this.inbox;
    let value: unknown;
    let need: number;
    try {
      if (head.codec !== undefined) {
        const r = inbox.tryDecode(head.codec, this.states[kStateForRead](), head.form);
        if (r.done) value = r.value;
        need = r.done ? 0 : Math.max(1, r.need);
      } else {
        const want = head.partial === true ? 1 : head.bytes!;
        need = inbox.length >= want ? 0 : want - inbox.length;
        if (need === 0) value = inbox.take(Math.min(head.bytes!, inbox.length));
      }
    } catch (err) {
      // The bytes do not decode (nothing was consumed). A load fails alone and the next read tries
      // the same bytes; an answer that cannot be read puts every answer after it out of step.
      if (head.sent === true) {
        // Its caller hears why; those behind it hear that the stream is out of step, not an
        // error about bytes that were never theirs.
        this.outOfStep = err as ArchwayError;
        this.line.shift();
        head.reject(err);
        this.failAll(outOfStepError());
        return false;
      }
      this.line.shift();
      head.reject(err);
      return true;
    }
    if (need === 0) {
      this.line.shift();
      if (head.codec !== undefined) this.decoded++;
      // A caller that gave up was answered already: settling again changes nothing for it.
      if (head.sent === true) {
        this.owed--;
        // The request this answer lets go is stored first, so that it goes out before the answer is told.
        this.sendInTurn();
        settleAfterSends(head, value);
      } else {
        this.outOfStep = undefined;
        head.resolve(value);
      }
      return true;
    }
    const socket = this.socket;
    if (socket.state === 'closed') {
      this.failAll(new ERR_INVALID_STATE('the socket was closed'));
      return false;
    }
    if (socket.peerClosed !== undefined) {
      if (head.partial === true && socket.peerClosed.reason === 'graceful') {
        this.line.shift();
        head.resolve(Buffer.alloc(0)); // Receive returns 0 at a graceful end
        return true;
      }
      this.failAll(socket.peerClosedError(inbox.length + need, inbox.length));
      return false;
    }
    const total = inbox.length + need;
    if (!inbox.canHold(total)) {
      const err = new ERR_OVERLOADED(`waiting for ${total} bytes would pass the gateway's memory limit (ARCHWAY_MAX_MEMORY_BYTES)`);
      if (head.sent === true) {
        this.outOfStep = err;
        this.failAll(err);
        return false;
      }
      this.line.shift();
      head.reject(err);
      return true;
    }
    inbox.want(total);
    return false;
  }

  /** Fails every reader (answers owed included) and every exchange not yet sent. */
  failAll(err: unknown): void {
    this.unsent.length = 0;
    this.owed = 0;
    for (const r of this.line.splice(0)) r.reject(err);
    this.inbox.want(0);
  }
}
