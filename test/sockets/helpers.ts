/**
 * Pieces of the socket tests: a raw Node listener, and taking apart a rejected call. Real sockets
 * only, on 127.0.0.1 / ::1 (ports and waits: test/support).
 */
import net from 'node:net';
import { expect } from 'vitest';
import { ArchwayError } from '../../src/archive/index.js';
import { LOOPBACK } from '../support/ports.js';

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
