/**
 * The archive routes (SPEC §1, §3, §4): store (one value, or a list stored atomically), load,
 * exchange, raw write and read — each success and each documented error, with its details
 * (`path` into the request body, `offset` into the archive, `wsa`). Peers are other sessions of the
 * same gateway or plain Node sockets, all on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceOrder } from '../../src/demo/index.js';
import { startGateway, type Loaded, type ReadResult, type SessionInfo, type TestGateway } from '../support/gateway-harness.js';
import { b64, collect, expectProblem, rawPeer, recordBytes, streamPair, waitBuffered, waitReaders } from '../support/gateway-routes.js';
import { until } from '../support/until.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
  await gw.call('POST', '/sessions', { kind: 'datagram', name: 'dg' });
  await gw.call('POST', '/sessions', { kind: 'stream', name: 'unconnected' });
});
afterAll(async () => {
  await gw.close();
});

/** Every archive route answers these the same way; each route is checked below. */
const ROUTES: Record<string, unknown> = {
  store: { type: 'DWORD', value: 1 },
  load: { type: 'DWORD', timeoutMs: 100 },
  exchange: { request: { type: 'DWORD', value: 1 }, response: { type: 'DWORD' }, timeoutMs: 100 },
  write: { data: 'AQ==' },
  read: { bytes: 1, timeoutMs: 100 },
};

describe('every archive route', () => {
  for (const [route, body] of Object.entries(ROUTES)) {
    it(`${route}: ARCHIVE_REQUIRES_STREAM on a datagram session, INVALID_STATE before connect, SESSION_NOT_FOUND`, async () => {
      const dg = await gw.call('POST', `/sessions/dg/${route}`, body);
      expectProblem(dg, 409, 'ARCHIVE_REQUIRES_STREAM', { session: 'dg' });
      expect(dg.body.message).toContain('CArchive does not work with datagrams');
      expectProblem(await gw.call('POST', `/sessions/unconnected/${route}`, body), 409, 'INVALID_STATE', { state: 'created' });
      expectProblem(await gw.call('POST', `/sessions/ghost/${route}`, body), 404, 'SESSION_NOT_FOUND');
    });
  }

  it('VALIDATION of timeoutMs above maxTimeoutMs (refused, not clamped) on load, exchange and read', async () => {
    const { client } = await streamPair(gw, 'tmo');
    for (const route of ['load', 'exchange', 'read']) {
      const body = { ...(ROUTES[route] as object), timeoutMs: 300_001 };
      const r = await gw.call('POST', `/sessions/${client}/${route}`, body);
      expectProblem(r, 400, 'VALIDATION', { path: '/timeoutMs', in: 'body' });
      expect(r.body.message).toContain('ARCHWAY_MAX_TIMEOUT_MS');
    }
  });
});

describe('POST /sessions/{name}/store (ar << value)', () => {
  it('stores one value and flushes: the peer receives the exact bytes', async () => {
    const peer = await rawPeer(gw, 'st1');
    const got = collect(peer, 4);
    const r = await gw.call('POST', '/sessions/st1/store', { type: 'DWORD', value: 0x01020304 });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ values: 1, bytes: 4 });
    expect(await got).toEqual(Buffer.from([4, 3, 2, 1]));
    expect((await gw.call<SessionInfo>('GET', '/sessions/st1')).body).toMatchObject({ bytesOut: 4, messagesOut: 1 });
    peer.destroy();
  });

  it('stores a list of typed values in order, in one flush; the other side loads them one by one', async () => {
    const { client, peer } = await streamPair(gw, 'st2');
    const values = [
      { type: 'DWORD', value: 7 },
      { type: 'CString', value: 'hi' },
      { type: 'WORD', value: 65535 },
      { type: 'OrderAck', value: { id: 9, status: -1, message: 'no' } },
    ];
    const r = await gw.call('POST', `/sessions/${client}/store`, { values });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ values: 4, bytes: 4 + 3 + 2 + (4 + 4 + 3) });
    for (const v of values) {
      const loaded = await gw.call<Loaded>('POST', `/sessions/${peer}/load`, { type: v.type, timeoutMs: 2000 });
      expect(loaded.status).toBe(200);
      expect(loaded.body.value).toEqual(v.value);
    }
  });

  it('a list with a bad third value stores nothing: VALIDATION with the path /values/2/value/…', async () => {
    const { client, peer } = await streamPair(gw, 'st3');
    const bad = { ...referenceOrder(1), lines: [{ sku: 'A', qty: 70000, price: 1 }] };
    const r = await gw.call('POST', `/sessions/${client}/store`, {
      values: [{ type: 'DWORD', value: 1 }, { type: 'CString', value: 'first' }, { type: 'Order', value: bad }],
    });
    expectProblem(r, 400, 'VALIDATION', { path: '/values/2/value/lines/0/qty', index: 2 });
    expect(r.body.message).toContain('WORD');
    // Nothing went out: the client handed no byte to its socket (its own count, final when the
    // store answered), so the peer has none; the store below is the first thing it sees.
    expect((await gw.call<SessionInfo>('GET', `/sessions/${client}`)).body).toMatchObject({ bytesOut: 0, messagesOut: 0 });
    expect((await gw.call<SessionInfo>('GET', `/sessions/${peer}`)).body.buffered).toBe(0);
    // An unknown type in the list is refused the same way, before anything is encoded.
    const unknown = await gw.call('POST', `/sessions/${client}/store`, { values: [{ type: 'DWORD', value: 1 }, { type: 'CString', value: 'x' }, { type: 'Nope', value: 1 }] });
    expectProblem(unknown, 400, 'UNKNOWN_TYPE', { path: '/values/2/type', index: 2 });
    // The next store is the first thing the peer sees.
    await gw.call('POST', `/sessions/${client}/store`, { type: 'DWORD', value: 42 });
    expect((await gw.call<Loaded>('POST', `/sessions/${peer}/load`, { type: 'DWORD', timeoutMs: 2000 })).body.value).toBe(42);
    expect((await gw.call<SessionInfo>('GET', `/sessions/${peer}`)).body.buffered).toBe(0);
  });

  it('VALIDATION of a single value names its path in the body; out of range never wraps', async () => {
    const { client, peer } = await streamPair(gw, 'st4');
    expectProblem(await gw.call('POST', `/sessions/${client}/store`, { type: 'BYTE', value: 256 }), 400, 'VALIDATION', { path: '/value' });
    const bad = { ...referenceOrder(2), lines: [{ sku: 'A', qty: -1, price: 1 }] };
    expectProblem(await gw.call('POST', `/sessions/${client}/store`, { type: 'Order', value: bad }), 400, 'VALIDATION', { path: '/value/lines/0/qty' });
    expectProblem(await gw.call('POST', `/sessions/${client}/store`, { type: 'DWORD' }), 400, 'VALIDATION');
    expectProblem(await gw.call('POST', `/sessions/${client}/store`, { type: 'DWORD', value: 1, extra: true }), 400, 'VALIDATION', { path: '/extra' });
    expectProblem(await gw.call('POST', `/sessions/${client}/store`, { values: [] }), 400, 'VALIDATION');
    // Nothing went out: the client handed no byte to its socket, and a marker stored now is the
    // first thing the peer loads (anything sent before it would be read first), leaving nothing.
    expect((await gw.call<SessionInfo>('GET', `/sessions/${client}`)).body.bytesOut).toBe(0);
    expect((await gw.call('POST', `/sessions/${client}/store`, { type: 'DWORD', value: 42 })).status).toBe(200);
    expect((await gw.call<Loaded>('POST', `/sessions/${peer}/load`, { type: 'DWORD', timeoutMs: 2000 })).body.value).toBe(42);
    expect((await gw.call<SessionInfo>('GET', `/sessions/${peer}`)).body.buffered).toBe(0);
  });

  it('UNKNOWN_TYPE 400 for a type neither declared nor primitive', async () => {
    const { client } = await streamPair(gw, 'st5');
    const r = await gw.call('POST', `/sessions/${client}/store`, { type: 'NoSuchType', value: 1 });
    expectProblem(r, 400, 'UNKNOWN_TYPE');
    expect(r.body.message).toContain('NoSuchType');
    // The name as the client wrote it, quoted once.
    expect(r.body.message).toMatch(/^unknown type "NoSuchType" /);
    expectProblem(await gw.call('POST', `/sessions/${client}/store`, { type: { list: 'Nope' }, value: [] }), 400, 'UNKNOWN_TYPE');
  });

  it('PEER_CLOSED 502 with WSAECONNRESET when the peer reset the connection (store and write)', async () => {
    const peer = await rawPeer(gw, 'st6');
    peer.resetAndDestroy();
    await until(async () => (await gw.call<SessionInfo>('GET', '/sessions/st6')).body.peerClosed !== undefined, 'the reset to arrive');
    expect((await gw.call<SessionInfo>('GET', '/sessions/st6')).body.peerClosed).toMatchObject({ reason: 'reset' });
    expectProblem(await gw.call('POST', '/sessions/st6/store', { type: 'DWORD', value: 1 }), 502, 'PEER_CLOSED', { wsa: 'WSAECONNRESET' });
    expectProblem(await gw.call('POST', '/sessions/st6/write', { data: b64([1, 2]) }), 502, 'PEER_CLOSED', { wsa: 'WSAECONNRESET' });
  });
});

describe('POST /sessions/{name}/load (ar >> value)', () => {
  it('waits for the whole value, then consumes exactly it', async () => {
    const peer = await rawPeer(gw, 'ld1');
    const waiting = gw.call('POST', '/sessions/ld1/load', { type: 'CString', timeoutMs: 3000 });
    peer.write(Buffer.from([5, 0x68, 0x65]));
    await waitBuffered(gw, 'ld1', 3); // the first part is in, the load still waits
    await waitReaders(gw, 'ld1', 1);
    peer.write(Buffer.from([0x6c, 0x6c, 0x6f, 0xaa]));
    const r = await waiting;
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ value: 'hello' });
    expect((await gw.call<SessionInfo>('GET', '/sessions/ld1')).body).toMatchObject({ buffered: 1, messagesIn: 1, bytesIn: 7 });
    peer.destroy();
  });

  it('TIMEOUT 504 consumes nothing: the partial bytes stay for the next load', async () => {
    const peer = await rawPeer(gw, 'ld2');
    peer.write(Buffer.from([1, 2]));
    await waitBuffered(gw, 'ld2', 2);
    const started = Date.now();
    const r = await gw.call('POST', '/sessions/ld2/load', { type: 'DWORD', timeoutMs: 120 });
    expectProblem(r, 504, 'TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect((await gw.call<SessionInfo>('GET', '/sessions/ld2')).body.buffered).toBe(2);
    peer.write(Buffer.from([3, 4]));
    expect((await gw.call<Loaded>('POST', '/sessions/ld2/load', { type: 'DWORD', timeoutMs: 2000 })).body.value).toBe(0x04030201);
    peer.destroy();
  });

  it('ARCHIVE_DECODE 502 with the offset in the archive and the path in the value; the bytes stay for a raw read', async () => {
    const peer = await rawPeer(gw, 'ld3');
    // A DWORD, then two COleVariants: VT_I4 1, then VT_DISPATCH, which MFC cannot carry.
    const bad = [3, 0, 1, 0, 0, 0, 9, 0];
    peer.write(Buffer.from([7, 0, 0, 0, ...bad]));
    await waitBuffered(gw, 'ld3', 12);
    expect((await gw.call<Loaded>('POST', '/sessions/ld3/load', { type: 'DWORD' })).body.value).toBe(7);
    const r = await gw.call('POST', '/sessions/ld3/load', { type: { fixed: 'COleVariant', length: 2 }, timeoutMs: 500 });
    expectProblem(r, 502, 'ARCHIVE_DECODE', { offset: 4 + 6, path: '/1', expected: 'a COleVariant', archiveCause: 'generic' });
    expect((await gw.call<SessionInfo>('GET', '/sessions/ld3')).body.buffered).toBe(8);
    const raw = await gw.call('POST', '/sessions/ld3/read', { bytes: 8, timeoutMs: 500 });
    expect(raw.status).toBe(200);
    expect(raw.body).toEqual({ data: b64(bad), bytes: 8 });
    peer.destroy();
  });

  it('ARCHIVE_LIMIT 502 for a 4 GiB length prefix, answered at once without waiting for (or allocating) 4 GiB', async () => {
    const peer = await rawPeer(gw, 'ld4');
    // CString: 0xff, 0xffff, then a DWORD length of 4294967294 characters.
    const prefix = [0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff];
    peer.write(Buffer.from(prefix));
    await waitBuffered(gw, 'ld4', 7);
    const started = Date.now();
    const r = await gw.call('POST', '/sessions/ld4/load', { type: 'CString', timeoutMs: 5000 });
    expectProblem(r, 502, 'ARCHIVE_LIMIT', { offset: 0, archiveCause: 'limit' });
    expect(r.body.message).toContain('maxStringLength');
    expect(Date.now() - started).toBeLessThan(2000);
    // A 4 GiB CByteArray count too.
    const arr = await gw.call('POST', '/sessions/ld4/load', { type: 'CByteArray', timeoutMs: 5000 });
    expectProblem(arr, 502, 'ARCHIVE_LIMIT', { offset: 0, expected: 'CByteArray' });
    expect((await gw.call<ReadResult>('POST', '/sessions/ld4/read', { bytes: 7 })).body.data).toBe(b64(prefix));
    peer.destroy();
  });

  it('ARCHIVE_LIMIT for a CString longer than maxStringLength (gateway with maxStringLength 300)', async () => {
    const small = await startGateway({ maxStringLength: 300 });
    try {
      const peer = await rawPeer(small, 'short');
      // 'abcde', then a CString of 301 characters (0xff, then a WORD length).
      const head = [5, 0x61, 0x62, 0x63, 0x64, 0x65, 0xff, 301 & 0xff, 301 >> 8];
      peer.write(Buffer.from([...head, ...Buffer.from('x'.repeat(301))]));
      await waitBuffered(small, 'short', head.length + 301);
      expect((await small.call<Loaded>('POST', '/sessions/short/load', { type: 'CString' })).body.value).toBe('abcde');
      const r = await small.call('POST', '/sessions/short/load', { type: 'CString', timeoutMs: 500 });
      expectProblem(r, 502, 'ARCHIVE_LIMIT', { offset: 6, expected: 'CString', archiveCause: 'limit' });
      expect(r.body.message).toContain('maxStringLength (300)');
      expect((await small.call<SessionInfo>('GET', '/sessions/short')).body.buffered).toBe(3 + 301);
      peer.destroy();
    } finally {
      await small.close();
    }
  });

  it('PEER_CLOSED 502 (endOfFile) when the peer closes mid-value; the received bytes stay readable', async () => {
    const peer = await rawPeer(gw, 'ld5');
    const waiting = gw.call('POST', '/sessions/ld5/load', { type: 'LONGLONG', timeoutMs: 3000 });
    await waitReaders(gw, 'ld5', 1);
    peer.end(Buffer.from([1, 2, 3]));
    const r = await waiting;
    expectProblem(r, 502, 'PEER_CLOSED', { reason: 'graceful', archiveCause: 'endOfFile', buffered: 3 });
    expect((await gw.call<ReadResult>('POST', '/sessions/ld5/read', { bytes: 3 })).body.data).toBe(b64([1, 2, 3]));
  });

  it('UNKNOWN_TYPE 400, VALIDATION 400 for a bad body', async () => {
    const { client } = await streamPair(gw, 'ld6');
    expectProblem(await gw.call('POST', `/sessions/${client}/load`, { type: 'Nope', timeoutMs: 100 }), 400, 'UNKNOWN_TYPE');
    expectProblem(await gw.call('POST', `/sessions/${client}/load`, { timeoutMs: 100 }), 400, 'VALIDATION', { path: '/type' });
    expectProblem(await gw.call('POST', `/sessions/${client}/load`, { type: 'DWORD', timeoutMs: 'soon' }), 400, 'VALIDATION', { path: '/timeoutMs' });
  });
});

describe('POST /sessions/{name}/exchange', () => {
  it('stores the request and loads its answer', async () => {
    const peer = await rawPeer(gw, 'ex1');
    peer.on('data', (d: Buffer) => {
      // Answers a DWORD request n with the DWORD n + 1.
      const out = Buffer.alloc(4);
      out.writeUInt32LE(d.readUInt32LE(0) + 1);
      peer.write(out);
    });
    const r = await gw.call('POST', '/sessions/ex1/exchange', { request: { type: 'DWORD', value: 41 }, response: { type: 'DWORD' }, timeoutMs: 2000 });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ value: 42 });
    expect((await gw.call<SessionInfo>('GET', '/sessions/ex1')).body).toMatchObject({ messagesIn: 1, messagesOut: 1, buffered: 0 });
    peer.destroy();
  });

  it('VALIDATION names /request/value/…; UNKNOWN_TYPE for the request or the response type; nothing is sent', async () => {
    const peer = await rawPeer(gw, 'ex2');
    const received = recordBytes(peer);
    const bad = { ...referenceOrder(3), priority: 256 };
    expectProblem(await gw.call('POST', '/sessions/ex2/exchange', { request: { type: 'Order', value: bad }, response: { type: 'OrderAck' } }), 400, 'VALIDATION', { path: '/request/value/priority', in: 'body' });
    expectProblem(await gw.call('POST', '/sessions/ex2/exchange', { request: { type: 'Nope', value: 1 }, response: { type: 'OrderAck' } }), 400, 'UNKNOWN_TYPE');
    expectProblem(await gw.call('POST', '/sessions/ex2/exchange', { request: { type: 'DWORD', value: 1 }, response: { type: 'Nope' } }), 400, 'UNKNOWN_TYPE');
    expectProblem(await gw.call('POST', '/sessions/ex2/exchange', { request: { type: 'DWORD', value: 1 } }), 400, 'VALIDATION', { path: '/response' });
    // Then a marker: once it arrived, anything the refused exchanges sent would have come before it.
    const marker = Buffer.from([0xee, 0xee]);
    expect((await gw.call('POST', '/sessions/ex2/write', { data: b64(marker) })).status).toBe(200);
    expect(await received.upTo(marker, 'the marker to arrive')).toEqual(marker);
    peer.destroy();
  });

  it('TIMEOUT 504 says whether the request went out (sent: true)', async () => {
    const peer = await rawPeer(gw, 'ex3');
    const got = collect(peer, 4);
    const r = await gw.call('POST', '/sessions/ex3/exchange', { request: { type: 'DWORD', value: 5 }, response: { type: 'DWORD' }, timeoutMs: 120 });
    expectProblem(r, 504, 'TIMEOUT', { sent: true });
    expect(await got).toEqual(Buffer.from([5, 0, 0, 0]));
    peer.destroy();
  });

  it('ARCHIVE_DECODE and ARCHIVE_LIMIT 502 when the answer does not fit its type; the answer bytes stay', async () => {
    const peer = await rawPeer(gw, 'ex4');
    peer.once('data', () => peer.write(Buffer.from([9, 0])));
    const r = await gw.call('POST', '/sessions/ex4/exchange', { request: { type: 'DWORD', value: 1 }, response: { type: 'COleVariant' }, timeoutMs: 2000 });
    expectProblem(r, 502, 'ARCHIVE_DECODE', { offset: 0, expected: 'a COleVariant' });
    expect((await gw.call<ReadResult>('POST', '/sessions/ex4/read', { bytes: 2 })).body.data).toBe(b64([9, 0]));
    peer.once('data', () => peer.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])));
    const limit = await gw.call('POST', '/sessions/ex4/exchange', { request: { type: 'DWORD', value: 2 }, response: { type: { list: 'DWORD' } }, timeoutMs: 2000 });
    expectProblem(limit, 502, 'ARCHIVE_LIMIT', { offset: 2, archiveCause: 'limit' });
    peer.destroy();
  });

  it('PEER_CLOSED 502 when the peer closes instead of answering', async () => {
    const peer = await rawPeer(gw, 'ex5');
    peer.once('data', () => peer.end());
    const r = await gw.call('POST', '/sessions/ex5/exchange', { request: { type: 'DWORD', value: 1 }, response: { type: 'DWORD' }, timeoutMs: 2000 });
    expectProblem(r, 502, 'PEER_CLOSED', { reason: 'graceful', archiveCause: 'endOfFile' });
  });
});

describe('POST /sessions/{name}/write and /read (ar.Write, ar.Read)', () => {
  it('writes raw bytes and reads exactly n, or with partial what is there', async () => {
    const { client, peer } = await streamPair(gw, 'raw1');
    const w = await gw.call('POST', `/sessions/${client}/write`, { data: b64([1, 2, 3, 4, 5]) });
    expect(w.status).toBe(200);
    expect(w.body).toEqual({ bytes: 5 });
    const exact = await gw.call('POST', `/sessions/${peer}/read`, { bytes: 2, timeoutMs: 2000 });
    expect(exact.body).toEqual({ data: b64([1, 2]), bytes: 2 });
    const partial = await gw.call('POST', `/sessions/${peer}/read`, { bytes: 100, partial: true, timeoutMs: 2000 });
    expect(partial.body).toEqual({ data: b64([3, 4, 5]), bytes: 3 });
  });

  it('read TIMEOUT 504 leaves the bytes: an exact read of more than is there, and a partial read of nothing', async () => {
    const { client, peer } = await streamPair(gw, 'raw2');
    await gw.call('POST', `/sessions/${client}/write`, { data: b64([9, 8]) });
    await waitBuffered(gw, peer, 2);
    expectProblem(await gw.call('POST', `/sessions/${peer}/read`, { bytes: 3, timeoutMs: 100 }), 504, 'TIMEOUT');
    expect((await gw.call<ReadResult>('POST', `/sessions/${peer}/read`, { bytes: 2, timeoutMs: 100 })).body.data).toBe(b64([9, 8]));
    expectProblem(await gw.call('POST', `/sessions/${peer}/read`, { bytes: 2, partial: true, timeoutMs: 100 }), 504, 'TIMEOUT');
  });

  it('read PEER_CLOSED 502 when the peer closed before enough bytes came', async () => {
    const peer = await rawPeer(gw, 'raw3');
    peer.end(Buffer.from([1]));
    const r = await gw.call('POST', '/sessions/raw3/read', { bytes: 2, timeoutMs: 2000 });
    expectProblem(r, 502, 'PEER_CLOSED', { reason: 'graceful', buffered: 1 });
    expect((await gw.call<ReadResult>('POST', '/sessions/raw3/read', { bytes: 1, timeoutMs: 100 })).body.data).toBe(b64([1]));
  });

  it('VALIDATION: data that is not base64, bytes below 1 or above maxMessageBytes', async () => {
    const { client } = await streamPair(gw, 'raw4');
    expectProblem(await gw.call('POST', `/sessions/${client}/write`, { data: 'A' }), 400, 'VALIDATION', { path: '/data', in: 'body' });
    expectProblem(await gw.call('POST', `/sessions/${client}/write`, { data: '!!' }), 400, 'VALIDATION', { path: '/data' });
    expectProblem(await gw.call('POST', `/sessions/${client}/read`, { bytes: 0 }), 400, 'VALIDATION', { path: '/bytes' });
    const huge = await gw.call('POST', `/sessions/${client}/read`, { bytes: 64 * 1024 * 1024 + 1 });
    expectProblem(huge, 400, 'VALIDATION', { path: '/bytes' });
    expect(huge.body.message).toContain('ARCHWAY_MAX_MESSAGE_BYTES');
  });
});
