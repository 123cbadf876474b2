/**
 * Regression (found with review item 6): an event stream whose request was pipelined behind
 * another on its connection waits, unsent, until that answer ends (Node sends answers in order).
 * Behind another event stream that is for ever; and when the client left, Node told the waiting
 * answer nothing (it has no socket yet), so the stream, its keep-alive timer and, with
 * `?receive=`, the session's reader stayed: the session's loads were refused (409) until it
 * closed. A stream now also ends when its request's connection closes.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';
import { streamPair } from '../support/gateway-routes.js';
import { until } from '../support/until.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
});
afterAll(() => gw.close());

describe('an event stream pipelined behind another', () => {
  it('lets the session read again once the client has gone', async () => {
    const { peer } = await streamPair(gw, 'pipe');
    const reader = () => gw.ctx.sessions.get(peer).channel().readsOwner;
    const raw = net.connect(Number(new URL(gw.base).port), '127.0.0.1');
    raw.write(`GET /sessions/${peer}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /sessions/${peer}/events?receive=DWORD HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await until(() => reader() !== undefined, 'the second stream took the reader');
    raw.destroy();
    await until(() => reader() === undefined, 'the reader is released');
    expect(gw.ctx.streams.isHeld(gw.ctx.sessions.get(peer))).toBe(false);
  });
});
