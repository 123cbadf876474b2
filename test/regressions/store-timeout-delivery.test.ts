/**
 * Regressions (issue 10, points 5 and 6): a store that timed out against a peer that stopped reading
 * answered 504 "nothing consumed", yet the peer later received every byte, so a retry duplicated the
 * message; 25 such stores queued 157 MB; and DELETE of that session never answered. Now the answer
 * says what became of the bytes (`delivery`), unsent bytes are bounded per session, and every close
 * is bounded.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGateway, type Closed, type SessionInfo, type Stored, type TestGateway } from '../support/gateway-harness.js';
import { expectProblem } from '../support/gateway-routes.js';

const MiB = 1024 * 1024;
/** More than loopback's kernel buffers take from a peer that does not read. */
const BIG = 24 * MiB;
const big = Buffer.alloc(BIG, 7).toString('base64');

let gw: TestGateway;
let server: net.Server;
let port: number;
/** Peers in the order they connected; each starts paused (reading nothing). */
const peers: net.Socket[] = [];

beforeAll(async () => {
  server = net.createServer((sock) => {
    sock.pause();
    peers.push(sock);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
  gw = await startGateway({ bodyLimit: 48 * MiB, maxMessageBytes: 48 * MiB, maxQueuedBytes: 32 * MiB, closeTimeoutMs: 300 });
});
afterAll(async () => {
  for (const p of peers) p.destroy();
  await gw.close();
  await new Promise<void>((r) => server.close(() => r()));
});

async function connected(name: string): Promise<net.Socket> {
  const before = peers.length;
  expect((await gw.call('POST', '/sessions', { kind: 'stream', name })).status).toBe(201);
  expect((await gw.call('POST', `/sessions/${name}/connect`, { host: '127.0.0.1', port })).status).toBe(200);
  while (peers.length === before) await new Promise((r) => setImmediate(r));
  return peers[before]!;
}

/** Everything the peer receives from now until the connection ends. */
function drain(peer: net.Socket): Promise<number> {
  return new Promise((resolve) => {
    let n = 0;
    peer.on('data', (d: Buffer) => (n += d.length));
    peer.on('error', () => undefined);
    peer.on('close', () => resolve(n));
    peer.resume();
  });
}

describe('a store to a peer that stopped reading', () => {
  it('times out as partial and closes the session: the rest of the message never goes out', async () => {
    const peer = await connected('stuck');
    const r = await gw.call('POST', '/sessions/stuck/store', { type: 'CByteArray', value: big, timeoutMs: 400 });
    expectProblem(r, 504, 'TIMEOUT', { delivery: 'partial', sent: true, sessionClosed: true });
    expectProblem(await gw.call('GET', '/sessions/stuck'), 404, 'SESSION_NOT_FOUND');
    // The peer gets part of the message and then the end of the connection: never all of it.
    expect(await drain(peer)).toBeLessThan(BIG);
  });

  it('a store still waiting behind it is withdrawn: nothing of it is ever sent, and the session stays', async () => {
    const peer = await connected('queued');
    const first = gw.call<Stored>('POST', '/sessions/queued/store', { type: 'CByteArray', value: big, timeoutMs: 20_000 });
    // The first store is being written: the next one waits its turn in the session's queue.
    await vi.waitFor(async () => expect((await gw.call<SessionInfo>('GET', '/sessions/queued')).body.bytesOut).toBeGreaterThan(0), { timeout: 5000 });
    const second = await gw.call('POST', '/sessions/queued/store', { type: 'DWORD', value: 0xdeadbeef, timeoutMs: 200 });
    expectProblem(second, 504, 'TIMEOUT', { delivery: 'withdrawn', sent: false });
    // Unsent bytes are bounded: with 24 MiB waiting, another 10 MiB is refused at once.
    const ten = Buffer.alloc(10 * MiB, 1).toString('base64');
    expectProblem(await gw.call('POST', '/sessions/queued/store', { type: 'CByteArray', value: ten, timeoutMs: 200 }), 503, 'OVERLOADED', { limit: 32 * MiB });
    const received = drain(peer);
    const done = await first;
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.bytes).toBe(6 + BIG); // WriteCount's 0xFFFF + DWORD, then the bytes
    await gw.call('DELETE', '/sessions/queued');
    // Exactly the first store: the withdrawn DWORD never reached the peer.
    expect(await received).toBe(6 + BIG);
  });

  it('DELETE answers within its bound, saying what was not sent', async () => {
    await connected('undeletable');
    const pending = gw.call('POST', '/sessions/undeletable/store', { type: 'CByteArray', value: big, timeoutMs: 20_000 });
    await vi.waitFor(async () => expect((await gw.call<SessionInfo>('GET', '/sessions/undeletable')).body.bytesOut).toBeGreaterThan(0), { timeout: 5000 });
    const started = Date.now();
    const r = await gw.call<Closed>('DELETE', '/sessions/undeletable');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ closed: true, flushed: false });
    expect(r.body.unsentBytes).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(3000);
    const stored = await pending;
    expect(stored.status).toBeGreaterThanOrEqual(400); // the store learns its session was closed
  });
});
