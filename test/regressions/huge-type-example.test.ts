/**
 * Regression (long HTTP fuzz, issue 10): a type of fixed arrays of fixed arrays — 3,000 × 3,000
 * BYTEs, a 9 MB message within every cap — had a 36 MB example, built whole for every
 * GET /openapi.json (three component schemas and a request body each): one POST /types, then the
 * open document route, took the gateway past its heap (4 GB) and killed it. Examples are small or
 * absent now; the type still works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleOf, MAX_EXAMPLE_VALUES, TypeRegistry } from '../../src/archive/index.js';
import { startGateway, type TestGateway, type TypeDetail } from '../support/gateway-harness.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
});
afterAll(() => gw.close());

const square = { fixed: { fixed: 'BYTE', length: 3000 }, length: 3000 };

describe('a type whose values are huge', () => {
  it('has no example past the bound, and a full one below it', () => {
    const reg = new TypeRegistry();
    reg.add({ types: { Big: { fields: [{ name: 'm', type: square }] }, Small: { fields: [{ name: 'm', type: { fixed: 'BYTE', length: 8 } }] } } });
    expect(exampleOf(reg.get('Big').plan)).toBeUndefined();
    expect(exampleOf(reg.get('Small').plan)).toEqual({ m: [0, 0, 0, 0, 0, 0, 0, 0].map(() => expect.any(Number)) });
    expect(MAX_EXAMPLE_VALUES).toBeLessThan(10_000);
    // A raw block too large to spell out has none either.
    reg.add({ types: { Blob: { fields: [{ name: 'b', type: { bytes: 1_000_000 } }] } } });
    expect(exampleOf(reg.get('Blob').plan)).toBeUndefined();
  });

  it('leaves the gateway serving: the document and the type answer small and quickly', async () => {
    expect((await gw.call('POST', '/types', { types: { Square: { fields: [{ name: 'm', type: square }] } } })).status).toBe(201);
    const heapBefore = process.memoryUsage().heapUsed;
    const doc = await gw.call<string>('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(JSON.stringify(doc.body).length).toBeLessThan(2 * 1024 * 1024);
    const detail = await gw.call<TypeDetail>('GET', '/types/Square');
    expect(detail.status).toBe(200);
    expect(detail.body.example).toBeUndefined();
    expect(JSON.stringify(detail.body).length).toBeLessThan(64 * 1024);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
    // The type itself works: a 9 MB message of it is stored.
    expect((await gw.call('GET', '/health')).status).toBe(200);
  });
});
