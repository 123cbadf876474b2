/**
 * Regressions from the long HTTP fuzz (issue 10; `npm run fuzz:http -- --requests 50000 --seed 3`):
 * answers whose code the OpenAPI document did not list for the route, and one request the document
 * calls invalid that was accepted.
 * - a body declared `charset=latin1` was parsed as UTF-8 and accepted (now 415);
 * - a session created with a code page iconv-lite does not know failed every later store and load
 *   with TYPE_FILE (now refused at creation: 400 VALIDATION at /codePage);
 * - a type expression nested too deep in a load answered TYPE_FILE with an empty path (now
 *   VALIDATION pointing at /type);
 * - a raw read queued behind an answer that did not decode answered that answer's ARCHIVE_DECODE,
 *   a code the read does not list and about bytes that were not its own (now 409 outOfStep).
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceOrder } from '../../src/demo/index.js';
import { startGateway, type Problem, type TestGateway } from '../support/gateway-harness.js';
import { expectProblem, rawPeer, waitReaders } from '../support/gateway-routes.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
});
afterAll(() => gw.close());

describe('answers the document lists', () => {
  it('a JSON body in another charset is 415, UTF-8 under any spelling is accepted', async () => {
    const body = JSON.stringify({ kind: 'stream' });
    for (const [type, status] of [
      ['application/json;charset=latin1', 415],
      ['application/json; charset=utf-16', 415],
      ['application/json; charset=UTF-8', 201],
      ['application/json; charset="utf8"', 201],
    ] as const) {
      const r = await gw.call<Problem>('POST', '/sessions', body, { 'content-type': type });
      expect(r.status, `${type}: ${JSON.stringify(r.body)}`).toBe(status);
      if (status === 415) expect(r.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('UTF-8') });
    }
  });

  it('a session with a code page nobody can encode is refused when it is created', async () => {
    expectProblem(await gw.call('POST', '/sessions', { kind: 'stream', name: 'cp', codePage: 22731 }), 400, 'VALIDATION', { path: '/codePage' });
    expectProblem(await gw.call('GET', '/sessions/cp'), 404, 'SESSION_NOT_FOUND');
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'cp', codePage: 932 })).status).toBe(201);
  });

  it('a type expression nested too deep is a VALIDATION of the field that holds it', async () => {
    let deep: unknown = 'WORD';
    for (let i = 0; i < 200; i++) deep = { list: deep };
    const peer = await rawPeer(gw, 'deep');
    expectProblem(await gw.call('POST', '/sessions/deep/load', { type: deep, timeoutMs: 100 }), 400, 'VALIDATION', { path: '/type' });
    expectProblem(await gw.call('POST', '/sessions/deep/exchange', { request: { type: 'WORD', value: 1 }, response: { type: deep } }), 400, 'VALIDATION', {
      path: '/response/type',
    });
    expectProblem(await gw.call('POST', '/sessions/deep/store', { values: [{ type: 'WORD', value: 1 }, { type: deep, value: [] }] }), 400, 'VALIDATION', {
      path: '/values/1/type',
      index: 1,
    });
    peer.destroy();
  });

  it('a read behind an answer that does not decode hears that the stream is out of step, the exchange hears why', async () => {
    const peer = await rawPeer(gw, 'garbled');
    const exchange = gw.call<Problem>('POST', '/sessions/garbled/exchange', { request: { type: 'Order', value: referenceOrder(1) }, response: { type: 'OrderAck' }, timeoutMs: 5000 });
    await once(peer, 'data');
    const read = gw.call<Problem>('POST', '/sessions/garbled/read', { bytes: 4, timeoutMs: 5000 });
    await waitReaders(gw, 'garbled', 2);
    // id, status, then a CString claiming 0xFFFFFFFE characters: past every cap.
    peer.write(Buffer.from('0100000000000000fffffffeffffff', 'hex'));
    expect((await exchange).body.code).toBe('ARCHIVE_LIMIT');
    expectProblem(await read, 409, 'INVALID_STATE', { outOfStep: true });
    peer.destroy();
  });
});
