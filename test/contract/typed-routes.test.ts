/**
 * The typed routes (SPEC §1 "Typed operations"): the body is the message, the answer is the
 * message. `POST /sessions/{name}/ops/{operation}` exchanges with the demo service in order mode;
 * `…/store/{Type}` and `…/load/{Type}` work between two sessions; their errors are the documented
 * ones, with the JSON pointer of a bad field in the body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceOrder, startDemoService, type DemoService } from '../../src/demo/index.js';
import { startGateway, type SessionInfo, type Stored, type TestGateway } from '../support/gateway-harness.js';
import { expectProblem, streamPair } from '../support/gateway-routes.js';

interface OrderAck {
  id: number;
  status: number;
  message: string;
}

let gw: TestGateway;
let demo: DemoService;
let client: string;
let peer: string;

beforeAll(async () => {
  gw = await startGateway();
  demo = await startDemoService({ port: 0, host: '127.0.0.1', udp: false, types: gw.ctx.types });
  expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'shop' })).status).toBe(201);
  expect((await gw.call<SessionInfo>('POST', '/sessions/shop/connect', { host: '127.0.0.1', port: demo.port })).status).toBe(200);
  ({ client, peer } = await streamPair(gw, 'typed'));
});
afterAll(async () => {
  await gw.close();
  await demo.close();
});

describe('POST /sessions/{name}/ops/{operation}', () => {
  it('sends the request as its type and answers the response, canonical JSON', async () => {
    const r = await gw.call<OrderAck>('POST', '/sessions/shop/ops/placeOrder', referenceOrder(77));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.body).toEqual({ id: 77, status: 0, message: 'order 77 for Globex Industrial Co: 5 line(s), 60 item(s)' });
  });

  it('?form=lossless answers in the lossless media type', async () => {
    const r = await gw.call<OrderAck>('POST', '/sessions/shop/ops/placeOrder?form=lossless&timeoutMs=5000', referenceOrder(78));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/vnd\.archway\.lossless\+json/);
    expect(r.body.id).toBe(78);
  });

  it('a bad field is VALIDATION with its JSON pointer in the body, and nothing is sent', async () => {
    const before = (await gw.call<SessionInfo>('GET', '/sessions/shop')).body.bytesOut;
    const order = referenceOrder(79);
    const bad = { ...order, lines: [order.lines[0], { ...order.lines[1], qty: 70_000 }] };
    expectProblem(await gw.call('POST', '/sessions/shop/ops/placeOrder', bad), 400, 'VALIDATION', { path: '/lines/1/qty', in: 'body' });
    expect((await gw.call<SessionInfo>('GET', '/sessions/shop')).body.bytesOut).toBe(before);
    // The session is still in step: the next order gets its own answer.
    expect((await gw.call<OrderAck>('POST', '/sessions/shop/ops/placeOrder', referenceOrder(80))).body.id).toBe(80);
  });

  it('an unknown operation is 404 UNKNOWN_OPERATION; a trailing slash names no route', async () => {
    expectProblem(await gw.call('POST', '/sessions/shop/ops/placeOrdr', referenceOrder(1)), 404, 'UNKNOWN_OPERATION');
    expectProblem(await gw.call('POST', '/sessions/shop/ops/', referenceOrder(1)), 404, 'ROUTE_NOT_FOUND');
    expectProblem(await gw.call('POST', '/sessions/nobody/ops/placeOrder', referenceOrder(1)), 404, 'SESSION_NOT_FOUND');
  });

  it('timeoutMs and form are checked as query parameters', async () => {
    expectProblem(await gw.call('POST', '/sessions/shop/ops/placeOrder?timeoutMs=abc', referenceOrder(1)), 400, 'VALIDATION', { in: 'query' });
    expectProblem(await gw.call('POST', '/sessions/shop/ops/placeOrder?timeoutMs=999999999', referenceOrder(1)), 400, 'VALIDATION', { in: 'query' });
    expectProblem(await gw.call('POST', '/sessions/shop/ops/placeOrder?form=pretty', referenceOrder(1)), 400, 'VALIDATION', { in: 'query' });
  });
});

describe('POST /sessions/{name}/store/{Type} and /load/{Type}', () => {
  it('store a typed value on one session, load it typed on the other', async () => {
    const stored = await gw.call<Stored>('POST', `/sessions/${client}/store/OrderAck`, { id: 5, status: -1, message: 'héllo' });
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    expect(stored.body).toEqual({ values: 1, bytes: 4 + 4 + 1 + 5 });
    const loaded = await gw.call<OrderAck>('POST', `/sessions/${peer}/load/OrderAck?timeoutMs=2000`);
    expect(loaded.body).toEqual({ id: 5, status: -1, message: 'héllo' });
  });

  it('a load that times out consumes nothing; unknown types are UNKNOWN_TYPE', async () => {
    expect((await gw.call('POST', `/sessions/${client}/write`, { data: Buffer.from([1, 0]).toString('base64') })).status).toBe(200);
    expectProblem(await gw.call('POST', `/sessions/${peer}/load/OrderAck?timeoutMs=100`), 504, 'TIMEOUT');
    expect((await gw.call<{ data: string }>('POST', `/sessions/${peer}/read`, { bytes: 2, timeoutMs: 2000 })).body.data).toBe('AQA=');
    expectProblem(await gw.call('POST', `/sessions/${peer}/load/Nope?timeoutMs=100`), 400, 'UNKNOWN_TYPE');
    expectProblem(await gw.call('POST', `/sessions/${client}/store/OrderAck`, { id: 'x' }), 400, 'VALIDATION', { path: '/id', in: 'body' });
  });
});
