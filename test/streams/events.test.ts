/**
 * `GET /sessions/{name}/events` with data (SPEC §1 "Browser reach"): `?receive=T` pushes the
 * peer's messages as `message` events beside the notifications; ids count per session across
 * connections; a reconnect with Last-Event-ID (or ?lastEventId=) gets what it missed within the
 * replay window and a `gap` for the rest; one reader per session, taken over by a resuming stream;
 * a reconnect after the session closed gets 204 instead of a loop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TypeRegistry } from '../../src/archive/index.js';
import { DEMO_TYPES, referenceOrder, startDemoService, type DemoService, type OrderAck } from '../../src/demo/index.js';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';
import { expectProblem, rawPeer } from '../support/gateway-routes.js';
import { openSse } from '../support/sse-client.js';
import { until } from '../support/until.js';

let gw: TestGateway;
let demo: DemoService;
const types = new TypeRegistry();
types.add(DEMO_TYPES);
const ackCodec = types.get('OrderAck');
/** Small enough that a burst of acks passes it: the gap is then seen. */
const REPLAY = 2048;

beforeAll(async () => {
  [gw, demo] = await Promise.all([startGateway({ eventReplayBytes: REPLAY }), startDemoService({ port: 0, udp: false })]);
});
afterAll(async () => {
  await gw.close();
  await demo.close();
});

async function shop(name: string): Promise<void> {
  expect((await gw.call('POST', '/sessions', { kind: 'stream', name })).status).toBe(201);
  expect((await gw.call('POST', `/sessions/${name}/connect`, { host: '127.0.0.1', port: demo.port })).status).toBe(200);
}
const events = (name: string, query = '', headers: Record<string, string> = {}) => openSse(`${gw.base}/sessions/${name}/events${query}`, headers);
const store = async (name: string, id: number) => expect((await gw.call('POST', `/sessions/${name}/store/Order`, referenceOrder(id))).status).toBe(200);

/** The next `message` event's value, skipping notifications. */
async function nextMessage(s: Awaited<ReturnType<typeof events>>): Promise<{ id: number | undefined; ack: OrderAck }> {
  for (;;) {
    const e = await s.next<{ type: string; value: OrderAck }>();
    if (e.event === 'message') {
      expect(e.data.type).toBe('OrderAck');
      return { id: e.id, ack: e.data.value };
    }
  }
}

describe('?receive=T: the messages as events', () => {
  it('each OrderAck is a message event beside the receive notification; ids count per session', async () => {
    await shop('sse-data');
    const s = await events('sse-data', '?receive=OrderAck');
    expect(await s.next()).toMatchObject({ event: 'session', id: undefined });
    await store('sse-data', 1);
    const first = await nextMessage(s);
    expect(first.ack).toMatchObject({ id: 1, status: 0 });
    await store('sse-data', 2);
    const second = await nextMessage(s);
    expect(second.ack.id).toBe(2);
    expect(second.id!).toBeGreaterThan(first.id!);
    // Every event of the session has the next id, whatever connection it goes to.
    const watcher = await events('sse-data');
    await watcher.next(); // session
    await store('sse-data', 3);
    const third = await nextMessage(s);
    const seenByWatcher = await nextMessage(watcher);
    expect(seenByWatcher).toEqual(third);
    const ids = s.seen.map((e) => e.id).filter((id) => id !== undefined);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => ids[0]! + i));
    s.close();
    watcher.close();
  });

  it('one reader per session: a second reading stream and REST loads are refused; a watcher is not', async () => {
    await shop('sse-one');
    const s = await events('sse-one', '?receive=OrderAck');
    expectProblem(await gw.call('GET', '/sessions/sse-one/events?receive=OrderAck'), 409, 'INVALID_STATE');
    expectProblem(await gw.call('POST', '/sessions/sse-one/load', { type: 'OrderAck', timeoutMs: 100 }), 409, 'INVALID_STATE');
    expectProblem(await gw.call('GET', '/sessions/sse-one/events?receive=Nope'), 400, 'UNKNOWN_TYPE', { path: '/receive', in: 'query' });
    const watcher = await events('sse-one');
    expect(watcher.status).toBe(200);
    s.close();
    watcher.close();
    // Once the reader is gone, REST reads again.
    await until(async () => (await gw.call('POST', '/sessions/sse-one/ops/placeOrder', referenceOrder(4))).status === 200, 'the reader is released');
  });

  it('a message that does not decode: a problem event, reading stops, the bytes stay in the session', async () => {
    const peer = await rawPeer(gw, 'sse-bad');
    const s = await events('sse-bad', '?receive=OrderAck');
    const garbage = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    peer.write(garbage);
    for (;;) {
      const e = await s.next<{ code: string }>();
      if (e.event === 'problem') {
        expect(e.data.code).toMatch(/^ARCHIVE_(DECODE|LIMIT)$/);
        break;
      }
    }
    const left = await gw.call<{ data: string }>('POST', '/sessions/sse-bad/read', { bytes: garbage.length, timeoutMs: 2000 });
    expect(Buffer.from(left.body.data, 'base64')).toEqual(garbage);
    s.close();
    peer.destroy();
  });
});

describe('resuming', () => {
  it('Last-Event-ID replays what a dropped connection missed, exactly once, and the reader is taken over', async () => {
    const peer = await rawPeer(gw, 'sse-resume');
    const s = await events('sse-resume', '?receive=OrderAck');
    await s.next(); // session
    peer.write(ackCodec.encode({ id: 1, status: 0, message: 'one' }));
    const one = await nextMessage(s);
    // The connection is cut without the gateway knowing yet: the new one takes the reader over.
    const resumed = await events('sse-resume', '?receive=OrderAck', { 'last-event-id': String(one.id) });
    expect(resumed.status).toBe(200);
    expect((await resumed.next()).event).toBe('session');
    peer.write(ackCodec.encode({ id: 2, status: 0, message: 'two' }));
    expect((await nextMessage(resumed)).ack.id).toBe(2);
    s.close();
    // While nobody reads, messages wait in the session; a resume after id N gets N+1… from the journal, then the rest.
    const last = resumed.seen.at(-1)!.id!;
    resumed.close();
    await until(() => gw.ctx.sessions.get('sse-resume').channel().readsOwner === undefined, 'the reader is released');
    peer.write(ackCodec.encode({ id: 3, status: 0, message: 'three' }));
    const again = await events('sse-resume', `?receive=OrderAck&lastEventId=${one.id}`);
    await again.next(); // session
    const acks: number[] = [];
    while (acks.length < 2) acks.push((await nextMessage(again)).ack.id);
    expect(acks).toEqual([2, 3]);
    expect(again.seen.filter((e) => e.event === 'message').map((e) => e.id)).toEqual([...new Set(again.seen.filter((e) => e.event === 'message').map((e) => e.id))]);
    expect(last).toBeGreaterThan(one.id!);
    again.close();
    peer.destroy();
  });

  it('past the replay window a gap event names what is gone', async () => {
    await shop('sse-gap');
    const s = await events('sse-gap', '?receive=OrderAck');
    await s.next();
    await store('sse-gap', 1);
    const first = await nextMessage(s);
    for (let id = 2; id <= 40; id++) await store('sse-gap', id); // far more than 2 KiB of events
    while ((await nextMessage(s)).ack.id < 40);
    s.close();
    const late = await events('sse-gap', '', { 'last-event-id': String(first.id) });
    await late.next(); // session
    const gap = await late.next<{ from: number; to: number }>();
    expect(gap.event).toBe('gap');
    expect(gap.data.from).toBe(first.id! + 1);
    const next = await late.next();
    expect(next.id).toBe(gap.data.to + 1);
    late.close();
  });

  it('after the session closed: the stream ends with close (local), and a reconnect gets 204', async () => {
    await shop('sse-end');
    const s = await events('sse-end', '?receive=OrderAck');
    await s.next();
    expect((await gw.call('DELETE', '/sessions/sse-end')).status).toBe(200);
    let last;
    for (;;) {
      last = await s.next<{ reason: string }>();
      if (last.event === 'close') break;
    }
    expect(last.data.reason).toBe('local');
    await s.end();
    const reconnect = await events('sse-end', '?receive=OrderAck', { 'last-event-id': String(last.id) });
    expect(reconnect.status).toBe(204);
    // A first connection (no Last-Event-ID) is told why: 404.
    expectProblem(await gw.call('GET', '/sessions/sse-end/events'), 404, 'SESSION_NOT_FOUND');
    expectProblem(await gw.call('GET', '/sessions/sse-end/events', undefined, { 'last-event-id': 'x' }), 400, 'VALIDATION', { in: 'headers' });
  });
});
