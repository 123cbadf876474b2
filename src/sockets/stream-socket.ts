/**
 * `CSocket` / `CAsyncSocket` with `SOCK_STREAM` (format §8.2–8.6) on Node's `net`: create, listen,
 * accept, connect, send, receive, shut down, close — awaited instead of pumped, and every wait
 * bounded. The peer's bytes land in `buffer` (the kernel buffer of MFC's world) as they arrive; past
 * `maxBufferedBytes` reading pauses, so a fast peer meets TCP backpressure, never data loss. The
 * `CAsyncSocket` notifications are events: `accept`, `receive`, `connect`, `send`, `close`.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { LoadBuffer } from '../archive/index.js';
import type { ArchwayError } from '../archive/index.js';
import { ERR_INVALID_STATE, ERR_PEER_CLOSED } from './errors.js';
import { bindAddress, checkPort, formatTarget, resolveHost } from './host-address.js';
import { probeBind } from './probe-bind.js';
import { connectTcp, type ConnectOptions } from './tcp-connect.js';
import { WaitQueue, type WaitOptions } from './wait-queue.js';
import { socketError } from './winsock.js';
import { within } from './within.js';
import type { CloseInfo, StreamSocketEvents, StreamSocketOptions, StreamState } from './stream-socket-types.js';
import { CLOSE_GRACE_MS, closeTcp, listenTcp } from './tcp-lifecycle.js';

export type { CloseInfo, StreamSocketEvents, StreamSocketOptions, StreamState } from './stream-socket-types.js';

const DEFAULT_MAX_BUFFERED = 1024 * 1024;

export class StreamSocket extends EventEmitter<StreamSocketEvents> {
  readonly kind = 'stream' as const;
  state: StreamState = 'created';
  /** Received bytes not yet read. */
  readonly buffer = new LoadBuffer();
  /** Set once the peer closed or reset the connection; buffered bytes stay readable. */
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
  private readonly dataWaiters = new WaitQueue<true>();
  private demand = 0;
  private paused = false;
  private sendsShut = false;
  private closing: Promise<void> | undefined;
  private readonly closeHooks: (() => Promise<void>)[] = [];

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

  /** `Listen(nConnectionBacklog = 5)`. */
  async listen(backlog = 5): Promise<void> {
    this.expectState('created', 'listen');
    if (!Number.isInteger(backlog) || backlog < 1) throw new ERR_INVALID_STATE(`backlog must be a positive integer, got ${backlog}`);
    const host = this.listenHost;
    const server = await listenTcp(host, this.bindPort, backlog);
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
    }, 'accept', options);
  }

  /**
   * `Connect(lpszHostAddress, nHostPort)`: a dotted address is used directly, anything else is
   * looked up as a host name (format §8.2).
   */
  async connect(host: string, port: number, options: ConnectOptions = {}): Promise<void> {
    this.expectState('created', 'connect');
    checkPort(port, false);
    this.state = 'connecting';
    try {
      const target = await resolveHost(host, port, options);
      const sock = await connectTcp(target, port, {
        ...options,
        localAddress: this.bindHost,
        localPort: this.bindPort || undefined,
      });
      if (this.state !== 'connecting') {
        sock.destroy();
        throw this.stateError('connect');
      }
      this.attach(sock);
      this.emit('connect');
    } catch (err) {
      if (this.state === 'connecting') this.state = 'created';
      this.emit('connect', err as ArchwayError);
      throw err;
    }
  }

  private attach(sock: net.Socket): void {
    this.sock = sock;
    this.state = 'connected';
    sock.setNoDelay(true);
    sock.on('data', (chunk: Buffer) => {
      this.bytesIn += chunk.length;
      this.buffer.push(chunk);
      this.emit('receive', chunk.length);
      this.dataWaiters.wake();
      this.flowControl();
    });
    sock.on('end', () => this.peerEnded({ reason: 'graceful' }));
    sock.on('error', (err) => {
      const e = socketError(err, this.peerName());
      this.peerEnded({ reason: 'reset', wsa: e.details.wsa });
    });
    sock.on('close', () => this.peerEnded({ reason: 'reset', wsa: 'WSAECONNRESET' }));
    sock.on('drain', () => this.emit('send'));
    // FD_WRITE is posted once a connection is established (format §8.3).
    queueMicrotask(() => this.emit('send'));
  }

  private peerEnded(info: CloseInfo): void {
    if (this.peerClosed !== undefined || this.state === 'closed') return;
    this.peerClosed = info;
    this.dataWaiters.wake();
    this.emit('close', info);
  }

  private peerName(): string {
    return this.sock?.remoteAddress ? formatTarget(this.sock.remoteAddress, this.sock.remotePort ?? 0) : 'the peer';
  }

  /**
   * Pauses reading past the cap, unless a waiting reader needs more (a message larger than the
   * cap must still arrive whole); resumes when enough was consumed. Called after every change.
   */
  flowControl(): void {
    const sock = this.sock;
    if (sock === undefined) return;
    const limit = Math.max(this.maxBuffered, this.demand);
    if (this.buffer.length >= limit) {
      if (!this.paused) {
        this.paused = true;
        sock.pause();
      }
    } else if (this.paused) {
      this.paused = false;
      sock.resume();
    }
  }

  /** Keeps reading (past the cap if need be) until `n` bytes are buffered; 0 withdraws it. */
  want(n: number): void {
    this.demand = n;
    this.flowControl();
  }

  /** Resolves once `n` bytes are buffered; fails with PEER_CLOSED if they never can be. */
  async waitForBytes(n: number, options: WaitOptions = {}): Promise<void> {
    this.demand = Math.max(this.demand, n);
    this.flowControl();
    try {
      await this.dataWaiters.wait(() => {
        if (this.buffer.length >= n) return true;
        if (this.state === 'closed') throw new ERR_INVALID_STATE('the socket was closed');
        if (this.peerClosed !== undefined) throw this.peerClosedError(n);
        if (this.state !== 'connected') throw this.stateError('read');
        return undefined;
      }, `waiting for ${n - this.buffer.length} more byte(s) from ${this.peerName()}`, options);
    } finally {
      this.demand = 0;
      this.flowControl();
    }
  }

  /** The error of a read needing `n` buffered bytes after the peer closed (PEER_CLOSED). */
  peerClosedError(n: number): ArchwayError {
    const info = this.peerClosed!;
    const how = info.reason === 'graceful' ? 'closed the connection' : 'reset the connection';
    const err = new ERR_PEER_CLOSED(`the peer ${how} with ${this.buffer.length} byte(s) received and not read; ${n} were needed`);
    // A graceful close mid-value is CArchiveException endOfFile in MFC; a reset is a Winsock error.
    return info.reason === 'graceful'
      ? err.with({ reason: info.reason, archiveCause: 'endOfFile', buffered: this.buffer.length })
      : err.with({ reason: info.reason, wsa: info.wsa ?? 'WSAECONNRESET', buffered: this.buffer.length });
  }

  /** Takes `n` buffered bytes (they must be there: see `waitForBytes`). */
  take(n: number): Buffer {
    const bytes = this.buffer.take(n);
    this.flowControl();
    return bytes;
  }

  /**
   * `CAsyncSocket::Receive`: up to `max` bytes once at least one is there; an empty buffer when the
   * peer closed gracefully with nothing left (MFC returns 0).
   */
  async receive(max: number, options: WaitOptions = {}): Promise<Buffer> {
    try {
      await this.waitForBytes(1, options);
    } catch (err) {
      if (ERR_PEER_CLOSED.is(err) && this.peerClosed?.reason === 'graceful') return Buffer.alloc(0);
      throw err;
    }
    return this.take(Math.min(max, this.buffer.length));
  }

  /** `CSocket::Send`: all of `data`, resolved once it is handed to the kernel. */
  send(data: Uint8Array): Promise<void> {
    const sock = this.sock;
    if (this.state !== 'connected' || sock === undefined) return Promise.reject(this.stateError('send'));
    if (this.sendsShut) return Promise.reject(new ERR_INVALID_STATE('sends were shut down on this socket').with({ wsa: 'WSAESHUTDOWN' }));
    if (this.peerClosed?.reason === 'reset' || sock.destroyed) {
      return Promise.reject(new ERR_PEER_CLOSED(`cannot send: the connection with ${this.peerName()} was reset`).with({ wsa: 'WSAECONNRESET' }));
    }
    this.bytesOut += data.length;
    return new Promise((resolve, reject) => {
      sock.write(data, (err) => (err ? reject(socketError(err, this.peerName())) : resolve()));
    });
  }

  /** `ShutDown(nHow)`: `sends` sends a FIN, `receives` stops reading, `both` does both. */
  shutDown(how: 'receives' | 'sends' | 'both' = 'sends'): void {
    const sock = this.sock;
    if (this.state !== 'connected' || sock === undefined) throw this.stateError('shut down');
    if (how !== 'receives' && !this.sendsShut) {
      this.sendsShut = true;
      sock.end();
    }
    if (how !== 'sends') sock.pause();
  }

  /** Runs before the socket closes (store archives flush here). Returns the unregister function. */
  onBeforeClose(hook: () => Promise<void>): () => void {
    this.closeHooks.push(hook);
    return () => {
      const i = this.closeHooks.indexOf(hook);
      if (i >= 0) this.closeHooks.splice(i, 1);
    };
  }

  /** `Close()`: flushes attached store archives, then closes gracefully. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    for (const hook of [...this.closeHooks]) {
      try {
        // Bounded: a peer that stopped reading would hold a flush, and the close, forever.
        await within(hook(), CLOSE_GRACE_MS, 'flushing before close');
      } catch {
        // A failed or stuck flush (peer gone) must not keep the socket open.
      }
    }
    this.state = 'closed';
    const closed = new ERR_INVALID_STATE('the socket was closed');
    this.acceptWaiters.fail(closed);
    this.dataWaiters.fail(closed);
    for (const p of this.pending.splice(0)) p.sock?.resetAndDestroy();
    // Stops listening at once (the port is free again). Not awaited: net.Server's close callback
    // waits for every accepted connection to end, but those are sockets of their own and stay
    // open, as after MFC's Close of a listening socket.
    this.server?.close();
    if (this.sock !== undefined) await closeTcp(this.sock);
    this.emit('close', { reason: 'local' });
  }

  private expectState(state: StreamState, operation: string): void {
    if (this.state !== state) throw this.stateError(operation);
  }

  private stateError(operation: string): ArchwayError {
    const wsa = this.state === 'connected' ? 'WSAEISCONN' : this.state === 'closed' ? 'WSAENOTSOCK' : 'WSAEINVAL';
    return new ERR_INVALID_STATE(`cannot ${operation}: the stream socket is ${this.state}`).with({ wsa, state: this.state });
  }
}
