/**
 * Exchanges and loads against the demo archive service in another process: concurrency (lock-step
 * and pipelined), timeouts that lose nothing, a peer closing mid-message.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TypeRegistry } from '../../src/archive/index.js';
import { DEMO_TYPES, referenceOrder, type OrderAck, type ReferenceOrder } from '../../src/demo/index.js';
import { startDemoProcess, type DemoProcess } from '../support/demo-process.js';
import { startGateway, type Loaded, type Problem, type ReadResult, type Received, type SessionInfo, type Stored, type TestGateway } from '../support/gateway-harness.js';
import { rawPeer, waitBuffered, waitReaders } from '../support/gateway-routes.js';

let gw: TestGateway;
let demo: DemoProcess;

beforeAll(async () => {
  [gw, demo] = await Promise.all([startGateway(), startDemoProcess()]);
});
afterAll(async () => {
  await gw.close();
  expect(await demo.stop()).toBe(0);
});

async function session(name: string, extra: Record<string, unknown> = {}): Promise<void> {
  expect((await gw.call('POST', '/sessions', { kind: 'stream', name, ...extra })).status).toBe(201);
  const c = await gw.call('POST', `/sessions/${name}/connect`, { host: '127.0.0.1', port: demo.port });
  expect(c.status, JSON.stringify(c.body)).toBe(200);
}

/** The reference Order `id`, with an item count of its own (49 + id % 50): each answer tells whose it is. */
function numbered(id: number): ReferenceOrder {
  const order = referenceOrder(id);
  order.lines[2]!.qty = (id % 50) + 1;
  return order;
}

describe('exchange with the demo service in another process', () => {
  it('walks the seed client side: connect, store an Order, load the OrderAck, exchange, close', async () => {
    await session('seedClient');
    expect((await gw.call<Stored>('POST', '/sessions/seedClient/store', { type: 'Order', value: referenceOrder(1) })).status).toBe(200);
    const ack = await gw.call<Loaded<OrderAck>>('POST', '/sessions/seedClient/load', { type: 'OrderAck', timeoutMs: 3000 });
    expect(ack.body.value).toEqual({ id: 1, status: 0, message: 'order 1 for Globex Industrial Co: 5 line(s), 60 item(s)' });
    const ex = await gw.call<Loaded<OrderAck>>('POST', '/sessions/seedClient/exchange', { request: { type: 'Order', value: { ...referenceOrder(2), lines: [] } }, response: { type: 'OrderAck' } });
    expect(ex.body.value).toMatchObject({ id: 2, status: 1 });
    const udp = (await gw.call<SessionInfo>('POST', '/sessions', { kind: 'datagram', name: 'seedUdp' })).body;
    await gw.call('POST', '/sessions/seedUdp/datagrams', { host: '127.0.0.1', port: demo.udpPort, data: 'cGluZw==' });
    expect((await gw.call<Received>('POST', '/sessions/seedUdp/datagrams/receive', { timeoutMs: 2000 })).body).toMatchObject({ from: { port: demo.udpPort }, data: 'cGluZw==' });
    expect(udp.kind).toBe('datagram');
    expect((await gw.call('DELETE', '/sessions/seedClient')).status).toBe(200);
  });

  for (const pipeline of [1, 16]) {
    it(`100 concurrent exchanges on one session with pipeline ${pipeline}: every answer is its request's, none lost, order kept`, async () => {
      const name = `conc${pipeline}`;
      await session(name, { pipeline });
      const completed: number[] = [];
      const calls = Array.from({ length: 100 }, async (_, i) => {
        const r = await gw.call<Loaded<OrderAck>>('POST', `/sessions/${name}/exchange`, { request: { type: 'Order', value: numbered(1000 + i) }, response: { type: 'OrderAck' }, timeoutMs: 10_000 });
        completed.push(i);
        return r;
      });
      const results = await Promise.all(calls);
      results.forEach((r, i) => {
        expect(r.status).toBe(200);
        expect(r.body.value.id).toBe(1000 + i);
        expect(r.body.value.message).toContain(`${(i % 50) + 49} item(s)`);
      });
      const info = (await gw.call<SessionInfo>('GET', `/sessions/${name}`)).body;
      expect(info).toMatchObject({ pipeline, messagesIn: 100, messagesOut: 100, buffered: 0 });
    });
  }
});

describe('loads that wait', () => {
  const codec = (() => {
    const reg = new TypeRegistry();
    reg.add(DEMO_TYPES);
    return reg.get('Order');
  })();

  it('a load that times out leaves the bytes for the next load', async () => {
    const peer = await rawPeer(gw, 'slow');
    const bytes = codec.encode(referenceOrder(77));
    peer.write(bytes.subarray(0, 10));
    const early = await gw.call<Problem>('POST', '/sessions/slow/load', { type: 'Order', timeoutMs: 150 });
    expect(early.status).toBe(504);
    expect(early.body.code).toBe('TIMEOUT');
    expect((await gw.call<SessionInfo>('GET', '/sessions/slow')).body.buffered).toBe(10);
    peer.write(bytes.subarray(10));
    const later = await gw.call<Loaded>('POST', '/sessions/slow/load', { type: 'Order', timeoutMs: 2000 });
    expect(later.status).toBe(200);
    expect(later.body.value).toEqual(referenceOrder(77));
    peer.destroy();
  });

  it('a peer closing mid-message gives PEER_CLOSED to the waiter and keeps the received bytes readable', async () => {
    const peer = await rawPeer(gw, 'halfway');
    const bytes = codec.encode(referenceOrder(5));
    const waiting = gw.call('POST', '/sessions/halfway/load', { type: 'Order', timeoutMs: 5000 });
    await waitReaders(gw, 'halfway', 1);
    peer.end(bytes.subarray(0, 20));
    const failed = await waiting;
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ code: 'PEER_CLOSED', reason: 'graceful', archiveCause: 'endOfFile', buffered: 20 });
    const raw = await gw.call<ReadResult>('POST', '/sessions/halfway/read', { bytes: 20 });
    expect(Buffer.from(raw.body.data, 'base64')).toEqual(bytes.subarray(0, 20));
  });

  it('a peer reset mid-message gives PEER_CLOSED with WSAECONNRESET', async () => {
    const peer = await rawPeer(gw, 'reset');
    const waiting = gw.call('POST', '/sessions/reset/load', { type: 'Order', timeoutMs: 5000 });
    peer.write(codec.encode(referenceOrder(6)).subarray(0, 8));
    await waitReaders(gw, 'reset', 1);
    await waitBuffered(gw, 'reset', 8);
    peer.resetAndDestroy();
    const failed = await waiting;
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ code: 'PEER_CLOSED', reason: 'reset', wsa: 'WSAECONNRESET' });
    expect((await gw.call<SessionInfo>('GET', '/sessions/reset')).body).toMatchObject({ buffered: 8, peerClosed: { reason: 'reset' } });
  });

  it('an exchange whose caller timed out has its answer discarded: the next caller gets its own', async () => {
    const peer = await rawPeer(gw, 'late');
    const ackCodec = (() => {
      const reg = new TypeRegistry();
      reg.add(DEMO_TYPES);
      return reg.get('OrderAck');
    })();
    const first = await gw.call('POST', '/sessions/late/exchange', { request: { type: 'Order', value: referenceOrder(1) }, response: { type: 'OrderAck' }, timeoutMs: 100 });
    expect(first.status).toBe(504);
    expect(first.body).toMatchObject({ code: 'TIMEOUT', sent: true });
    // The wait's name is made only when it fails: it still names both types.
    expect(first.body).toMatchObject({ message: expect.stringMatching(/^the answer \(OrderAck\) to Order .*100 ms/) });
    const second = gw.call<Loaded<OrderAck>>('POST', '/sessions/late/exchange', { request: { type: 'Order', value: referenceOrder(2) }, response: { type: 'OrderAck' }, timeoutMs: 3000 });
    // The peer answers both, late, in order.
    peer.write(Buffer.concat([ackCodec.encode({ id: 1, status: 0, message: 'one' }), ackCodec.encode({ id: 2, status: 0, message: 'two' })]));
    expect((await second).body.value).toEqual({ id: 2, status: 0, message: 'two' });
    peer.destroy();
  });

  it('an answer that does not decode fails every exchange owed after it, and exchanges wait for a resync', async () => {
    const peer = await rawPeer(gw, 'garbled');
    const ackCodec = (() => {
      const reg = new TypeRegistry();
      reg.add(DEMO_TYPES);
      return reg.get('OrderAck');
    })();
    const first = gw.call<Problem>('POST', '/sessions/garbled/exchange', { request: { type: 'Order', value: referenceOrder(1) }, response: { type: 'OrderAck' }, timeoutMs: 3000 });
    await once(peer, 'data'); // the request went out: its answer is owed
    // id, status, then a CString claiming 0xFFFFFFFE characters: past every cap.
    const bad = Buffer.from('0100000000000000fffffffeffffff', 'hex');
    peer.write(bad);
    const failed = await first;
    expect(failed.status).toBe(502);
    expect(failed.body.code).toBe('ARCHIVE_LIMIT');
    // Out of step: the next exchange would read those bytes as its answer; it is refused instead.
    const refused = await gw.call('POST', '/sessions/garbled/exchange', { request: { type: 'Order', value: referenceOrder(2) }, response: { type: 'OrderAck' }, timeoutMs: 1000 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'INVALID_STATE', outOfStep: true });
    // Reading the bad bytes raw resynchronises; the next exchange is answered normally.
    expect((await gw.call<ReadResult>('POST', '/sessions/garbled/read', { bytes: bad.length })).body.bytes).toBe(bad.length);
    const again = gw.call<Loaded<OrderAck>>('POST', '/sessions/garbled/exchange', { request: { type: 'Order', value: referenceOrder(3) }, response: { type: 'OrderAck' }, timeoutMs: 3000 });
    await once(peer, 'data'); // the request went out
    peer.write(ackCodec.encode({ id: 3, status: 0, message: 'three' }));
    expect((await again).body.value).toEqual({ id: 3, status: 0, message: 'three' });
    peer.destroy();
  });

  it('a large CByteArray (3 MiB) is loaded whole and answered as streamed JSON, byte for byte', async () => {
    const peer = await rawPeer(gw, 'bigload');
    const payload = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7919) & 0xff;
    const bytes = new TypeRegistry().codecFor('CByteArray').encode(payload.toString('base64'));
    const loading = gw.call<Loaded<string>>('POST', '/sessions/bigload/load', { type: 'CByteArray', timeoutMs: 10_000 });
    for (let i = 0; i < bytes.length; i += 65_536) peer.write(bytes.subarray(i, i + 65_536));
    const loaded = await loading;
    expect(loaded.status).toBe(200);
    expect(loaded.headers['content-type']).toMatch(/^application\/json/);
    expect(loaded.headers['transfer-encoding']).toBe('chunked'); // streamed in pieces, not one string
    expect(Buffer.from(loaded.body.value, 'base64').equals(payload)).toBe(true);
    peer.destroy();
  });
});
