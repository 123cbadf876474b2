/**
 * The session routes (SPEC §1, §3, §5): create, list, get, delete, listen, connect, accept — each
 * success, and each error code the route documents, against a real gateway on loopback.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Loaded, type SessionInfo, type SessionList, type TestGateway } from '../support/gateway-harness.js';
import { expectProblem, rawPeer, streamPair, waitBuffered, waitReaders } from '../support/gateway-routes.js';
import { freePort, holdTcpPort, holdUdpPort, stalledListener } from '../support/ports.js';
import { until } from '../support/until.js';

let gw: TestGateway;
beforeAll(async () => {
  // `*.invalid` may be looked up (and never resolves): the HOST_NOT_FOUND test below needs a name past the policy.
  gw = await startGateway({ allowTargets: ['127.0.0.0/8', '::1/128', '*.invalid'] });
});
afterAll(async () => {
  await gw.close();
});

describe('POST /sessions (CSocket::Create)', () => {
  it('creates a named stream session bound to a chosen port: 201, Location, state created', async () => {
    const port = await freePort();
    const r = await gw.call<SessionInfo>('POST', '/sessions', { kind: 'stream', name: 'create-s', port });
    expect(r.status).toBe(201);
    expect(r.headers.location).toBe('/sessions/create-s');
    expect(r.body).toMatchObject({ name: 'create-s', kind: 'stream', state: 'created', pipeline: 1, archiveLifetime: 'connection', bytesIn: 0, bytesOut: 0, buffered: 0 });
    expect(Date.parse(r.body.createdAt)).not.toBeNaN();
    // Listen binds the chosen port on the default (loopback) address.
    expect((await gw.call<SessionInfo>('POST', '/sessions/create-s/listen', {})).body.local).toEqual({ address: '127.0.0.1', port });
  });

  it('creates a datagram session bound on loopback, and generates URL-safe names when none is given', async () => {
    const r = await gw.call<SessionInfo>('POST', '/sessions', { kind: 'datagram' });
    expect(r.status).toBe(201);
    expect(r.body.name).toMatch(/^s-[A-Za-z0-9]+$/);
    expect(r.headers.location).toBe(`/sessions/${r.body.name}`);
    expect(r.body).toMatchObject({ kind: 'datagram', state: 'created', dropped: 0, local: { address: '127.0.0.1' } });
    expect(r.body.local!.port).toBeGreaterThan(0);
    const other = await gw.call<SessionInfo>('POST', '/sessions', { kind: 'stream', pipeline: 4, archiveLifetime: 'message' });
    expect(other.body.name).not.toBe(r.body.name);
    expect(other.body).toMatchObject({ pipeline: 4, archiveLifetime: 'message' });
  });

  it('VALIDATION names the bad field: kind, unknown properties, name pattern, port range', async () => {
    expectProblem(await gw.call('POST', '/sessions', { kind: 'raw' }), 400, 'VALIDATION', { path: '/kind', in: 'body' });
    expectProblem(await gw.call('POST', '/sessions', { kind: 'stream', colour: 'red' }), 400, 'VALIDATION', { path: '/colour' });
    expectProblem(await gw.call('POST', '/sessions', { kind: 'stream', name: 'a/b' }), 400, 'VALIDATION', { path: '/name' });
    expectProblem(await gw.call('POST', '/sessions', { kind: 'stream', port: 70000 }), 400, 'VALIDATION', { path: '/port' });
    expectProblem(await gw.call('POST', '/sessions', {}), 400, 'VALIDATION', { path: '/kind' });
  });

  it('SESSION_EXISTS 409 for a name in use; the first session is untouched', async () => {
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'taken' })).status).toBe(201);
    const again = await gw.call('POST', '/sessions', { kind: 'datagram', name: 'taken' });
    expectProblem(again, 409, 'SESSION_EXISTS');
    expect(again.body.message).toContain('"taken"');
    expect((await gw.call<SessionInfo>('GET', '/sessions/taken')).body).toMatchObject({ kind: 'stream', state: 'created' });
  });

  it('ADDRESS_IN_USE 409 with WSAEADDRINUSE at creation, as MFC binds in Create (stream and datagram)', async () => {
    const tcp = await holdTcpPort();
    const udp = await holdUdpPort();
    try {
      expectProblem(await gw.call('POST', '/sessions', { kind: 'stream', name: 'inuse-s', port: tcp.port }), 409, 'ADDRESS_IN_USE', { wsa: 'WSAEADDRINUSE' });
      expectProblem(await gw.call('POST', '/sessions', { kind: 'datagram', name: 'inuse-d', port: udp.port }), 409, 'ADDRESS_IN_USE', { wsa: 'WSAEADDRINUSE' });
      // The names were not kept by the failed creates.
      expect((await gw.call<SessionInfo>('GET', '/sessions/inuse-s')).status).toBe(404);
      expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'inuse-s' })).status).toBe(201);
    } finally {
      await tcp.close();
      await udp.close();
    }
  });

  it('TARGET_NOT_ALLOWED 403 for a bind address or local port outside the policy (defaults: loopback, 0 and 1024-65535)', async () => {
    const any = await gw.call('POST', '/sessions', { kind: 'stream', address: '0.0.0.0', port: 0 });
    expectProblem(any, 403, 'TARGET_NOT_ALLOWED', { address: '0.0.0.0' });
    expect(any.body.message).toContain('ARCHWAY_ALLOW_BIND');
    const low = await gw.call('POST', '/sessions', { kind: 'datagram', port: 80 });
    expectProblem(low, 403, 'TARGET_NOT_ALLOWED', { port: 80 });
    expect(low.body.message).toContain('ARCHWAY_BIND_PORTS');
    // A bind on ::1 is allowed by default.
    const v6 = await gw.call<SessionInfo>('POST', '/sessions', { kind: 'datagram', address: '::1' });
    expect(v6.status).toBe(201);
    expect(v6.body.local!.address).toBe('::1');
  });
});

describe('GET /sessions, GET and DELETE /sessions/{name}', () => {
  it('lists the sessions and shows one', async () => {
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'listed' });
    const list = await gw.call<SessionList>('GET', '/sessions');
    expect(list.status).toBe(200);
    const names = list.body.sessions.map((s: { name: string }) => s.name);
    expect(names).toContain('listed');
    const one = await gw.call<SessionInfo>('GET', '/sessions/listed');
    expect(one.status).toBe(200);
    expect(one.body).toEqual(list.body.sessions.find((s: { name: string }) => s.name === 'listed'));
  });

  it('SESSION_NOT_FOUND 404 and VALIDATION 400 (params) on GET and DELETE', async () => {
    for (const method of ['GET', 'DELETE']) {
      const missing = await gw.call(method, '/sessions/nobody-here');
      expectProblem(missing, 404, 'SESSION_NOT_FOUND');
      expect(missing.body.message).toContain('"nobody-here"');
      expectProblem(await gw.call(method, '/sessions/bad%20name'), 400, 'VALIDATION', { path: '/name', in: 'params' });
    }
  });

  it('DELETE flushes and closes: 200 with the byte counts, then the name is free', async () => {
    const peer = await rawPeer(gw, 'del-cli');
    const received: Buffer[] = [];
    peer.on('data', (d: Buffer) => received.push(d));
    const ended = new Promise((r) => peer.once('end', r));
    peer.write(Buffer.from([1, 2, 3]));
    await waitBuffered(gw, 'del-cli', 3);
    await gw.call('POST', '/sessions/del-cli/store', { type: 'DWORD', value: 7 });
    const closed = await gw.call('DELETE', '/sessions/del-cli');
    expect(closed.status).toBe(200);
    expect(closed.body).toEqual({ name: 'del-cli', closed: true, bytesIn: 3, bytesOut: 4, flushed: true, unsentBytes: 0 });
    await ended;
    expect(Buffer.concat(received)).toEqual(Buffer.from([7, 0, 0, 0]));
    expectProblem(await gw.call('GET', '/sessions/del-cli'), 404, 'SESSION_NOT_FOUND');
    expectProblem(await gw.call('DELETE', '/sessions/del-cli'), 404, 'SESSION_NOT_FOUND');
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'del-cli' })).status).toBe(201);
  });
});

describe('POST /sessions/{name}/listen (CSocket::Listen)', () => {
  it('listens on the loopback address by default (backlog 5), and with a body or none', async () => {
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'lsn' });
    const r = await gw.call('POST', '/sessions/lsn/listen', { backlog: 2 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'listening', pendingConnections: 0, local: { address: '127.0.0.1' } });
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'lsn-nobody' });
    const bare = await gw.call<SessionInfo>('POST', '/sessions/lsn-nobody/listen');
    expect(bare.status, JSON.stringify(bare.body)).toBe(200);
    expect(bare.body.state).toBe('listening');
  });

  it('INVALID_STATE 409 for listen twice, on a connected or a datagram session', async () => {
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'lsn2' });
    expect((await gw.call('POST', '/sessions/lsn2/listen', {})).status).toBe(200);
    expectProblem(await gw.call('POST', '/sessions/lsn2/listen', {}), 409, 'INVALID_STATE', { state: 'listening', wsa: 'WSAEINVAL' });
    const { client } = await streamPair(gw, 'lsn3');
    expectProblem(await gw.call('POST', `/sessions/${client}/listen`, {}), 409, 'INVALID_STATE', { state: 'connected', wsa: 'WSAEISCONN' });
    await gw.call('POST', '/sessions', { kind: 'datagram', name: 'lsn-dg' });
    const dg = await gw.call('POST', '/sessions/lsn-dg/listen', {});
    expectProblem(dg, 409, 'INVALID_STATE');
    expect(dg.body.message).toContain('datagram');
  });

  it('SESSION_NOT_FOUND 404 and VALIDATION 400 (backlog out of range)', async () => {
    expectProblem(await gw.call('POST', '/sessions/ghost/listen', {}), 404, 'SESSION_NOT_FOUND');
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'lsn4' });
    expectProblem(await gw.call('POST', '/sessions/lsn4/listen', { backlog: 0 }), 400, 'VALIDATION', { path: '/backlog' });
    expect((await gw.call<SessionInfo>('GET', '/sessions/lsn4')).body.state).toBe('created');
  });

  it('ADDRESS_IN_USE 409 with WSAEADDRINUSE when the port was taken between Create and Listen', async () => {
    const port = await freePort();
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'lsn5', port })).status).toBe(201);
    const thief = net.createServer();
    await new Promise<void>((r) => thief.listen(port, '127.0.0.1', r));
    try {
      expectProblem(await gw.call('POST', '/sessions/lsn5/listen', {}), 409, 'ADDRESS_IN_USE', { wsa: 'WSAEADDRINUSE' });
      expect((await gw.call<SessionInfo>('GET', '/sessions/lsn5')).body.state).toBe('created');
    } finally {
      await new Promise<void>((r) => thief.close(() => r()));
    }
    expect((await gw.call('POST', '/sessions/lsn5/listen', {})).status).toBe(200);
  });
});

describe('POST /sessions/{name}/connect (CSocket::Connect)', () => {
  it('connects by dotted address (IPv4 and IPv6) and by host name', async () => {
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'srv4' });
    const l4 = (await gw.call<SessionInfo>('POST', '/sessions/srv4/listen', {})).body.local!.port;
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'srv6', address: '::1' });
    const l6 = (await gw.call<SessionInfo>('POST', '/sessions/srv6/listen', {})).body.local!;
    expect(l6.address).toBe('::1');
    for (const [name, host, port] of [['c4', '127.0.0.1', l4], ['cname', 'localhost', l4], ['c6', '::1', l6.port]] as const) {
      await gw.call('POST', '/sessions', { kind: 'stream', name });
      const r = await gw.call('POST', `/sessions/${name}/connect`, { host, port });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ state: 'connected', remote: { port } });
    }
  });

  it('CONNECTION_REFUSED 502 with WSAECONNREFUSED; the session stays created and can connect later', async () => {
    const port = await freePort();
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'refused' });
    const r = await gw.call('POST', '/sessions/refused/connect', { host: '127.0.0.1', port });
    expectProblem(r, 502, 'CONNECTION_REFUSED', { wsa: 'WSAECONNREFUSED' });
    expect(r.body.message).toContain(`127.0.0.1:${port}`);
    expect((await gw.call<SessionInfo>('GET', '/sessions/refused')).body.state).toBe('created');
    const srv = await holdTcpPort();
    try {
      expect((await gw.call('POST', '/sessions/refused/connect', { host: '127.0.0.1', port: srv.port })).status).toBe(200);
    } finally {
      await srv.close();
    }
  });

  it('HOST_NOT_FOUND 502 with WSAHOST_NOT_FOUND for a name that cannot resolve (.invalid)', async () => {
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'nohost' });
    const r = await gw.call('POST', '/sessions/nohost/connect', { host: 'archway-test.invalid', port: 7000 });
    expectProblem(r, 502, 'HOST_NOT_FOUND', { wsa: 'WSAHOST_NOT_FOUND' });
    expect(r.body.message).toContain('archway-test.invalid');
  });

  it('TARGET_NOT_ALLOWED 403 for an address outside the allowlist, refused before any packet', async () => {
    // Only 127.0.0.2 is allowed; every target aimed at is loopback all the same (no test aims elsewhere).
    const narrow = await startGateway({ allowTargets: ['127.0.0.2/32'] });
    try {
      await narrow.call('POST', '/sessions', { kind: 'stream', name: 'ssrf' });
      for (const host of ['127.0.0.1', '::1', '127.0.0.3']) {
        const r = await narrow.call('POST', '/sessions/ssrf/connect', { host, port: 80, timeoutMs: 200 });
        expectProblem(r, 403, 'TARGET_NOT_ALLOWED', { host, address: host, port: 80 });
        expect(r.body.message).toContain('ARCHWAY_ALLOW_TARGETS');
      }
      expect((await narrow.call<SessionInfo>('GET', '/sessions/ssrf')).body.state).toBe('created');
    } finally {
      await narrow.close();
    }
  });

  it('TIMEOUT 504 with WSAETIMEDOUT when the target never completes the handshake', async () => {
    const stalled = await stalledListener();
    try {
      await gw.call('POST', '/sessions', { kind: 'stream', name: 'slowconn' });
      const started = Date.now();
      const r = await gw.call('POST', '/sessions/slowconn/connect', { host: '127.0.0.1', port: stalled.port, timeoutMs: 250 });
      expectProblem(r, 504, 'TIMEOUT', { wsa: 'WSAETIMEDOUT' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(240);
      expect((await gw.call<SessionInfo>('GET', '/sessions/slowconn')).body.state).toBe('created');
    } finally {
      stalled.close();
    }
  });

  it('SOCKET_ERROR 502 with the Winsock name for other socket errors (an IPv6-bound socket connecting to IPv4)', async () => {
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'v6only', address: '::1' });
    const srv = await holdTcpPort();
    try {
      expectProblem(await gw.call('POST', '/sessions/v6only/connect', { host: '127.0.0.1', port: srv.port }), 502, 'SOCKET_ERROR', { wsa: 'WSAEINVAL' });
    } finally {
      await srv.close();
    }
  });

  it('INVALID_STATE 409 for connecting a connected or listening session; SESSION_NOT_FOUND; VALIDATION', async () => {
    const { client, listener } = await streamPair(gw, 'conn2');
    expectProblem(await gw.call('POST', `/sessions/${client}/connect`, { host: '127.0.0.1', port: 9 }), 409, 'INVALID_STATE', { wsa: 'WSAEISCONN', state: 'connected' });
    expectProblem(await gw.call('POST', `/sessions/${listener}/connect`, { host: '127.0.0.1', port: 9 }), 409, 'INVALID_STATE', { state: 'listening' });
    expectProblem(await gw.call('POST', '/sessions/ghost/connect', { host: '127.0.0.1', port: 9 }), 404, 'SESSION_NOT_FOUND');
    expectProblem(await gw.call('POST', `/sessions/${client}/connect`, { host: '127.0.0.1', port: 0 }), 400, 'VALIDATION', { path: '/port' });
    expectProblem(await gw.call('POST', `/sessions/${client}/connect`, { port: 9 }), 400, 'VALIDATION', { path: '/host' });
    expectProblem(await gw.call('POST', `/sessions/${client}/connect`, { host: '127.0.0.1', port: 9, timeoutMs: 300_001 }), 400, 'VALIDATION', { path: '/timeoutMs' });
  });
});

describe('POST /sessions/{name}/accept (CSocket::Accept)', () => {
  it('long-polls until a client connects, then answers 201 with the new connected session', async () => {
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'acc' });
    const port = (await gw.call<SessionInfo>('POST', '/sessions/acc/listen', {})).body.local!.port;
    const held = gw.ctx.sessions.size;
    const waiting = gw.call('POST', '/sessions/acc/accept', { as: 'acc-peer', timeoutMs: 3000, pipeline: 3, archiveLifetime: 'message' });
    // While it waits, the name is reserved (counted under the cap, taken for creates) but not yet a session.
    await until(() => gw.ctx.sessions.size === held + 1, 'the accept to wait');
    expectProblem(await gw.call('GET', '/sessions/acc-peer'), 404, 'SESSION_NOT_FOUND');
    expectProblem(await gw.call('POST', '/sessions', { kind: 'stream', name: 'acc-peer' }), 409, 'SESSION_EXISTS');
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'acc-cli' });
    const cli = await gw.call<SessionInfo>('POST', '/sessions/acc-cli/connect', { host: '127.0.0.1', port });
    const r = await waiting;
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.headers.location).toBe('/sessions/acc-peer');
    expect(r.body).toMatchObject({ name: 'acc-peer', kind: 'stream', state: 'connected', pipeline: 3, archiveLifetime: 'message', local: { port }, remote: { port: cli.body.local!.port } });
    expect((await gw.call<SessionInfo>('GET', '/sessions/acc')).body).toMatchObject({ state: 'listening', pendingConnections: 0 });
  });

  it('a pending connection is accepted at once with a generated name', async () => {
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'acc2' });
    const port = (await gw.call<SessionInfo>('POST', '/sessions/acc2/listen', {})).body.local!.port;
    const sock = net.connect(port, '127.0.0.1');
    sock.on('error', () => undefined);
    await new Promise((r) => sock.once('connect', r));
    await until(async () => (await gw.call<SessionInfo>('GET', '/sessions/acc2')).body.pendingConnections === 1, 'a pending connection');
    const r = await gw.call<SessionInfo>('POST', '/sessions/acc2/accept');
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.name).toMatch(/^s-/);
    expect(r.body.remote!.port).toBe(sock.localPort);
    sock.destroy();
  });

  it('TIMEOUT 504 when nobody connects; the reserved name is released', async () => {
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'acc3' });
    await gw.call('POST', '/sessions/acc3/listen', {});
    const started = Date.now();
    const r = await gw.call('POST', '/sessions/acc3/accept', { as: 'acc3-peer', timeoutMs: 150 });
    expectProblem(r, 504, 'TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'acc3-peer' })).status).toBe(201);
  });

  it('SESSION_EXISTS 409 for an `as` name in use, before waiting', async () => {
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'acc4' });
    await gw.call('POST', '/sessions/acc4/listen', {});
    expectProblem(await gw.call('POST', '/sessions/acc4/accept', { as: 'acc4', timeoutMs: 5000 }), 409, 'SESSION_EXISTS');
  });

  it('INVALID_STATE 409 on a session that does not listen (created, datagram); SESSION_NOT_FOUND; VALIDATION', async () => {
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'acc5' });
    expectProblem(await gw.call('POST', '/sessions/acc5/accept', { timeoutMs: 100 }), 409, 'INVALID_STATE', { state: 'created' });
    await gw.call('POST', '/sessions', { kind: 'datagram', name: 'acc5-dg' });
    expectProblem(await gw.call('POST', '/sessions/acc5-dg/accept', { timeoutMs: 100 }), 409, 'INVALID_STATE');
    expectProblem(await gw.call('POST', '/sessions/ghost/accept', { timeoutMs: 100 }), 404, 'SESSION_NOT_FOUND');
    expectProblem(await gw.call('POST', '/sessions/acc5/accept', { as: 'no spaces' }), 400, 'VALIDATION', { path: '/as' });
    expectProblem(await gw.call('POST', '/sessions/acc5/accept', { timeoutMs: 0 }), 400, 'VALIDATION', { path: '/timeoutMs' });
    expectProblem(await gw.call('POST', '/sessions/acc5/accept', { timeoutMs: 300_001 }), 400, 'VALIDATION', { path: '/timeoutMs' });
    expectProblem(await gw.call('POST', '/sessions/acc5/accept', { pipeline: 0 }), 400, 'VALIDATION', { path: '/pipeline' });
  });

  it('closing the listener fails a waiting accept instead of leaving it hanging', async () => {
    await gw.call('POST', '/sessions', { kind: 'stream', name: 'acc6' });
    await gw.call('POST', '/sessions/acc6/listen', {});
    const held = gw.ctx.sessions.size;
    const waiting = gw.call('POST', '/sessions/acc6/accept', { as: 'acc6-peer', timeoutMs: 5000 });
    await until(() => gw.ctx.sessions.size === held + 1, 'the accept to wait');
    expect((await gw.call('DELETE', '/sessions/acc6')).status).toBe(200);
    expectProblem(await waiting, 409, 'INVALID_STATE');
    expect((await gw.call<SessionInfo>('GET', '/sessions/acc6-peer')).status).toBe(404);
  });
});

describe('caps and policy (dedicated gateways)', () => {
  it('TOO_MANY_SESSIONS 429 on create and on accept past maxSessions; room again after a delete', async () => {
    const small = await startGateway({ maxSessions: 2 });
    const sock = new net.Socket();
    sock.on('error', () => undefined);
    try {
      await small.call('POST', '/sessions', { kind: 'stream', name: 'l' });
      const port = (await small.call<SessionInfo>('POST', '/sessions/l/listen', {})).body.local!.port;
      await small.call('POST', '/sessions', { kind: 'datagram', name: 'd' });
      const create = await small.call('POST', '/sessions', { kind: 'datagram' });
      expectProblem(create, 429, 'TOO_MANY_SESSIONS');
      expect(create.body.message).toContain('ARCHWAY_MAX_SESSIONS');
      await new Promise((r) => sock.connect(port, '127.0.0.1', () => r(undefined)));
      await until(async () => (await small.call<SessionInfo>('GET', '/sessions/l')).body.pendingConnections === 1, 'a pending connection');
      expectProblem(await small.call('POST', '/sessions/l/accept', { timeoutMs: 500 }), 429, 'TOO_MANY_SESSIONS');
      // The connection waits in the queue; a delete makes room and the accept succeeds.
      expect((await small.call<SessionInfo>('GET', '/sessions/l')).body.pendingConnections).toBe(1);
      await small.call('DELETE', '/sessions/d');
      expect((await small.call('POST', '/sessions/l/accept', { as: 'p', timeoutMs: 500 })).status).toBe(201);
    } finally {
      sock.destroy();
      await small.close();
    }
  });

  it('TARGET_NOT_ALLOWED for ports outside connectPorts / bindPorts and hosts outside allowTargets; names and addresses both count', async () => {
    const fromPorts: (number | undefined)[] = [];
    const srv = net.createServer((s) => {
      fromPorts.push(s.remotePort);
      s.destroy();
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    const strict = await startGateway({ allowTargets: ['::1/128', 'trust:localhost'], connectPorts: `${port}`, bindPorts: '0,40000-40010' });
    try {
      await strict.call('POST', '/sessions', { kind: 'stream', name: 'x' });
      // 127.0.0.1 is not in this allowlist: refused before connecting, so the listener sees nothing.
      const byAddress = await strict.call('POST', '/sessions/x/connect', { host: '127.0.0.1', port });
      expectProblem(byAddress, 403, 'TARGET_NOT_ALLOWED', { host: '127.0.0.1', port });
      const otherPort = await strict.call('POST', '/sessions/x/connect', { host: 'localhost', port: port === 65535 ? 65534 : port + 1 });
      expectProblem(otherPort, 403, 'TARGET_NOT_ALLOWED');
      expect(otherPort.body.message).toContain('ARCHWAY_CONNECT_PORTS');
      // The name `localhost` is allowed whatever it resolves to: its entry says trust:.
      const allowed = await strict.call<SessionInfo>('POST', '/sessions/x/connect', { host: 'localhost', port });
      expect(allowed.status).toBe(200);
      // The listener accepts in arrival order: once it has the allowed connection, a refused one
      // would have come before it. It has that one alone.
      await until(() => fromPorts.length > 0, 'the listener to accept the allowed connection');
      expect(fromPorts).toEqual([allowed.body.local!.port]);
      const bind = await strict.call('POST', '/sessions', { kind: 'stream', port: 50000 });
      expectProblem(bind, 403, 'TARGET_NOT_ALLOWED', { port: 50000 });
      expect(bind.body.message).toContain('ARCHWAY_BIND_PORTS');
    } finally {
      await strict.close();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });

  it('ADDRESS_NOT_AVAILABLE 409 (WSAEADDRNOTAVAIL) binding an address not of this machine; a name as bind address is refused by the policy, never looked up', async () => {
    // ::2 is allowed here but is no address of this machine: the bind fails locally, no packet is sent.
    const odd = await startGateway({ allowBind: ['::2', '127.0.0.1'] });
    try {
      expectProblem(await odd.call('POST', '/sessions', { kind: 'stream', address: '::2' }), 409, 'ADDRESS_NOT_AVAILABLE', { wsa: 'WSAEADDRNOTAVAIL' });
      expectProblem(await odd.call('POST', '/sessions', { kind: 'datagram', address: '::2' }), 409, 'ADDRESS_NOT_AVAILABLE', { wsa: 'WSAEADDRNOTAVAIL' });
      // The default bind address (the first allowed) is only bound by Listen for a port-less stream session.
      const created = await odd.call('POST', '/sessions', { kind: 'stream', name: 'late' });
      expect(created.status).toBe(201);
      expectProblem(await odd.call('POST', '/sessions/late/listen', {}), 409, 'ADDRESS_NOT_AVAILABLE', { wsa: 'WSAEADDRNOTAVAIL' });
      expectProblem(await odd.call('POST', '/sessions', { kind: 'stream', address: 'localhost' }), 403, 'TARGET_NOT_ALLOWED', { address: 'localhost' });
    } finally {
      await odd.close();
    }
  });

  it('closing the gateway: a request in flight finishes, an idle or request-less connection does not hold it, sessions flush and close', async () => {
    const closing = await startGateway();
    const peer = await rawPeer(closing, 'drained');
    const received: Buffer[] = [];
    peer.on('data', (d: Buffer) => received.push(d));
    const peerEnded = new Promise((r) => peer.once('end', r));
    // A connection that never sends a request (a browser's spare preconnect does this).
    const silent = net.connect(Number(new URL(closing.base).port), '127.0.0.1');
    silent.on('error', () => undefined);
    await new Promise((r) => silent.once('connect', r));
    const silentClosed = new Promise((r) => silent.once('close', r));
    const inFlight = closing.call<Loaded>('POST', '/sessions/drained/load', { type: 'DWORD', timeoutMs: 5000 });
    await waitReaders(closing, 'drained', 1);
    await closing.call('POST', '/sessions/drained/store', { type: 'WORD', value: 0x0102 });
    const started = Date.now();
    const closed = closing.close();
    await silentClosed; // the close is under way: it dropped the request-less connection
    peer.write(Buffer.from([9, 0, 0, 0]));
    const r = await inFlight;
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.value).toBe(9);
    await closed;
    expect(Date.now() - started).toBeLessThan(3000);
    await peerEnded;
    expect(Buffer.concat(received)).toEqual(Buffer.from([2, 1]));
    peer.destroy();
    silent.destroy();
  });

  it('SHUTTING_DOWN 503: once the gateway starts closing its sessions it creates no new ones', async () => {
    const closing = await startGateway();
    try {
      await closing.call('POST', '/sessions', { kind: 'stream', name: 'old' });
      await closing.ctx.sessions.closeAll();
      expectProblem(await closing.call('POST', '/sessions', { kind: 'stream' }), 503, 'SHUTTING_DOWN');
      expect((await closing.call<SessionList>('GET', '/sessions')).body.sessions).toEqual([]);
    } finally {
      await closing.close();
    }
  });
});
