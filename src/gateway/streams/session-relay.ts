/**
 * A session's WebSocket (SPEC §1 "Browser reach"), what both modes share: frames from the browser
 * are stored on the session, and what the peer sends is pushed to the browser — each way with
 * backpressure bounded by ARCHWAY_STREAM_WINDOW_BYTES, and nothing lost:
 * - to the browser: the next message (or chunk) is taken from the session's read line only while
 *   fewer than the window's bytes of frames are on their way (`ws.send` calls back once its bytes
 *   are written); until then the bytes stay in the session, whose socket pauses when its own
 *   buffer fills — a slow browser slows the peer down through TCP;
 * - to the peer: past the window of bytes stored and not yet taken by the kernel, the WebSocket
 *   stops reading frames (`ws.pause()`), so a slow peer slows the browser down through TCP.
 * A frame received is stored whatever happens to the WebSocket after it (no cancel on close); a
 * message read is one the browser gets unless it goes away while the frame is on its way.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { ArchwayError, ERR_INTERNAL } from '../../core/index.js';
import type { Archive, ArchiveChannel, Outgoing } from '../../archive-io/index.js';
import type { CloseInfo } from '../../sockets/index.js';
import type { GatewayMetrics } from '../plugins/gateway-metrics.js';
import type { Session } from '../sessions/session.js';
import { CLOSE, failureClose, type Closing } from './close-codes.js';
import { errorFrame } from './json-frames.js';
import type { ReaderClaim } from './reader-claim.js';

export interface RelayOptions {
  ws: WebSocket;
  session: Session;
  channel: ArchiveChannel;
  /** The session's reads, when this WebSocket pushes what the peer sends. */
  reader: ReaderClaim | undefined;
  /** ARCHWAY_STREAM_WINDOW_BYTES. */
  window: number;
  metrics: GatewayMetrics;
  log: FastifyBaseLogger;
  /** Runs once the WebSocket has closed (the session's WebSocket and hold are released). */
  onEnd: () => void;
}

/** What a relay pushes to the browser: a frame, or nothing more (the relay closed). */
export type Push = { data: string | Buffer; binary: boolean } | undefined;

export abstract class SessionRelay {
  protected readonly ws: WebSocket;
  protected readonly session: Session;
  protected readonly channel: ArchiveChannel;
  protected readonly reader: ReaderClaim | undefined;
  /** Aborts the pending read when the relay ends: a read withdrawn consumes nothing. */
  protected readonly stop = new AbortController();
  protected readonly log: FastifyBaseLogger;
  protected readonly metrics: GatewayMetrics;
  /** Whether failures are told in error frames before the close (JSON mode; binary mode carries bytes only). */
  protected abstract readonly errorFrames: boolean;
  /** Frames received from the browser (error frames name them by this count). */
  protected frames = 0;
  private readonly window: number;
  private toBrowser = 0;
  private toPeer = 0;
  private wake: (() => void) | undefined;
  private closing = false;
  private ended = false;
  private readonly onEnd: () => void;
  private readonly onSocketClose = (info: CloseInfo) => this.socketClosed(info);

  constructor(o: RelayOptions) {
    this.ws = o.ws;
    this.session = o.session;
    this.channel = o.channel;
    this.reader = o.reader;
    this.window = o.window;
    this.log = o.log;
    this.metrics = o.metrics;
    this.onEnd = o.onEnd;
    this.ws.on('message', (data: Buffer, isBinary: boolean) => this.frame(data, isBinary));
    this.ws.once('close', () => this.end());
    this.channel.socket.on('close', this.onSocketClose);
  }

  /** Starts pushing what the peer sends (when this WebSocket reads the session). */
  start(): void {
    if (this.reader !== undefined) void this.pump();
  }

  /** Closes the WebSocket (once): reads stop at once, so nothing more is taken from the session. */
  close(closing: Closing, error?: ArchwayError): void {
    if (this.closing) return;
    this.closing = true;
    this.stop.abort();
    this.reader?.release();
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (error !== undefined && this.errorFrames) this.ws.send(errorFrame(error));
    this.ws.close(closing.code, closing.reason);
  }

  /** One frame from the browser. */
  protected abstract frame(data: Buffer, isBinary: boolean): void;

  /** The next frame for the browser, read from the session (waits for the peer). */
  protected abstract next(): Promise<Push>;

  /** An error frame naming frame `n`; the WebSocket stays open. */
  protected reject(err: unknown, n: number): void {
    const e = err instanceof ArchwayError ? err : this.internal(err);
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(errorFrame(e, n));
  }

  /**
   * Stores one message (or raw bytes) on the session: `write` encodes it into the store archive
   * now, all or nothing, in the order frames came; it goes to the peer as the socket takes it.
   * `failed` gets what went wrong (a bad value: nothing of it was stored).
   */
  protected store(write: (store: Archive) => Outgoing, failed: (err: unknown) => void): void {
    let size = 0;
    const sent = this.channel.send((store) => {
      const m = write(store);
      size = m.end - m.start;
      return m;
    }, { timeoutMs: Infinity }, 'sending a WebSocket frame to the peer');
    this.toPeer += size;
    if (this.toPeer > this.window) this.ws.pause();
    sent.then(
      () => {
        this.metrics.message('store');
        this.stored(size);
      },
      (err: unknown) => {
        this.stored(size);
        failed(err);
      },
    );
  }

  private stored(size: number): void {
    this.toPeer -= size;
    if (this.toPeer <= this.window) this.ws.resume();
  }

  /** Pushes the peer's messages while the window has room; ends with the reason the reads stopped. */
  private async pump(): Promise<void> {
    try {
      for (;;) {
        while (this.toBrowser > this.window && !this.closing) await new Promise<void>((resolve) => (this.wake = resolve));
        if (this.closing) return;
        const push = await this.next();
        if (push === undefined || this.closing) return;
        const size = push.data.length;
        this.toBrowser += size;
        this.metrics.message('load');
        this.ws.send(push.data, { binary: push.binary }, () => {
          this.toBrowser -= size;
          const wake = this.wake;
          this.wake = undefined;
          wake?.();
        });
      }
    } catch (err) {
      if (this.closing) return; // the read was withdrawn because the WebSocket closed
      const e = err instanceof ArchwayError ? err : this.internal(err);
      // A peer that closed between messages, or a session closed, need no more than the close code.
      const clean = (e.code === 'PEER_CLOSED' && e.details.buffered === 0) || e.code === 'INVALID_STATE';
      this.close(failureClose(e), clean ? undefined : e);
    }
  }

  /** The session's socket closed: by the session's close now; by the peer when nothing reads (else the reads say it, after every whole message). */
  private socketClosed(info: CloseInfo): void {
    if (info.reason === 'local') this.close({ code: CLOSE.SESSION_CLOSED, reason: 'SESSION_CLOSED' });
    else if (this.reader === undefined) this.close(info.reason === 'graceful' ? { code: CLOSE.PEER_CLOSED, reason: 'PEER_CLOSED' } : { code: CLOSE.PEER_RESET, reason: 'PEER_RESET' });
  }

  private internal(err: unknown): ArchwayError {
    this.log.error({ err, session: this.session.name }, 'WebSocket relay failed');
    return new ERR_INTERNAL();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.closing = true;
    this.stop.abort();
    this.reader?.release();
    this.channel.socket.off('close', this.onSocketClose);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
    this.onEnd();
  }
}
