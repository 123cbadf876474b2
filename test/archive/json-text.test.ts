/**
 * The generated JSON text (compile/json-emitter.ts) against JSON.stringify, on the strings and
 * numbers that take its other paths: every character JSON escapes, DEL, non-ASCII text, lone
 * surrogates, short and long strings, numbers JSON writes in exponent form or not at all, and a
 * long string that stops the text. (The random-type property test draws no backslash.)
 */
import { describe, expect, it } from 'vitest';
import { TypeRegistry } from '../../src/archive/index.js';

const types = new TypeRegistry();
types.add({
  types: {
    Sample: {
      fields: [
        { name: 'narrow', type: 'CString' },
        { name: 'wide', type: 'CStringW' },
        { name: 'n', type: 'double' },
        { name: 'flag', type: 'bool' },
        { name: 'list', type: { list: 'CStringW' } },
      ],
    },
  },
});
const codec = types.get('Sample');

/** The value as the codec gives it back (what the gateway's answers hold). */
const decoded = (v: Record<string, unknown>) => codec.decode(codec.encode(v), undefined, 'canonical');

const SPECIAL = ['"', '\\', '\n', '\t', '\u0000', '\u001f', '\u007f', '/', 'é', 'ÿ'];
const WIDE = ['😀', '\ud800', 'x\udfffy', '€', '\u2028'];

describe('JSON text of decoded values', () => {
  const cases: [string, Record<string, unknown>][] = [
    ...SPECIAL.map((c): [string, Record<string, unknown>] => [`narrow ${JSON.stringify(c)}`, { narrow: `a${c}b`, wide: c, n: 1, flag: true, list: [c] }]),
    ...WIDE.map((c): [string, Record<string, unknown>] => [`wide ${JSON.stringify(c)}`, { narrow: 'plain', wide: `${c}z`, n: 0, flag: false, list: [c, ''] }]),
    ...[63, 64, 65, 200].flatMap((len): [string, Record<string, unknown>][] => [
      [`ASCII of ${len}`, { narrow: 'q'.repeat(len), wide: 'w'.repeat(len), n: 2, flag: true, list: ['l'.repeat(len)] }],
      [`escapes at the end of ${len}`, { narrow: `${'q'.repeat(len - 1)}"`, wide: `${'w'.repeat(len - 1)}\\`, n: 2, flag: true, list: [`${'é'.repeat(len)}`] }],
    ]),
    ...[-0, 0.1, 1e21, 1e-7, -123456.789, 2 ** 53, Number.MAX_VALUE, Number.MIN_VALUE].map((n): [string, Record<string, unknown>] => [`number ${n}`, { narrow: '', wide: '', n, flag: false, list: [] }]),
  ];
  it.each(cases)('%s', (_name, value) => {
    const v = decoded(value);
    expect(codec.json(v)).toBe(JSON.stringify(v));
    expect(codec.jsonWithin(v, Infinity)).toBe(JSON.stringify(v));
  });

  it('NaN and Infinity are null, as JSON.stringify writes them', () => {
    const v = decoded({ narrow: '', wide: '', n: 0, flag: true, list: [] }) as Record<string, unknown>;
    for (const n of [Number.NaN, Infinity, -Infinity]) expect(codec.json({ ...v, n })).toBe(JSON.stringify({ ...v, n }));
  });

  it('stops at the first string of the limit, and not below it', () => {
    const v = decoded({ narrow: 'x'.repeat(100), wide: 'y'.repeat(10), n: 1, flag: true, list: ['z'.repeat(50)] });
    expect(codec.jsonWithin(v, 100)).toBeUndefined();
    expect(codec.jsonWithin(v, 101)).toBe(JSON.stringify(v));
    // The limit is the call's own: after a stop, the next text is whole.
    expect(codec.json(v)).toBe(JSON.stringify(v));
  });
});
