/**
 * Regression (review of src/archive, item 3): examples recursed without end for types that recur
 * through a `when` that holds for the example (`M {more: bool; next: M when more == true}`: the bool
 * example is true) or through a switch whose first case is the type itself (`N {k: BYTE const 0;
 * body: switch k {"0": N}}`), until the stack ran out — in `schemas()`, so GET /types and
 * GET /openapi.json answered 500 once such a type was loaded. Such types have no example now.
 */
import { describe, expect, it } from 'vitest';
import { exampleOf, TypeRegistry } from '../../src/archive/index.js';
import { startGateway } from '../support/gateway-harness.js';

const types = {
  M: { fields: [{ name: 'more', type: 'bool' }, { name: 'next', type: 'M', when: { field: 'more', eq: true } }] },
  N: { fields: [{ name: 'k', type: 'BYTE', const: 0 }, { name: 'body', type: { switch: 'k', cases: { '0': 'N' } } }] },
  // Recursing through a `when` that does not hold for the example: a finite example.
  L: { fields: [{ name: 'n', type: 'BYTE' }, { name: 'next', type: 'L', when: { field: 'n', eq: 0 } }] },
};

describe('a type that recurses through a when or a switch', () => {
  it('has no example when its example would never end, and its schemas build', () => {
    const reg = new TypeRegistry();
    reg.add({ types });
    expect(exampleOf(reg.get('M').plan)).toBeUndefined();
    expect(exampleOf(reg.get('N').plan)).toBeUndefined();
    expect(exampleOf(reg.get('L').plan)).toEqual({ n: 7 });
    for (const name of ['M', 'N', 'L']) expect(reg.get(name).schemas('#/components/schemas/', 'canonical').root).toBeDefined();
    // The codecs never needed one: M's values end where a peer's do.
    expect(reg.get('M').decode(Buffer.from([1, 1, 0]))).toEqual({ more: true, next: { more: true, next: { more: false } } });
  });
});

describe('the gateway', () => {
  it('lists and documents such types', async () => {
    const gw = await startGateway();
    try {
      expect((await gw.call('POST', '/types', { types })).status).toBe(201);
      for (const path of ['/types', '/types/M', '/openapi.json']) expect((await gw.call('GET', path)).status, path).toBe(200);
    } finally {
      await gw.close();
    }
  });
});
