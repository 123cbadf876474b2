/**
 * The nesting check every JSON body and frame passes before it is parsed (plugins/json-depth.ts):
 * strings are skipped by a native search for their closing quote, so it must agree with a plain
 * byte-by-byte reading wherever quotes are escaped, and stay linear on a very long string.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tooDeepAt } from '../../src/gateway/plugins/json-depth.js';

/** The byte-by-byte reading the check must agree with. */
function reference(text: Uint8Array, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('tooDeepAt', () => {
  it('counts brackets outside strings only, escaped quotes and backslash runs included', () => {
    const max = 2;
    // Three levels: the third opens at byte 2.
    expect(tooDeepAt(bytes('[[[1]]]'.padEnd(8)), max)).toBe(2);
    // Brackets inside a string never count, whatever the backslashes before its quotes.
    expect(tooDeepAt(bytes('["[[[\\"[[[", 1]'), max)).toBe(-1);
    expect(tooDeepAt(bytes('["a\\\\", [[1]]]'), max)).toBe(9); // `\\` ends in the string: the quote closes it
    expect(tooDeepAt(bytes('["a\\\\\\"[[[", 1]'), max)).toBe(-1); // `\\\"`: the quote is escaped
    // An unterminated string hides everything after it (the parser refuses the text anyway).
    expect(tooDeepAt(bytes('["[[[[[[[[[[[['), max)).toBe(-1);
  });

  it('agrees with a byte-by-byte reading on generated texts', () => {
    const piece = fc.constantFrom('[', ']', '{', '}', '"', '\\', '\\\\', '\\"', 'a', ',', ':', '1');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), fc.integer({ min: 0, max: 6 }), (pieces, max) => {
        const text = bytes(pieces.join(''));
        expect(tooDeepAt(text, max)).toBe(reference(text, max));
      }),
      { numRuns: 3000 },
    );
  });

  it('skips a long string in time linear in its length, a deep value after it still found', () => {
    const long = 'A'.repeat(16 * 1024 * 1024);
    const text = bytes(`{"value":"${long}","next":${'['.repeat(600)}${']'.repeat(600)}}`);
    const timed = (check: (t: Uint8Array, max: number) => number) => {
      const t = performance.now();
      const at = check(text, 512);
      return { at, ms: performance.now() - t };
    };
    const fast = timed(tooDeepAt);
    const slow = timed(reference);
    // The object is the first level: the 512th bracket opens the 513th.
    expect(fast.at).toBe(text.indexOf('[') + 511);
    expect(slow.at).toBe(fast.at);
    console.log(`16 MiB string: ${fast.ms.toFixed(1)} ms, a byte loop ${slow.ms.toFixed(1)} ms`);
    // Measured side by side (the machine's load hits both): the byte loop is tens of times slower.
    expect(fast.ms * 4).toBeLessThan(slow.ms);
  });
});
