/** The JSON text in pieces: joined, it parses to the same value as JSON.stringify's. */
import { describe, expect, it } from 'vitest';
import { hasLongString, jsonChunks } from '../../src/archive/index.js';

const long = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

describe('jsonChunks', () => {
  const cases: [string, unknown][] = [
    ['small values, one piece', { id: 7, name: 'x', list: [1, 'a', null, true], nested: { a: [] } }],
    ['a long base64 string', long('QUJD', 300_000)],
    ['a long string needing escapes, with a surrogate pair cut at a slice edge', `${long('a', 65_535)}😀"\\\n${long('é', 70_000)}`],
    ['long strings inside objects and arrays', { value: long('xyz', 200_000), list: [long('q', 100_000), 3, undefined, { k: undefined, v: long('\u0001', 70_000) }] }],
  ];
  it.each(cases)('%s', (_name, value) => {
    const pieces = [...jsonChunks(value)];
    const text = pieces.join('');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
    // Long strings are never emitted whole: a piece is at most one escaped 64 Ki-character slice.
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(6 * 65_536 + 64);
    if (hasLongString(value, 65_537)) expect(pieces.length).toBeGreaterThan(2);
  });

  it('finds long strings anywhere in a value', () => {
    expect(hasLongString({ a: [{ b: 'x'.repeat(10) }] }, 10)).toBe(true);
    expect(hasLongString({ a: [{ b: 'x'.repeat(9) }] }, 10)).toBe(false);
  });
});
