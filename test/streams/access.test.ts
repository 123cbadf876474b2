/**
 * Who may open what from a browser (SPEC §1 "Browser reach"): CORS for the listed origins only,
 * with preflights answered before the token; with a token, /docs and the API's description open,
 * and stream tickets — short-lived, single-use, bound to a session — the only credential a URL
 * carries; WebSocket refusals told as close codes, a foreign page's handshake refused outright.
 */
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/gateway/index.js';
import { TicketBook } from '../../src/gateway/plugins/ticket-book.js';
import { startDemoService, type DemoService } from '../../src/demo/index.js';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';
import { expectProblem } from '../support/gateway-routes.js';
import { openSocket, refusedHandshake } from '../support/ws-client.js';

const TOKEN = 'browser-reach-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const PAGE = 'http://127.0.0.1:28081';
let gw: TestGateway;
let open: TestGateway;
let demo: DemoService;

beforeAll(async () => {
  demo = await startDemoService({ port: 0, udp: false });
  [gw, open] = await Promise.all([startGateway({ token: TOKEN, corsOrigins: [PAGE], ticketTtlMs: 5000 }), startGateway()]);
  for (const g of [gw, open]) {
    expect((await g.call('POST', '/sessions', { kind: 'stream', name: 'shop' }, AUTH)).status).toBe(201);
    expect((await g.call('POST', '/sessions/shop/connect', { host: '127.0.0.1', port: demo.port }, AUTH)).status).toBe(200);
    expect((await g.call('POST', '/sessions', { kind: 'stream', name: 'other' }, AUTH)).status).toBe(201);
  }
});
afterAll(async () => {
  await Promise.all([gw.close(), open.close()]);
  await demo.close();
});
afterEach(() => {
  vi.useRealTimers();
});

const ws = (g: TestGateway, path: string) => `${g.base.replace('http', 'ws')}${path}`;
const ticket = async (session = 'shop') => (await gw.call<{ ticket: string; expiresAt: string; session: string }>('POST', '/tickets', { session }, AUTH)).body;

describe('CORS (ARCHWAY_CORS_ORIGINS)', () => {
  it('a listed origin: the preflight of any route is answered without the token, answers carry the CORS headers', async () => {
    for (const [method, path] of [['POST', '/sessions'], ['PUT', '/sessions/made-by-put'], ['DELETE', '/sessions/shop'], ['GET', '/sessions/shop/events'], ['POST', '/sessions/shop/ops/placeOrder']]) {
      const pre = await request(gw.base + path, { method: 'OPTIONS', headers: { origin: PAGE, 'access-control-request-method': method!, 'access-control-request-headers': 'authorization,content-type' } });
      await pre.body.dump();
      expect(pre.statusCode, path).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe(PAGE);
      expect(String(pre.headers['access-control-allow-methods'])).toContain(method);
      expect(String(pre.headers['access-control-allow-headers'])).toMatch(/authorization.*content-type/);
    }
    const created = await gw.call('POST', '/sessions', { kind: 'stream', name: 'cors-made' }, { ...AUTH, origin: PAGE });
    expect(created.status).toBe(201);
    expect(created.headers['access-control-allow-origin']).toBe(PAGE);
    expect(String(created.headers['access-control-expose-headers'])).toContain('location');
    // Errors carry them too: a page can read the problem.
    const denied = await gw.call('GET', '/sessions', undefined, { origin: PAGE });
    expectProblem(denied, 401, 'UNAUTHORIZED');
    expect(denied.headers['access-control-allow-origin']).toBe(PAGE);
  });

  it('another origin gets no CORS header and no preflight; without the setting nobody does', async () => {
    const pre = await request(gw.base + '/sessions', { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    await pre.body.dump();
    // No CORS answer: the preflight reaches the gateway's routes, where OPTIONS needs the token like any.
    expect(pre.statusCode).toBe(401);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const r = await gw.call('GET', '/sessions', undefined, { ...AUTH, origin: 'http://evil.example' });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const none = await request(open.base + '/sessions', { method: 'OPTIONS', headers: { origin: PAGE, 'access-control-request-method': 'POST' } });
    await none.body.dump();
    expect(none.statusCode).toBe(404);
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('the setting takes origins as browsers send them, or *', () => {
    expect(loadConfig(['--cors-origins', 'http://a.example,https://b.example:8443']).corsOrigins).toEqual(['http://a.example', 'https://b.example:8443']);
    expect(loadConfig([], { ARCHWAY_CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(() => loadConfig(['--cors-origins', 'http://a.example/'])).toThrow(/--cors-origins: 'http:\/\/a.example\/' is not an origin as browsers send it: write http:\/\/a.example/);
    expect(() => loadConfig([], { ARCHWAY_CORS_ORIGINS: 'a.example' })).toThrow(/ARCHWAY_CORS_ORIGINS: 'a.example' is not an origin/);
    expect(() => loadConfig(['--cors-origins', 'ftp://a.example'])).toThrow(/not an http or https origin/);
  });
});

describe('with a token: what a browser opens', () => {
  it('/docs (Swagger UI and its assets), /docs/json, /openapi.json and /playground load without it; the document offers bearer', async () => {
    for (const path of ['/docs', '/docs/json', '/openapi.json', '/playground', '/playground/', '/playground/playground.js', '/playground/gateway-client.js', '/playground/settings.json', '/health']) {
      const r = await gw.call('GET', path);
      expect(r.status, path).toBe(200);
    }
    const css = await request(`${gw.base}/docs/static/swagger-ui.css`);
    await css.body.dump();
    expect(css.statusCode).toBe(200);
    const doc = (await gw.call<{ components: { securitySchemes: unknown } }>('GET', '/docs/json')).body;
    expect(doc.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer', description: 'ARCHWAY_TOKEN' } });
    expect((await gw.call('GET', '/playground/settings.json')).body).toEqual({ demo: null, token: true });
  });

  it('the token is never read from a URL', async () => {
    for (const q of [`?token=${TOKEN}`, `?access_token=${TOKEN}`, `?ticket=${TOKEN}`]) {
      expectProblem(await gw.call('GET', `/sessions${q}`), 401, 'UNAUTHORIZED');
      expectProblem(await gw.call('GET', `/sessions/shop/events${q}`), 401, 'UNAUTHORIZED');
    }
  });
});

describe('stream tickets (POST /tickets)', () => {
  it('a ticket opens the session\'s event stream once; a second use is refused', async () => {
    const t = await ticket();
    expect(t.session).toBe('shop');
    expect(Date.parse(t.expiresAt) - Date.now()).toBeGreaterThan(3000);
    const res = await request(`${gw.base}/sessions/shop/events?ticket=${t.ticket}`);
    expect(res.statusCode).toBe(200);
    res.body.destroy();
    const again = await gw.call('GET', `/sessions/shop/events?ticket=${t.ticket}`);
    expectProblem(again, 401, 'UNAUTHORIZED');
    expect(again.body.message).toMatch(/used already/);
  });

  it('a ticket is for its session only, and only on …/events and …/ws', async () => {
    const t = await ticket('other');
    expectProblem(await gw.call('GET', `/sessions/shop/events?ticket=${t.ticket}`), 401, 'UNAUTHORIZED', { session: 'other' });
    const u = await ticket();
    expectProblem(await gw.call('GET', `/sessions/shop?ticket=${u.ticket}`), 401, 'UNAUTHORIZED');
    expectProblem(await gw.call('POST', '/sessions/shop/store/Order?ticket=' + u.ticket, {}), 401, 'UNAUTHORIZED');
    expectProblem(await gw.call('POST', '/tickets', { session: 'nobody' }, AUTH), 404, 'SESSION_NOT_FOUND');
    expectProblem(await gw.call('POST', '/tickets', { session: 'shop' }), 401, 'UNAUTHORIZED');
  });

  it('an expired ticket is refused', async () => {
    const t = await ticket();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6000);
    const r = await gw.call('GET', `/sessions/shop/events?ticket=${t.ticket}`);
    expectProblem(r, 401, 'UNAUTHORIZED');
    expect(r.body.message).toMatch(/expired/);
  });

  it('the book: single use, expiry, a bound on what it holds', () => {
    const book = new TicketBook(1000, 3);
    const a = book.issue('s', 0);
    expect(book.redeem(a.ticket, 's', 10)).toBeUndefined();
    expect(book.redeem(a.ticket, 's', 20)?.message).toMatch(/used already/);
    const b = book.issue('s', 0);
    expect(book.redeem(b.ticket, 's', 1000)?.message).toMatch(/expired/);
    expect(book.redeem('made-up', 's', 0)?.code).toBe('UNAUTHORIZED');
    book.issue('s', 100);
    book.issue('s', 100); // with the used one (kept until it expires, to name a replay): 3
    expect(() => book.issue('s', 200)).toThrow(/unexpired stream tickets/);
    expect(book.issue('s', 5000).session).toBe('s'); // the expired ones went
  });
});

describe('WebSocket refusals', () => {
  it('without credentials: 4401 after an error frame; with a ticket (once) or the header: open', async () => {
    const none = await openSocket(ws(gw, '/sessions/shop/ws'));
    expect(await none.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect(await none.closed).toEqual({ code: 4401, reason: 'UNAUTHORIZED' });
    const t = await ticket();
    const first = await openSocket(ws(gw, `/sessions/shop/ws?receive=OrderAck&ticket=${t.ticket}`));
    first.ws.send(JSON.stringify({ type: 'Order', value: { id: 3, customer: 'c', placed: '2019-10-03T14:47:55Z', total: 1, priority: 1, express: false, lines: [], notes: [] } }));
    expect(await first.json()).toMatchObject({ type: 'OrderAck', value: { id: 3 } });
    first.ws.close();
    await first.closed;
    const replay = await openSocket(ws(gw, `/sessions/shop/ws?ticket=${t.ticket}`));
    expect(await replay.json()).toMatchObject({ error: { code: 'UNAUTHORIZED', message: expect.stringMatching(/used already/) } });
    expect((await replay.closed).code).toBe(4401);
    const header = await openSocket(ws(gw, '/sessions/shop/ws'), { headers: AUTH });
    header.ws.close();
    expect((await header.closed).code).toBe(1005);
  });

  it('4000 + the REST status for every other refusal, with the problem in an error frame', async () => {
    const cases: [string, number, string, Record<string, unknown>][] = [
      ['/sessions/nobody/ws', 4404, 'SESSION_NOT_FOUND', {}],
      ['/sessions/shop/ws?receive=Nope', 4400, 'UNKNOWN_TYPE', { path: '/receive', in: 'query' }],
      ['/sessions/shop/ws?send=Nope', 4400, 'UNKNOWN_TYPE', { path: '/send' }],
      ['/sessions/shop/ws?mode=text', 4400, 'VALIDATION', { path: '/mode', in: 'query' }],
      ['/sessions/shop/ws?zzz=1', 4400, 'VALIDATION', { path: '/zzz' }],
      ['/sessions/other/ws', 4409, 'INVALID_STATE', {}], // created, not connected
    ];
    for (const [path, code, name, details] of cases) {
      const s = await openSocket(ws(open, path));
      expect(await s.json(), path).toMatchObject({ error: { code: name, ...details } });
      expect(await s.closed, path).toEqual({ code, reason: name });
    }
    await open.call('POST', '/sessions', { kind: 'datagram', name: 'udp' });
    const udp = await openSocket(ws(open, '/sessions/udp/ws'));
    expect(await udp.closed).toEqual({ code: 4409, reason: 'ARCHIVE_REQUIRES_STREAM' });
  });

  it('a second WebSocket on a session is refused (4409); the first goes on', async () => {
    const first = await openSocket(ws(open, '/sessions/shop/ws?receive=OrderAck&send=Order'));
    const second = await openSocket(ws(open, '/sessions/shop/ws'));
    expect(await second.json()).toMatchObject({ error: { code: 'INVALID_STATE', message: expect.stringMatching(/has a WebSocket already/) } });
    expect(await second.closed).toEqual({ code: 4409, reason: 'INVALID_STATE' });
    first.ws.send(JSON.stringify({ id: 12, customer: 'c', placed: '2019-10-03T14:47:55Z', total: 1, priority: 1, express: false, lines: [], notes: [] }));
    expect(await first.json()).toMatchObject({ value: { id: 12 } });
    first.ws.close();
    await first.closed;
  });

  it('a page of an origin not allowed is refused before the upgrade (403); the gateway\'s own and listed ones are not', async () => {
    const foreign = await refusedHandshake(ws(gw, '/sessions/shop/ws'), { origin: 'http://evil.example' });
    expect(foreign).toMatchObject({ status: 403, body: { code: 'ORIGIN_NOT_ALLOWED' } });
    expect((await refusedHandshake(ws(open, '/sessions/shop/ws'), { origin: PAGE })).status).toBe(403);
    for (const [g, origin] of [[gw, PAGE], [open, open.base]] as const) {
      const s = await openSocket(ws(g, '/sessions/shop/ws'), { headers: { origin, ...AUTH } });
      s.ws.close();
      expect((await s.closed).code).toBe(1005);
    }
  });

  it('a plain GET (no upgrade) is 426 UPGRADE_REQUIRED', async () => {
    expectProblem(await open.call('GET', '/sessions/shop/ws'), 426, 'UPGRADE_REQUIRED');
    expectProblem(await open.call('GET', '/sessions/shop/ws?mode=nope'), 400, 'VALIDATION');
  });
});
