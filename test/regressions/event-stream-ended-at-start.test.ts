/**
 * Regressions (review, item 6):
 * - the replay window (ARCHWAY_EVENT_REPLAY_BYTES) counted UTF-16 units, not the bytes an event
 *   stream writes: events of non-ASCII text were kept up to three times over;
 * - an event stream that ends inside its start (its session's journal has ended, or what it
 *   replays passes its cutoff) still followed the journal, kept a timer nothing cleared, and
 *   started its read anyway, whose loop returned without letting the reader go: the session's
 *   loads were refused (409) for good. Now it subscribes to nothing and gives its reader back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';
import { streamPair } from '../support/gateway-routes.js';
import { openSse, type SseEvent } from '../support/sse-client.js';
import { until } from '../support/until.js';

const REPLAY = 64 * 1024;
/** Characters of three UTF-8 bytes each: an event of ~2,000 UTF-16 units and ~6,000 bytes. */
const TEXT = '日'.repeat(2000);
const MESSAGES = 40;

let gw: TestGateway;
let pair: { client: string; peer: string };

/** The bytes an event took on the stream, as the gateway wrote it. */
const bytesOf = (e: SseEvent) => Buffer.byteLength(`id: ${e.id}\nevent: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
const reader = () => gw.ctx.sessions.get(pair.peer).channel().readsOwner;

beforeAll(async () => {
  gw = await startGateway({ eventReplayBytes: REPLAY });
  pair = await streamPair(gw, 'mb');
});
afterAll(() => gw.close());

describe('the replay window of non-ASCII events', () => {
  it('keeps at most ARCHWAY_EVENT_REPLAY_BYTES of them, in bytes', async () => {
    // The peer's messages, read into the session's journal by an event stream.
    const reading = await openSse(`${gw.base}/sessions/${pair.peer}/events?receive=CStringW`);
    for (let i = 0; i < MESSAGES; i++) expect((await gw.call('POST', `/sessions/${pair.client}/store`, { type: 'CStringW', value: TEXT })).status).toBe(200);
    await until(() => reading.seen.filter((e) => e.event === 'message').length === MESSAGES, 'every message journaled');
    reading.close();
    await until(() => reader() === undefined, 'the reader is released');
    const resumed = await openSse(`${gw.base}/sessions/${pair.peer}/events`, { 'last-event-id': '0' });
    // Something new after the replay: once its `receive` event is here, the whole replay is.
    expect((await gw.call('POST', `/sessions/${pair.client}/store`, { type: 'DWORD', value: 1 })).status).toBe(200);
    await until(() => resumed.seen.some((e) => e.event === 'receive' && e.data !== null && (e.data as { bytes: number }).bytes === 4), 'the event after the replay');
    const replayed = resumed.seen.filter((e) => e.event === 'message');
    expect(replayed.length).toBeGreaterThan(0);
    expect(replayed.reduce((n, e) => n + bytesOf(e), 0)).toBeLessThanOrEqual(REPLAY);
    resumed.close();
  });
});

describe('an event stream ended inside its start', () => {
  it('gives the session its reads back', async () => {
    // The session's journal has ended (its socket closed here) while the session is still listed.
    gw.ctx.streams.journal(gw.ctx.sessions.get(pair.peer)).end();
    const stream = await openSse(`${gw.base}/sessions/${pair.peer}/events?receive=DWORD`);
    await stream.end();
    expect(reader()).toBeUndefined();
    // The DWORD stored above, unread by the event streams, is the load's.
    const loaded = await gw.call('POST', `/sessions/${pair.peer}/load`, { type: 'DWORD', timeoutMs: 1000 });
    expect(loaded.body).toEqual({ value: 1 });
  });
});
