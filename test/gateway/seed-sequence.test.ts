/**
 * The seed's table (SPEC §1) over REST, row by row: two sessions of one gateway talking to each
 * other as MFC server and client. Real sockets on loopback, real HTTP from undici.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Loaded, type Problem, type Received, type Sent, type SessionInfo, type Stored, type TestGateway } from '../support/gateway-harness.js';
import { freePort } from '../support/ports.js';

/** Every primitive of SPEC §2 with a value in its canonical JSON form (decode gives it back as is). */
const PRIMITIVE_VALUES: { type: string; value: unknown }[] = [
  { type: 'BYTE', value: 200 },
  { type: 'char', value: 65 },
  { type: 'bool', value: true },
  { type: 'BOOL', value: false },
  { type: 'WORD', value: 65535 },
  { type: 'short', value: -32768 },
  { type: 'wchar_t', value: 0x20ac },
  { type: 'DWORD', value: 4294967295 },
  { type: 'UINT', value: 7 },
  { type: 'LONG', value: -2147483648 },
  { type: 'int', value: 123456 },
  { type: 'LONGLONG', value: '-9223372036854775808' },
  { type: 'ULONGLONG', value: '18446744073709551615' },
  { type: 'float', value: 1.5 },
  { type: 'double', value: 3.141592653589793 },
  { type: 'CString', value: 'Señor Ünïcode ok' },
  { type: 'CStringA', value: 'Ærø' },
  { type: 'CStringW', value: 'Grüße 世界 €' },
  { type: 'CTime', value: '2019-10-03T14:47:55Z' },
  { type: 'CTimeSpan', value: 86400 },
  { type: 'COleDateTime', value: '2000-01-01T00:00:00' },
  { type: 'COleDateTimeSpan', value: 1.5 },
  { type: 'COleCurrency', value: '-1234.5678' },
  { type: 'COleVariant', value: { vt: 'VT_BSTR', value: 'variant' } },
  { type: 'GUID', value: '6b29fc40-ca47-1067-b31d-00dd010662da' },
  { type: 'CByteArray', value: 'AAEC/w==' },
  { type: 'CPoint', value: { x: -1, y: 2 } },
  { type: 'CSize', value: { cx: 3, cy: 4 } },
  { type: 'CRect', value: { left: 1, top: 2, right: 3, bottom: 4 } },
  { type: 'CStringArray', value: ['a', 'bé', ''] },
  { type: 'CDWordArray', value: [1, 2, 4294967295] },
  { type: 'CWordArray', value: [0, 65535] },
  { type: 'CMapStringToString', value: [['k', 'v'], ['clé', 'valeur']] },
];


describe('the seed sequence over REST, server and client sessions in one gateway', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('walks every row of the table', async () => {
    // CSocket s; s.Create(nPort) — the server, on a chosen port
    const port = await freePort();
    const created = await gw.call('POST', '/sessions', { kind: 'stream', name: 'server', port });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe('/sessions/server');
    expect(created.body).toMatchObject({ name: 'server', kind: 'stream', state: 'created' });

    // s.Listen() — backlog 5
    const listening = await gw.call('POST', '/sessions/server/listen', {});
    expect(listening.status).toBe(200);
    expect(listening.body).toMatchObject({ state: 'listening', local: { address: '127.0.0.1', port } });

    // CSocket c; c.Create() — clients on any port; c.Connect by dotted address and by host name
    for (const [name, host] of [['byAddress', '127.0.0.1'], ['byName', 'localhost']] as const) {
      expect((await gw.call('POST', '/sessions', { kind: 'stream', name })).status).toBe(201);
      const connected = await gw.call('POST', `/sessions/${name}/connect`, { host, port });
      expect(connected.status).toBe(200);
      expect(connected.body).toMatchObject({ state: 'connected', remote: { port } });
    }

    // CSocket r; s.Accept(r) — r is not created beforehand: accept answers with a new session
    const events = await fetch(`${gw.base}/sessions/server/events`);
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const a1 = await gw.call<SessionInfo>('POST', '/sessions/server/accept', { as: 'peer1', timeoutMs: 2000 });
    const a2 = await gw.call('POST', '/sessions/server/accept', { as: 'peer2', timeoutMs: 2000 });
    expect([a1.status, a2.status]).toEqual([201, 201]);
    expect(a1.body).toMatchObject({ name: 'peer1', state: 'connected' });
    const reader = events.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('event: session');
    await reader.cancel();

    // CSocketFile + CArchive(load/store) are implicit; arOut << v for every primitive, client → server
    const stored = await gw.call<Stored>('POST', '/sessions/byAddress/store', { values: PRIMITIVE_VALUES });
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    expect(stored.body.values).toBe(PRIMITIVE_VALUES.length);
    const peerOf = { byAddress: 'peer1', byName: 'peer2' } as Record<string, string>;
    const serverSide = a1.body.remote!.port === (await gw.call<SessionInfo>('GET', '/sessions/byAddress')).body.local!.port ? 'peer1' : 'peer2';
    peerOf.byAddress = serverSide;
    peerOf.byName = serverSide === 'peer1' ? 'peer2' : 'peer1';
    // arIn >> v, in the same order
    for (const { type, value } of PRIMITIVE_VALUES) {
      const loaded = await gw.call<Loaded>('POST', `/sessions/${peerOf.byAddress}/load`, { type, timeoutMs: 2000 });
      expect(loaded.status, `${type}: ${JSON.stringify(loaded.body)}`).toBe(200);
      expect(loaded.body.value, type).toEqual(value);
    }

    // …and server → client, one by one
    for (const { type, value } of PRIMITIVE_VALUES) {
      expect((await gw.call<Stored>('POST', `/sessions/${peerOf.byName}/store`, { type, value })).status).toBe(200);
    }
    for (const { type, value } of PRIMITIVE_VALUES) {
      const loaded = await gw.call<Loaded>('POST', '/sessions/byName/load', { type, timeoutMs: 2000 });
      expect(loaded.body.value, type).toEqual(value);
    }

    // A declared message both ways, and an exchange answered by the other session
    const ack = { id: 9, status: 0, message: 'ok' };
    const pending = gw.call<Loaded>('POST', '/sessions/byName/exchange', { request: { type: 'OrderAck', value: ack }, response: { type: 'OrderAck' }, timeoutMs: 3000 });
    const got = await gw.call<Loaded>('POST', `/sessions/${peerOf.byName}/load`, { type: 'OrderAck', timeoutMs: 2000 });
    expect(got.body.value).toEqual(ack);
    await gw.call('POST', `/sessions/${peerOf.byName}/store`, { type: 'OrderAck', value: { ...ack, status: 1 } });
    expect((await pending).body.value).toEqual({ ...ack, status: 1 });

    // Datagrams: SendTo / ReceiveFrom both ways, then Connect + Send / Receive
    const u1 = (await gw.call<SessionInfo>('POST', '/sessions', { kind: 'datagram', name: 'u1' })).body;
    const u2 = (await gw.call<SessionInfo>('POST', '/sessions', { kind: 'datagram', name: 'u2' })).body;
    const hello = Buffer.from('hello, datagram').toString('base64');
    expect((await gw.call<Sent>('POST', '/sessions/u1/datagrams', { host: '127.0.0.1', port: u2.local!.port, data: hello })).status).toBe(200);
    const rx = await gw.call('POST', '/sessions/u2/datagrams/receive', { timeoutMs: 2000 });
    expect(rx.body).toEqual({ from: { address: '127.0.0.1', port: u1.local!.port }, data: hello, bytes: 15 });
    await gw.call('POST', '/sessions/u2/connect', { host: '127.0.0.1', port: u1.local!.port });
    const back = Buffer.from([0, 1, 2, 255]).toString('base64');
    expect((await gw.call<Sent>('POST', '/sessions/u2/datagrams', { data: back })).status).toBe(200);
    expect((await gw.call<Received>('POST', '/sessions/u1/datagrams/receive', { timeoutMs: 2000 })).body.data).toBe(back);

    // "CArchive does not work with datagrams"
    const refused = await gw.call<Problem>('POST', '/sessions/u1/store', { type: 'DWORD', value: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('ARCHIVE_REQUIRES_STREAM');

    // Close: the store archive is flushed first; the peer reads the data, then sees the close
    await gw.call('POST', '/sessions/byAddress/store', { type: 'CString', value: 'last words' });
    const closed = await gw.call('DELETE', '/sessions/byAddress');
    expect(closed.body).toMatchObject({ name: 'byAddress', closed: true });
    expect((await gw.call<Loaded>('POST', `/sessions/${peerOf.byAddress}/load`, { type: 'CString', timeoutMs: 2000 })).body.value).toBe('last words');
    const after = await gw.call('POST', `/sessions/${peerOf.byAddress}/load`, { type: 'DWORD', timeoutMs: 2000 });
    expect(after.status).toBe(502);
    expect(after.body).toMatchObject({ code: 'PEER_CLOSED', reason: 'graceful' });
    expect((await gw.call<SessionInfo>('GET', `/sessions/${peerOf.byAddress}`)).body.peerClosed).toEqual({ reason: 'graceful' });
    expect((await gw.call<SessionInfo>('GET', '/sessions/byAddress')).status).toBe(404);
  });
});
