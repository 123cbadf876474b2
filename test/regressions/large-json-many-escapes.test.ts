/**
 * A body whose string holds many escapes (the HTTP fuzz's 300,000 `\u0000`, 1.8 MB) took seconds:
 * the long-string scan of large-json.ts looked for the string's closing quote again after every
 * escape, to the end of the string each time. It is found again only when an escape took it now.
 */
import { describe, expect, it } from 'vitest';
import { longStrings, parseLargeJson } from '../../src/gateway/plugins/large-json.js';

describe('a string of many escapes in a large body', () => {
  const body = Buffer.from(JSON.stringify({ value: ['x', { text: '\u0000'.repeat(300_000) }, 'y'.repeat(5000)], q: 'a\\"b' }));

  it('is scanned in linear time, and parsed as JSON.parse would', () => {
    const started = performance.now();
    const cuts = longStrings(body, 1024);
    // 4 s before (quadratic); about 10 ms now: a bound two orders of magnitude above it
    expect(performance.now() - started).toBeLessThan(1000);
    expect(cuts).toHaveLength(1);
    expect(parseLargeJson(body, { minLength: 1024, parseText: JSON.parse })).toEqual(JSON.parse(body.toString()));
  });

  it('still finds a closing quote after an escaped one', () => {
    const text = Buffer.from(`{"a":"${'\\"'.repeat(3)}${'z'.repeat(2000)}","b":"${'w'.repeat(2000)}"}`);
    expect(parseLargeJson(text, { minLength: 1024, parseText: JSON.parse })).toEqual(JSON.parse(text.toString()));
    expect(longStrings(text, 1024)).toHaveLength(1);
  });
});
