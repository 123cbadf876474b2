/**
 * Security and limits (SPEC §4, §5) on every route of the OpenAPI document: the bearer token, the
 * body checks every JSON route documents (MALFORMED_JSON, UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE,
 * VALIDATION), unknown routes, no internals in error bodies, and bad requests that never hurt
 * another session.
 */
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Health, type Loaded, type Problem, type Reply, type SessionInfo, type SessionList, type TestGateway } from '../support/gateway-harness.js';
import { b64, expectNoInternals, expectProblem, streamPair, waitReaders } from '../support/gateway-routes.js';

const TOKEN = 'correct horse battery staple';
/** Routes a person or a balancer reaches without the token (plugins/bearer-auth.ts). */
const OPEN = ['/health', '/openapi.json'];
const AUTH = { authorization: `Bearer ${TOKEN}` };
const BODY_LIMIT = 2048;

let gw: TestGateway;
/** Every operation of the gateway's own OpenAPI document, with a concrete path. */
let operations: { method: string; path: string; template: string; hasBody: boolean }[];

beforeAll(async () => {
  gw = await startGateway({ token: TOKEN, bodyLimit: BODY_LIMIT });
  expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'sec' }, AUTH)).status).toBe(201);
  const doc = gw.app.swagger() as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
  operations = Object.entries(doc.paths).flatMap(([template, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      template,
      path: template.replace('{name}', 'sec'),
      hasBody: op.requestBody !== undefined,
    })),
  );
});
afterAll(async () => {
  await gw.close();
});

describe('the bearer token (ARCHWAY_TOKEN)', () => {
  it('the document lists every route: the tables below are not empty', () => {
    expect(operations.length).toBeGreaterThanOrEqual(21);
    expect(operations.filter((o) => o.hasBody).length).toBeGreaterThanOrEqual(12);
  });

  it('401 UNAUTHORIZED with WWW-Authenticate on every route but the open ones, without or with a wrong token', async () => {
    const wrong: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${TOKEN}x` }, { authorization: `Basic ${Buffer.from(TOKEN).toString('base64')}` }, { authorization: TOKEN }];
    await Promise.all(operations.filter((op) => !OPEN.includes(op.path)).map(async (op) => {
      for (const headers of wrong) {
        const r = await gw.call(op.method, op.path, op.hasBody ? {} : undefined, headers);
        expectProblem(r, 401, 'UNAUTHORIZED');
        expect(r.headers['www-authenticate'], `${op.method} ${op.path}`).toBe('Bearer realm="archway"');
      }
    }));
    // Nothing was done on anyone's behalf.
    expect((await gw.call<SessionList>('GET', '/sessions', undefined, AUTH)).body.sessions.map((s: { name: string }) => s.name)).toEqual(['sec']);
    // Unknown routes are behind the token too (a path under an open one included).
    expectProblem(await gw.call('GET', '/no/such/route'), 401, 'UNAUTHORIZED');
    expectProblem(await gw.call('GET', '/docs/../sessions'), 401, 'UNAUTHORIZED');
    expectProblem(await gw.call('GET', '/health/../sessions'), 401, 'UNAUTHORIZED');
  });

  it('/health is open; with the right token every route answers something other than 401', async () => {
    const health = await gw.call('GET', '/health?probe=1');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', sessions: 1, types: 3 });
    const events = await request(`${gw.base}/sessions/sec/events`, { headers: AUTH });
    expect(events.statusCode).toBe(200);
    events.body.destroy();
    for (const op of operations) {
      if (op.template.endsWith('/events')) continue; // a stream: answered above
      const r = await gw.call(op.method, op.path, op.hasBody ? {} : undefined, AUTH);
      expect(r.status, `${op.method} ${op.path}: ${JSON.stringify(r.body)}`).not.toBe(401);
    }
    expect((await gw.call<SessionList>('GET', '/sessions', undefined, { authorization: `bearer ${TOKEN}` })).status).toBe(200);
    // DELETE /sessions/sec was among them: the session is back for the tests below.
    await gw.call('DELETE', '/sessions/sec', undefined, AUTH);
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'sec' }, AUTH)).status).toBe(201);
  });

  it('the OpenAPI document declares the bearer scheme when a token is set', async () => {
    const doc = (await gw.call<{ components: { securitySchemes?: unknown }; security?: unknown }>('GET', '/openapi.json', undefined, AUTH)).body;
    expect(doc.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer', description: 'ARCHWAY_TOKEN' } });
    expect(doc.security).toEqual([{ bearer: [] }]);
  });
});

describe('the body checks every JSON route documents', () => {
  it('MALFORMED_JSON 400 for a body that is not JSON, or empty with a JSON content type', async () => {
    for (const op of operations.filter((o) => o.hasBody)) {
      const bad = await gw.call(op.method, op.path, '{"kind": "stream",', AUTH);
      expectProblem(bad, 400, 'MALFORMED_JSON');
      const empty = await gw.call(op.method, op.path, '', AUTH);
      expectProblem(empty, 400, 'MALFORMED_JSON');
    }
  });

  it('UNSUPPORTED_MEDIA_TYPE 415 naming the content type (text/plain and forms are not JSON)', async () => {
    for (const op of operations.filter((o) => o.hasBody)) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const r = await gw.call(op.method, op.path, '{"kind":"stream"}', { ...AUTH, 'content-type': type });
        expectProblem(r, 415, 'UNSUPPORTED_MEDIA_TYPE');
        expect(r.body.message, `${op.method} ${op.path}`).toContain(type);
      }
    }
    // YAML is welcome on POST /types only.
    expectProblem(await gw.call('POST', '/sessions', 'kind: stream', { ...AUTH, 'content-type': 'application/yaml' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('PAYLOAD_TOO_LARGE 413 past bodyLimit, with the limit; also for a chunked body without a length', async () => {
    const big = JSON.stringify({ data: 'A'.repeat(BODY_LIMIT) });
    for (const op of operations.filter((o) => o.hasBody)) {
      expectProblem(await gw.call(op.method, op.path, big, AUTH), 413, 'PAYLOAD_TOO_LARGE', { limit: BODY_LIMIT });
    }
    const chunks = async function* () {
      yield Buffer.from('{"data":"');
      for (let i = 0; i < 8; i++) yield Buffer.from('A'.repeat(512));
      yield Buffer.from('"}');
    };
    const res = await request(`${gw.base}/sessions/sec/write`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: Readable.from(chunks()) });
    const body = (await res.body.json()) as Record<string, unknown>;
    expect(res.statusCode).toBe(413);
    expect(body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit: BODY_LIMIT });
  });

  it('VALIDATION 400 naming an unknown property in an otherwise valid body (refused, not ignored)', async () => {
    const valid: Record<string, object> = {
      '/sessions': { kind: 'stream' },
      '/sessions/{name}': { kind: 'stream' },
      '/sessions/{name}/listen': { backlog: 5 },
      '/sessions/{name}/connect': { host: '127.0.0.1', port: 9 },
      '/sessions/{name}/accept': { timeoutMs: 10 },
      '/sessions/{name}/store': { type: 'DWORD', value: 1 },
      '/sessions/{name}/load': { type: 'DWORD' },
      '/sessions/{name}/exchange': { request: { type: 'DWORD', value: 1 }, response: { type: 'DWORD' } },
      '/sessions/{name}/write': { data: 'AA==' },
      '/sessions/{name}/read': { bytes: 1 },
      '/sessions/{name}/datagrams': { data: 'AA==' },
      '/sessions/{name}/datagrams/receive': { timeoutMs: 10 },
      '/tickets': { session: 'sec' },
    };
    const checked = operations.filter((o) => o.hasBody && o.template !== '/types');
    expect(checked.map((o) => o.template).sort()).toEqual(Object.keys(valid).sort());
    for (const op of checked) {
      const r = await gw.call(op.method, op.path, { ...valid[op.template], zzz: 1 }, AUTH);
      expectProblem(r, 400, 'VALIDATION', { in: 'body', path: '/zzz' });
    }
    // POST /types checks the file itself and says where (TYPE_FILE).
    expectProblem(await gw.call('POST', '/types', { zzz: 1 }, AUTH), 400, 'TYPE_FILE', { path: '/zzz' });
  });
});

describe('unknown routes and error bodies', () => {
  it('404 ROUTE_NOT_FOUND for unknown paths and methods', async () => {
    for (const [method, path] of [['GET', '/nothing'], ['POST', '/sessions/sec/teleport'], ['PUT', '/sessions'], ['PATCH', '/sessions/sec']]) {
      const r = await gw.call(method, path, undefined, AUTH);
      expectProblem(r, 404, 'ROUTE_NOT_FOUND');
      expect(r.body.message).toContain(`${method} "${path}"`);
    }
  });

  it('a path parameter is checked before anything else: VALIDATION for a name that is not URL-safe', async () => {
    expectProblem(await gw.call('POST', `/sessions/${encodeURIComponent('a b')}/store`, { type: 'DWORD', value: 1 }, AUTH), 400, 'VALIDATION', { path: '/name', in: 'params' });
  });

  it('no error body carries a stack trace or a source location', async () => {
    const replies = await Promise.all([
      gw.call<Problem>('POST', '/sessions', '{', AUTH),
      gw.call<Problem>('POST', '/sessions', { kind: 7 }, AUTH),
      gw.call<Problem>('POST', '/sessions/sec/load', { type: { list: 'Nope' } }, AUTH),
      gw.call<Problem>('POST', '/sessions/sec/connect', { host: 'x.invalid', port: 1 }, AUTH),
      gw.call<Problem>('POST', '/types', { types: { X: { fields: 5 } } }, AUTH),
      gw.call<Problem>('GET', '/sessions/nope', undefined, AUTH),
    ]);
    for (const r of replies) {
      expect(r.status).toBeGreaterThanOrEqual(400);
      expectNoInternals(r.body);
      expect(Object.keys(r.body)).not.toContain('stack');
    }
  });
});

describe('a bad request never takes another session down', () => {
  it('after a flood of bad requests, an existing session pair still exchanges and nothing leaked', async () => {
    const { client, peer } = await streamPair({ ...gw, call: (m, p, b, h = {}) => gw.call(m, p, b, { ...AUTH, ...h }) } as TestGateway, 'flood');
    const bad: Promise<Reply>[] = [];
    for (let i = 0; i < 15; i++) {
      bad.push(gw.call('POST', `/sessions/${client}/store`, '{"type":', AUTH));
      bad.push(gw.call('POST', `/sessions/${client}/store`, { type: 'BYTE', value: 1000 + i }, AUTH));
      bad.push(gw.call('POST', `/sessions/${client}/store`, { values: [{ type: 'DWORD', value: i }, { type: 'Nope', value: 1 }] }, AUTH));
      bad.push(gw.call('POST', `/sessions/${peer}/load`, { type: { fixed: 'Nope', length: 2 } }, AUTH));
      bad.push(gw.call('POST', `/sessions/${client}/write`, { data: 'A'.repeat(4000) }, AUTH));
      bad.push(gw.call('POST', `/sessions/${client}/connect`, { host: '127.0.0.1', port: 1 }, AUTH));
      bad.push(gw.call('POST', `/sessions/${client}/exchange`, { request: { type: 'DWORD', value: -1 }, response: { type: 'DWORD' } }, AUTH));
      bad.push(gw.call('DELETE', `/sessions/not-${client}`, undefined, AUTH));
      bad.push(gw.call('POST', '/sessions', { kind: 'stream', name: client }, AUTH));
      bad.push(gw.call('POST', `/sessions/${client}/store`, { type: 'DWORD', value: 1 }, {}));
    }
    const replies = await Promise.all(bad);
    for (const r of replies) {
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expectNoInternals(r.body);
    }
    // Not one byte of the refused requests reached the peer.
    expect((await gw.call<SessionInfo>('GET', `/sessions/${peer}`, undefined, AUTH)).body.buffered).toBe(0);
    expect((await gw.call<SessionInfo>('GET', `/sessions/${client}`, undefined, AUTH)).body).toMatchObject({ state: 'connected', bytesOut: 0 });
    const pending = gw.call('POST', `/sessions/${client}/exchange`, { request: { type: 'CString', value: 'still here?' }, response: { type: 'CString' }, timeoutMs: 3000 }, AUTH);
    expect((await gw.call<Loaded>('POST', `/sessions/${peer}/load`, { type: 'CString', timeoutMs: 3000 }, AUTH)).body.value).toBe('still here?');
    await gw.call('POST', `/sessions/${peer}/store`, { type: 'CString', value: 'yes' }, AUTH);
    expect((await pending).body).toEqual({ value: 'yes' });
    expect((await gw.call<Health>('GET', '/health')).body.status).toBe('ok');
  });

  it('a long-poll whose client goes away consumes nothing: the next load gets the value', async () => {
    const { client, peer } = await streamPair({ ...gw, call: (m, p, b, h = {}) => gw.call(m, p, b, { ...AUTH, ...h }) } as TestGateway, 'gone');
    const ac = new AbortController();
    const abandoned = request(`${gw.base}/sessions/${peer}/load`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'DWORD', timeoutMs: 5000 }),
      signal: ac.signal,
    }).catch((err: Error) => err);
    await waitReaders(gw, peer, 1); // the load reached the gateway and waits
    ac.abort();
    expect(await abandoned).toBeInstanceOf(Error);
    await waitReaders(gw, peer, 0); // the gateway saw the client go and withdrew the load
    await gw.call('POST', `/sessions/${client}/write`, { data: b64([5, 0, 0, 0]) }, AUTH);
    const r = await gw.call<Loaded>('POST', `/sessions/${peer}/load`, { type: 'DWORD', timeoutMs: 2000 }, AUTH);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.value).toBe(5);
  });

  it('a value outside an enumeration is refused naming the allowed values', async () => {
    const gw2 = await startGateway();
    try {
      const r = await gw2.call<Problem>('POST', '/sessions', { kind: 'bogus' });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'VALIDATION', path: '/kind' });
      expect(r.body.message).toBe('body/kind must be one of "stream", "datagram"');
    } finally {
      await gw2.close();
    }
  });
});
