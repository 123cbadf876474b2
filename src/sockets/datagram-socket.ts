/**
 * `CAsyncSocket` with `SOCK_DGRAM` (format §8.5) on Node's `dgram`: `SendTo` / `ReceiveFrom`, or
 * `Connect` then `Send` / `Receive`. Bound at creation as MFC's `Create` binds. Received datagrams
 * queue up to a cap; past it new ones are dropped and counted — what a full kernel buffer does to
 * UDP, which was never reliable. Archives refuse this socket (seed: CArchive does not work with
 * datagrams).
 */
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import { deadline, type ArchwayError, type WaitOptions } from '../core/index.js';
import { ERR_INVALID_STATE, ERR_MESSAGE_TOO_LARGE } from './errors.js';
import { bindAddress, checkPort, formatTarget, resolveHost, type ResolveOptions } from './host-address.js';
import { WaitQueue } from './wait-queue.js';
import { socketError } from './winsock.js';

export interface Datagram {
  data: Buffer;
  address: string;
  port: number;
}

export interface DatagramSocketOptions {
  /** Local port; 0 or none: any free port. */
  port?: number;
  /** Local numeric address; none: all IPv4 interfaces (MFC's NULL). An IPv6 address makes a UDP6 socket. */
  address?: string;
  /** Datagrams kept until received (default 1024). */
  maxQueued?: number;
  /** Bytes kept until received (default 4 MiB). */
  maxQueuedBytes?: number;
  /** Allow sending to broadcast addresses (`SO_BROADCAST`; without it MFC gets WSAEACCES). */
  broadcast?: boolean;
}

export interface DatagramSocketEvents {
  receive: [bytes: number];
  /** Bytes of a datagram the kernel took. */
  sent: [bytes: number];
  close: [];
}

export type DatagramState = 'created' | 'connected' | 'closed';

/** IPv4 and IPv6 payload limits of one UDP datagram. */
const MAX_PAYLOAD = { 4: 65507, 6: 65527 } as const;

export class DatagramSocket extends EventEmitter<DatagramSocketEvents> {
  readonly kind = 'datagram' as const;
  state: DatagramState = 'created';
  bytesIn = 0;
  bytesOut = 0;
  /** Datagrams dropped because the queue was full. */
  dropped = 0;
  private readonly sock: dgram.Socket;
  private readonly family: 4 | 6;
  private readonly queue: Datagram[] = [];
  private queuedBytes = 0;
  private readonly maxQueued: number;
  private readonly maxQueuedBytes: number;
  private readonly waiters = new WaitQueue<Datagram>();
  private peer: { address: string; port: number } | undefined;
  private closing: Promise<void> | undefined;

  private constructor(sock: dgram.Socket, family: 4 | 6, options: DatagramSocketOptions) {
    super();
    this.sock = sock;
    this.family = family;
    this.maxQueued = options.maxQueued ?? 1024;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 4 * 1024 * 1024;
    sock.on('message', (data, rinfo) => this.onMessage(data, rinfo));
    sock.on('error', () => undefined); // send errors are reported to the sender; nothing else is fatal
  }

  /** `Create(nPort, SOCK_DGRAM, address)`: binds now, so ADDRESS_IN_USE surfaces here. */
  static async create(options: DatagramSocketOptions = {}): Promise<DatagramSocket> {
    const port = checkPort(options.port ?? 0);
    const bind = bindAddress(options.address, '0.0.0.0');
    const sock = dgram.createSocket({ type: bind.family === 6 ? 'udp6' : 'udp4', reuseAddr: false });
    await new Promise<void>((resolve, reject) => {
      const onBindError = (err: Error) => {
        sock.close();
        reject(socketError(err, formatTarget(bind.address, port)));
      };
      sock.once('error', onBindError);
      // Removed once bound: a later 'error' (an ICMP port unreachable reported as ECONNREFUSED on a
      // connected socket) must not close the socket, as it would not close a Winsock one.
      sock.bind({ port, address: bind.address, exclusive: true }, () => {
        sock.off('error', onBindError);
        resolve();
      });
    });
    if (options.broadcast === true) sock.setBroadcast(true);
    return new DatagramSocket(sock, bind.family, options);
  }

  get localAddress(): string {
    return this.sock.address().address;
  }

  get localPort(): number {
    return this.sock.address().port;
  }

  get remoteAddress(): string | undefined {
    return this.peer?.address;
  }

  get remotePort(): number | undefined {
    return this.peer?.port;
  }

  /** Bytes of the datagrams queued and not yet received. */
  get bufferedBytes(): number {
    return this.queuedBytes;
  }

  /** Datagrams received and not yet taken. */
  get queued(): number {
    return this.queue.length;
  }

  /** Receives waiting for a datagram (a test waits on it). */
  get waitingReceives(): number {
    return this.waiters.size;
  }

  private onMessage(data: Buffer, rinfo: dgram.RemoteInfo): void {
    this.bytesIn += data.length;
    if (this.queue.length >= this.maxQueued || this.queuedBytes + data.length > this.maxQueuedBytes) {
      this.dropped++;
      return;
    }
    this.queue.push({ data, address: rinfo.address, port: rinfo.port });
    this.queuedBytes += data.length;
    this.emit('receive', data.length);
    this.waiters.wake();
  }

  private checkSize(data: Uint8Array): void {
    const max = MAX_PAYLOAD[this.family];
    if (data.length > max) throw new ERR_MESSAGE_TOO_LARGE(data.length, max).with({ wsa: 'WSAEMSGSIZE', wsaCode: 10040 });
  }

  /** `SendTo(buf, nHostPort, lpszHostAddress)`: names are looked up as `Connect` does. */
  async sendTo(data: Uint8Array, port: number, host: string, resolve: ResolveOptions = {}): Promise<void> {
    this.expectOpen('send');
    // Winsock: SendTo on a connected datagram socket is WSAEISCONN; its peer is fixed by Connect.
    if (this.peer !== undefined) {
      throw new ERR_INVALID_STATE('the datagram socket is connected: Send goes to its peer, so give neither host nor port').with({ wsa: 'WSAEISCONN' });
    }
    checkPort(port, false);
    this.checkSize(data);
    const target = await resolveHost(host, port, resolve);
    await this.transmit(data, target.address, port);
  }

  /** `Connect` on a datagram socket: sets the default peer for `send`/`receive` (format §8.5). */
  async connect(host: string, port: number, resolve: ResolveOptions = {}): Promise<void> {
    this.expectOpen('connect');
    if (this.state === 'connected') throw new ERR_INVALID_STATE('the datagram socket is already connected').with({ wsa: 'WSAEISCONN' });
    checkPort(port, false);
    const target = await resolveHost(host, port, resolve);
    await new Promise<void>((resolve, reject) => {
      this.sock.connect(port, target.address, (err?: Error) => (err ? reject(socketError(err, formatTarget(target.address, port))) : resolve()));
    });
    this.peer = { address: target.address, port };
    this.state = 'connected';
  }

  /** `Send` to the connected peer. */
  async send(data: Uint8Array): Promise<void> {
    this.expectOpen('send');
    if (this.peer === undefined) throw new ERR_INVALID_STATE('send needs a connected datagram socket: connect first, or use sendTo').with({ wsa: 'WSAENOTCONN' });
    this.checkSize(data);
    await this.transmit(data);
  }

  private transmit(data: Uint8Array, address?: string, port?: number): Promise<void> {
    return new Promise((resolve, reject) => {
      // Counted once the kernel took the datagram: a refused send (EINVAL…) sent nothing.
      const done = (err: Error | null) => {
        if (err) return reject(socketError(err, address === undefined ? 'the peer' : formatTarget(address, port!)));
        this.bytesOut += data.length;
        this.emit('sent', data.length);
        resolve();
      };
      if (address === undefined) this.sock.send(data, done);
      else this.sock.send(data, port, address, done);
    });
  }

  /** `ReceiveFrom`: the next datagram with its sender. */
  receiveFrom(options: WaitOptions = {}): Promise<Datagram> {
    return this.waiters.wait(() => {
      const next = this.queue.shift();
      if (next !== undefined) {
        this.queuedBytes -= next.data.length;
        return next;
      }
      if (this.state === 'closed') throw new ERR_INVALID_STATE('the datagram socket was closed');
      return undefined;
    }, deadline(options, 'waiting for a datagram'));
  }

  /** `Receive` on a connected datagram socket: the payload only. */
  async receive(options: WaitOptions = {}): Promise<Buffer> {
    if (this.peer === undefined) throw new ERR_INVALID_STATE('receive needs a connected datagram socket: connect first, or use receiveFrom');
    return (await this.receiveFrom(options)).data;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.state = 'closed';
      this.waiters.fail(new ERR_INVALID_STATE('the datagram socket was closed'));
      this.sock.close(() => resolve());
      this.emit('close');
    });
    return this.closing;
  }

  private expectOpen(operation: string): void {
    if (this.state === 'closed') throw this.closedError(operation);
  }

  private closedError(operation: string): ArchwayError {
    return new ERR_INVALID_STATE(`cannot ${operation}: the datagram socket is closed`).with({ wsa: 'WSAENOTSOCK' });
  }
}
