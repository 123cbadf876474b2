/**
 * The JSON Schemas of grammar part two (SPEC §2): a `when` field is optional; a const or a count the
 * encoder fills in may be left out of the input; a `switch` is a `oneOf` where the value alone tells
 * the cases apart and an `anyOf` that says which field decides where it cannot. Checked with ajv on
 * values the codec itself gives and takes.
 */
import { describe, expect, it } from 'vitest';
import { TypeRegistry, type MessageCodec } from '../../src/archive/index.js';
import { newAjv, validatorFor } from './property/support.js';

const ajv = newAjv();

function codec(fields: unknown[], extra: Record<string, unknown> = {}): MessageCodec {
  const reg = new TypeRegistry();
  reg.add({ types: { ...extra, T: { fields } } });
  return reg.get('T');
}

type Json = Record<string, unknown>;
const def = (c: MessageCodec, flavor: 'canonical' | 'lossless' | 'input', name = 'T') =>
  c.schemas('#/$defs/', flavor).defs[flavor === 'canonical' ? name : `${name}${flavor === 'input' ? 'Input' : 'Lossless'}`] as Json;

describe('part-two schemas', () => {
  const c = codec([
    { name: 'magic', type: 'WORD', const: 7 },
    { name: 'n', type: 'BYTE' },
    { name: 'flag', type: 'bool' },
    { name: 'opt', type: 'CString', when: { field: 'flag', eq: true } },
    { name: 'items', type: { list: 'WORD', countField: 'n' } },
  ]);

  it('required: every field decoding always gives; the input may leave out a const and a filled-in count', () => {
    expect(def(c, 'canonical').required).toStrictEqual(['magic', 'n', 'flag', 'items']);
    expect(def(c, 'lossless').required).toStrictEqual(['magic', 'n', 'flag', 'items']);
    expect(def(c, 'input').required).toStrictEqual(['flag', 'items']);
    expect((def(c, 'canonical').properties as Json).magic).toMatchObject({ const: 7 });
  });

  it('every value the codec gives fits the schema of its form; the short input fits the input schema', () => {
    const value = { magic: 7, n: 2, flag: true, opt: 'x', items: [1, 2] };
    const bytes = c.encode({ flag: true, opt: 'x', items: [1, 2] });
    expect(validatorFor(ajv, c, 'canonical')(c.decode(bytes, undefined, 'canonical'))).toBe(true);
    expect(validatorFor(ajv, c, 'lossless')(c.decode(bytes))).toBe(true);
    expect(validatorFor(ajv, c, 'input')({ flag: false, items: [] })).toBe(true);
    expect(validatorFor(ajv, c, 'canonical')({ ...value, magic: 8 })).toBe(false);
    const absent = c.decode(c.encode({ flag: false, items: [] }), undefined, 'canonical') as Json;
    expect('opt' in absent).toBe(false);
    expect(validatorFor(ajv, c, 'canonical')(absent)).toBe(true);
  });

  it('a switch whose cases differ in JSON type or required keys is a oneOf', () => {
    const s = codec(
      [{ name: 'k', type: 'BYTE' }, { name: 'body', type: { switch: 'k', cases: { '1': 'Login', '2': 'CString', '3': 'Chat' }, default: 'Nothing' } }],
      {
        Login: { fields: [{ name: 'user', type: 'CString' }] },
        Chat: { fields: [{ name: 'text', type: 'CString' }] },
        Nothing: { fields: [] },
      },
    );
    const body = (def(s, 'canonical').properties as Json).body as Json;
    expect(body.oneOf).toHaveLength(4);
    expect(body.description).toContain('chosen by "k"');
    const validate = validatorFor(ajv, s, 'canonical');
    for (const [k, v] of [[1, { user: 'u' }], [2, 'hi'], [3, { text: 't' }], [9, {}]] as const) {
      const value = s.decode(s.encode({ k, body: v }), undefined, 'canonical');
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('where the value alone cannot tell the cases apart, an anyOf that names the deciding field', () => {
    const s = codec([{ name: 'k', type: 'BYTE' }, { name: 'body', type: { switch: 'k', cases: { '1': 'WORD', '2': 'DWORD' } } }]);
    const body = (def(s, 'canonical').properties as Json).body as Json;
    expect(body.anyOf).toHaveLength(2);
    expect(body.oneOf).toBeUndefined();
    expect(body.description).toContain('read "k"');
    expect(validatorFor(ajv, s, 'canonical')(s.decode(s.encode({ k: 2, body: 70000 }), undefined, 'canonical'))).toBe(true);
  });

  it('one case (or cases of one type): that type\'s schema, no union', () => {
    const s = codec([{ name: 'k', type: 'BYTE' }, { name: 'body', type: { switch: 'k', cases: { '1': 'WORD', '2': 'WORD' } } }]);
    const body = (def(s, 'canonical').properties as Json).body as Json;
    expect(body.type).toBe('integer');
    expect(body.anyOf ?? body.oneOf).toBeUndefined();
  });

  it('a block of N bytes is base64 of exactly 4·⌈N/3⌉ characters', () => {
    const b = codec([{ name: 'mac', type: { bytes: 6 } }]);
    expect((def(b, 'canonical').properties as Json).mac).toMatchObject({ minLength: 8, maxLength: 8, contentEncoding: 'base64' });
  });
});

describe('an input cut short', () => {
  it('of a type of fixed size says exactly how many bytes are missing; otherwise at least how many', () => {
    const fixed = codec([{ name: 'a', type: 'DWORD' }, { name: 'b', type: 'WORD' }]);
    expect(() => fixed.decode(Buffer.from([1, 2, 3]))).toThrow('the input ends 3 byte(s) too early');
    const variable = codec([{ name: 's', type: 'CString' }, { name: 'b', type: 'WORD' }]);
    expect(() => variable.decode(Buffer.from([5, 0x61]))).toThrow('the input ends at least 4 byte(s) too early');
  });
});
