/**
 * Golden bytes of CString / CStringA / CStringW: format document §2.1 (writer: Unicode marker
 * FF FE FF, length forms, payload), §2.2 (reader accepts either width), §2.3 (examples), and the
 * CHATSRVR message of §9.3.
 */
import { describe, expect, it } from 'vitest';
import { TypeRegistry, codePageExists } from '../../../src/archive/index.js';
import { adHoc, bytes, expectError, field, fill, golden, hex } from './helpers.js';

const MARK = 'FF FE FF'; // §2.1 step 1: BYTE 0xFF, WORD 0xFFFE

describe('format §2.3 examples', () => {
  it.each([
    // [value, ANSI build / CStringA, Unicode build / CStringW]
    ['', '00', 'FF FE FF 00'],
    ['Hi', '02 48 69', 'FF FE FF 02 48 00 69 00'],
  ])('%j', (value, narrow, wide) => {
    golden(adHoc('CStringA'), value, narrow);
    golden(adHoc('CString'), value, narrow); // plain CString in an ANSI build (default profile)
    golden(adHoc('CStringW'), value, wide);
    golden(adHoc('CString', { profile: { unicode: true } }), value, wide);
  });

  it("300 × 'a' → FF 2C 01 + 300 bytes / FF FE FF FF 2C 01 + 600 bytes", () => {
    const s = 'a'.repeat(300);
    golden(adHoc('CStringA'), s, 'FF 2C 01' + fill('61', 300));
    golden(adHoc('CStringW'), s, MARK + 'FF 2C 01' + fill('6100', 300));
  });

  it('70000 chars → FF FF FF 70 11 01 00 + 70000 bytes / FF FE FF FF FF FF 70 11 01 00 + 140000 bytes', () => {
    const s = 'x'.repeat(70000);
    golden(adHoc('CStringA'), s, 'FF FF FF 70 11 01 00' + fill('78', 70000));
    golden(adHoc('CStringW'), s, 'FF FE FF FF FF FF 70 11 01 00' + fill('7800', 70000));
  });
});

describe('format §2.1 exact length-form thresholds', () => {
  // [length, narrow length prefix]; the wide prefix is the same after FF FE FF.
  it.each([
    [254, 'FE'], // L < 0xFF → 1 byte
    [255, 'FF FF 00'], // 0xFF ≤ L < 0xFFFE → FF + WORD
    [0xfffd, 'FF FD FF'],
    [0xfffe, 'FF FF FF FE FF 00 00'], // 0xFFFE ≤ L → FF + FF FF + DWORD
    [70000, 'FF FF FF 70 11 01 00'],
  ])('length %i → %s', (n, prefix) => {
    const s = 'b'.repeat(n);
    golden(adHoc('CStringA'), s, prefix + fill('62', n));
    golden(adHoc('CStringW'), s, MARK + prefix + fill('6200', n));
  });
});

describe('format §2.1 payload: ANSI bytes in the code page, or UTF-16LE', () => {
  it.each([
    // [code page, text, narrow golden]. Code-page bytes: Windows-1252 é = E9, € = 80;
    // Shift-JIS (932) 日 = 93 FA, 本 = 96 7B, half-width ｱ = B1; Windows-1251 Привет = CF F0 E8 E2 E5 F2.
    [1252, 'é€', '02 E9 80'],
    [932, '日本', '04 93 FA 96 7B'], // length counts bytes, not characters (§2.1 step 2)
    [932, 'ｱ', '01 B1'],
    [1251, 'Привет', '06 CF F0 E8 E2 E5 F2'],
  ])('code page %i: %j → %s', (cp, text, narrow) => {
    golden(adHoc('CStringA', { codePage: cp }), text, narrow);
    golden(adHoc('CString', { codePage: cp }), text, narrow);
  });

  it.each([
    ['é€', 'FF FE FF 02 E9 00 AC 20'],
    ['日本', 'FF FE FF 02 E5 65 2C 67'],
    ['😀', 'FF FE FF 02 3D D8 00 DE'], // a surrogate pair counts as 2 UTF-16 code units
  ])('wide %j → %s (code page irrelevant)', (text, wide) => {
    golden(adHoc('CStringW', { codePage: 932 }), text, wide);
    golden(adHoc('CString', { profile: { unicode: true }, codePage: 1251 }), text, wide);
  });

  it('the field-level "codePage" overrides the file-wide one', () => {
    const reg = new TypeRegistry();
    reg.add({
      codePage: 1252,
      types: {
        M: { fields: [{ name: 'jp', type: 'CString', codePage: 932 }, { name: 'fr', type: 'CString' }] },
      },
    });
    golden(reg.get('M'), { jp: '日本', fr: 'é' }, '04 93 FA 96 7B  01 E9');
  });

  it('the field-level "unicode": true writes plain CString wide', () => {
    golden(field('CString', { field: { unicode: true } }), { v: 'Hi' }, 'FF FE FF 02 48 00 69 00');
  });

  it('MFC 9+ keeps embedded NULs (§2.2)', () => {
    golden(adHoc('CStringA'), 'a\u0000b', '03 61 00 62');
    golden(adHoc('CStringW'), 'a\u0000b', 'FF FE FF 03 61 00 00 00 62 00');
  });

  it('a code page whose bytes 0x00–0x7F are not ASCII is refused: narrow strings copy ASCII as it is', () => {
    // Code page 864 (Arabic DOS): 0x25 is U+066A ARABIC PERCENT SIGN, not '%'.
    for (const file of [{ codePage: 864, types: {} }, { types: { M: { fields: [{ name: 's', type: 'CString', codePage: 864 }] } } }]) {
      const err = expectError(() => new TypeRegistry().add(file), 'TYPE_FILE', { path: 'codePage' in file ? '/codePage' : '/types/M/fields/0/codePage' });
      expect(err.message).toContain('not ASCII');
    }
    expectError(() => adHoc('CStringA', { codePage: 864 }), 'TYPE_FILE');
    expect(codePageExists(864)).toBe(false);
    for (const cp of [1252, 932, 936, 949, 950, 1251, 437, 850, 65001, 20127, 28591]) expect(codePageExists(cp), String(cp)).toBe(true);
  });

  it('maxStringLength caps the bytes of a narrow string on write, as on read', () => {
    const reg = new TypeRegistry({ maxStringLength: 4 });
    for (const [cp, fits, over] of [[932, '日本', '日本語'], [65001, 'éé', 'ééé'], [1252, 'abcd', 'abcde']] as const) {
      const c = reg.codecFor('CStringA', { codePage: cp });
      expect(c.decode(c.encode(fits))).toBe(fits);
      // 3 characters, 6 bytes: written, they were refused by the reader (ARCHIVE_LIMIT).
      const err = expectError(() => c.encode(over), 'VALIDATION');
      expect(err.message).toContain('maxStringLength');
      expectError(() => c.encode({ text: over, unicode: false }), 'VALIDATION');
    }
    // Wide strings count UTF-16 code units, as MFC's length prefix does.
    expect(reg.codecFor('CStringW').encode('日本語').length).toBe(4 + 6);
  });

  it.each([
    [1252, '日'],
    [1252, 'Ж'],
    [1251, 'é'],
    [932, 'Ж€'],
  ])('code page %i cannot represent %j → VALIDATION at /v', (cp, text) => {
    expectError(() => field('CString', { codePage: cp }).encode({ v: text }), 'VALIDATION', { path: '/v' });
    expectError(() => field('CStringA', { codePage: cp }).encode({ v: text }), 'VALIDATION', { path: '/v' });
  });
});

describe('format §2.2 the reader accepts the other width ({text, unicode} JSON form)', () => {
  it('a narrow field reading a wide string', () => {
    for (const type of ['CStringA', 'CString']) {
      golden(adHoc(type), { text: 'Hi', unicode: true }, 'FF FE FF 02 48 00 69 00');
    }
  });

  it('a wide field reading a narrow string', () => {
    golden(adHoc('CStringW'), { text: 'Hi', unicode: false }, '02 48 69');
    golden(adHoc('CString', { profile: { unicode: true } }), { text: 'Hi', unicode: false }, '02 48 69');
    // the narrow payload is decoded in the configured code page
    golden(adHoc('CStringW', { codePage: 932 }), { text: '日本', unicode: false }, '04 93 FA 96 7B');
  });

  it('a wide string with the long length forms is read by a narrow field', () => {
    const s = 'c'.repeat(0xfffe);
    golden(adHoc('CStringA'), { text: s, unicode: true }, MARK + 'FF FF FF FE FF 00 00' + fill('6300', 0xfffe));
  });

  it('the plain-string form is accepted on input for either width', () => {
    expect(adHoc('CStringA').encode('Hi').toString('hex')).toBe(hex('02 48 69'));
    expect(adHoc('CStringW').encode('Hi').toString('hex')).toBe(hex('FF FE FF 02 48 00 69 00'));
  });

  it('narrow bytes that are not text in the code page survive decode → encode (lossless, SPEC §2)', () => {
    const c = adHoc('CStringA', { codePage: 1252 });
    const golden81 = bytes('02 41 81'); // 0x81 is unassigned in Windows-1252
    expect(c.encode(c.decode(golden81)).toString('hex')).toBe(golden81.toString('hex'));
  });

  it('a truncated string is ARCHIVE_DECODE endOfFile', () => {
    expectError(() => adHoc('CStringA').decode(bytes('05 48 65')), 'ARCHIVE_DECODE', { archiveCause: 'endOfFile' });
    expectError(() => adHoc('CStringW').decode(bytes('FF FE FF 02 48 00')), 'ARCHIVE_DECODE', { archiveCause: 'endOfFile' });
    expectError(() => adHoc('CStringA').decode(bytes('FF 2C')), 'ARCHIVE_DECODE', { archiveCause: 'endOfFile' });
  });
});

describe('format §9.3 CHATSRVR CMsg (WORD m_bClose, CString m_strText, CStringList m_msgList)', () => {
  const types = {
    CMsg: {
      fields: [
        { name: 'm_bClose', type: 'WORD' },
        { name: 'm_strText', type: 'CString' },
        { name: 'm_msgList', type: 'CStringList' },
      ],
    },
  };
  const value = { m_bClose: 0, m_strText: 'Hello', m_msgList: [] };

  it('ANSI build: 00 00 05 48 65 6C 6C 6F 00 00', () => {
    const reg = new TypeRegistry();
    reg.add({ profile: { mfc: 6 }, types });
    golden(reg.get('CMsg'), value, '00 00 05 48 65 6C 6C 6F 00 00');
  });

  it('Unicode build: 00 00 FF FE FF 05 48 00 65 00 6C 00 6C 00 6F 00 00 00', () => {
    const reg = new TypeRegistry();
    reg.add({ profile: { mfc: 6, unicode: true }, types });
    golden(reg.get('CMsg'), value, '00 00 FF FE FF 05 48 00 65 00 6C 00 6C 00 6F 00 00 00');
  });

  it('Unicode build with list entries: the CStringList elements are wide too', () => {
    const reg = new TypeRegistry();
    reg.add({ profile: { unicode: true }, types });
    golden(
      reg.get('CMsg'),
      { m_bClose: 1, m_strText: '', m_msgList: ['a'] },
      '01 00  FF FE FF 00  01 00  FF FE FF 01 61 00',
    );
  });
});
