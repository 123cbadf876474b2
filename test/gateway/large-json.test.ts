/**
 * parseLargeJson (the large-body path of the gateway's JSON parser): for any JSON text it gives
 * what JSON.parse gives, whatever is cut out; under `textUnder` the long strings arrive as Utf8Text
 * holding exactly their UTF-8 bytes. Small `minLength`s let random values exercise every cut.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Text } from '../../src/archive/index.js';
import { longStrings, parseLargeJson } from '../../src/gateway/plugins/large-json.js';

const parse = (text: string, minLength = 4, textUnder?: string) =>
  parseLargeJson(Buffer.from(text, 'utf8'), { minLength, parseText: (t) => JSON.parse(t) as unknown, textUnder });

/** The value with every Utf8Text turned into its string; `seen` collects where they were. */
function plain(v: unknown, path: string[] = [], seen: string[][] = []): unknown {
  if (v instanceof Utf8Text) {
    seen.push(path);
    return v.toString();
  }
  if (Array.isArray(v)) return v.map((x, i) => plain(x, [...path, String(i)], seen));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x, [...path, k], seen)]));
  return v;
}

describe('parseLargeJson', () => {
  it('gives what JSON.parse gives for random JSON (unicode, escapes, keys, nesting), compact or indented', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 12 }), fc.boolean(), (value, minLength, indent) => {
        const text = JSON.stringify(value, null, indent ? 2 : undefined);
        expect(parse(text, minLength)).toEqual(JSON.parse(text));
      }),
      { numRuns: 400 },
    );
  });

  it('with textUnder, long strings under that key are Utf8Text of their exact bytes; nothing else is', () => {
    const strings = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('', 'QUJDRA==', 'é😀\\"'));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        strings,
        fc.integer(),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.constantFrom('value', 'type', 'data', 'x'), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        const text = JSON.stringify(value);
        const seen: string[][] = [];
        const got = plain(parse(text, 3, 'value'), [], seen);
        expect(got).toEqual(JSON.parse(text));
        for (const path of seen) expect(path, JSON.stringify(path)).toContain('value');
      }),
      { numRuns: 400 },
    );
  });

  it('cuts string values, never keys, escaped strings or short ones; whitespace before a colon still marks a key', () => {
    const body = Buffer.from(`{"keykeykey" : "valuevalue", "esc": "ab\\"cdefgh", "k": "short", "list": ["0123456789"]}`);
    const cuts = longStrings(body, 8).map(([a, b]) => body.toString('utf8', a, b));
    expect(cuts).toEqual(['valuevalue', '0123456789']);
  });

  it('a value that looks like a placeholder is kept: the tag carries a nonce', () => {
    const text = JSON.stringify({ a: '\u0000AAAAAAAAAAAA:0', value: 'x'.repeat(40) });
    expect(parse(text, 8)).toEqual(JSON.parse(text));
  });

  it('the root may itself be a long string; invalid JSON still fails', () => {
    expect(parse(JSON.stringify('y'.repeat(50)), 8)).toBe('y'.repeat(50));
    expect(() => parse(`{"value": "${'z'.repeat(50)}", }`, 8)).toThrow(SyntaxError);
    expect(() => parse(`{"value": "${'z'.repeat(50)}`, 8)).toThrow(SyntaxError);
  });
});
