/**
 * The two JSON forms over HTTP (SPEC §2 "Canonical and lossless JSON"): answers are canonical by
 * default — one shape per MFC type — on the generic routes (load, exchange) and the typed ones;
 * `?form=lossless` gives the forms that reproduce unusual wire bytes, as its own media type, and
 * storing that lossless value gives back the very bytes that were received. WebSocket frames and
 * event-stream messages follow the same rule (`form=` on their URL).
 */
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Loaded, type TestGateway } from '../support/gateway-harness.js';
import { collect, rawPeer } from '../support/gateway-routes.js';
import { openSse } from '../support/sse-client.js';
import { until } from '../support/until.js';
import { openSocket } from '../support/ws-client.js';

let gw: TestGateway;
let peer: net.Socket;
beforeAll(async () => {
  gw = await startGateway();
  peer = await rawPeer(gw, 'forms');
});
afterAll(async () => {
  peer.destroy();
  await gw.close();
});

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
// An OrderAck as an unusual writer sends it: id 7, status -1, and "ok\x81" with its length written
// long (FF then the WORD 3, mfc-archive-format §2.1) and a byte code page 1252 leaves undefined.
const ACK = hex('07000000 FFFFFFFF  FF 0300 6F6B81');
const LOSSLESS = 'application/vnd.archway.lossless+json';

describe('answers', () => {
  it('are canonical by default on load: the string is a string, converted as MultiByteToWideChar does', async () => {
    peer.write(ACK);
    const r = await gw.call<Loaded>('POST', '/sessions/forms/load', { type: 'OrderAck', timeoutMs: 5000 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    // 0x81 is undefined in 1252; Windows maps it to U+0081.
    expect(r.body.value).toEqual({ id: 7, status: -1, message: 'ok\u0081' });
  });

  it('are lossless on ?form=lossless, in their own media type, and store back to the same bytes', async () => {
    peer.write(ACK);
    const r = await gw.call<Loaded>('POST', '/sessions/forms/load?form=lossless', { type: 'OrderAck', timeoutMs: 5000 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.headers['content-type']).toMatch(new RegExp(`^${LOSSLESS.replace(/[.+]/g, '\\$&')}`));
    const value = r.body.value as { message: unknown };
    expect(typeof value.message).toBe('object'); // the form that keeps the long length and the byte
    const echoed = collect(peer, ACK.length);
    expect((await gw.call('POST', '/sessions/forms/store', { type: 'OrderAck', value })).status).toBe(200);
    expect((await echoed).equals(ACK)).toBe(true);
  });

  it('the typed load and the generic exchange follow the same rule', async () => {
    peer.write(ACK);
    const typed = await gw.call<{ message: unknown }>('POST', '/sessions/forms/load/OrderAck?timeoutMs=5000');
    expect(typed.body).toEqual({ id: 7, status: -1, message: 'ok\u0081' });
    peer.write(ACK);
    const typedLossless = await gw.call<{ message: unknown }>('POST', '/sessions/forms/load/OrderAck?timeoutMs=5000&form=lossless');
    expect(typeof typedLossless.body.message).toBe('object');

    const request = collect(peer, 4);
    const exchange = gw.call<Loaded>('POST', '/sessions/forms/exchange?form=canonical', { request: { type: 'DWORD', value: 1 }, response: { type: 'OrderAck' }, timeoutMs: 5000 });
    await request;
    peer.write(ACK);
    expect((await exchange).body.value).toEqual({ id: 7, status: -1, message: 'ok\u0081' });
  });

  it('an unknown form is a 400 VALIDATION of the query', async () => {
    const r = await gw.call<{ code: string; in?: string }>('POST', '/sessions/forms/load?form=raw', { type: 'OrderAck', timeoutMs: 10 });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'VALIDATION', in: 'query', path: '/form' });
  });
});

describe('pushed messages', () => {
  const CANONICAL = { id: 7, status: -1, message: 'ok\u0081' };

  it('WebSocket frames are canonical, or lossless with ?form=lossless', async () => {
    for (const [query, canonical] of [['', true], ['&form=lossless', false]] as const) {
      const ws = await openSocket(`${gw.base.replace('http', 'ws')}/sessions/forms/ws?receive=OrderAck${query}`);
      peer.write(ACK);
      const frame = await ws.json<{ type: string; value: { message: unknown } }>();
      expect(frame.type).toBe('OrderAck');
      if (canonical) expect(frame.value).toEqual(CANONICAL);
      else expect(typeof frame.value.message, JSON.stringify(frame)).toBe('object');
      ws.ws.close();
      await ws.closed;
    }
  });

  it('event-stream messages are canonical, or lossless with ?form=lossless', async () => {
    for (const [query, canonical] of [['', true], ['&form=lossless', false]] as const) {
      // The WebSocket before may still be letting go of the session's reader (its close is async).
      let s = await openSse(`${gw.base}/sessions/forms/events?receive=OrderAck${query}`);
      await until(async () => {
        if (s.status === 200) return true;
        s = await openSse(`${gw.base}/sessions/forms/events?receive=OrderAck${query}`);
        return false;
      }, 'the event stream to take the reader');
      peer.write(ACK);
      let data: { type: string; value: { message: unknown } } | undefined;
      while (data === undefined) {
        const e = await s.next<{ type: string; value: { message: unknown } }>();
        if (e.event === 'message') data = e.data;
      }
      if (canonical) expect(data.value).toEqual(CANONICAL);
      else expect(typeof data.value.message, JSON.stringify(data)).toBe('object');
      s.close();
    }
  });
});
