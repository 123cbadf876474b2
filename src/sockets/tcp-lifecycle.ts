/**
 * A TCP listener's start (`Listen`) and how a connected TCP socket ends on `Close()`: `closesocket()` with the default linger — our data
 * and FIN are handed to the kernel, which delivers them; the peer's own FIN is not awaited (a peer
 * that never closes must not hold a close for seconds). Bounded by `graceMs` for a send buffer the
 * peer never drains.
 */
import net from 'node:net';
import { formatTarget } from './host-address.js';
import { socketError } from './winsock.js';

/** How long a close waits for pending data to reach the kernel before it drops the connection. */
export const CLOSE_GRACE_MS = 2000;

export function closeTcp(sock: net.Socket, graceMs = CLOSE_GRACE_MS): Promise<void> {
  if (sock.destroyed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve();
    };
    const timer = setTimeout(done, graceMs);
    sock.once('close', done);
    if (sock.isPaused()) sock.resume(); // a paused reader would keep the FIN exchange from finishing
    sock.end(done);
  });
}

/** `Listen(backlog)` on `host`:`port`; bind errors carry their Winsock names. */
export async function listenTcp(host: string, port: number, backlog: number): Promise<net.Server> {
  const server = net.createServer({ allowHalfOpen: true, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(socketError(err, formatTarget(host, port))));
    server.listen({ port, host, backlog, exclusive: true }, () => resolve());
  });
  return server;
}
