/**
 * What every server child of the benches does around its server: tells the parent where it
 * listens (one JSON line on stdout, read by server-process.ts) and stops on SIGTERM or when its
 * stdin closes (the parent went away: no orphan keeps the port).
 */
import type { AddressInfo } from 'node:net';

/** Prints `{"port", "pid"}` for the address a server listens on. */
export function announce(address: AddressInfo | string | null): void {
  const port = address !== null && typeof address === 'object' ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port, pid: process.pid })}\n`);
}

/** Runs `close` then exits, on SIGTERM or at the end of stdin. */
export function stopWith(close: () => Promise<unknown>): void {
  const stop = () => void close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}
