/**
 * A TCP listener's start (`Listen`) and how a connected TCP socket ends on `Close()`: `closesocket()`
 * with the default linger — our data and FIN are handed to the kernel, which delivers them; the
 * peer's own FIN is not awaited (a peer that never closes must not hold a close for seconds). A
 * send buffer the peer never drains is dropped after a grace period, and the result says so.
 */
import net from 'node:net';
import { Deadline } from '../core/index.js';
import { formatTarget } from './host-address.js';
import type { CloseResult } from './stream-socket-types.js';
import { socketError } from './winsock.js';

/** How long a close waits for pending data to reach the kernel before it drops the connection. */
export const CLOSE_GRACE_MS = 2000;

export function closeTcp(sock: net.Socket, graceMs = CLOSE_GRACE_MS): Promise<CloseResult> {
  if (sock.destroyed) return Promise.resolve({ flushed: sock.writableLength === 0, unsentBytes: sock.writableLength });
  return new Promise<CloseResult>((resolve) => {
    const grace = new Deadline(graceMs, undefined, 'closing the connection');
    let done = false;
    const finish = (flushed: boolean) => {
      if (done) return;
      done = true;
      grace.dispose();
      const unsentBytes = flushed ? 0 : sock.writableLength;
      sock.destroy();
      resolve({ flushed, unsentBytes });
    };
    grace.onExpire(() => finish(false));
    sock.once('close', () => finish(sock.writableLength === 0));
    if (sock.isPaused()) sock.resume(); // a paused reader would keep the FIN exchange from finishing
    sock.end(() => finish(true));
  });
}

/** `Listen(backlog)` on `host`:`port`; bind errors carry their Winsock names. */
export async function listenTcp(host: string, port: number, backlog: number): Promise<net.Server> {
  const server = net.createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(socketError(err, formatTarget(host, port))));
    server.listen({ port, host, backlog, exclusive: true }, () => resolve());
  });
  return server;
}
