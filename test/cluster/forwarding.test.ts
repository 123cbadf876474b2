/**
 * Two gateways in this process sharing a real Redis (redis-server on loopback, started here): a
 * request for a session reaches its owner from either, byte for byte and streaming (SPEC §8).
 * When redis-server is missing the suite fails with the install command (never a silent skip).
 */
import { once } from 'node:events';
import net from 'node:net';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../../scripts/cluster/redis-server.js';
import type { SessionInfo, SessionList, Stored, TestGateway } from '../support/gateway-harness.js';
import { startGateway } from '../support/gateway-harness.js';
import { expectProblem } from '../support/gateway-routes.js';
import { rawExchange, statusOf } from '../support/raw-http.js';
import { until, within } from '../support/until.js';
import { openSocket, refusedHandshake } from '../support/ws-client.js';

let redis: RedisServer;
let a: TestGateway;
let b: TestGateway;

beforeAll(async () => {
  redis = await startRedis({ newDirectory: true });
  const cluster = { redisUrl: redis.url, heartbeatMs: 100, leaseMs: 1000 };
  [a, b] = await Promise.all([startGateway({ ...cluster, instance: 'a' }), startGateway({ ...cluster, instance: 'b' })]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await redis?.stop();
});

/** A listening session on `owner` and a raw peer connected to it, accepted as `name`. */
async function acceptedOn(owner: TestGateway, name: string): Promise<net.Socket> {
  expect((await owner.call('PUT', `/sessions/${name}-srv`, { kind: 'stream' })).status).toBe(201);
  const listening = await owner.call<SessionInfo>('POST', `/sessions/${name}-srv/listen`, {});
  const peer = net.connect(listening.body.local!.port, '127.0.0.1');
  const accepted = await owner.call<SessionInfo>('POST', `/sessions/${name}-srv/accept`, { as: name, timeoutMs: 5000 });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
  return peer;
}

describe('a session is reached through any instance', () => {
  it('PUT creates where it lands; every route reaches the owner from the other instance', async () => {
    const created = await a.call<SessionInfo>('PUT', '/sessions/put-one', { kind: 'stream' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe('/sessions/put-one');
    expect(created.headers['x-archway-instance']).toMatch(/^a\./);
    const viaB = await b.call<SessionInfo>('GET', '/sessions/put-one');
    expect(viaB.status).toBe(200);
    expect(viaB.body.name).toBe('put-one');
    expect(viaB.headers['x-archway-instance']).toBe(created.headers['x-archway-instance']);
    // The name is the cluster's: taken from either instance, by PUT or POST
    expectProblem(await b.call('PUT', '/sessions/put-one', { kind: 'stream' }), 409, 'SESSION_EXISTS');
    expectProblem(await b.call('POST', '/sessions', { kind: 'datagram', name: 'put-one' }), 409, 'SESSION_EXISTS');
    expectProblem(await a.call('PUT', '/sessions/put-two', { kind: 'stream', name: 'x' }), 400, 'VALIDATION');
    // Closed through the other instance: the name is free again everywhere
    expect((await b.call('DELETE', '/sessions/put-one')).status).toBe(200);
    expectProblem(await a.call('GET', '/sessions/put-one'), 404, 'SESSION_NOT_FOUND');
    expect((await b.call('PUT', '/sessions/put-one', { kind: 'datagram' })).status).toBe(201);
    expect((await a.call('DELETE', '/sessions/put-one')).status).toBe(200);
  });

  it('store and load through the non-owner, with the bytes the peer sent and got', async () => {
    const peer = await acceptedOn(a, 'fw-acc');
    const got: Buffer[] = [];
    peer.on('data', (d: Buffer) => got.push(d));
    const stored = await b.call<Stored>('POST', '/sessions/fw-acc/store', { type: 'DWORD', value: 7 });
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ values: 1, bytes: 4 });
    peer.write(Buffer.from([9, 0, 0, 0]));
    const loaded = await b.call<{ value: number }>('POST', '/sessions/fw-acc/load', { type: 'DWORD', timeoutMs: 2000 });
    expect(loaded.body).toEqual({ value: 9 });
    expect(Buffer.concat(got)).toEqual(Buffer.from([7, 0, 0, 0]));
    peer.destroy();
  });

  it('a large body streams to the owner and back (8 MiB each way)', async () => {
    const peer = await acceptedOn(a, 'fw-big');
    const bytes = Buffer.alloc(8 * 1024 * 1024, 0x5a);
    const received: Buffer[] = [];
    let count = 0;
    const all = new Promise<void>((resolve) =>
      peer.on('data', (d: Buffer) => {
        received.push(d);
        count += d.length;
        if (count >= bytes.length + 4) resolve();
      }),
    );
    const stored = await b.call<Stored>('POST', '/sessions/fw-big/store', { type: 'CByteArray', value: bytes.toString('base64') });
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    await within(all, 10_000, 'the 8 MiB the owner sent');
    // Sent back as it came (a CByteArray: its count, then the bytes)
    peer.write(Buffer.concat(received));
    const loaded = await b.call<{ value: string }>('POST', '/sessions/fw-big/load', { type: 'CByteArray', timeoutMs: 10_000 });
    expect(loaded.status).toBe(200);
    expect(Buffer.from(loaded.body.value, 'base64').equals(bytes)).toBe(true);
    peer.destroy();
  });

  it('Server-Sent Events stream through the non-owner as they happen', async () => {
    const peer = await acceptedOn(a, 'fw-sse');
    const res = await request(`${b.base}/sessions/fw-sse/events`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    let text = '';
    const seen = (what: string) =>
      new Promise<void>((resolve) => {
        const check = () => text.includes(what) && (res.body.off('data', onData), resolve());
        const onData = (chunk: Buffer) => {
          text += chunk.toString();
          check();
        };
        res.body.on('data', onData);
        check();
      });
    await within(seen('event: session'), 5000, 'the first event');
    peer.write(Buffer.from([1, 2, 3]));
    await within(seen('event: receive'), 5000, 'the receive event, forwarded while the stream is open');
    res.body.destroy();
    peer.destroy();
  });

  it('a WebSocket asked of the non-owner is tunnelled to the owner: bytes both ways, the owner\'s close code', async () => {
    const peer = await acceptedOn(a, 'fw-ws');
    const ws = await openSocket(`${b.base.replace('http', 'ws')}/sessions/fw-ws/ws?mode=binary`, { protocols: ['binary'] });
    peer.write(Buffer.from([1, 2, 3]));
    expect((await ws.next()).data).toEqual(Buffer.from([1, 2, 3]));
    const got = new Promise<Buffer>((resolve) => peer.once('data', resolve));
    ws.ws.send(Buffer.from([9, 8]));
    expect(await within(got, 5000, 'the bytes sent through the tunnel')).toEqual(Buffer.from([9, 8]));
    peer.destroy(); // reset or end: the owner closes the WebSocket with its code, through the tunnel
    expect((await within(ws.closed, 5000, 'the close')).code).toBeGreaterThanOrEqual(4000);
    // An unknown session through the non-owner: the refusal of a single gateway (after the upgrade).
    const none = await openSocket(`${b.base.replace('http', 'ws')}/sessions/fw-none/ws`);
    expect((await within(none.closed, 5000, 'the refusal')).code).toBe(4404);
  });

  it('a client cut while its tunnel waits for the owner (a shutdown) leaves no connection to the owner, and the WebSocket free', async () => {
    const peer = await acceptedOn(a, 'fw-gone');
    const c = await startGateway({ redisUrl: redis.url, heartbeatMs: 100, leaseMs: 1000, instance: 'c' });
    const toOwner: net.Socket[] = [];
    const track = (s: net.Socket) => toOwner.push(s);
    a.app.server.on('connection', track);
    const upgraded = once(c.app.server, 'upgrade');
    // Redis holds c's lookup of the owner while c shuts down (and cuts the client's connection).
    const admin = new Redis(redis.url);
    await admin.call('CLIENT', 'PAUSE', '500', 'WRITE');
    const raw = net.connect(Number(new URL(c.base).port), '127.0.0.1');
    raw.on('error', () => undefined);
    raw.write('GET /sessions/fw-gone/ws?mode=binary HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    await upgraded;
    await c.close();
    admin.disconnect();
    await until(() => toOwner.length > 0 && toOwner.every((s) => s.destroyed), 'the connection to the owner closed');
    a.app.server.off('connection', track);
    const ws = await openSocket(`${b.base.replace('http', 'ws')}/sessions/fw-gone/ws?mode=binary`, { protocols: ['binary'] });
    peer.write(Buffer.from([6]));
    expect((await ws.next()).data).toEqual(Buffer.from([6]));
    ws.ws.close();
    raw.destroy();
    peer.destroy();
  });

  it("a page of the instance's own origin opens the WebSocket and the event stream of another instance's session", async () => {
    const peer = await acceptedOn(a, 'fw-origin');
    // The page was served by b: its Origin is b's, as is the Host it sends (no CORS origin is listed).
    const origin = { origin: b.base };
    const ws = await openSocket(`${b.base.replace('http', 'ws')}/sessions/fw-origin/ws?mode=binary`, { protocols: ['binary'], headers: origin });
    peer.write(Buffer.from([4, 5]));
    expect((await ws.next()).data).toEqual(Buffer.from([4, 5]));
    ws.ws.close();
    await ws.closed;
    const res = await request(`${b.base}/sessions/fw-origin/events`, { headers: origin });
    expect(res.statusCode).toBe(200);
    res.body.destroy();
    // A page of another origin is still refused by the owner.
    expect((await refusedHandshake(`${b.base.replace('http', 'ws')}/sessions/fw-origin/ws`, { origin: 'http://127.0.0.1:1' })).status).toBe(403);
    peer.destroy();
  });

  it('takes hop-by-hop headers and a chunked body from the client as HTTP allows (raw HTTP/1.1)', async () => {
    const peer = await acceptedOn(a, 'fw-raw');
    const got = new Promise<Buffer>((resolve) => peer.once('data', resolve));
    const body = JSON.stringify({ type: 'DWORD', value: 258 });
    const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const raw = net.connect(Number(new URL(b.base).port), '127.0.0.1');
    raw.write(
      'POST /sessions/fw-raw/store HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive, x-drop-me\r\nKeep-Alive: timeout=5\r\nX-Drop-Me: gone\r\n' +
        `TE: trailers\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}`,
    );
    let answer = '';
    await within(new Promise<void>((resolve) => raw.on('data', (d: Buffer) => ((answer += d.toString()), answer.includes('"bytes"') && resolve()))), 5000, 'the answer');
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer.toLowerCase()).toContain('x-archway-instance: a.');
    expect(await within(got, 5000, 'the stored DWORD at the peer')).toEqual(Buffer.from([2, 1, 0, 0]));
    raw.destroy();
    peer.destroy();
  });

  it('only a WebSocket handshake is tunnelled: a POST offering h2c is forwarded as the POST it is', async () => {
    const peer = await acceptedOn(a, 'fw-h2c');
    const got = new Promise<Buffer>((resolve) => peer.once('data', resolve));
    const body = JSON.stringify({ type: 'DWORD', value: 258 });
    const post = (connection: string) =>
      `POST /sessions/fw-h2c/store HTTP/1.1\r\nHost: 127.0.0.1\r\n${connection}Upgrade: h2c\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    // `Upgrade` without `Connection: upgrade`: no upgrade at all (Node answers it as HTTP).
    const plain = await rawExchange(b.base, post('Connection: close\r\n'));
    expect(statusOf(plain), plain).toBe(200);
    expect(plain.toLowerCase()).toContain('x-archway-instance: a.');
    expect(await within(got, 5000, 'the stored DWORD at the peer')).toEqual(Buffer.from([2, 1, 0, 0]));
    // A real upgrade to something else: answered where it landed, as one gateway answers it, never tunnelled.
    const h2c = await rawExchange(b.base, post('Connection: Upgrade\r\n'));
    expect(statusOf(h2c), h2c).toBe(400);
    expect(h2c.toLowerCase()).toContain('x-archway-instance: b.');
    // A foreign Host (DNS rebinding) is refused first, and the refusal still says who answered.
    const rebound = await rawExchange(b.base, post('Connection: close\r\n').replace('Host: 127.0.0.1', 'Host: attacker.example'));
    expect(statusOf(rebound), rebound).toBe(421);
    expect(rebound.toLowerCase()).toContain('x-archway-instance: b.');
    peer.destroy();
  });

  it('the client\'s wait carries over: a load with timeoutMs times out at the owner, as it asked', async () => {
    await acceptedOn(a, 'fw-wait');
    const started = Date.now();
    const r = await b.call('POST', '/sessions/fw-wait/load', { type: 'DWORD', timeoutMs: 300 });
    expectProblem(r, 504, 'TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('GET /sessions lists the sessions of both instances, from either', async () => {
    expect((await a.call('PUT', '/sessions/list-a', { kind: 'datagram' })).status).toBe(201);
    expect((await b.call('PUT', '/sessions/list-b', { kind: 'datagram' })).status).toBe(201);
    for (const gw of [a, b]) {
      const names = (await gw.call<SessionList>('GET', '/sessions')).body.sessions.map((s) => s.name);
      expect(names).toEqual(expect.arrayContaining(['list-a', 'list-b']));
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('the loop guard: a request forwarded to a run that is not the owner it names is SESSION_OWNER_DOWN', async () => {
    expect((await a.call('PUT', '/sessions/fw-guard', { kind: 'datagram' })).status).toBe(201);
    expectProblem(await a.call('GET', '/sessions/fw-guard', undefined, { 'x-archway-forwarded-to': 'a.deadbeef' }), 503, 'SESSION_OWNER_DOWN', { session: 'fw-guard' });
    // Meant for b, it is not sent on to a again: b answers from what it holds itself
    const ownerOfB = (await b.call('GET', '/health')).headers['x-archway-instance'] as string;
    expectProblem(await b.call('GET', '/sessions/fw-guard', undefined, { 'x-archway-forwarded-to': ownerOfB }), 404, 'SESSION_NOT_FOUND');
  });
});

describe('a stream ticket in a cluster with a token', () => {
  const token = 'cluster-token';
  const auth = { authorization: `Bearer ${token}` };
  let c: TestGateway;
  let d: TestGateway;
  beforeAll(async () => {
    const cluster = { redisUrl: redis.url, heartbeatMs: 100, leaseMs: 1000, token };
    [c, d] = await Promise.all([startGateway({ ...cluster, instance: 'c' }), startGateway({ ...cluster, instance: 'd' })]);
  });
  afterAll(async () => {
    await Promise.all([c?.close(), d?.close()]);
  });

  it('is issued by the session\'s owner whichever instance is asked, and opens its event stream there once', async () => {
    expect((await c.call('PUT', '/sessions/tk-one', { kind: 'stream' }, auth)).status).toBe(201);
    const issued = await d.call<{ ticket: string; session: string }>('POST', '/tickets', { session: 'tk-one' }, auth);
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.headers['x-archway-instance']).toMatch(/^c\./); // answered by the owner
    // Through the other instance (forwarded) the ticket opens the stream, without the token.
    const res = await request(`${d.base}/sessions/tk-one/events?ticket=${encodeURIComponent(issued.body.ticket)}`);
    expect(res.statusCode).toBe(200);
    const first = await within(new Promise<string>((resolve) => res.body.once('data', (chunk: Buffer) => resolve(chunk.toString()))), 5000, 'the first event');
    expect(first).toContain('event: session');
    res.body.destroy();
    // Used once: refused the second time.
    const again = await request(`${c.base}/sessions/tk-one/events?ticket=${encodeURIComponent(issued.body.ticket)}`);
    expect(again.statusCode).toBe(401);
    await again.body.dump();
    expectProblem(await d.call('POST', '/tickets', { session: 'tk-none' }, auth), 404, 'SESSION_NOT_FOUND');
    // A WebSocket with a ticket, asked of the other instance: tunnelled, redeemed by the owner.
    const wsTicket = await d.call<{ ticket: string }>('POST', '/tickets', { session: 'tk-one' }, auth);
    const ws = await openSocket(`${d.base.replace('http', 'ws')}/sessions/tk-one/ws?send=DWORD&ticket=${encodeURIComponent(wsTicket.body.ticket)}`);
    // Opened and authorised by the owner, which says what it says of a session not connected yet.
    expect(await ws.json()).toMatchObject({ error: { code: 'INVALID_STATE', state: 'created' } });
    ws.ws.close();
    const forged = await openSocket(`${d.base.replace('http', 'ws')}/sessions/tk-none/ws?ticket=made-up`);
    expect((await within(forged.closed, 5000, 'the refusal')).code).toBe(4401);
    // A made-up ticket for a session no instance holds is refused as any bad credential is.
    expectProblem(await d.call('GET', '/sessions/tk-none/events?ticket=made-up'), 401, 'UNAUTHORIZED');
  });

  it('a ticket let through for the owner is never served here: not with a loop guard naming this instance, nor with a name the routes refuse', async () => {
    // Any client can set the guard: the instance id is in every answer.
    const guard = { 'x-archway-forwarded-to': String((await d.call('GET', '/health')).headers['x-archway-instance']) };
    const long = 'n'.repeat(65);
    for (const [name, headers] of [['tk-guard', guard], [long, {}]] as const) {
      expectProblem(await d.call('GET', `/sessions/${name}/events?ticket=made-up&lastEventId=1`, undefined, headers), 401, 'UNAUTHORIZED');
      const ws = await openSocket(`${d.base.replace('http', 'ws')}/sessions/${name}/ws?ticket=made-up`, { headers });
      expect(await ws.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
      expect((await within(ws.closed, 5000, 'the refusal')).code, name).toBe(4401);
    }
  });
});
