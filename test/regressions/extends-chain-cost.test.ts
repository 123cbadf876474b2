/**
 * Regression (review of src/archive, item 1): a type file's cost grew with the square of its size.
 * 1,000 types each extending the one before (66 KB) resolved half a million fields — every base's
 * fields copied into each type below it and compiled again — in 2 s and 150 MB; 4,000 took 45 s and
 * 2.2 GB. Each field also copied the fields before it and the names after it. Bases are capped at
 * 64 levels and a file at 65,536 resolved fields; nothing is copied per field.
 */
import { describe, expect, it } from 'vitest';
import { TypeRegistry } from '../../src/archive/index.js';
import { MAX_EXTENDS_DEPTH } from '../../src/archive/types/type-depth.js';
import { MAX_RESOLVED_FIELDS } from '../../src/archive/types/type-resolver.js';
import { expectError } from '../archive/golden/helpers.js';

/** `n` types, each extending the one before, with one field of its own. */
function chain(n: number, reversed = false) {
  const names = Array.from({ length: n }, (_, i) => i);
  return {
    types: Object.fromEntries((reversed ? names.reverse() : names).map((i) => [
      `T${i}`,
      { ...(i > 0 ? { extends: `T${i - 1}` } : {}), fields: [{ name: `f${i}`, type: 'BYTE' }] },
    ])),
  };
}

describe('a chain of "extends"', () => {
  it('of 1,000 types is refused at once, in any order, naming the first type past the cap', () => {
    expect(MAX_EXTENDS_DEPTH).toBe(64);
    for (const reversed of [false, true]) {
      const started = performance.now();
      const err = expectError(() => new TypeRegistry().add(chain(1000, reversed)), 'TYPE_FILE');
      expect(err.message).toContain('more than 64 bases');
      expect(String(err.details.path)).toMatch(/^\/types\/T\d+\/extends$/);
      expect(performance.now() - started).toBeLessThan(1000);
    }
    expectError(() => new TypeRegistry().add(chain(66)), 'TYPE_FILE', { path: '/types/T65/extends' });
  });

  it('of 64 bases loads, and counts bases loaded by an earlier file', () => {
    const reg = new TypeRegistry();
    reg.add(chain(65));
    expect(reg.get('T64').encode(Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`f${i}`, i])))).toHaveLength(65);
    expectError(() => reg.add({ types: { U: { extends: 'T64', fields: [] } } }), 'TYPE_FILE', { path: '/types/U/extends' });
    reg.add({ types: { V: { extends: 'T63', fields: [] } } });
  });
});

describe('the fields a file resolves', () => {
  const base = { fields: Array.from({ length: 1000 }, (_, i) => ({ name: `f${i}`, type: 'DWORD' })) };
  const derived = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`D${i}`, { extends: 'B', fields: [] }]));

  it('are capped, inherited ones counted in each type that has them', () => {
    expect(MAX_RESOLVED_FIELDS).toBe(65_536);
    const err = expectError(() => new TypeRegistry().add({ types: { B: base, ...derived(65) } }), 'TYPE_FILE', { path: '/types/D64' });
    expect(err.message).toContain('past 65536 fields');
    new TypeRegistry().add({ types: { B: base, ...derived(64) } });
  });

  it('cost no copy per field: 20,000 fields, each present when the one before is not 9, and each a const', () => {
    const fields = Array.from({ length: 20_000 }, (_, i) => ({ name: `f${i}`, type: 'BYTE', const: 1, ...(i > 0 ? { when: { field: `f${i - 1}`, ne: 9 } } : {}) }));
    const started = performance.now();
    const reg = new TypeRegistry();
    reg.add({ types: { W: { fields } } }); // the encoder's 80,000 constants overflowed the stack
    expect(reg.get('W').encode({})).toEqual(Buffer.alloc(20_000, 1));
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
