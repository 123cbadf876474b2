/**
 * Shared pieces of the socket tests: free loopback ports, the reference Order, waiting on a
 * condition, and taking apart a rejected call. Real sockets only, on 127.0.0.1 / ::1.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { expect } from 'vitest';
import { ArchwayError } from '../../src/archive/index.js';

export const LOOPBACK = '127.0.0.1';

/**
 * A TCP port nothing listens on right now: bound to port 0 and closed again. (Another process
 * could take it in between; on a test machine that window is small enough.)
 */
export function freePort(host = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A UDP port nothing is bound to right now (bound to port 0 and closed again). */
export function freeUdpPort(host = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    sock.once('error', reject);
    sock.bind(0, host, () => {
      const { port } = sock.address();
      sock.close(() => resolve(port));
    });
  });
}

/** A raw Node listener (not the library under test) and its port. */
export async function rawServer(onConnection: (sock: net.Socket) => void, host = LOOPBACK): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer({ allowHalfOpen: true }, onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host }, () => resolve());
  });
  return { server, port: (server.address() as net.AddressInfo).port };
}

export function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export { referenceOrder } from '../../src/demo/index.js';

/** Resolves once `check()` holds; fails the test after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The ArchwayError `p` rejects with (the test fails if it resolves or throws something else). */
export async function rejection(p: Promise<unknown>): Promise<ArchwayError> {
  let settled: unknown;
  try {
    settled = await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ArchwayError);
    return err as ArchwayError;
  }
  throw new Error(`expected a rejection, got ${JSON.stringify(settled)}`);
}

/** The ArchwayError `fn` throws synchronously. */
export function thrown(fn: () => unknown): ArchwayError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ArchwayError);
    return err as ArchwayError;
  }
  throw new Error('expected an exception, none was thrown');
}
