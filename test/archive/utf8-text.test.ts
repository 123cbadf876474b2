/**
 * A string still held as UTF-8 bytes (Utf8Text) encodes exactly as the same string would, for
 * every primitive that takes long text; anything else refuses it as it refuses a string.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64, TypeRegistry, Utf8Text } from '../../src/archive/index.js';

const registry = new TypeRegistry();
const encode = (type: string, value: unknown) => registry.codecFor(type).encode(value);
const asBytes = (s: string) => new Utf8Text(Buffer.from(s, 'utf8'));

describe('Utf8Text', () => {
  const b64 = (n: number) => randomBytes(n).toString('base64');
  const cases: [string, string, (t: Utf8Text | string) => unknown, string][] = [
    ['CByteArray, no padding', 'CByteArray', (t) => t, b64(300)],
    ['CByteArray, one "="', 'CByteArray', (t) => t, b64(200_000 + 2)],
    ['CByteArray, two "=", over one 64 KiB slice', 'CByteArray', (t) => t, b64(3 * 65_536 + 1)],
    ['CByteArray, empty', 'CByteArray', (t) => t, ''],
    ['CString, plain', 'CString', (t) => t, 'añé€'.repeat(1000)],
    ['CString, {text, unicode}', 'CString', (t) => ({ text: t, unicode: true }), 'añ😀€'.repeat(1000)],
    ['CString, {bytes}', 'CString', (t) => ({ bytes: t }), b64(999)],
    ['CStringW, plain', 'CStringW', (t) => t, '😀 "quoted" \\ \n'.repeat(500)],
    ['COleVariant BSTR', 'COleVariant', (t) => ({ vt: 'VT_BSTR', value: t }), 'x€'.repeat(3000)],
  ];
  it.each(cases)('%s encodes as the string does', (_name, type, wrap, text) => {
    const fromString = encode(type, wrap(text));
    const fromBytes = encode(type, wrap(asBytes(text)));
    expect(fromBytes.equals(fromString)).toBe(true);
    expect(fromBytes.length).toBeGreaterThan(0);
  });

  it('refuses bad base64 in a CByteArray with the same error as the string would', () => {
    const good = b64(90_000);
    for (const bad of [`${good.slice(0, 1000)}!${good.slice(1001)}`, good.slice(1), `${good.slice(0, -4)}A=AA`, 'é'.repeat(4)]) {
      const a = () => encode('CByteArray', bad);
      const b = () => encode('CByteArray', asBytes(bad));
      expect(a).toThrow(/base64/);
      expect(b).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
      expect(fromBase64(asBytes(bad))).toBeNull();
    }
  });

  it('takes as base64 exactly what the string form takes, on generated near-base64 texts', () => {
    // The bytes form is checked by the native decoder itself (wire/base64.ts), the string form by a
    // scan of each character: they must agree on '-', '_', inner '=', spaces and non-ASCII text.
    const char = fc.constantFrom('Q', 'U', 'J', 'D', 'z', '0', '+', '/', '=', '-', '_', ' ', '\n', 'é', '!');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 24 }), (chars) => {
        const text = chars.join('');
        const viaString = fromBase64(text);
        const viaBytes = fromBase64(asBytes(text));
        expect(viaBytes === null ? null : viaBytes.toString('hex')).toBe(viaString === null ? null : viaString.toString('hex'));
        let encoded: string | Buffer;
        try {
          encoded = encode('CByteArray', asBytes(text));
        } catch {
          encoded = 'refused';
        }
        expect(encoded === 'refused' ? encoded : (encoded as Buffer).toString('hex')).toBe(viaString === null ? 'refused' : encode('CByteArray', text).toString('hex'));
      }),
      { numRuns: 5000 },
    );
  });

  it('is a wrong value for a number, described by its size', () => {
    expect(() => encode('DWORD', asBytes('1'.repeat(100)))).toThrow(/a string of 100 bytes/);
  });

  it('turns back into its text in JSON', () => {
    expect(JSON.stringify({ v: asBytes('a"é') })).toBe('{"v":"a\\"é"}');
  });
});
