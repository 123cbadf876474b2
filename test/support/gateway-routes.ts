/**
 * Helpers shared by the route tests (test/gateway, test/regressions): problem assertions, stream
 * session pairs made over REST, raw peers, and waits on what a session holds. Everything stays on
 * loopback.
 */
import net from 'node:net';
import { expect } from 'vitest';
import type { Problem, Reply, SessionInfo, TestGateway } from './gateway-harness.js';
import { until } from './until.js';

/**
 * Asserts a problem-style error (SPEC §4): the status, the code, a message, the given details,
 * and nothing that leaks internals (no stack, no source file names). The reply's body is a
 * Problem from then on.
 */
export function expectProblem(reply: Reply, status: number, code: string, details: Record<string, unknown> = {}): asserts reply is Reply<Problem> {
  const shown = JSON.stringify(reply.body);
  expect(reply.status, shown).toBe(status);
  expect(reply.headers['content-type'], shown).toMatch(/^application\/json/);
  expect(reply.body, shown).toMatchObject({ statusCode: status, code, ...details });
  const { message } = reply.body as { message?: unknown };
  expect(typeof message, shown).toBe('string');
  expect(String(message).length, shown).toBeGreaterThan(0);
  expectNoInternals(reply.body);
}

/** No stack trace, no file names of the gateway's own code, in any error body. */
export function expectNoInternals(body: unknown): void {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/"stack"/);
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toMatch(/\.(ts|js):\d+/);
  expect(text).not.toMatch(/node_modules|node:internal/);
}

/**
 * Two connected stream sessions of one gateway, made over REST as MFC would: `<prefix>-srv`
 * listens, `<prefix>-cli` connects, the accepted side becomes `<prefix>-peer`.
 */
export async function streamPair(gw: TestGateway, prefix: string, extra: Record<string, unknown> = {}): Promise<{ client: string; peer: string; listener: string }> {
  const listener = `${prefix}-srv`;
  const client = `${prefix}-cli`;
  const peer = `${prefix}-peer`;
  expect((await gw.call('POST', '/sessions', { kind: 'stream', name: listener })).status).toBe(201);
  const listening = await gw.call<SessionInfo>('POST', `/sessions/${listener}/listen`, {});
  expect(listening.status, JSON.stringify(listening.body)).toBe(200);
  expect((await gw.call('POST', '/sessions', { kind: 'stream', name: client, ...extra })).status).toBe(201);
  const connected = await gw.call('POST', `/sessions/${client}/connect`, { host: '127.0.0.1', port: listening.body.local!.port });
  expect(connected.status, JSON.stringify(connected.body)).toBe(200);
  const accepted = await gw.call('POST', `/sessions/${listener}/accept`, { as: peer, timeoutMs: 2000 });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
  return { client, peer, listener };
}

/** A raw TCP peer (a plain Node socket) connected to a new gateway session `name`. */
export async function rawPeer(gw: TestGateway, name: string, extra: Record<string, unknown> = {}): Promise<net.Socket> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  expect((await gw.call('POST', '/sessions', { kind: 'stream', name, ...extra })).status).toBe(201);
  const c = await gw.call('POST', `/sessions/${name}/connect`, { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
  expect(c.status, JSON.stringify(c.body)).toBe(200);
  const sock = await accepted;
  server.close();
  return sock;
}

/** Resolves once the session's buffer holds `n` bytes (polling GET /sessions/{name}). */
export async function waitBuffered(gw: TestGateway, name: string, n: number, ms = 3000): Promise<void> {
  await until(async () => (await gw.call<SessionInfo>('GET', `/sessions/${name}`)).body.buffered >= n, `${n} bytes buffered in ${name}`, ms);
}

/**
 * Resolves once `n` readers (loads, raw reads, answers owed) are in line on the stream session's
 * load archive: a request the test sent is in the gateway and waiting. Nothing in the HTTP API
 * shows a waiting load, so this looks at the session in-process.
 */
export async function waitReaders(gw: TestGateway, name: string, n: number, ms = 3000): Promise<void> {
  await until(() => gw.ctx.sessions.get(name).channel().readers === n, `${n} reader(s) waiting on ${name}`, ms);
}

/** Resolves once `n` receives wait on the datagram session `name` (in-process, as waitReaders). */
export async function waitReceives(gw: TestGateway, name: string, n: number, ms = 3000): Promise<void> {
  await until(() => gw.ctx.sessions.get(name).datagram('the test').waitingReceives === n, `${n} receive(s) waiting on ${name}`, ms);
}

export const b64 = (bytes: number[] | Uint8Array | string): string =>
  (typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes as number[])).toString('base64');

/**
 * Everything a raw peer receives from now on. `upTo(marker)` waits until the bytes end with
 * `marker`: a "nothing else arrived" check sends a marker after the requests that must send
 * nothing, waits for it, and then finds only the marker (TCP keeps the order, so anything sent
 * before it arrived before it).
 */
export function recordBytes(sock: net.Socket): { readonly bytes: Buffer; upTo(marker: Uint8Array, what: string): Promise<Buffer> } {
  const parts: Buffer[] = [];
  sock.on('data', (d: Buffer) => parts.push(d));
  const bytes = () => Buffer.concat(parts);
  return {
    get bytes() {
      return bytes();
    },
    async upTo(marker, what) {
      await until(() => bytes().subarray(-marker.length).equals(marker), what);
      return bytes();
    },
  };
}

/** Reads exactly what a raw peer receives until it has `n` bytes. */
export function collect(sock: net.Socket, n: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let have = 0;
    const on = (d: Buffer) => {
      parts.push(d);
      have += d.length;
      if (have >= n) {
        sock.off('data', on);
        resolve(Buffer.concat(parts));
      }
    };
    sock.on('data', on);
  });
}
