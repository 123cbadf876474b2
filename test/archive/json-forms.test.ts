/**
 * Canonical and lossless JSON (SPEC §2): the same bytes read as the one plain shape per MFC type
 * that clients get by default, or as the form that encodes back to the very same bytes; encoders
 * take both. Then the API that chooses the form, and the schemas of each form — exact (every
 * decoded value fits, and the canonical ones have no unions but a double's specials and the
 * nullable OLE values, none at all in the demo `Order`/`OrderAck`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LoadBuffer, LoadState, TypeRegistry, exampleOf, type MessageCodec } from '../../src/archive/index.js';
import { adHoc, bytes, canonical, expectError, field, hex } from './golden/helpers.js';
import { expectValid, newAjv, validatorFor } from './property/support.js';

/** Both forms of `spaced`; encoding either gives `spaced` back (lossless) or its canonical bytes. */
function forms(codec: MessageCodec, spaced: string): { lossless: unknown; canonical: unknown } {
  const lossless = codec.decode(bytes(spaced));
  expect(codec.encode(lossless).toString('hex'), 'lossless re-encodes exactly').toBe(hex(spaced));
  const canon = canonical(codec, spaced);
  // Canonical is a fixed point: its own bytes read back to it.
  expect(codec.decode(codec.encode(canon), undefined, 'canonical')).toStrictEqual(canon);
  return { lossless, canonical: canon };
}

describe('one plain shape per MFC type in canonical form', () => {
  it('CString: bytes the code page does not map are converted as MultiByteToWideChar does', () => {
    expect(forms(adHoc('CString'), '02 41 81')).toStrictEqual({ lossless: { bytes: 'QYE=' }, canonical: 'A\u0081' });
    // Windows' best-fit tables: undefined bytes ≥ 0xA0 of 1253 and 874 are private-use (EUDC) characters.
    expect(canonical(adHoc('CString', { codePage: 1253 }), '01 AA')).toBe('\uf8f9');
    expect(canonical(adHoc('CString', { codePage: 874 }), '01 DB')).toBe('\uf8c1');
    // A double-byte code page: an invalid sequence is U+FFFD (Vista and later).
    expect(canonical(adHoc('CString', { codePage: 932 }), '02 82 A0')).toBe('\u3042');
    expect(canonical(adHoc('CString', { codePage: 932 }), '01 81')).toBe('\ufffd');
  });

  it('CString: the other width than declared is still a plain string', () => {
    expect(forms(adHoc('CString'), 'FF FE FF 02 68 00 69 00')).toStrictEqual({ lossless: { text: 'hi', unicode: true }, canonical: 'hi' });
    expect(forms(adHoc('CStringW'), '02 68 69')).toStrictEqual({ lossless: { text: 'hi', unicode: false }, canonical: 'hi' });
  });

  it('CTime: always an ISO string (the legacy DWORD form read by an MFC 8+ reader too)', () => {
    expect(forms(adHoc('CTime'), '1B 0A 96 5D')).toStrictEqual({ lossless: { time: '2019-10-03T14:47:55Z', form: 'dword' }, canonical: '2019-10-03T14:47:55Z' });
  });

  it('bool and BOOL: a boolean, any non-zero value true', () => {
    expect(forms(adHoc('bool'), '02')).toStrictEqual({ lossless: 2, canonical: true });
    expect(forms(adHoc('BOOL'), 'FF FF FF FF')).toStrictEqual({ lossless: -1, canonical: true });
    expect(forms(adHoc('bool'), '00')).toStrictEqual({ lossless: false, canonical: false });
  });

  it('float and double: numbers, -0 as 0, every NaN as "NaN", the infinities as strings', () => {
    expect(forms(adHoc('double'), '00 00 00 00 00 00 00 80')).toStrictEqual({ lossless: '-0', canonical: 0 });
    expect(forms(adHoc('double'), '01 00 00 00 00 00 F8 7F')).toStrictEqual({ lossless: 'NaN:7ff8000000000001', canonical: 'NaN' });
    expect(forms(adHoc('float'), '00 00 80 FF')).toStrictEqual({ lossless: '-Infinity', canonical: '-Infinity' });
    expect(forms(adHoc('float'), '00 00 80 3F')).toStrictEqual({ lossless: 1, canonical: 1 });
  });

  it('COleDateTime: an ISO string, or null when its status is not valid', () => {
    expect(forms(adHoc('COleDateTime'), '00 00 00 00  00 00 00 00 C0 D5 E1 40')).toStrictEqual({ lossless: '2000-01-01T00:00:00', canonical: '2000-01-01T00:00:00' });
    expect(forms(adHoc('COleDateTime'), '02 00 00 00  00 00 00 00 00 00 00 00')).toStrictEqual({ lossless: { status: 'null', date: 0 }, canonical: null });
    expect(forms(adHoc('COleDateTime'), '01 00 00 00  00 00 00 00 C0 D5 E1 40').canonical).toBeNull();
    // A DATE no ISO string stands for exactly: lossless keeps the number, canonical rounds to the millisecond.
    const odd = Buffer.alloc(12);
    odd.writeDoubleLE(36526 + 1e-9, 4);
    expect(forms(adHoc('COleDateTime'), odd.toString('hex'))).toStrictEqual({ lossless: { status: 'valid', date: 36526 + 1e-9 }, canonical: '2000-01-01T00:00:00' });
    // null encodes as the null status.
    expect(adHoc('COleDateTime').encode(null).toString('hex')).toBe(hex('02 00 00 00  00 00 00 00 00 00 00 00'));
  });

  it('COleCurrency: a decimal string, or null; COleDateTimeSpan: a number, or null', () => {
    expect(forms(adHoc('COleCurrency'), '01 00 00 00  00 00 00 00  98 3A 00 00')).toStrictEqual({ lossless: { status: 'invalid', value: '1.5' }, canonical: null });
    expect(forms(adHoc('COleCurrency'), '00 00 00 00  00 00 00 00  98 3A 00 00').canonical).toBe('1.5');
    expect(forms(adHoc('COleDateTimeSpan'), '00 00 00 00  00 00 00 00 00 00 00 80')).toStrictEqual({ lossless: '-0', canonical: 0 });
    expect(forms(adHoc('COleDateTimeSpan'), 'FF FF FF FF  00 00 00 00 00 00 F8 3F')).toStrictEqual({ lossless: { status: 'error', span: 1.5 }, canonical: null });
    expect(adHoc('COleCurrency').encode(null).toString('hex')).toBe(hex('02 00 00 00  00 00 00 00  00 00 00 00'));
  });

  it('COleVariant stays {vt, value}: vt always a name, the value canonical', () => {
    expect(forms(adHoc('COleVariant'), '03 20')).toStrictEqual({ lossless: { vt: 0x2003 }, canonical: { vt: 'VT_8195' } });
    expect(forms(adHoc('COleVariant'), '0B 00  01 00')).toStrictEqual({ lossless: { vt: 'VT_BOOL', value: 1 }, canonical: { vt: 'VT_BOOL', value: true } });
    expect(forms(adHoc('COleVariant'), '08 00  03 00 00 00  68 00 69')).toStrictEqual({ lossless: { vt: 'VT_BSTR', bytes: 'aABp' }, canonical: { vt: 'VT_BSTR', value: 'h' } });
    expect(adHoc('COleVariant').encode({ vt: 'VT_8195' }).toString('hex')).toBe('0320');
  });
});

describe('choosing the form', () => {
  const reg = new TypeRegistry();
  reg.addText(readFileSync(new URL('../../types/demo.json', import.meta.url), 'utf8'));
  reg.add({ types: { Flag: { fields: [{ name: 'on', type: 'bool' }, { name: 'tags', type: 'CStringArray' }] } } });
  const flag = reg.get('Flag');
  const msg = bytes('05  FF FF 01 00 00 00  01 61');

  it('decode, decodeFrom and decoderFor are lossless unless asked', () => {
    expect(flag.decode(msg)).toStrictEqual({ on: 5, tags: { items: ['a'], countForm: 'dword' } });
    expect(flag.decode(msg, undefined, 'canonical')).toStrictEqual({ on: true, tags: ['a'] });
    expect(flag.decodeFrom(Buffer.concat([bytes('AA'), msg]), 1, undefined, 'canonical')).toStrictEqual({ value: { on: true, tags: ['a'] }, end: 10 });
    expect(flag.decoderFor('lossless')).toBe(flag.decoder);
    expect(flag.decoderFor('canonical')).not.toBe(flag.decoder);
  });

  it('LoadBuffer.tryDecode takes the form, and a message split anywhere decodes the same in it', () => {
    for (let k = 0; k <= msg.length; k++) {
      const lb = new LoadBuffer();
      const state = new LoadState();
      lb.push(msg.subarray(0, k));
      let r = lb.tryDecode(flag, state, 'canonical');
      if (k < msg.length) {
        expect(r.done).toBe(false);
        lb.push(msg.subarray(k));
        r = lb.tryDecode(flag, state, 'canonical');
      }
      expect(r).toStrictEqual({ done: true, value: { on: true, tags: ['a'] }, length: msg.length });
    }
  });

  it('schemas in three flavours, named Name, NameLossless, NameInput; plain names without a flavour', () => {
    const order = reg.get('Order');
    expect(Object.keys(order.schemas('#/$defs/', 'canonical').defs).sort()).toStrictEqual(['Order', 'OrderLine']);
    expect(Object.keys(order.schemas('#/$defs/', 'lossless').defs).sort()).toStrictEqual(['OrderLineLossless', 'OrderLossless']);
    expect(Object.keys(order.schemas('#/components/schemas/', 'input').defs).sort()).toStrictEqual(['OrderInput', 'OrderLineInput']);
    expect(JSON.stringify(order.schemas('#/x/', 'input').root)).toBe('{"$ref":"#/x/OrderInput"}');
    // Without a flavour: the input shapes under the plain names (callers that predate the forms).
    const legacy = JSON.stringify(order.schemas('#/$defs/'));
    expect(legacy).toBe(JSON.stringify(order.schemas('#/$defs/', 'input')).replace(/Input"/g, '"'));
  });

  it('the demo Order and OrderAck canonical schemas have no anyOf or oneOf at all', () => {
    const unions = (v: unknown): number =>
      v === null || typeof v !== 'object' ? 0
        : Object.entries(v).reduce((n, [k, x]) => n + (k === 'anyOf' || k === 'oneOf' ? 1 : 0) + unions(x), 0);
    for (const name of ['Order', 'OrderAck']) {
      expect(unions(reg.get(name).schemas('#/$defs/', 'canonical')), name).toBe(0);
      expect(unions(reg.get(name).schemas('#/$defs/', 'input')), name).toBeGreaterThan(0);
    }
  });

  it('examples fit the canonical schema and encode', () => {
    const ajv = newAjv();
    for (const name of reg.names()) {
      const codec = reg.get(name);
      const example = exampleOf(codec.plan);
      expectValid(validatorFor(ajv, codec, 'canonical'), example, `${name} example`);
      expect(codec.decode(codec.encode(example), undefined, 'canonical')).toStrictEqual(example);
    }
  });
});

describe('lossless object forms are exact on input, as their schemas say (fuzz finding)', () => {
  it('a property a form does not have is a VALIDATION at that property, nothing encoded', () => {
    const cases: [unknown, unknown, string][] = [
      ['CString', { bytes: 'QYE=', ' ': [] }, '/v/ '],
      ['CString', { text: 'hi', unicod: true }, '/v/unicod'],
      ['CByteArray', { bytes: 'AQI=', countform: 'dword' }, '/v/countform'],
      ['CTime', { time: '2019-10-03T14:47:55Z', form: 'dword', zone: 'Z' }, '/v/zone'],
      ['COleDateTime', { status: 'null', date: 0, extra: 1 }, '/v/extra'],
      ['COleDateTimeSpan', { status: 'valid', span: 1, x: 1 }, '/v/x'],
      ['COleCurrency', { status: 'valid', value: '1.5', cents: 1 }, '/v/cents'],
      ['COleVariant', { vt: 'VT_I4', value: 42, type: 'int' }, '/v/type'],
      // A list's and a map's {items, countForm} (HTTP fuzz, seed 5: "prototype" was let through).
      [{ list: 'DWORD' }, { items: [], countForm: 'word', prototype: { polluted: true } }, '/v/prototype'],
      ['CStringArray', { items: ['a'], countForm: 'dword', extra: 1 }, '/v/extra'],
      [{ map: ['CString', 'DWORD'] }, { items: [['a', 1]], countForm: 'word', x: 0 }, '/v/x'],
    ];
    for (const [type, value, path] of cases) {
      const err = expectError(() => field(type).encode({ v: value }), 'VALIDATION', { path });
      expect(err.message, JSON.stringify(type)).toContain('unexpected property');
    }
    // The same forms without the stray key encode.
    expect(field('CString').encode({ v: { bytes: 'QYE=' } }).toString('hex')).toBe('024181');
    // A value that is no form at all still says what a string may be.
    expect(expectError(() => field('CString').encode({ v: { user: 'bob' } }), 'VALIDATION', { path: '/v' }).message).toContain('expected a string');
  });
});
