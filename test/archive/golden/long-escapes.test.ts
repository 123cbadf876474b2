/**
 * Lengths and counts written longer than MFC writes them (SPEC §2: other writers produce them — a
 * length of 5 as FF + WORD, a count of 2 as FFFF + DWORD). MFC's readers accept them (format §2.2,
 * §3.1), so decoding does; lossless JSON keeps the form (`lengthForm`, `countForm`) so encoding
 * again gives the same bytes; canonical JSON normalises them away.
 */
import { describe, expect, it } from 'vitest';
import { adHoc, bytes, canonical, expectError, golden, hex } from './helpers.js';

describe('CString lengths (format §2.2)', () => {
  const s = adHoc('CString');

  it.each([
    ['word', 'FF 05 00'],
    ['dword', 'FF FF FF 05 00 00 00'],
    ['qword', 'FF FF FF FF FF FF FF 05 00 00 00 00 00 00 00'],
  ])('"hello" with a %s length: lossless keeps it, canonical is the plain string', (form, length) => {
    const spaced = `${length} 68 65 6C 6C 6F`;
    golden(s, { text: 'hello', lengthForm: form }, spaced);
    expect(canonical(s, spaced)).toBe('hello');
    expect(s.encode('hello').toString('hex')).toBe(hex('05 68 65 6C 6C 6F'));
  });

  it('the QWORD form needs an MFC 7+ reader; a VC6 reader takes FF FFFF FFFFFFFF as a DWORD length', () => {
    const vc6 = adHoc('CString', { profile: { mfc: 6 } });
    expectError(() => vc6.encode({ text: 'hello', lengthForm: 'qword' }), 'VALIDATION');
  });

  it('wide strings: after the FF FE FF marker the length has the same forms', () => {
    const w = adHoc('CStringW');
    golden(w, { text: 'hi', lengthForm: 'word' }, 'FF FE FF  FF 02 00  68 00 69 00');
    expect(canonical(w, 'FF FE FF  FF 02 00  68 00 69 00')).toBe('hi');
    // A narrow field given a wide string with a long length: both facts kept.
    golden(s, { text: 'hi', unicode: true, lengthForm: 'dword' }, 'FF FE FF  FF FF FF 02 00 00 00  68 00 69 00');
  });

  it('bytes the code page does not map keep their length form beside them', () => {
    golden(s, { bytes: 'gQ==', lengthForm: 'word' }, 'FF 01 00  81');
    expect(canonical(s, 'FF 01 00  81')).toBe('\u0081');
  });

  it('a form that cannot hold the length is refused', () => {
    expectError(() => s.encode({ text: 'x'.repeat(300), lengthForm: 'byte' }), 'VALIDATION');
    expectError(() => s.encode({ text: 'x'.repeat(0xfffe), lengthForm: 'word' }), 'VALIDATION'); // the Unicode marker
    expectError(() => s.encode({ text: 'x', lengthForm: 'nibble' }), 'VALIDATION');
  });
});

describe('WriteCount (format §3.1)', () => {
  it('a list: {"items": […], "countForm": "dword"}', () => {
    const c = adHoc({ list: 'WORD' });
    golden(c, { items: [7, 8], countForm: 'dword' }, 'FF FF 02 00 00 00  07 00 08 00');
    expect(canonical(c, 'FF FF 02 00 00 00  07 00 08 00')).toStrictEqual([7, 8]);
  });

  it('the MFC collections and maps too', () => {
    golden(adHoc('CStringArray'), { items: ['a'], countForm: 'dword' }, 'FF FF 01 00 00 00  01 61');
    golden(adHoc('CMapStringToString'), { items: [['k', 'v']], countForm: 'dword' }, 'FF FF 01 00 00 00  01 6B 01 76');
    expect(canonical(adHoc('CMapStringToString'), 'FF FF 01 00 00 00  01 6B 01 76')).toStrictEqual([['k', 'v']]);
  });

  it('CByteArray: {"bytes": base64, "countForm": …}', () => {
    const c = adHoc('CByteArray');
    golden(c, { bytes: 'AQID', countForm: 'dword' }, 'FF FF 03 00 00 00  01 02 03');
    expect(canonical(c, 'FF FF 03 00 00 00  01 02 03')).toBe('AQID');
  });

  it('the QWORD form exists only in Win64 builds of MFC 7+', () => {
    const win64 = adHoc({ list: 'BYTE' }, { profile: { win64: true } });
    golden(win64, { items: [1], countForm: 'qword' }, 'FF FF FF FF FF FF 01 00 00 00 00 00 00 00  01');
    expectError(() => adHoc({ list: 'BYTE' }).encode({ items: [1], countForm: 'qword' }), 'VALIDATION');
    // Win32: FFFF + DWORD FFFFFFFF is a count of 4294967295, refused by the caps before anything is allocated.
    expectError(() => adHoc({ list: 'BYTE' }).decode(bytes('FF FF FF FF FF FF 01 00 00 00 00 00 00 00  01')), 'ARCHIVE_LIMIT');
  });
});
