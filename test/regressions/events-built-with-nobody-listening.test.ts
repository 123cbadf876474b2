/**
 * Regression (review, item 29): once an event stream had opened on a session, every chunk its
 * socket received was made into a Server-Sent Event (JSON and text) for the rest of the session's
 * life, with no stream open and even with ARCHWAY_EVENT_REPLAY_BYTES=0, when nothing is kept. Now
 * the event is made only for a stream that listens or a replay window that keeps it; its id is
 * counted all the same, so a resume is told what it missed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventJournal, type JournalEvent } from '../../src/gateway/streams/event-journal.js';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';
import { streamPair } from '../support/gateway-routes.js';
import { openSse } from '../support/sse-client.js';
import { until } from '../support/until.js';

/** Data that counts how often it is made into JSON. */
function counted(): { data: { toJSON(): unknown }; readonly built: number } {
  let built = 0;
  return {
    data: { toJSON: () => (built++, { bytes: 1 }) },
    get built() {
      return built;
    },
  };
}

describe('a session journal', () => {
  it('with nobody listening and no replay window, makes no event, and still counts its id', () => {
    const journal = new EventJournal(0);
    const c = counted();
    journal.append('receive', c.data);
    journal.append('receive', c.data);
    expect(c.built).toBe(0);
    const seen: JournalEvent[] = [];
    const off = journal.subscribe((e) => seen.push(e));
    journal.append('receive', c.data);
    off();
    expect(c.built).toBe(1);
    expect(seen.map((e) => e.id)).toEqual([3]);
    expect(journal.since(0)).toEqual({ events: [], missed: { from: 1, to: 3 } });
  });

  it('with a replay window, keeps the events nobody listened to', () => {
    const journal = new EventJournal(1024);
    const c = counted();
    journal.append('receive', c.data);
    expect(c.built).toBe(1);
    expect(journal.since(0).events.map((e) => e.id)).toEqual([1]);
  });
});

describe('a gateway without a replay window', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ eventReplayBytes: 0 });
  });
  afterAll(() => gw.close());

  it('tells a resuming stream the ids of the events it missed while none was open', async () => {
    const { client, peer } = await streamPair(gw, 'idle');
    const first = await openSse(`${gw.base}/sessions/${peer}/events`);
    expect((await gw.call('POST', `/sessions/${client}/store`, { type: 'DWORD', value: 1 })).status).toBe(200);
    expect((await first.next()).event).toBe('session');
    const last = await first.next();
    expect(last.event).toBe('receive');
    first.close();
    await until(() => !gw.ctx.streams.isHeld(gw.ctx.sessions.get(peer)), 'the stream is gone');
    for (let i = 0; i < 3; i++) {
      expect((await gw.call('POST', `/sessions/${client}/store`, { type: 'DWORD', value: i })).status).toBe(200);
      await until(async () => (await gw.call<{ buffered: number }>('GET', `/sessions/${peer}`)).body.buffered === 8 + 4 * i, 'the bytes arrived');
    }
    const resumed = await openSse(`${gw.base}/sessions/${peer}/events`, { 'last-event-id': String(last.id) });
    expect((await resumed.next()).event).toBe('session');
    expect(await resumed.next()).toMatchObject({ event: 'gap', data: { from: last.id! + 1, to: last.id! + 3 } });
    resumed.close();
  });
});
