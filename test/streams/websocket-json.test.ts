/**
 * `GET /sessions/{name}/ws` in JSON mode against the demo service (SPEC §1 "Browser reach"): Orders
 * in as text frames, OrderAcks pushed back in order; every bad frame gets an error frame naming
 * the path, stores nothing and leaves the WebSocket usable; an oversized frame closes it with 1009
 * and stores nothing; one reader per session; how the peer's close, reset or undecodable bytes and
 * the session's close end it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TypeRegistry } from '../../src/archive/index.js';
import { DEMO_TYPES, referenceOrder, startDemoService, type DemoService, type OrderAck } from '../../src/demo/index.js';
import { startGateway, type ReadResult, type SessionInfo, type TestGateway } from '../support/gateway-harness.js';
import { expectProblem, rawPeer } from '../support/gateway-routes.js';
import { openSocket } from '../support/ws-client.js';

const FRAME_LIMIT = 4096;
let gw: TestGateway;
let demo: DemoService;
const types = new TypeRegistry();
types.add(DEMO_TYPES);
const ackCodec = types.get('OrderAck');

beforeAll(async () => {
  [gw, demo] = await Promise.all([startGateway({ wsMaxFrameBytes: FRAME_LIMIT }), startDemoService({ port: 0, udp: false })]);
});
afterAll(async () => {
  await gw.close();
  await demo.close();
});

const wsUrl = (name: string, query = '') => `${gw.base.replace('http', 'ws')}/sessions/${name}/ws${query}`;

async function shop(name: string): Promise<void> {
  expect((await gw.call('POST', '/sessions', { kind: 'stream', name })).status).toBe(201);
  expect((await gw.call('POST', `/sessions/${name}/connect`, { host: '127.0.0.1', port: demo.port })).status).toBe(200);
}

interface Pushed<V = unknown> {
  type: string;
  value: V;
}
interface ErrorFrame {
  error: { code: string; message: string; path?: string };
  frame?: number;
}

describe('JSON mode', () => {
  it('a text frame {type, value} is one Order; each OrderAck comes back as {type, value}, in order', async () => {
    await shop('ws-shop');
    const s = await openSocket(wsUrl('ws-shop', '?receive=OrderAck'));
    for (let id = 1; id <= 20; id++) s.ws.send(JSON.stringify({ type: 'Order', value: referenceOrder(id) }));
    for (let id = 1; id <= 20; id++) {
      const ack = await s.json<Pushed<OrderAck>>();
      expect(ack.type).toBe('OrderAck');
      expect(ack.value).toMatchObject({ id, status: 0 });
    }
    s.ws.close(1000);
    expect(await s.closed).toEqual({ code: 1000, reason: '' });
    // Closing the WebSocket leaves the session open and usable over REST.
    expect((await gw.call<SessionInfo>('GET', '/sessions/ws-shop')).body).toMatchObject({ state: 'connected', messagesOut: 20, messagesIn: 20 });
    expect((await gw.call('POST', '/sessions/ws-shop/ops/placeOrder', referenceOrder(21))).status).toBe(200);
  });

  it('?send=T takes bare values', async () => {
    await shop('ws-bare');
    const s = await openSocket(wsUrl('ws-bare', '?send=Order&receive=OrderAck'));
    s.ws.send(JSON.stringify(referenceOrder(5)));
    expect(await s.json<Pushed<OrderAck>>()).toMatchObject({ type: 'OrderAck', value: { id: 5 } });
    s.ws.close();
  });

  it('bad frames: an error frame with the code and the path into the frame, nothing stored, the WebSocket usable', async () => {
    await shop('ws-bad');
    const s = await openSocket(wsUrl('ws-bad', '?receive=OrderAck'));
    const bad = (frame: string | Buffer) => s.ws.send(frame);
    const wrongQty = referenceOrder(2);
    wrongQty.lines[1]!.qty = -1;
    bad('{"type": "Order", "value": ');                            // 1: not JSON
    bad('[1, 2]');                                                  // 2: not a frame object
    bad(JSON.stringify({ type: 'Order', value: referenceOrder(1), extra: 1 })); // 3: unknown property
    bad(JSON.stringify({ type: 'NoSuchType', value: {} }));         // 4: unknown type
    bad(JSON.stringify({ type: 'Order', value: wrongQty }));        // 5: a bad field
    bad(JSON.stringify({ type: 'Order' }));                         // 6: no value
    bad(Buffer.from([1, 2, 3]));                                    // 7: binary in JSON mode
    bad('['.repeat(600) + ']'.repeat(600));                        // 8: nested too deep
    s.ws.send(JSON.stringify({ type: 'Order', value: referenceOrder(9) })); // 9: good
    const errors: ErrorFrame[] = [];
    for (let i = 0; i < 8; i++) errors.push(await s.json<ErrorFrame>());
    const byFrame = new Map(errors.map((e) => [e.frame, e.error]));
    expect(byFrame.get(1)).toMatchObject({ code: 'MALFORMED_JSON' });
    expect(byFrame.get(2)).toMatchObject({ code: 'VALIDATION', path: '' });
    expect(byFrame.get(3)).toMatchObject({ code: 'VALIDATION', path: '/extra' });
    expect(byFrame.get(4)).toMatchObject({ code: 'UNKNOWN_TYPE', path: '/type' });
    expect(byFrame.get(5)).toMatchObject({ code: 'VALIDATION', path: '/value/lines/1/qty' });
    expect(byFrame.get(6)).toMatchObject({ code: 'VALIDATION', path: '/value' });
    expect(byFrame.get(7)).toMatchObject({ code: 'VALIDATION' });
    expect(byFrame.get(8)).toMatchObject({ code: 'MALFORMED_JSON' });
    for (const e of errors) expect(e.error.message.length).toBeGreaterThan(10);
    // The good frame after them all: exactly one Order reached the peer, and its answer came.
    expect(await s.json<Pushed<OrderAck>>()).toMatchObject({ type: 'OrderAck', value: { id: 9 } });
    expect((await gw.call<SessionInfo>('GET', '/sessions/ws-bad')).body.messagesOut).toBe(1);
    s.ws.close();
  });

  it(`a frame over ARCHWAY_WS_MAX_FRAME_BYTES (${FRAME_LIMIT}) closes with 1009; nothing of it is stored, the session goes on`, async () => {
    await shop('ws-big');
    const s = await openSocket(wsUrl('ws-big', '?receive=OrderAck'));
    const big = referenceOrder(3);
    big.customer = 'x'.repeat(FRAME_LIMIT);
    s.ws.send(JSON.stringify({ type: 'Order', value: big }));
    expect((await s.closed).code).toBe(1009);
    expect((await gw.call<SessionInfo>('GET', '/sessions/ws-big')).body).toMatchObject({ bytesOut: 0, state: 'connected' });
    const again = await openSocket(wsUrl('ws-big', '?receive=OrderAck'));
    again.ws.send(JSON.stringify({ type: 'Order', value: referenceOrder(4) }));
    expect(await again.json<Pushed<OrderAck>>()).toMatchObject({ value: { id: 4 } });
    again.ws.close();
  });

  it('one reader per session: REST loads and exchanges are refused while the WebSocket reads, stores go through', async () => {
    await shop('ws-one');
    const s = await openSocket(wsUrl('ws-one', '?receive=OrderAck'));
    expectProblem(await gw.call('POST', '/sessions/ws-one/load', { type: 'OrderAck', timeoutMs: 100 }), 409, 'INVALID_STATE');
    expectProblem(await gw.call('POST', '/sessions/ws-one/ops/placeOrder', referenceOrder(1)), 409, 'INVALID_STATE');
    expectProblem(await gw.call('POST', '/sessions/ws-one/read', { bytes: 1, timeoutMs: 100 }), 409, 'INVALID_STATE');
    // A store over REST: its answer is a message like any other, pushed to the WebSocket.
    expect((await gw.call('POST', '/sessions/ws-one/store/Order', referenceOrder(8))).status).toBe(200);
    expect(await s.json<Pushed<OrderAck>>()).toMatchObject({ value: { id: 8 } });
    // A WebSocket without ?receive reads nothing: REST may read beside it.
    const writer = await openSocket(wsUrl('ws-one'));
    expect(await writer.closed).toEqual({ code: 4409, reason: 'INVALID_STATE' });
    s.ws.close();
    await s.closed;
    const storeOnly = await openSocket(wsUrl('ws-one'));
    storeOnly.ws.send(JSON.stringify({ type: 'Order', value: referenceOrder(11) }));
    expect((await gw.call<{ value: OrderAck }>('POST', '/sessions/ws-one/load', { type: 'OrderAck', timeoutMs: 3000 })).body.value).toMatchObject({ id: 11 });
    storeOnly.ws.close();
  });
});

describe('how a JSON-mode WebSocket ends', () => {
  it('the peer closes: every whole message is pushed, then 4000; a partial one stays, named in an error frame', async () => {
    const peer = await rawPeer(gw, 'ws-fin');
    const s = await openSocket(wsUrl('ws-fin', '?receive=OrderAck'));
    const one = ackCodec.encode({ id: 1, status: 0, message: 'one' });
    const two = ackCodec.encode({ id: 2, status: 0, message: 'two' });
    peer.end(Buffer.concat([one, two, two.subarray(0, 5)]));
    expect((await s.json<Pushed<OrderAck>>()).value.id).toBe(1);
    expect((await s.json<Pushed<OrderAck>>()).value.id).toBe(2);
    expect(await s.json<ErrorFrame>()).toMatchObject({ error: { code: 'PEER_CLOSED', reason: 'graceful', buffered: 5 } });
    expect(await s.closed).toEqual({ code: 4000, reason: 'PEER_CLOSED' });
    // The partial message is still in the session.
    expect((await gw.call<ReadResult>('POST', '/sessions/ws-fin/read', { bytes: 5 })).body.bytes).toBe(5);
  });

  it('the peer resets: 4001', async () => {
    const peer = await rawPeer(gw, 'ws-rst');
    const s = await openSocket(wsUrl('ws-rst', '?receive=OrderAck'));
    peer.resetAndDestroy();
    expect(await s.closed).toEqual({ code: 4001, reason: 'PEER_RESET' });
  });

  it('a message that does not decode: an error frame with the offset, 4002, and its bytes stay in the session', async () => {
    const peer = await rawPeer(gw, 'ws-garbage');
    const s = await openSocket(wsUrl('ws-garbage', '?receive=OrderAck'));
    // An OrderAck whose message claims 2^31 - 1 characters (0xFF, 0xFFFF, then a 32-bit length),
    // past ARCHWAY_MAX_STRING_LENGTH: refused as soon as the length is read.
    const garbage = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    peer.write(garbage);
    const err = await s.json<ErrorFrame>();
    expect(err.error.code).toMatch(/^ARCHIVE_(DECODE|LIMIT)$/);
    expect((await s.closed).code).toBe(4002);
    const left = await gw.call<ReadResult>('POST', '/sessions/ws-garbage/read', { bytes: garbage.length, timeoutMs: 2000 });
    expect(Buffer.from(left.body.data, 'base64')).toEqual(garbage);
  });

  it('the session closes: 4003; a frame on a session whose archives are closed gets INVALID_STATE', async () => {
    await shop('ws-gone');
    const s = await openSocket(wsUrl('ws-gone'));
    // The archives close first when a session closes: a frame in between is refused, not lost silently.
    await gw.ctx.sessions.get('ws-gone').channel().close(100);
    s.ws.send(JSON.stringify({ type: 'Order', value: referenceOrder(1) }));
    expect(await s.json<ErrorFrame>()).toMatchObject({ frame: 1, error: { code: 'INVALID_STATE' } });
    expect((await gw.call('DELETE', '/sessions/ws-gone')).status).toBe(200);
    expect(await s.closed).toEqual({ code: 4003, reason: 'SESSION_CLOSED' });
    const late = await openSocket(wsUrl('ws-gone'));
    expect(await late.json<ErrorFrame>()).toMatchObject({ error: { code: 'SESSION_NOT_FOUND' } });
    expect(await late.closed).toEqual({ code: 4404, reason: 'SESSION_NOT_FOUND' });
  });

  it('the gateway shuts down: 1001', async () => {
    const other = await startGateway();
    await other.call('POST', '/sessions', { kind: 'stream', name: 'held' });
    await other.call('POST', '/sessions/held/connect', { host: '127.0.0.1', port: demo.port });
    const s = await openSocket(`${other.base.replace('http', 'ws')}/sessions/held/ws?receive=OrderAck`);
    const started = Date.now();
    await other.close();
    expect(await s.closed).toEqual({ code: 1001, reason: 'SHUTTING_DOWN' });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
