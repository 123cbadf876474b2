/**
 * The CAsyncSocket notifications as Server-Sent Events, read by a real streaming client; the
 * Prometheus metrics and their movement after traffic; /health.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type SessionInfo, type SessionList, type TestGateway } from '../support/gateway-harness.js';
import { expectProblem } from '../support/gateway-routes.js';
import { openSse, type SseEvent } from '../support/sse-client.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
});
afterAll(async () => {
  await gw.close();
});

/** The session's event stream, checked as an EventSource needs it; `next(name)` expects that event next. */
async function openEvents(name: string) {
  const stream = await openSse(`${gw.base}/sessions/${name}/events`);
  expect(stream.status).toBe(200);
  expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
  expect(stream.headers.get('cache-control')).toBe('no-store');
  return {
    async next<D = unknown>(event: string, ms = 2000): Promise<SseEvent<D>> {
      const e = await stream.next<D>(ms);
      expect(e.event, JSON.stringify(e)).toBe(event);
      return e;
    },
    end: (ms = 2000) => stream.end(ms),
    close: () => stream.close(),
    get ended() {
      return stream.ended;
    },
    seen: stream.seen,
  };
}

describe('GET /sessions/{name}/events (Server-Sent Events)', () => {
  it('a listening session: session, then accept when a client connects', async () => {
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'ev-srv' });
    const port = (await gw.call<SessionInfo>('POST', '/sessions/ev-srv/listen', {})).body.local!.port;
    const events = await openEvents('ev-srv');
    const first = await events.next('session');
    // The state now belongs to this connection: no id (ids count the session's events).
    expect(first.id).toBeUndefined();
    expect(first.data).toMatchObject({ name: 'ev-srv', state: 'listening', pendingConnections: 0 });
    const client = net.connect(port, '127.0.0.1');
    client.on('error', () => undefined);
    const accept = await events.next('accept');
    expect(accept).toMatchObject({ id: 1, data: { pendingConnections: 1 } });
    events.close();
    await events.end();

    // The accepted session: receive as bytes arrive, close (graceful) when the peer ends, then
    // close (local) when the session is deleted, which ends the stream.
    expect((await gw.call('POST', '/sessions/ev-srv/accept', { as: 'ev-peer', timeoutMs: 2000 })).status).toBe(201);
    const peer = await openEvents('ev-peer');
    expect((await peer.next('session')).data).toMatchObject({ name: 'ev-peer', state: 'connected', buffered: 0 });
    client.write(Buffer.from([1, 2, 3, 4]));
    expect((await peer.next('receive')).data).toEqual({ bytes: 4, buffered: 4 });
    client.end();
    expect((await peer.next('close')).data).toEqual({ reason: 'graceful' });
    expect((await gw.call('DELETE', '/sessions/ev-peer')).status).toBe(200);
    expect((await peer.next('close')).data).toEqual({ reason: 'local' });
    await peer.end();
    expect(peer.ended).toBe(true);
    expect(peer.seen.map((e) => e.id)).toEqual([undefined, 1, 2, 3]);
  });

  it('a client session: connect with the remote address; a reset is a close with WSAECONNRESET', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'ev-cli' });
    const events = await openEvents('ev-cli');
    expect((await events.next<SessionInfo>('session')).data.state).toBe('created');
    expect((await gw.call('POST', '/sessions/ev-cli/connect', { host: '127.0.0.1', port })).status).toBe(200);
    expect((await events.next('connect')).data).toEqual({ remote: { address: '127.0.0.1', port } });
    const sock = await accepted;
    sock.resetAndDestroy();
    expect((await events.next('close')).data).toMatchObject({ reason: 'reset', wsa: 'WSAECONNRESET' });
    events.close();
    server.close();
  });

  it('a datagram session: receive with the queue length, close when deleted', async () => {
    await gw.call('POST', '/sessions', { kind: 'datagram', name: 'ev-dg' });
    const sender = (await gw.call<SessionInfo>('POST', '/sessions', { kind: 'datagram', name: 'ev-dg-tx' })).body.name;
    const port = (await gw.call<SessionInfo>('GET', '/sessions/ev-dg')).body.local!.port;
    const events = await openEvents('ev-dg');
    expect((await events.next('session')).data).toMatchObject({ kind: 'datagram', state: 'created' });
    await gw.call('POST', `/sessions/${sender}/datagrams`, { host: '127.0.0.1', port, data: 'aGVsbG8=' });
    expect((await events.next('receive')).data).toEqual({ bytes: 5, queued: 1 });
    await gw.call('DELETE', '/sessions/ev-dg');
    expect((await events.next('close')).data).toEqual({ reason: 'local' });
    await events.end();
  });

  it('an open stream ends when the gateway closes, and does not hold the close', async () => {
    const other = await startGateway();
    await other.call('POST', '/sessions', { kind: 'datagram', name: 'held' });
    const res = await fetch(`${other.base}/sessions/held/events`);
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: session');
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(3000);
    // The client sees the end of the stream (an EventSource would reconnect, and find the gateway gone).
    for (;;) if ((await reader.read()).done) break;
  });

  it('SESSION_NOT_FOUND 404 and VALIDATION 400 as JSON, before any stream starts', async () => {
    expectProblem(await gw.call('GET', '/sessions/nobody/events'), 404, 'SESSION_NOT_FOUND');
    expectProblem(await gw.call('GET', '/sessions/no%20body/events'), 400, 'VALIDATION', { path: '/name', in: 'params' });
  });
});

/** The value of one sample in Prometheus text, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return 0;
}

describe('GET /metrics and GET /health', () => {
  it('exposes sessions, messages, errors, bytes and request latency, and the numbers move after traffic', async () => {
    const scrape = async () => {
      const r = await gw.call<string>('GET', '/metrics');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/plain/);
      return r.body;
    };
    const before = await scrape();
    for (const name of ['archway_sessions', 'archway_messages_total', 'archway_errors_total', 'archway_request_duration_seconds', 'archway_socket_bytes_total']) {
      expect(before).toContain(`# TYPE ${name} `);
    }
    // Traffic: a connected pair, two stores and a load, one datagram each way, some errors.
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'm-srv' });
    const port = (await gw.call<SessionInfo>('POST', '/sessions/m-srv/listen', {})).body.local!.port;
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'm-cli' });
    await gw.call('POST', '/sessions/m-cli/connect', { host: '127.0.0.1', port });
    await gw.call('POST', '/sessions/m-srv/accept', { as: 'm-peer' });
    await gw.call('POST', '/sessions/m-cli/store', { values: [{ type: 'DWORD', value: 1 }, { type: 'DWORD', value: 2 }] });
    await gw.call('POST', '/sessions/m-peer/load', { type: 'DWORD', timeoutMs: 2000 });
    await gw.call('GET', '/sessions/m-missing');
    await gw.call('GET', '/sessions/m-missing');
    await gw.call('POST', '/sessions/m-cli/store', { type: 'BYTE', value: 999 });
    const after = await scrape();

    expect(sample(after, 'archway_sessions', { kind: 'stream', state: 'connected' }) - sample(before, 'archway_sessions', { kind: 'stream', state: 'connected' })).toBe(2);
    expect(sample(after, 'archway_sessions', { kind: 'stream', state: 'listening' }) - sample(before, 'archway_sessions', { kind: 'stream', state: 'listening' })).toBe(1);
    expect(sample(after, 'archway_messages_total', { op: 'store' }) - sample(before, 'archway_messages_total', { op: 'store' })).toBe(2);
    expect(sample(after, 'archway_messages_total', { op: 'load' }) - sample(before, 'archway_messages_total', { op: 'load' })).toBe(1);
    expect(sample(after, 'archway_errors_total', { code: 'SESSION_NOT_FOUND' }) - sample(before, 'archway_errors_total', { code: 'SESSION_NOT_FOUND' })).toBe(2);
    expect(sample(after, 'archway_errors_total', { code: 'VALIDATION' }) - sample(before, 'archway_errors_total', { code: 'VALIDATION' })).toBe(1);
    expect(sample(after, 'archway_socket_bytes_total', { direction: 'out' }) - sample(before, 'archway_socket_bytes_total', { direction: 'out' })).toBe(8);
    expect(sample(after, 'archway_socket_bytes_total', { direction: 'in' }) - sample(before, 'archway_socket_bytes_total', { direction: 'in' })).toBe(8);
    const storeCount = (t: string) => sample(t, 'archway_request_duration_seconds_count', { route: '/sessions/:name/store' });
    expect(storeCount(after) - storeCount(before)).toBe(2);
    expect(sample(after, 'archway_request_duration_seconds_sum', { route: '/sessions/:name/store' })).toBeGreaterThan(0);
    // The buckets are cumulative, and the last (+Inf) holds every request.
    const buckets = [...after.matchAll(/^archway_request_duration_seconds_bucket\{le="([^"]+)",route="\/sessions\/:name\/store"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])] as const);
    expect(buckets.map(([le]) => le)).toEqual(['0.0005', '0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '30', '+Inf']);
    buckets.slice(1).forEach(([, n], i) => expect(n).toBeGreaterThanOrEqual(buckets[i]![1]));
    expect(buckets.at(-1)![1]).toBe(storeCount(after));
    // A route nobody called has no series.
    expect(after).not.toContain('route="/sessions/:name/datagrams/receive"');

    // Byte counters never go back when sessions close.
    await Promise.all([gw.call('DELETE', '/sessions/m-peer'), gw.call('DELETE', '/sessions/m-cli')]);
    const closed = await scrape();
    expect(sample(closed, 'archway_socket_bytes_total', { direction: 'out' })).toBeGreaterThanOrEqual(sample(after, 'archway_socket_bytes_total', { direction: 'out' }));
    expect(sample(closed, 'archway_sessions', { kind: 'stream', state: 'connected' })).toBe(sample(before, 'archway_sessions', { kind: 'stream', state: 'connected' }));
  });

  it('another gateway instance in the same process has figures of its own', async () => {
    const other = await startGateway();
    try {
      const text = (await other.call<string>('GET', '/metrics')).body;
      expect(sample(text, 'archway_errors_total', { code: 'SESSION_NOT_FOUND' })).toBe(0);
      expect(sample(text, 'archway_messages_total', { op: 'store' })).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('/health answers ok with the session and type counts', async () => {
    const r = await gw.call('GET', '/health');
    expect(r.status).toBe(200);
    const list = (await gw.call<SessionList>('GET', '/sessions')).body.sessions;
    expect(r.body).toEqual({ status: 'ok', sessions: list.length, types: 3, uptimeSeconds: expect.any(Number), memory: { held: expect.any(Number), limit: 128 * 1024 * 1024 } });
  });
});
