/**
 * Regression (HTTP fuzz, seed 11, request 31,144): a type file with a list nested 138 deep was
 * accepted, and the next GET /openapi.json never answered — the process spun at full CPU past
 * 2.5 GB. A list's lossless and input schemas hold its array twice (bare, and as the items of
 * `{"items", "countForm"}`), so each level of nesting doubled the schema: 16 levels made a 51 MB
 * document. A large array schema is now a definition referenced from both places: the schema
 * grows by a constant per level.
 */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { TypeRegistry } from '../../src/archive/index.js';
import { useGateway } from '../support/gateway-harness.js';

const nest = (depth: number, inner: unknown = 'DWORD'): unknown => (depth === 0 ? inner : { list: nest(depth - 1, inner) });
const file = (depth: number) => ({ types: { Deep: { fields: [{ name: 'v', type: nest(depth) }] } } });

/** The size of every schema of `Deep` (all flavours, definitions included), in JSON characters. */
function schemaSize(depth: number): number {
  const reg = new TypeRegistry();
  reg.add(file(depth));
  const codec = reg.get('Deep');
  let size = 0;
  for (const flavor of ['canonical', 'lossless', 'input'] as const) size += JSON.stringify(codec.schemas('#/$defs/', flavor)).length;
  return size;
}

describe('schemas of nested lists', () => {
  it('grow by a constant per level, not by doubling', () => {
    // Small depths first: a doubling schema fails here (16 levels would be ~256× 8) before the
    // deep ones below would run for ever.
    const step = (from: number, to: number) => (schemaSize(to) - schemaSize(from)) / (to - from);
    const base = step(8, 12);
    expect(step(12, 16)).toBeLessThanOrEqual(base * 1.05);
    expect(step(16, 32)).toBeLessThanOrEqual(base * 1.05);
    expect(step(64, 128)).toBeLessThanOrEqual(base * 1.05);
    expect(schemaSize(128)).toBeLessThan(200_000);
  });

  it('still validate exactly: arrays and {items, countForm} at any level, nothing else', () => {
    const reg = new TypeRegistry();
    reg.add(file(12));
    const { root, defs } = reg.get('Deep').schemas('#/$defs/', 'input');
    const validate = new Ajv({ strict: false }).compile({ ...root, $defs: defs });
    const value = (bottom: unknown, objectFormEvery: number) => {
      let v: unknown = [bottom];
      for (let level = 11; level >= 1; level--) v = level % objectFormEvery === 0 ? { items: [v], countForm: 'dword' } : [v];
      return { v };
    };
    expect(validate(value(7, 1000)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(value(7, 3)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(value('seven', 3))).toBe(false);
    expect(validate({ v: { items: [], countForm: 'dword', extra: 1 } })).toBe(false);
  });
});

describe('the OpenAPI document with a type of nested lists', () => {
  const gateway = useGateway();

  it('answers at once, and GET /types/{name} too', async () => {
    const gw = gateway();
    const before = JSON.stringify((await gw.call('GET', '/openapi.json')).body).length;
    // 14 levels: 13 MB of document before the fix, found in a few hundred ms (128 never ended).
    expect((await gw.call('POST', '/types', file(14))).status).toBe(201);
    const t0 = performance.now();
    const doc = await gw.call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(JSON.stringify(doc.body).length - before).toBeLessThan(100_000);
    const type = await gw.call('GET', '/types/Deep');
    expect(type.status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});
