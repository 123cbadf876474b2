/**
 * The datagram routes (SPEC §1): SendTo / ReceiveFrom, Connect then Send / Receive, and each error
 * the routes document. Datagram sessions of one gateway talk to each other on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Received, type Sent, type SessionInfo, type TestGateway } from '../support/gateway-harness.js';
import { b64, expectProblem, streamPair, waitReceives } from '../support/gateway-routes.js';

let gw: TestGateway;
const port: Record<string, number> = {};

beforeAll(async () => {
  gw = await startGateway({ allowTargets: ['127.0.0.0/8', '::1/128', '*.invalid'] });
  for (const name of ['a', 'b', 'c', 'lonely']) {
    const r = await gw.call<SessionInfo>('POST', '/sessions', { kind: 'datagram', name });
    expect(r.status).toBe(201);
    port[name] = r.body.local!.port;
  }
  await gw.call('POST', '/sessions', { kind: 'stream', name: 'tcp' });
});
afterAll(async () => {
  await gw.close();
});

describe('POST /sessions/{name}/datagrams and /datagrams/receive', () => {
  it('SendTo then ReceiveFrom: the data and the sender arrive', async () => {
    const sent = await gw.call('POST', '/sessions/a/datagrams', { host: '127.0.0.1', port: port.b, data: b64('ping') });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ bytes: 4 });
    const got = await gw.call('POST', '/sessions/b/datagrams/receive', { timeoutMs: 2000 });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ from: { address: '127.0.0.1', port: port.a }, data: b64('ping'), bytes: 4 });
    expect((await gw.call<SessionInfo>('GET', '/sessions/b')).body).toMatchObject({ bytesIn: 4, buffered: 0 });
    expect((await gw.call<SessionInfo>('GET', '/sessions/a')).body).toMatchObject({ bytesOut: 4 });
  });

  it('receive long-polls until a datagram comes; datagrams keep their boundaries and order', async () => {
    const waiting = gw.call('POST', '/sessions/b/datagrams/receive', { timeoutMs: 3000 });
    await waitReceives(gw, 'b', 1);
    await gw.call('POST', '/sessions/a/datagrams', { host: 'localhost', port: port.b, data: b64([1]) });
    await gw.call('POST', '/sessions/a/datagrams', { host: '127.0.0.1', port: port.b, data: b64([2, 2]) });
    expect((await waiting).body).toMatchObject({ data: b64([1]), bytes: 1 });
    expect((await gw.call<Received>('POST', '/sessions/b/datagrams/receive', { timeoutMs: 2000 })).body).toMatchObject({ data: b64([2, 2]), bytes: 2 });
  });

  it('a datagram as large as UDP carries (60000 bytes) goes through whole', async () => {
    const data = Buffer.alloc(60_000, 0x5a).toString('base64');
    expect((await gw.call<Sent>('POST', '/sessions/a/datagrams', { host: '127.0.0.1', port: port.b, data })).body).toEqual({ bytes: 60_000 });
    const got = await gw.call<Received>('POST', '/sessions/b/datagrams/receive', { timeoutMs: 2000 });
    expect(got.body.bytes).toBe(60_000);
    expect(got.body.data).toBe(data);
  });

  it('Connect on a datagram session sets the default peer: Send needs no host', async () => {
    const c = await gw.call('POST', '/sessions/c/connect', { host: '127.0.0.1', port: port.b });
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ kind: 'datagram', state: 'connected', remote: { address: '127.0.0.1', port: port.b } });
    expect((await gw.call<Sent>('POST', '/sessions/c/datagrams', { data: b64('hi') })).status).toBe(200);
    expect((await gw.call<Received>('POST', '/sessions/b/datagrams/receive', { timeoutMs: 2000 })).body).toMatchObject({ from: { port: port.c }, data: b64('hi') });
    expectProblem(await gw.call('POST', '/sessions/c/connect', { host: '127.0.0.1', port: port.a }), 409, 'INVALID_STATE', { wsa: 'WSAEISCONN' });
  });

  it('TIMEOUT 504 when no datagram comes', async () => {
    const started = Date.now();
    expectProblem(await gw.call('POST', '/sessions/lonely/datagrams/receive', { timeoutMs: 120 }), 504, 'TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('MESSAGE_TOO_LARGE 413 with WSAEMSGSIZE for a datagram of 70000 bytes; nothing is sent', async () => {
    const before = (await gw.call<SessionInfo>('GET', '/sessions/a')).body.bytesOut;
    const r = await gw.call('POST', '/sessions/a/datagrams', { host: '127.0.0.1', port: port.lonely, data: Buffer.alloc(70_000).toString('base64') });
    expectProblem(r, 413, 'MESSAGE_TOO_LARGE', { wsa: 'WSAEMSGSIZE' });
    expect(r.body.message).toContain('70000');
    expect((await gw.call<SessionInfo>('GET', '/sessions/a')).body.bytesOut).toBe(before);
    expectProblem(await gw.call('POST', '/sessions/lonely/datagrams/receive', { timeoutMs: 50 }), 504, 'TIMEOUT');
  });

  it('INVALID_STATE 409 for Send without a host on an unconnected session (WSAENOTCONN)', async () => {
    expectProblem(await gw.call('POST', '/sessions/a/datagrams', { data: b64('x') }), 409, 'INVALID_STATE', { wsa: 'WSAENOTCONN' });
  });

  it('TARGET_NOT_ALLOWED 403 for a target outside the allowlist, on SendTo and on Connect, before anything is sent', async () => {
    // Only 127.0.0.2 is allowed: the refused targets are loopback all the same (no test aims elsewhere).
    const narrow = await startGateway({ allowTargets: ['127.0.0.2/32'] });
    try {
      expect((await narrow.call('POST', '/sessions', { kind: 'datagram', name: 'a' })).status).toBe(201);
      expect((await narrow.call('POST', '/sessions', { kind: 'datagram', name: 'lonely' })).status).toBe(201);
      for (const host of ['127.0.0.1', '127.0.0.3']) {
        expectProblem(await narrow.call('POST', '/sessions/a/datagrams', { host, port: 53, data: b64('x') }), 403, 'TARGET_NOT_ALLOWED', { host, port: 53 });
      }
      expect((await narrow.call<SessionInfo>('GET', '/sessions/a')).body.bytesOut).toBe(0);
      expectProblem(await narrow.call('POST', '/sessions/lonely/connect', { host: '127.0.0.1', port: 53 }), 403, 'TARGET_NOT_ALLOWED', { host: '127.0.0.1' });
      expect((await narrow.call<SessionInfo>('GET', '/sessions/lonely')).body.state).toBe('created');
    } finally {
      await narrow.close();
    }
  });

  it('HOST_NOT_FOUND 502 with WSAHOST_NOT_FOUND for a name that does not resolve', async () => {
    expectProblem(await gw.call('POST', '/sessions/a/datagrams', { host: 'nowhere.invalid', port: 9, data: b64('x') }), 502, 'HOST_NOT_FOUND', { wsa: 'WSAHOST_NOT_FOUND' });
    expectProblem(await gw.call('POST', '/sessions/lonely/connect', { host: 'nowhere.invalid', port: 9 }), 502, 'HOST_NOT_FOUND', { wsa: 'WSAHOST_NOT_FOUND' });
  });

  it('SOCKET_ERROR 502 with the Winsock name for another socket error (an IPv4 socket sending to ::1)', async () => {
    const before = (await gw.call<SessionInfo>('GET', '/sessions/a')).body.bytesOut;
    expectProblem(await gw.call('POST', '/sessions/a/datagrams', { host: '::1', port: port.b, data: b64('x') }), 502, 'SOCKET_ERROR', { wsa: 'WSAEINVAL' });
    // Nothing went out, so nothing is counted as sent.
    expect((await gw.call<SessionInfo>('GET', '/sessions/a')).body.bytesOut).toBe(before);
  });

  it('VALIDATION 400: host without port, data that is not base64, timeoutMs above the cap', async () => {
    expectProblem(await gw.call('POST', '/sessions/a/datagrams', { host: '127.0.0.1', data: b64('x') }), 400, 'VALIDATION', { path: '/port', in: 'body' });
    expectProblem(await gw.call('POST', '/sessions/a/datagrams', { port: 9, data: b64('x') }), 400, 'VALIDATION', { path: '/host' });
    expectProblem(await gw.call('POST', '/sessions/a/datagrams', { host: '127.0.0.1', port: port.b, data: 'Q' }), 400, 'VALIDATION', { path: '/data' });
    expectProblem(await gw.call('POST', '/sessions/a/datagrams', { host: '127.0.0.1', port: 0, data: 'QQ==' }), 400, 'VALIDATION', { path: '/port' });
    expectProblem(await gw.call('POST', '/sessions/a/datagrams/receive', { timeoutMs: 300_001 }), 400, 'VALIDATION', { path: '/timeoutMs' });
    expectProblem(await gw.call('POST', '/sessions/a/datagrams/receive', { wait: 1 }), 400, 'VALIDATION', { path: '/wait' });
  });

  it('SESSION_NOT_FOUND 404 on both routes', async () => {
    expectProblem(await gw.call('POST', '/sessions/ghost/datagrams', { host: '127.0.0.1', port: 9, data: b64('x') }), 404, 'SESSION_NOT_FOUND');
    expectProblem(await gw.call('POST', '/sessions/ghost/datagrams/receive', { timeoutMs: 50 }), 404, 'SESSION_NOT_FOUND');
  });

  it('INVALID_STATE 409 for datagram routes on a stream session, and archive routes on a datagram one', async () => {
    const send = await gw.call('POST', '/sessions/tcp/datagrams', { host: '127.0.0.1', port: port.b, data: b64('x') });
    expectProblem(send, 409, 'INVALID_STATE');
    expect(send.body.message).toContain('stream session');
    expectProblem(await gw.call('POST', '/sessions/tcp/datagrams/receive', { timeoutMs: 50 }), 409, 'INVALID_STATE');
    const { client } = await streamPair(gw, 'dgx');
    expectProblem(await gw.call('POST', `/sessions/${client}/datagrams/receive`, { timeoutMs: 50 }), 409, 'INVALID_STATE');
    expectProblem(await gw.call('POST', '/sessions/a/load', { type: 'DWORD', timeoutMs: 50 }), 409, 'ARCHIVE_REQUIRES_STREAM');
  });

  it('closing a datagram session fails its waiting receive and frees its port', async () => {
    const made = await gw.call<SessionInfo>('POST', '/sessions', { kind: 'datagram', name: 'short-lived' });
    const waiting = gw.call('POST', '/sessions/short-lived/datagrams/receive', { timeoutMs: 3000 });
    await waitReceives(gw, 'short-lived', 1);
    expect((await gw.call('DELETE', '/sessions/short-lived')).status).toBe(200);
    expectProblem(await waiting, 409, 'INVALID_STATE');
    const again = await gw.call('POST', '/sessions', { kind: 'datagram', name: 'short-lived', port: made.body.local!.port });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
  });
});
