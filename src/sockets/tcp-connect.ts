/**
 * Opening a TCP connection within a Deadline: `CSocket::Connect` blocks until FD_CONNECT with no
 * timeout of its own (format §8.4); Archway bounds it (WSAETIMEDOUT when it runs out).
 */
import net from 'node:net';
import { ERR_TIMEOUT, type ArchwayError, type Deadline, type WaitOptions } from '../core/index.js';
import { formatTarget, type ResolveOptions, type ResolvedAddress } from './host-address.js';
import { socketError } from './winsock.js';

export interface ConnectOptions extends WaitOptions, ResolveOptions {}

/** How long a connect waits when the caller gives no `timeoutMs`. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

function asConnectTimeout(err: ArchwayError): ArchwayError {
  return ERR_TIMEOUT.is(err) ? err.with({ wsa: 'WSAETIMEDOUT', wsaCode: 10060 }) : err;
}

/**
 * Where every connected socket's reads land (Node's `onread`): one buffer for the process, since
 * each read is copied out before the next one starts. Node's default gives each read a fresh
 * 64 KiB allocation and passes it through the Readable stream's machinery: 1.5 µs more CPU per
 * lock-step exchange on loopback.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/**
 * The onread callback: made here, apart, so that it keeps only `onBytes` alive for the socket's
 * lifetime, not the connect's whole scope (its deadline, its promise's functions: +0.8 KiB of heap
 * per idle session when it did).
 */
function copyingTo(onBytes: (chunk: Buffer) => void): (n: number, buf: Uint8Array) => boolean {
  return (n, buf) => {
    const chunk = Buffer.allocUnsafe(n);
    chunk.set(buf.subarray(0, n));
    onBytes(chunk);
    return true; // pacing is the reader's, by pause() and resume()
  };
}

/**
 * Connects; each read of the socket goes to `onBytes` as a buffer of its own (no 'data' events).
 * The socket starts paused: reading begins at `resume()`, once someone reads (stream-socket.ts).
 */
export function connectTcp(
  target: ResolvedAddress,
  port: number,
  d: Deadline,
  local: { localAddress?: string; localPort?: number },
  onBytes: (chunk: Buffer) => void,
): Promise<net.Socket> {
  const name = formatTarget(target.address, port);
  if (d.reason !== undefined) return Promise.reject(asConnectTimeout(d.reason));
  return new Promise((resolve, reject) => {
    const sock = net.connect({
      host: target.address,
      port,
      family: target.family,
      localAddress: local.localAddress,
      localPort: local.localPort,
      allowHalfOpen: true,
      noDelay: true,
      onread: { buffer: READ_BUFFER, callback: copyingTo(onBytes) },
    });
    sock.pause();
    const onError = (err: Error) => {
      d.dispose();
      sock.destroy();
      reject(socketError(err, name));
    };
    sock.once('error', onError);
    d.onExpire((err) => {
      sock.off('error', onError);
      sock.destroy();
      reject(asConnectTimeout(err));
    });
    sock.once('connect', () => {
      d.dispose();
      sock.off('error', onError);
      resolve(sock);
    });
  });
}
