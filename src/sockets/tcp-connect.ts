/**
 * Opening a TCP connection with a deadline and a cancel: `CSocket::Connect` blocks until FD_CONNECT
 * with no timeout of its own (format §8.4); Archway bounds it (WSAETIMEDOUT when it runs out).
 */
import net from 'node:net';
import { ERR_ABORTED, ERR_TIMEOUT } from './errors.js';
import { formatTarget, type ResolveOptions, type ResolvedAddress } from './host-address.js';
import { socketError } from './winsock.js';

export interface ConnectOptions extends ResolveOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export function connectTcp(
  target: ResolvedAddress,
  port: number,
  options: ConnectOptions & { localAddress?: string; localPort?: number },
): Promise<net.Socket> {
  const name = formatTarget(target.address, port);
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new ERR_ABORTED(`connecting to ${name}`));
      return;
    }
    const sock = net.connect({
      host: target.address,
      port,
      family: target.family,
      localAddress: options.localAddress,
      localPort: options.localPort,
      allowHalfOpen: true,
      noDelay: true,
    });
    const fail = (err: Error) => {
      cleanup();
      sock.destroy();
      reject(err);
    };
    const onError = (err: Error) => fail(socketError(err, name));
    const onAbort = () => fail(new ERR_ABORTED(`connecting to ${name}`));
    const timer =
      timeoutMs > 0
        ? setTimeout(() => fail(new ERR_TIMEOUT(`connecting to ${name}`, timeoutMs).with({ wsa: 'WSAETIMEDOUT', wsaCode: 10060 })), timeoutMs)
        : undefined;
    const cleanup = () => {
      if (timer !== undefined) clearTimeout(timer);
      sock.off('error', onError);
      options.signal?.removeEventListener('abort', onAbort);
    };
    sock.once('error', onError);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    sock.once('connect', () => {
      cleanup();
      resolve(sock);
    });
  });
}
