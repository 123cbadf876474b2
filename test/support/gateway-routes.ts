/**
 * Helpers shared by the route tests: problem assertions, stream session pairs made over REST, and
 * local ports. Everything stays on loopback.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { expect } from 'vitest';
import type { Reply, TestGateway } from './gateway-harness.js';

/**
 * Asserts a problem-style error (SPEC §4): the status, the code, a message, the given details,
 * and nothing that leaks internals (no stack, no source file names).
 */
export function expectProblem(reply: Reply, status: number, code: string, details: Record<string, unknown> = {}): void {
  const shown = JSON.stringify(reply.body);
  expect(reply.status, shown).toBe(status);
  expect(reply.headers['content-type'], shown).toMatch(/^application\/json/);
  expect(reply.body, shown).toMatchObject({ statusCode: status, code, ...details });
  expect(typeof reply.body.message, shown).toBe('string');
  expect(reply.body.message.length, shown).toBeGreaterThan(0);
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

export { freePort } from '../sockets/helpers.js';

/** A TCP listener holding a port (so that binding it fails). */
export async function holdTcpPort(host = '127.0.0.1'): Promise<{ port: number; close(): Promise<void> }> {
  const srv = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => srv.listen(0, host, r));
  return { port: (srv.address() as net.AddressInfo).port, close: () => new Promise((r) => srv.close(() => r())) };
}

/** A UDP socket holding a port. */
export async function holdUdpPort(host = '127.0.0.1'): Promise<{ port: number; close(): Promise<void> }> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, host, r));
  return { port: sock.address().port, close: () => new Promise((r) => sock.close(() => r())) };
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
  const listening = await gw.call('POST', `/sessions/${listener}/listen`, {});
  expect(listening.status, JSON.stringify(listening.body)).toBe(200);
  expect((await gw.call('POST', '/sessions', { kind: 'stream', name: client, ...extra })).status).toBe(201);
  const connected = await gw.call('POST', `/sessions/${client}/connect`, { host: '127.0.0.1', port: listening.body.local.port });
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
  await until(async () => (await gw.call('GET', `/sessions/${name}`)).body.buffered >= n, `${n} bytes buffered in ${name}`, ms);
}

export const b64 = (bytes: number[] | Uint8Array | string): string =>
  (typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes as number[])).toString('base64');

/**
 * A loopback listener that never accepts: a child process listens with backlog 1, then blocks its
 * event loop. Once its accept queue is full the kernel drops further SYNs, so a connect to it waits
 * until its own timeout — on loopback, without aiming a packet anywhere else.
 */
export async function stalledListener(): Promise<{ port: number; close(): void }> {
  const { spawn } = await import('node:child_process');
  const code = `const net = require('node:net');
    const s = net.createServer();
    s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
      process.stdout.write(s.address().port + '\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    child.once('exit', (c) => reject(new Error(`stalled listener exited with ${c}`)));
  });
  // Fill the accept queue (backlog + 1 on Linux) and then some: later SYNs are dropped.
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 4; i++) {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    fillers.push(s);
  }
  await new Promise((r) => setTimeout(r, 100));
  return {
    port,
    close() {
      for (const s of fillers) s.destroy();
      child.kill('SIGKILL');
    },
  };
}

/** Polls `check` until it returns true (or throws after `ms`). */
export async function until(check: () => Promise<boolean> | boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
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
