/**
 * Regression (review of src/archive, item 2): nesting was measured on a file's JSON only, but the
 * resolver, the compilers and the schema builder recurse through the types a type holds: 300 types
 * each holding the next inside 20 lists (68 KB) threw a RangeError while loading — a 500, with the
 * registry left holding part of the file. A switch of 300,000 cases overflowed the stack spreading
 * its cases as arguments. Depth is now measured through names before anything resolves (types
 * that hold each other counted as deep as a walk through all of them goes), switches are capped,
 * and a file is kept only once all of its codecs compiled.
 */
import { describe, expect, it } from 'vitest';
import { TypeRegistry } from '../../src/archive/index.js';
import { MAX_NESTING_DEPTH } from '../../src/archive/types/type-depth.js';
import { MAX_SWITCH_CASES } from '../../src/archive/types/expression-resolver.js';
import { expectError } from '../archive/golden/helpers.js';
import { startGateway } from '../support/gateway-harness.js';
import { expectProblem } from '../support/gateway-routes.js';

/** `n` types, each holding the next inside `lists` lists. */
function listChain(n: number, lists: number) {
  return {
    types: Object.fromEntries(Array.from({ length: n }, (_, i) => {
      let type: unknown = i + 1 < n ? `T${i + 1}` : 'BYTE';
      for (let k = 0; k < lists; k++) type = { list: type };
      return [`T${i}`, { fields: [{ name: 'x', type }] }];
    })),
    operations: { op: { request: 'T0', response: 'T0' } },
  };
}

/** `n` types, each holding the next as a field (a struct holding a BYTE is 2 levels). */
const structChain = (n: number) => ({ types: Object.fromEntries(Array.from({ length: n }, (_, i) => [`T${i}`, { fields: [{ name: 'x', type: i + 1 < n ? `T${i + 1}` : 'BYTE' }] }])) });

/** `n` class types, each holding every class through a CObArray (3 levels each: struct, list, object). */
const ring = (n: number) => ({ types: Object.fromEntries(Array.from({ length: n }, (_, i) => [`K${i}`, { class: `K${i}`, fields: [{ name: 'kids', type: 'CObArray' }] }])) });

/** Everything that walks a plan: the codecs, the three schemas, the example. */
function useAll(reg: TypeRegistry, name: string): void {
  const codec = reg.get(name);
  codec.decoderFor('canonical');
  for (const flavor of ['canonical', 'lossless', 'input'] as const) codec.schemas('#/components/schemas/', flavor);
  void codec.example;
}

describe('nesting through declared types', () => {
  it('of 300 types × 20 lists is refused with TYPE_FILE, and nothing of the file is kept', () => {
    const reg = new TypeRegistry();
    expect(JSON.stringify(listChain(300, 20)).length).toBeGreaterThan(60_000);
    const err = expectError(() => reg.add(listChain(300, 20)), 'TYPE_FILE', { path: '/types/T0' });
    expect(err.message).toContain(`more than ${MAX_NESTING_DEPTH} levels`);
    expect(reg.names()).toEqual([]);
    expect(reg.operations()).toEqual([]);
    reg.add(listChain(12, 20)); // 12 × 21 + 1 levels
    useAll(reg, 'T0');
  });

  it('is allowed up to the limit, where every walk of the plan still has stack to spare', () => {
    expect(MAX_NESTING_DEPTH).toBe(256);
    const reg = new TypeRegistry();
    reg.add(structChain(MAX_NESTING_DEPTH - 1));
    useAll(reg, 'T0');
    // An ad-hoc expression adds at most 128 lists on top (nesting.ts).
    let expr: unknown = 'T0';
    for (let k = 0; k < 128; k++) expr = { list: expr };
    const adHoc = reg.codecFor(expr as string);
    adHoc.schemas();
    void adHoc.example;
    expectError(() => new TypeRegistry().add(structChain(MAX_NESTING_DEPTH)), 'TYPE_FILE', { path: '/types/T0' });
  });

  it('counts types loaded by an earlier file', () => {
    const reg = new TypeRegistry();
    reg.add(structChain(200));
    const holder = (name: string, lists: number) => {
      let type: unknown = 'T0';
      for (let k = 0; k < lists; k++) type = { list: type };
      return { types: { [name]: { fields: [{ name: 'x', type }] } } };
    };
    reg.add(holder('Near', 50));
    expectError(() => reg.add(holder('Far', 60)), 'TYPE_FILE', { path: '/types/Far' });
  });

  it('resolves shallow types first, so that field paths recurse little whatever the file\'s order', () => {
    // A_k extends B_k, and B_k holds A_k+1 with a count read through it ("h.x"): listed deepest
    // first, resolving A_0 went through all 400 types one inside the other.
    const types: Record<string, unknown> = {};
    for (let k = 0; k < 200; k++) {
      types[`A${k}`] = { extends: `B${k}`, fields: [{ name: 'x', type: 'BYTE' }] };
      types[`B${k}`] = { fields: k + 1 < 200 ? [{ name: 'h', type: `A${k + 1}` }, { name: 'v', type: { list: 'BYTE', countField: 'h.x' } }] : [] };
    }
    const reg = new TypeRegistry();
    expect(reg.add({ types })).toHaveLength(400);
    useAll(reg, 'A0');
  });

  it('counts types that hold each other as deep as a walk through all of them', () => {
    new TypeRegistry().add(ring(80));
    expectError(() => new TypeRegistry().add(ring(90)), 'TYPE_FILE');
    // A recursive type is one level per type, however deep its values go.
    const reg = new TypeRegistry();
    reg.add({ types: { Node: { fields: [{ name: 'v', type: 'DWORD' }, { name: 'kids', type: { list: 'Node' } }] } } });
    useAll(reg, 'Node');
  });
});

describe('a switch', () => {
  const file = (n: number) => ({
    types: { S: { fields: [{ name: 'k', type: 'DWORD' }, { name: 'v', type: { switch: 'k', cases: Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), 'BYTE'])) } }] } },
  });

  it(`of 300,000 cases is refused with TYPE_FILE; ${MAX_SWITCH_CASES} load`, () => {
    const err = expectError(() => new TypeRegistry().add(file(300_000)), 'TYPE_FILE', { path: '/types/S/fields/1/type/cases' });
    expect(err.message).toContain(`${MAX_SWITCH_CASES} at most`);
    const reg = new TypeRegistry();
    reg.add(file(MAX_SWITCH_CASES));
    useAll(reg, 'S');
  });
});

describe('the gateway', () => {
  it('answers such a file 400 TYPE_FILE, not 500, and keeps serving', async () => {
    const gw = await startGateway();
    try {
      expectProblem(await gw.call('POST', '/types', listChain(300, 20)), 400, 'TYPE_FILE');
      expect((await gw.call('GET', '/openapi.json')).status).toBe(200);
    } finally {
      await gw.close();
    }
  });
});
