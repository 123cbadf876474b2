/**
 * Regressions (issue 10, points 12, 13, 14): a type expression nested 2,000+ deep was a 500 (stack
 * overflow) in store/load/exchange/POST /types; Fastify's own 414 and 400 (`%ff`, `%zz`) reached
 * clients with codes outside the catalogue; a JSON body with invalid UTF-8 was accepted. All are
 * documented 400s/414s now, and a failed load of any kind leaves the received bytes as they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';
import { expectProblem, streamPair } from '../support/gateway-routes.js';

let gw: TestGateway;
let client: string;
let peer: string;
beforeAll(async () => {
  gw = await startGateway();
  ({ client, peer } = await streamPair(gw, 'mal'));
});
afterAll(() => gw.close());

function nested(depth: number): string {
  let t = '"DWORD"';
  for (let i = 0; i < depth; i++) t = `{"list":${t}}`;
  return t;
}

describe('deep nesting', () => {
  it('is a 400 on every route that takes a type, at any depth', async () => {
    for (const depth of [200, 600, 3000]) {
      const t = nested(depth);
      for (const [path, body] of [
        [`/sessions/${peer}/load`, `{"type":${t}}`],
        [`/sessions/${client}/store`, `{"type":${t},"value":[]}`],
        [`/sessions/${client}/exchange`, `{"request":{"type":${t},"value":[]},"response":{"type":"DWORD"}}`],
        ['/types', `{"types":{"Deep${depth}":{"fields":[{"name":"a","type":${t}}]}}}`],
      ] as const) {
        const r = await gw.call('POST', path, body);
        expect(r.status, `${path} at ${depth}: ${JSON.stringify(r.body).slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(r.status, `${path} at ${depth}`).toBeLessThan(500);
      }
    }
    const yaml = `types:\n  Deep:\n    fields:\n      - name: a\n        type: ${nested(3000)}\n`;
    const r = await gw.call('POST', '/types', yaml, { 'content-type': 'application/yaml' });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
  });

  it('a failed load leaves the received bytes for the next one', async () => {
    expect((await gw.call('POST', `/sessions/${client}/store`, { type: 'DWORD', value: 77 })).status).toBe(200);
    expect((await gw.call('POST', `/sessions/${peer}/load`, `{"type":${nested(3000)}}`)).status).toBe(400);
    expect((await gw.call('POST', `/sessions/${peer}/load`, `{"type":{"list":${nested(200)}}}`)).status).toBe(400);
    expect((await gw.call('POST', `/sessions/${peer}/load`, { type: 'DWORD', timeoutMs: 2000 })).body).toEqual({ value: 77 });
  });
});

describe("Fastify's own refusals", () => {
  it('a bad percent escape is 400 BAD_URL; an over-long path parameter is 414 URI_TOO_LONG', async () => {
    for (const path of ['/sessions/%ff', '/sessions/%zz', '/types/%']) expectProblem(await gw.call('GET', path), 400, 'BAD_URL');
    expectProblem(await gw.call('GET', `/sessions/${'a'.repeat(300)}`), 414, 'URI_TOO_LONG');
    expectProblem(await gw.call('DELETE', '/sessions/x', 'text', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it("what Node's parser refuses is problem JSON too: a 20 KB request line is 431 HEADERS_TOO_LARGE", async () => {
    expectProblem(await gw.call('GET', `/sessions/${'a'.repeat(20_000)}`), 431, 'HEADERS_TOO_LARGE');
  });
});

describe('type files', () => {
  it('a type with an empty or malformed name is a 400 TYPE_FILE, never a 500 nor a type no route can reach (fuzz finding)', async () => {
    for (const types of [{ '': [] }, { '': { fields: [] } }, { 'a b': { fields: [] } }]) {
      expectProblem(await gw.call('POST', '/types', { types }), 400, 'TYPE_FILE');
    }
  });
});

describe('JSON bodies', () => {
  it('with invalid UTF-8 inside a string are 400 MALFORMED_JSON', async () => {
    const body = Buffer.concat([Buffer.from('{"kind":"stream","name":"'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from('"}')]);
    const r = await gw.call('POST', '/sessions', body);
    expectProblem(r, 400, 'MALFORMED_JSON');
    expect(r.body.message).toContain('UTF-8');
  });
});
