/**
 * Regressions from the review of the browser work (issue 12):
 * - any web page could take over a session's event stream on a gateway without a token: an
 *   EventSource sends no preflight, and a resuming stream (`lastEventId`) takes the reader over;
 *   event streams now check the Origin as WebSockets do (403 ORIGIN_NOT_ALLOWED);
 * - a HEAD of `…/events` held the session's reader and never answered: no HEAD on the stream routes;
 * - DNS rebinding: a page on a name re-pointed at 127.0.0.1 is the gateway's "own origin" to the
 *   browser; a gateway listening on loopback now answers only loopback Host names (421).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';
import { expectProblem } from '../support/gateway-routes.js';
import { openSse } from '../support/sse-client.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
  expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 's' })).status).toBe(201);
});
afterAll(() => gw.close());

describe('event streams from other pages', () => {
  it('a page on an origin not listed gets 403 ORIGIN_NOT_ALLOWED, with or without a resume', async () => {
    for (const query of ['', '?receive=DWORD&lastEventId=0']) {
      expectProblem(await gw.call('GET', `/sessions/s/events${query}`, undefined, { origin: 'http://evil.example' }), 403, 'ORIGIN_NOT_ALLOWED');
    }
    // The gateway's own pages and clients without an Origin still stream.
    const own = await openSse(`${gw.base}/sessions/s/events`, { origin: gw.base });
    expect(own.status).toBe(200);
    own.close();
  });

  it('HEAD is no route: answered at once, and the session stays free', async () => {
    const head = await request(`${gw.base}/sessions/s/events?receive=DWORD`, { method: 'HEAD', headersTimeout: 3000 });
    expect(head.statusCode).toBe(404);
    await head.body.dump();
    expectProblem(await gw.call('POST', '/sessions/s/load', { type: 'DWORD', timeoutMs: 10 }), 409, 'INVALID_STATE', { state: 'created' });
  });
});

describe('the Host header of a gateway on loopback', () => {
  /** One raw request with the given Host; the status line's code. */
  async function statusWithHost(host: string): Promise<number> {
    const { port } = new URL(gw.base);
    const sock = net.connect(Number(port), '127.0.0.1');
    sock.write(`GET /sessions HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    let text = '';
    for await (const chunk of sock) text += (chunk as Buffer).toString();
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  }

  it('must name loopback: a rebound name is 421 HOST_NOT_ALLOWED before anything runs', async () => {
    expect(await statusWithHost('evil.example:8080')).toBe(421);
    expect(await statusWithHost('[2001:db8::10]:8080')).toBe(421); // an address literal outside loopback (a header only: no traffic goes there)
    for (const ok of ['127.0.0.1:8080', 'localhost', 'app.localhost:3000', '[::1]:8080']) expect(await statusWithHost(ok), ok).toBe(200);
    // No Host at all is no browser (HAProxy's HTTP/1.0 health check): answered.
    const { port } = new URL(gw.base);
    const sock = net.connect(Number(port), '127.0.0.1');
    sock.write('GET /health HTTP/1.0\r\n\r\n');
    let text = '';
    for await (const chunk of sock) text += (chunk as Buffer).toString();
    expect(text).toMatch(/^HTTP\/1\.[01] 200/);
    const r = await request(`${gw.base}/sessions`, { headers: { host: 'evil.example' } });
    expect(r.statusCode).toBe(421);
    expect(await r.body.json()).toMatchObject({ code: 'HOST_NOT_ALLOWED', statusCode: 421 });
  });
});
