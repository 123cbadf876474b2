/**
 * Golden bytes of COleVariant (format §5.3): WORD vt, then a payload that depends on vt and on the
 * MFC version (VT_I1, VT_UI2, VT_UI4, VT_I8, VT_UI8 from MFC 9.0). JSON: {"vt": "VT_…", "value": …}
 * (SPEC §2); types that carry no payload have no "value".
 */
import { describe, expect, it } from 'vitest';
import { adHoc, bytes, expectError, field, golden } from './helpers.js';

describe('format §5.3 examples', () => {
  it.each([
    [{ vt: 'VT_I4', value: 42 }, '03 00 2A 00 00 00'],
    [{ vt: 'VT_BSTR', value: 'Hi' }, '08 00 04 00 00 00 48 00 69 00'], // DWORD byte length + UTF-16LE
    [{ vt: 'VT_BOOL', value: true }, '0B 00 FF FF'], // VARIANT_TRUE
  ])('%j → %s', (value, spaced) => {
    golden(adHoc('COleVariant'), value, spaced);
  });
});

describe('format §5.3 every version (VC6 and later)', () => {
  it.each([
    [{ vt: 'VT_EMPTY' }, '00 00'], // nothing after vt
    [{ vt: 'VT_NULL' }, '01 00'],
    [{ vt: 'VT_I2', value: -2 }, '02 00 FE FF'],
    [{ vt: 'VT_I4', value: -1 }, '03 00 FF FF FF FF'],
    [{ vt: 'VT_R4', value: 1 }, '04 00 00 00 80 3F'],
    [{ vt: 'VT_R8', value: 3.14 }, '05 00 1F 85 EB 51 B8 1E 09 40'],
    // VT_CY: DWORD Lo then LONG Hi (= little-endian int64), unlike COleCurrency's Hi-then-Lo.
    // Assumption: the JSON value is a decimal string, as for COleCurrency.
    [{ vt: 'VT_CY', value: '1.5' }, '06 00 98 3A 00 00 00 00 00 00'],
    [{ vt: 'VT_CY', value: '-1' }, '06 00 F0 D8 FF FF FF FF FF FF'],
    // VT_DATE: a double DATE. Assumption: JSON as COleDateTime's (ISO-8601 without zone).
    [{ vt: 'VT_DATE', value: '2000-01-01T00:00:00' }, '07 00  00 00 00 00 C0 D5 E1 40'],
    [{ vt: 'VT_BSTR', value: '' }, '08 00 00 00 00 00'], // length 0 (a NULL BSTR)
    [{ vt: 'VT_BSTR', value: 'é€' }, '08 00 04 00 00 00 E9 00 AC 20'],
    [{ vt: 'VT_ERROR', value: -2147467259 }, '0A 00 05 40 00 80'], // SCODE E_FAIL 0x80004005 as LONG
    [{ vt: 'VT_BOOL', value: false }, '0B 00 00 00'],
    [{ vt: 'VT_UI1', value: 200 }, '11 00 C8'],
  ])('%j → %s', (value, spaced) => {
    for (const mfc of [6, 7, 14]) golden(adHoc('COleVariant', { profile: { mfc } }), value, spaced);
  });

  it('VT_BYREF and VT_ARRAY combinations carry only the vt WORD', () => {
    golden(adHoc('COleVariant'), { vt: 0x4003 }, '03 40'); // VT_BYREF | VT_I4
    golden(adHoc('COleVariant'), { vt: 0x2003 }, '03 20'); // VT_ARRAY | VT_I4
  });

  it('variants in a list are concatenated with no padding', () => {
    golden(
      adHoc({ list: 'COleVariant' }),
      [{ vt: 'VT_I4', value: 42 }, { vt: 'VT_EMPTY' }, { vt: 'VT_BSTR', value: 'Hi' }],
      '03 00  03 00 2A 00 00 00  00 00  08 00 04 00 00 00 48 00 69 00',
    );
  });

  it('a truncated VT_BSTR is ARCHIVE_DECODE endOfFile', () => {
    expectError(() => adHoc('COleVariant').decode(bytes('08 00 04 00 00 00 48 00')), 'ARCHIVE_DECODE', {
      archiveCause: 'endOfFile',
    });
  });

  it('an out-of-range payload is VALIDATION with the path', () => {
    expectError(() => field('COleVariant').encode({ v: { vt: 'VT_I2', value: 40000 } }), 'VALIDATION', { path: '/v' });
  });

  it('"bytes" is for a VT_BSTR alone, and without "value": nothing given is dropped (VALIDATION)', () => {
    const c = field('COleVariant');
    const err = expectError(() => c.encode({ v: { vt: 'VT_BSTR', value: 'Hi', bytes: 'SABpAA==' } }), 'VALIDATION', { path: '/v/bytes' });
    expect(err.message).toContain('not both');
    expectError(() => c.encode({ v: { vt: 'VT_I4', value: 1, bytes: 'AQ==' } }), 'VALIDATION', { path: '/v/bytes' });
    expectError(() => c.encode({ v: { vt: 'VT_EMPTY', bytes: 'AQ==' } }), 'VALIDATION', { path: '/v/bytes' });
    // The lossless form of an odd-length BSTR still round-trips.
    golden(adHoc('COleVariant'), { vt: 'VT_BSTR', bytes: 'SABp' }, '08 00 03 00 00 00 48 00 69');
  });
});

describe('format §5.3 MFC 9.0+ extra types', () => {
  it.each([
    [{ vt: 'VT_I1', value: -1 }, '10 00 FF'],
    [{ vt: 'VT_UI2', value: 0x1234 }, '12 00 34 12'],
    [{ vt: 'VT_UI4', value: 0x12345678 }, '13 00 78 56 34 12'],
    [{ vt: 'VT_I8', value: '-2' }, '14 00 FE FF FF FF FF FF FF FF'], // 64-bit: decimal strings
    [{ vt: 'VT_UI8', value: '72623859790382856' }, '15 00 08 07 06 05 04 03 02 01'],
  ])('MFC 9/14: %j → %s', (value, spaced) => {
    golden(adHoc('COleVariant', { profile: { mfc: 9 } }), value, spaced);
    golden(adHoc('COleVariant', { profile: { mfc: 14 } }), value, spaced);
  });

  it.each([
    ['VT_I1', '10 00'],
    ['VT_UI2', '12 00'],
    ['VT_UI4', '13 00'],
    ['VT_I8', '14 00'],
    ['VT_UI8', '15 00'],
  ])('MFC 6 and 7.0 do not know %s: only the vt WORD %s is written and read', (vt, spaced) => {
    for (const mfc of [6, 7]) {
      const c = adHoc('COleVariant', { profile: { mfc } });
      golden(c, { vt }, spaced);
      // what an MFC 9 writer adds after the vt is not consumed by an MFC 7 reader
      const { value, end } = c.decodeFrom(bytes(spaced + ' 01 02 03 04 05 06 07 08'));
      expect(value).toStrictEqual({ vt });
      expect(end).toBe(2);
    }
  });

  it('MFC 7.0: a value for VT_I8 would be lost silently, so it is refused (VALIDATION)', () => {
    // Assumption: SPEC §2 "never a silent wrap" extends to a value MFC 7 would not write.
    expectError(
      () => field('COleVariant', { profile: { mfc: 7 } }).encode({ v: { vt: 'VT_I8', value: '5' } }),
      'VALIDATION',
      { path: '/v' },
    );
  });
});
