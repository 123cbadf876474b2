/**
 * Regressions (issue 10, points 10 and 11): registered types grew without bound (10 × 5,000 types
 * kept 198 MiB, GET /types answered 6.8 MB), and error messages echoed input without limit (a 1 MB
 * type name came back twice in a 2 MB answer). Types are capped (ARCHWAY_MAX_TYPES) and can be
 * removed; what an error quotes of the request is cut short.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway, type TypeList } from '../support/gateway-harness.js';
import { expectProblem } from '../support/gateway-routes.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway({ maxTypes: 5, bodyLimit: 4 * 1024 * 1024 }); // the demo file brings 3
});
afterAll(() => gw.close());

const file = (names: string[]) => ({ types: Object.fromEntries(names.map((n) => [n, { fields: [{ name: 'v', type: 'DWORD' }] }])) });

describe('the number of types', () => {
  it('is capped: a file that would pass the cap is refused whole (429 TOO_MANY_TYPES)', async () => {
    expectProblem(await gw.call('POST', '/types', file(['A', 'B', 'C'])), 429, 'TOO_MANY_TYPES');
    expect((await gw.call<TypeList>('GET', '/types')).body.types).toHaveLength(3);
    expect((await gw.call('POST', '/types', file(['A', 'B']))).status).toBe(201);
    expectProblem(await gw.call('POST', '/types', file(['C'])), 429, 'TOO_MANY_TYPES');
  });

  it('DELETE /types/{name} frees a place, unless another type uses it (409 TYPE_IN_USE)', async () => {
    expectProblem(await gw.call('DELETE', '/types/OrderLine'), 409, 'TYPE_IN_USE');
    expect((await gw.call('DELETE', '/types/A')).body).toEqual({ removed: 'A' });
    expectProblem(await gw.call('GET', '/types/A'), 400, 'UNKNOWN_TYPE');
    expect((await gw.call('POST', '/types', file(['C']))).status).toBe(201);
    expectProblem(await gw.call('DELETE', '/types/Nope'), 400, 'UNKNOWN_TYPE');
  });
});

describe('what errors quote of the request', () => {
  it('is cut short: a 1 MB name comes back in a small answer', async () => {
    const huge = 'N'.repeat(1024 * 1024);
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'q' })).status).toBe(201);
    for (const r of [
      await gw.call('POST', '/sessions/q/load', { type: huge }),
      await gw.call('POST', '/types', { types: { [huge]: { fields: [] } } }),
      await gw.call('POST', '/types', { types: { X: { fields: [{ name: 'a', type: huge }] } } }),
      await gw.call('POST', '/sessions', { kind: 'stream', name: huge }),
    ]) {
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(JSON.stringify(r.body).length, JSON.stringify(r.body).slice(0, 300)).toBeLessThan(3000);
    }
  });
});
