/**
 * Golden bytes of CTime / CTimeSpan (format §5.1), COleDateTime / COleDateTimeSpan / COleCurrency
 * (§5.2), CPoint / CSize / CRect (§5.4) and GUID (§5.5); JSON mapping of SPEC §2.
 */
import { describe, expect, it } from 'vitest';
import { adHoc, bytes, expectError, field, golden, hex } from './helpers.js';

describe('format §5.1 CTime', () => {
  const T = '2019-10-03T14:47:55Z'; // time_t 0x5D960A1B

  it.each([6, 7, 7.1])('MFC %s: DWORD time_t → 1B 0A 96 5D', (mfc) => {
    golden(adHoc('CTime', { profile: { mfc } }), T, '1B 0A 96 5D');
  });

  it.each([6, 7.1])('MFC %s: the int64 form is refused (that reader cannot take the mark)', (mfc) => {
    expectError(() => field('CTime', { profile: { mfc } }).encode({ v: { time: T, form: 'int64' } }), 'VALIDATION', { path: '/v' });
  });

  it.each([8, 9, 14])('MFC %s: cTime64Mark 0x8000000A + __int64 → 0A 00 00 80 1B 0A 96 5D 00 00 00 00', (mfc) => {
    golden(adHoc('CTime', { profile: { mfc } }), T, '0A 00 00 80 1B 0A 96 5D 00 00 00 00');
  });

  it.each([
    // [mfc, ISO time, golden] — time_t is signed (VC6 `long`; MFC 8+ `__int64`)
    [6, '1970-01-01T00:00:00Z', '00 00 00 00'],
    [14, '1970-01-01T00:00:00Z', '0A 00 00 80 00 00 00 00 00 00 00 00'],
    [6, '1960-01-01T00:00:00Z', '80 08 30 ED'], // -315619200
    [14, '1960-01-01T00:00:00Z', '0A 00 00 80 80 08 30 ED FF FF FF FF'],
    [14, '2200-01-01T00:00:00Z', '0A 00 00 80 00 19 9E B0 01 00 00 00'], // 7258118400, past 32 bits
  ] as const)('MFC %s: %s → %s', (mfc, iso, spaced) => {
    golden(adHoc('CTime', { profile: { mfc } }), iso, spaced);
  });

  it('an MFC 8+ reader also accepts the legacy DWORD form, and decode → encode keeps its 4 bytes', () => {
    const c = adHoc('CTime', { profile: { mfc: 14 } });
    const v = c.decode(bytes('1B 0A 96 5D'));
    expect(JSON.stringify(v)).toContain(T);
    expect(c.encode(v).toString('hex')).toBe(hex('1B 0A 96 5D'));
  });

  it('a time past the 32-bit DWORD range under MFC 7.1 is VALIDATION, not a wrap', () => {
    expectError(() => field('CTime', { profile: { mfc: 7.1 } }).encode({ v: '2200-01-01T00:00:00Z' }), 'VALIDATION', {
      path: '/v',
    });
  });

  it('a malformed time is VALIDATION', () => {
    expectError(() => field('CTime').encode({ v: '2019-02-30T00:00:00Z' }), 'VALIDATION', { path: '/v' });
    expectError(() => field('CTime').encode({ v: 'yesterday' }), 'VALIDATION', { path: '/v' });
  });

  it('a truncated marked CTime is ARCHIVE_DECODE endOfFile', () => {
    expectError(() => adHoc('CTime').decode(bytes('0A 00 00 80 1B 0A 96 5D')), 'ARCHIVE_DECODE', {
      archiveCause: 'endOfFile',
    });
  });
});

describe('format §5.1 CTimeSpan (a DWORD in every version; seconds in JSON)', () => {
  it.each([6, 7.1, 14])('MFC %s: 1 day = 86400 → 80 51 01 00', (mfc) => {
    golden(adHoc('CTimeSpan', { profile: { mfc } }), 86400, '80 51 01 00');
  });

  it('MFC 9+ reads the DWORD back as signed 32-bit: -1 ↔ FF FF FF FF', () => {
    golden(adHoc('CTimeSpan'), -1, 'FF FF FF FF');
  });

  it('a span past 32 bits is VALIDATION', () => {
    expectError(() => field('CTimeSpan').encode({ v: 2 ** 32 }), 'VALIDATION', { path: '/v' });
  });
});

describe('format §5.2 COleDateTime: LONG status + double DATE (days since 1899-12-30)', () => {
  it.each([
    ['2000-01-01T00:00:00', '00 00 00 00  00 00 00 00 C0 D5 E1 40'], // the §5.2 example, DATE 36526.0
    ['2000-01-01T12:00:00', '00 00 00 00  00 00 00 00 D0 D5 E1 40'], // DATE 36526.5
    ['1899-12-30T00:00:00', '00 00 00 00  00 00 00 00 00 00 00 00'], // DATE 0
  ])('valid %s → %s (ISO string without zone)', (iso, spaced) => {
    golden(adHoc('COleDateTime'), iso, spaced);
  });

  it.each([
    [{ status: 'null', date: 0 }, '02 00 00 00  00 00 00 00 00 00 00 00'],
    [{ status: 'invalid', date: 0 }, '01 00 00 00  00 00 00 00 00 00 00 00'],
    [{ status: 'invalid', date: 36526 }, '01 00 00 00  00 00 00 00 C0 D5 E1 40'],
  ])('not valid %j → %s ({status, date})', (value, spaced) => {
    golden(adHoc('COleDateTime'), value, spaced);
  });

  it('a malformed date is VALIDATION', () => {
    expectError(() => field('COleDateTime').encode({ v: '2000-13-01T00:00:00' }), 'VALIDATION', { path: '/v' });
  });
});

describe('format §5.2 COleDateTimeSpan: LONG status + double span in days', () => {
  // Assumption: a valid span is a JSON number of days (SPEC §2 names no other form for it).
  it.each([
    [1.5, '00 00 00 00  00 00 00 00 00 00 F8 3F'],
    [0, '00 00 00 00  00 00 00 00 00 00 00 00'],
    [-2, '00 00 00 00  00 00 00 00 00 00 00 C0'],
  ])('%j days → %s', (value, spaced) => {
    golden(adHoc('COleDateTimeSpan'), value, spaced);
  });
});

describe('format §5.2 COleCurrency: LONG status, LONG Hi, DWORD Lo (high half first); value = int64 / 10000', () => {
  it.each([
    ['1.5', '00 00 00 00  00 00 00 00  98 3A 00 00'], // the §5.2 example: 15000 = 0x3A98
    ['0', '00 00 00 00  00 00 00 00  00 00 00 00'],
    ['-1', '00 00 00 00  FF FF FF FF  F0 D8 FF FF'], // -10000 = 0xFFFFFFFF_FFFFD8F0
    ['429496.7296', '00 00 00 00  01 00 00 00  00 00 00 00'], // 2^32: Hi = 1, Lo = 0
    ['0.0001', '00 00 00 00  00 00 00 00  01 00 00 00'],
  ])('%s → %s (decimal string)', (value, spaced) => {
    golden(adHoc('COleCurrency'), value, spaced);
  });

  it('more than 4 decimals is VALIDATION', () => {
    expectError(() => field('COleCurrency').encode({ v: '1.23456' }), 'VALIDATION', { path: '/v' });
  });
});

describe('format §5.4 geometry: raw structs of LONGs', () => {
  it.each([
    ['CRect', { left: 1, top: 2, right: 3, bottom: 4 }, '01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00'],
    ['RECT', { left: 1, top: 2, right: 3, bottom: 4 }, '01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00'],
    ['CPoint', { x: 1, y: -2 }, '01 00 00 00 FE FF FF FF'],
    ['POINT', { x: 1, y: -2 }, '01 00 00 00 FE FF FF FF'],
    ['CSize', { cx: 640, cy: 480 }, '80 02 00 00 E0 01 00 00'],
    ['SIZE', { cx: 640, cy: 480 }, '80 02 00 00 E0 01 00 00'],
  ])('%s %j → %s', (type, value, spaced) => {
    golden(adHoc(type), value, spaced);
  });

  it('a coordinate outside LONG is VALIDATION with its path', () => {
    expectError(() => field('CPoint').encode({ v: { x: 2 ** 31, y: 0 } }), 'VALIDATION', { path: '/v/x' });
  });
});

describe('format §5.5 GUID: Data1 LE DWORD, Data2 LE WORD, Data3 LE WORD, Data4 as is', () => {
  it('6b29fc40-ca47-1067-b31d-00dd010662da', () => {
    golden(
      adHoc('GUID'),
      '6b29fc40-ca47-1067-b31d-00dd010662da',
      '40 FC 29 6B  47 CA  67 10  B3 1D 00 DD 01 06 62 DA',
    );
  });

  it('00112233-4455-6677-8899-aabbccddeeff', () => {
    golden(adHoc('GUID'), '00112233-4455-6677-8899-aabbccddeeff', '33 22 11 00  55 44  77 66  88 99 AA BB CC DD EE FF');
  });

  it('a malformed GUID is VALIDATION', () => {
    expectError(() => field('GUID').encode({ v: '6b29fc40-ca47-1067-b31d' }), 'VALIDATION', { path: '/v' });
  });
});
