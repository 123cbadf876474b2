/**
 * One Server-Sent Events connection on a session's journal (SPEC §1 "Browser reach"): the
 * `session` event first (the state now, without an id: it belongs to this connection), then the
 * events a reconnect missed, then every event as it comes. With `?receive=T` it also reads the
 * session's messages into the journal, one at a time, each once the connection has taken what was
 * written before (fewer than ARCHWAY_STREAM_WINDOW_BYTES waiting): a slow browser leaves the
 * messages in the session, whose socket then pauses. A connection further behind than the window
 * and the replay window together is ended: it resumes from the journal when it reconnects.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ArchwayError, ERR_INTERNAL } from '../../core/index.js';
import type { JsonForm, MessageCodec } from '../../archive/index.js';
import type { GatewayMetrics } from '../plugins/gateway-metrics.js';
import { bareProblem } from '../plugins/problem.js';
import type { SessionInfoJson } from '../sessions/session.js';
import type { EventJournal, JournalEvent } from './event-journal.js';
import type { ReaderClaim } from './reader-claim.js';

const HEARTBEAT_MS = 15_000;
/** How long an EventSource waits before it reconnects on its own. */
const RETRY_MS = 2000;

export interface EventStreamOptions {
  window: number;
  replayBytes: number;
  metrics: GatewayMetrics;
}

export class EventStream {
  private readonly res: ServerResponse;
  private readonly journal: EventJournal;
  private readonly window: number;
  private readonly cutoff: number;
  private readonly metrics: GatewayMetrics;
  private readonly offs: (() => void)[] = [];
  private readonly enders: (() => void)[] = [];
  private readonly stop = new AbortController();
  private claim: ReaderClaim | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(res: ServerResponse, journal: EventJournal, o: EventStreamOptions) {
    this.res = res;
    this.journal = journal;
    this.window = o.window;
    this.cutoff = o.window + o.replayBytes;
    this.metrics = o.metrics;
    res.on('close', () => this.end());
    // An answer pipelined behind another has no socket yet: its 'close' would not come if the client left.
    const connection = res.req.socket;
    const gone = () => this.end();
    connection.once('close', gone);
    this.offs.push(() => connection.off('close', gone));
  }

  /**
   * Sends the headers (with `headers`, those the reply had gathered: CORS's), the session's state,
   * what a reconnect after `resumeAfter` missed; then follows the journal.
   */
  start(info: SessionInfoJson, resumeAfter: number | undefined, headers: OutgoingHttpHeaders = {}): void {
    this.res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    this.write(`retry: ${RETRY_MS}\nevent: session\ndata: ${JSON.stringify(info)}\n\n`);
    if (resumeAfter !== undefined) {
      const { events, missed } = this.journal.since(resumeAfter);
      if (missed !== undefined) this.write(`event: gap\ndata: ${JSON.stringify(missed)}\n\n`);
      for (const e of events) this.write(e.text);
    }
    // Cut already (past its cutoff), or at once by a journal that has ended: nothing to follow.
    if (!this.ended) this.offs.push(this.journal.onEnd(() => this.close()));
    if (this.ended) return;
    this.offs.push(this.journal.subscribe((e: JournalEvent) => this.write(e.text)));
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Reads the session's messages as `codec` into the journal until the stream ends or reading fails. */
  read(claim: ReaderClaim, codec: MessageCodec, form: JsonForm = 'canonical'): void {
    if (this.ended) {
      claim.release();
      return;
    }
    this.claim = claim;
    void this.readLoop(claim, codec, form);
  }

  /** Another stream took the reader over: this one goes on as a watcher. */
  stopReading(): void {
    this.stop.abort();
    this.claim?.release();
  }

  /** `fn` runs once the stream has ended. */
  onEnd(fn: () => void): void {
    if (this.ended) fn();
    else this.enders.push(fn);
  }

  /** Ends the stream, then its connection (it said keep-alive): the session closed, or the gateway. */
  close(): void {
    const socket = this.res.socket;
    this.end();
    socket?.destroySoon();
  }

  private async readLoop(claim: ReaderClaim, codec: MessageCodec, form: JsonForm): Promise<void> {
    try {
      for (;;) {
        while (this.res.writableLength > this.window && !this.ended) await this.drained();
        if (this.ended || !claim.held) return;
        const ready = claim.tryRead(codec, form);
        const value = ready.done ? ready.value : await claim.read(codec, { timeoutMs: Infinity, signal: this.stop.signal, form });
        // Read means taken from the session: into the journal whatever became of this stream.
        this.journal.append('message', { type: codec.name, value });
        this.metrics.message('load');
      }
    } catch (err) {
      claim.release();
      if (this.stop.signal.aborted) return; // ended or taken over: the read was withdrawn, nothing consumed
      const e = err instanceof ArchwayError ? err : new ERR_INTERNAL();
      // A peer that closed between messages is told by the `close` event; anything else stops
      // reading with the reason, the bytes left in the session.
      if (e.code === 'PEER_CLOSED' && e.details.buffered === 0) return;
      this.write(`event: problem\ndata: ${JSON.stringify(bareProblem(e))}\n\n`);
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }

  private write(text: string): void {
    if (this.ended || this.res.writableEnded) return;
    this.res.write(text);
    // Too far behind to keep following: it resumes from the journal when it reconnects.
    if (this.res.writableLength > this.cutoff) this.close();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stopReading();
    for (const off of this.offs.splice(0)) off();
    clearInterval(this.heartbeat);
    if (!this.res.writableEnded) this.res.end();
    for (const fn of this.enders.splice(0)) fn();
  }
}
