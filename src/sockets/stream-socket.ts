/**
 * `CSocket` / `CAsyncSocket` with `SOCK_STREAM` (format §8.2–8.6) on Node's `net`: create, listen,
 * accept, connect, send, receive, shut down, close — awaited instead of pumped, every wait bounded.
 * A byte transport and nothing more: received bytes go, chunk by chunk, to the one reader that
 * `consume`s the socket (a load archive, or `receive()`), which paces it with `pause`/`resume` —
 * until a reader comes, the bytes wait in the kernel, as they do for a CSocket nobody reads. The
 * `CAsyncSocket` notifications are events: `accept`, `receive`, `connect`, `send`, `close`.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { Deadline, deadline, type ArchwayError, type WaitOptions } from '../core/index.js';
import { ERR_INVALID_STATE, ERR_PEER_CLOSED } from './errors.js';
import { bindAddress, checkPort, formatTarget, resolveHost } from './host-address.js';
import { PendingSends } from './pending-sends.js';
import { probeBind } from './probe-bind.js';
import { ReceiveQueue } from './receive-queue.js';
import type { ByteSink, CloseInfo, CloseResult, StreamSocketEvents, StreamSocketOptions, StreamState } from './stream-socket-types.js';
import { CLOSE_GRACE_MS, closeTcp, listenTcp } from './tcp-lifecycle.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, connectTcp, type ConnectOptions } from './tcp-connect.js';
import { WaitQueue } from './wait-queue.js';
import { socketError } from './winsock.js';

export type { ByteSink, CloseInfo, CloseResult, StreamSocketEvents, StreamSocketOptions, StreamState } from './stream-socket-types.js';

const DEFAULT_MAX_BUFFERED = 1024 * 1024;
const NOT_YET: CloseResult = { flushed: true, unsentBytes: 0 };

export class StreamSocket extends EventEmitter<StreamSocketEvents> {
  readonly kind = 'stream' as const;
  state: StreamState = 'created';
  /** Set once the peer closed or reset the connection; bytes already received stay readable. */
  peerClosed: CloseInfo | undefined;
  bytesIn = 0;
  bytesOut = 0;
  private readonly bindPort: number;
  private readonly bindHost: string | undefined;
  private readonly listenHost: string;
  private readonly maxBuffered: number;
  private sock: net.Socket | undefined;
  private server: net.Server | undefined;
  private backlog = 5;
  private pending: StreamSocket[] = [];
  private readonly acceptWaiters = new WaitQueue<StreamSocket>();
  private sink: ByteSink | undefined;
  private reading = false;
  /** Made by `connect`: its reads arrive through `deliver`, not as 'data' events (tcp-connect.ts). */
  private staticReads = false;
  private paused = false;
  private received: ReceiveQueue | undefined;
  private receiveWaiters: WaitQueue<Buffer> | undefined;
  private sendsShut = false;
  private closing: Promise<CloseResult> | undefined;
  /** Sends not yet handed to the kernel: failed when the connection is dropped under them. */
  /** Made on the first send: an idle session's socket holds none (bench:sessions). */
  private unsent: PendingSends | undefined;
  private readonly closeHooks: ((d: Deadline) => Promise<void>)[] = [];

  private constructor(options: StreamSocketOptions, port: number) {
    super();
    this.bindPort = port;
    this.bindHost = options.address;
    this.listenHost = options.address ?? options.listenAddress ?? '0.0.0.0';
    this.maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
  }

  /**
   * `CSocket::Create(nPort, SOCK_STREAM, address)`. MFC binds here, so a port in use fails now with
   * ADDRESS_IN_USE (WSAEADDRINUSE); Node binds a TCP socket only when it listens or connects, so
   * the port is probed here and bound for good by `listen`/`connect`.
   */
  static async create(options: StreamSocketOptions = {}): Promise<StreamSocket> {
    const port = checkPort(options.port ?? 0);
    if (options.address !== undefined) bindAddress(options.address, '0.0.0.0');
    if (options.listenAddress !== undefined) bindAddress(options.listenAddress, '0.0.0.0');
    if (port !== 0 || options.address !== undefined) await probeBind(options.address ?? options.listenAddress ?? '0.0.0.0', port);
    return new StreamSocket(options, port);
  }

  /** An accepted connection (`Accept`'s target: never created by the caller, seed note 5). */
  private static accepted(sock: net.Socket, maxBuffered: number): StreamSocket {
    const s = new StreamSocket({ maxBufferedBytes: maxBuffered }, 0);
    s.attach(sock);
    return s;
  }

  get localAddress(): string | undefined {
    return this.sock?.localAddress ?? (this.server?.address() as net.AddressInfo | null)?.address ?? this.bindHost;
  }

  get localPort(): number | undefined {
    return this.sock?.localPort ?? (this.server?.address() as net.AddressInfo | null)?.port ?? (this.bindPort || undefined);
  }

  get remoteAddress(): string | undefined {
    return this.sock?.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.sock?.remotePort;
  }

  /** Connections accepted by the kernel and not yet taken by `accept()`. */
  get pendingConnections(): number {
    return this.pending.length;
  }

  /** Bytes handed to `send` that have not reached the kernel yet. */
  get unsentBytes(): number {
    return this.sock?.writableLength ?? 0;
  }

  /** `Listen(nConnectionBacklog = 5)`. */
  async listen(backlog = 5): Promise<void> {
    this.expectState('created', 'listen');
    if (!Number.isInteger(backlog) || backlog < 1) throw new ERR_INVALID_STATE(`backlog must be a positive integer, got ${backlog}`);
    const server = await listenTcp(this.listenHost, this.bindPort, backlog);
    this.server = server;
    this.backlog = backlog;
    this.state = 'listening';
    server.on('error', () => undefined); // errors after listening surface on the accepted sockets
    server.on('connection', (sock) => this.onConnection(sock));
  }

  private onConnection(sock: net.Socket): void {
    // Node accepts at once; MFC leaves at most `backlog` connections queued and refuses the rest.
    if (this.pending.length >= this.backlog || this.state !== 'listening') {
      sock.resetAndDestroy();
      return;
    }
    this.pending.push(StreamSocket.accepted(sock, this.maxBuffered));
    this.emit('accept');
    this.acceptWaiters.wake();
  }

  /** `Accept(rConnectedSocket)`: resolves to a new connected socket. */
  accept(options: WaitOptions = {}): Promise<StreamSocket> {
    if (this.state !== 'listening') return Promise.reject(this.stateError('accept'));
    return this.acceptWaiters.wait(() => {
      const next = this.pending.shift();
      if (next !== undefined) return next;
      if (this.state !== 'listening') throw this.stateError('accept');
      return undefined;
    }, deadline(options, 'accept'));
  }

  /**
   * `Connect(lpszHostAddress, nHostPort)`: a dotted address is used directly, anything else is
   * looked up as a host name (format §8.2); the guard in `options` may refuse either.
   */
  async connect(host: string, port: number, options: ConnectOptions = {}): Promise<void> {
    this.expectState('created', 'connect');
    checkPort(port, false);
    this.state = 'connecting';
    const d = deadline(options, `connecting to ${formatTarget(host, port)}`, DEFAULT_CONNECT_TIMEOUT_MS);
    try {
      const target = await d.child('looking the host up').race(resolveHost(host, port, options));
      const sock = await connectTcp(target, port, d, { localAddress: this.bindHost, localPort: this.bindPort || undefined }, this.receiver());
      if (this.state !== 'connecting') {
        sock.destroy();
        throw this.stateError('connect');
      }
      this.staticReads = true;
      this.attach(sock);
      this.emit('connect');
    } catch (err) {
      d.dispose();
      if (this.state === 'connecting') this.state = 'created';
      this.emit('connect', err as ArchwayError);
      throw err;
    }
  }

  private attach(sock: net.Socket): void {
    this.sock = sock;
    this.state = 'connected';
    sock.setNoDelay(true);
    sock.on('end', () => this.peerEnded({ reason: 'graceful' }));
    sock.on('error', (err) => {
      const e = socketError(err, this.peerName());
      this.peerEnded({ reason: 'reset', wsa: e.details.wsa });
    });
    sock.on('close', () => this.peerEnded({ reason: 'reset', wsa: 'WSAECONNRESET' }));
    sock.on('drain', () => this.emit('send'));
    if (this.sink !== undefined) this.startReading();
    // FD_WRITE is posted once a connection is established (format §8.3).
    queueMicrotask(() => this.emit('send'));
  }

  /**
   * Makes `sink` the one reader of this socket's bytes: every chunk goes to it as it arrives, and
   * it paces the socket with `pause`/`resume`. A second reader is refused (INVALID_STATE).
   */
  consume(sink: ByteSink): void {
    if (this.sink !== undefined) {
      throw new ERR_INVALID_STATE('this socket already has a reader (an archive or receive()): its bytes cannot go to two');
    }
    this.sink = sink;
    if (this.sock !== undefined) this.startReading();
  }

  private startReading(): void {
    const sock = this.sock!;
    if (this.reading) return;
    this.reading = true;
    // A connected socket's reads come through `deliver` (tcp-connect.ts); an accepted one's as events.
    if (!this.staticReads) sock.on('data', (chunk: Buffer) => this.deliver(chunk));
    if (!this.paused) sock.resume();
  }

  /** `deliver` as a function holding only this socket (not the scope of the connect that made it). */
  private receiver(): (chunk: Buffer) => void {
    return (chunk) => this.deliver(chunk);
  }

  private deliver(chunk: Buffer): void {
    this.bytesIn += chunk.length;
    this.sink!(chunk);
    this.emit('receive', chunk.length);
  }

  /** Stops reading: the peer meets TCP backpressure (nothing is lost). */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.sock?.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.reading) this.sock?.resume();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  private peerEnded(info: CloseInfo): void {
    if (this.peerClosed !== undefined || this.state === 'closed') return;
    this.peerClosed = info;
    this.receiveWaiters?.wake();
    this.emit('close', info);
  }

  /** `ip:port` of the peer, for messages. */
  peerName(): string {
    return this.sock?.remoteAddress ? formatTarget(this.sock.remoteAddress, this.sock.remotePort ?? 0) : 'the peer';
  }

  /**
   * `CAsyncSocket::Receive`: up to `max` bytes once at least one is there; an empty buffer when the
   * peer closed gracefully with nothing left (MFC returns 0). Makes `receive` this socket's reader.
   */
  receive(max: number, options: WaitOptions = {}): Promise<Buffer> {
    if (this.received === undefined) {
      const queue = new ReceiveQueue();
      const waiters = new WaitQueue<Buffer>();
      this.consume((chunk) => {
        queue.push(chunk);
        if (queue.length >= this.maxBuffered) this.pause();
        waiters.wake();
      });
      this.received = queue;
      this.receiveWaiters = waiters;
    }
    const queue = this.received;
    return this.receiveWaiters!.wait(() => {
      if (queue.length > 0) {
        const bytes = queue.take(max);
        if (queue.length < this.maxBuffered) this.resume();
        return bytes;
      }
      if (this.state === 'closed') throw new ERR_INVALID_STATE('the socket was closed');
      if (this.peerClosed?.reason === 'graceful') return Buffer.alloc(0);
      if (this.peerClosed !== undefined) throw this.peerClosedError(1, 0);
      if (this.state !== 'connected') throw this.stateError('receive');
      return undefined;
    }, deadline(options, `receiving from ${this.peerName()}`));
  }

  /** The error of a read needing `needed` bytes when `buffered` are there and the peer has gone. */
  peerClosedError(needed: number, buffered: number): ArchwayError {
    const info: CloseInfo = this.peerClosed ?? { reason: 'reset' };
    const how = info.reason === 'graceful' ? 'closed the connection' : 'reset the connection';
    const err = new ERR_PEER_CLOSED(`the peer ${how} with ${buffered} byte(s) received and not read; ${needed} were needed`);
    // A graceful close mid-value is CArchiveException endOfFile in MFC; a reset is a Winsock error.
    return info.reason === 'graceful'
      ? err.with({ reason: 'graceful', archiveCause: 'endOfFile', buffered })
      : err.with({ reason: 'reset', wsa: info.wsa ?? 'WSAECONNRESET', buffered });
  }

  /** `CSocket::Send`: all of `data`, resolved once it is handed to the kernel. */
  send(data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.write(data, (err) => (err === undefined ? resolve() : reject(err))));
  }

  /**
   * `send` without a promise (the hot path of a store archive): `done` runs once `data` is handed to
   * the kernel, or with the error that kept it from getting there.
   */
  write(data: Uint8Array, done: (err?: ArchwayError) => void): void {
    const sock = this.sock;
    if (this.state !== 'connected' || sock === undefined) return done(this.stateError('send'));
    if (this.sendsShut) return done(new ERR_INVALID_STATE('sends were shut down on this socket').with({ wsa: 'WSAESHUTDOWN' }));
    if (this.peerClosed?.reason === 'reset' || sock.destroyed) {
      return done(new ERR_PEER_CLOSED(`cannot send: the connection with ${this.peerName()} was reset`).with({ wsa: 'WSAECONNRESET' }));
    }
    this.bytesOut += data.length;
    const unsent = (this.unsent ??= new PendingSends(
      (n) => this.emit('sent', n),
      (err) => socketError(err, this.peerName()),
    ));
    unsent.add(done, data.length);
    sock.write(data, unsent.written);
  }

  /** `ShutDown(nHow)`: `sends` sends a FIN, `receives` stops reading, `both` does both. */
  shutDown(how: 'receives' | 'sends' | 'both' = 'sends'): void {
    const sock = this.sock;
    if (this.state !== 'connected' || sock === undefined) throw this.stateError('shut down');
    if (how !== 'receives' && !this.sendsShut) {
      this.sendsShut = true;
      sock.end();
    }
    if (how !== 'sends') this.pause();
  }

  /**
   * Runs before the socket closes, within the close's grace period (store archives flush here).
   * Returns the unregister function.
   */
  onBeforeClose(hook: (d: Deadline) => Promise<void>): () => void {
    this.closeHooks.push(hook);
    return () => {
      const i = this.closeHooks.indexOf(hook);
      if (i >= 0) this.closeHooks.splice(i, 1);
    };
  }

  /**
   * `Close()`: flushes attached store archives, then closes gracefully — all within `graceMs`;
   * past it the connection is dropped, and the result says how many bytes did not go out.
   * Idempotent.
   */
  close(graceMs = CLOSE_GRACE_MS): Promise<CloseResult> {
    this.closing ??= this.doClose(graceMs);
    return this.closing;
  }

  /** Drops the connection at once (a reset): bytes not yet handed to the kernel are lost, and counted. */
  destroy(): CloseResult {
    const result: CloseResult = { flushed: this.unsentBytes === 0, unsentBytes: this.unsentBytes };
    if (this.closing !== undefined) return result;
    this.closing = Promise.resolve(result);
    this.closeHooks.length = 0;
    this.shutAll();
    this.failUnsent(result.unsentBytes);
    this.sock?.resetAndDestroy();
    this.emit('close', { reason: 'local' });
    return result;
  }

  /** No more accepts, reads or connections: every waiter fails, the listening port is freed. */
  private shutAll(): void {
    this.state = 'closed';
    const closed = new ERR_INVALID_STATE('the socket was closed');
    this.acceptWaiters.fail(closed);
    this.receiveWaiters?.fail(closed);
    for (const p of this.pending.splice(0)) p.sock?.resetAndDestroy();
    // Stops listening at once (the port is free again). Not awaited: net.Server's close callback
    // waits for every accepted connection to end, but those are sockets of their own and stay
    // open, as after MFC's Close of a listening socket.
    this.server?.close();
  }

  private async doClose(graceMs: number): Promise<CloseResult> {
    const grace = new Deadline(graceMs, undefined, 'flushing before close');
    for (const hook of [...this.closeHooks]) {
      try {
        await grace.race(hook(grace));
      } catch {
        // A failed or stuck flush (peer gone) must not keep the socket open: its bytes are counted below.
      }
    }
    grace.dispose();
    this.shutAll();
    const result = this.sock === undefined ? NOT_YET : await closeTcp(this.sock, Math.max(100, grace.left));
    if (!result.flushed) this.failUnsent(result.unsentBytes);
    this.emit('close', { reason: 'local' });
    return result;
  }

  /**
   * Fails the sends the kernel never took: Node calls a write's callback without an error when the
   * socket is destroyed under it, which would report dropped bytes as sent.
   */
  private failUnsent(bytes: number): void {
    const unsent = this.unsent;
    if (unsent === undefined || unsent.size === 0) return;
    unsent.failAll(new ERR_INVALID_STATE(`the connection was closed before ${bytes} byte(s) reached the peer`).with({ state: 'closed' }));
  }

  private expectState(state: StreamState, operation: string): void {
    if (this.state !== state) throw this.stateError(operation);
  }

  stateError(operation: string): ArchwayError {
    const wsa = this.state === 'connected' ? 'WSAEISCONN' : this.state === 'closed' ? 'WSAENOTSOCK' : 'WSAEINVAL';
    return new ERR_INVALID_STATE(`cannot ${operation}: the stream socket is ${this.state}`).with({ wsa, state: this.state });
  }
}
