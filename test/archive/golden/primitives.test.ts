/**
 * Golden bytes of the primitive types: format document §1.1–§1.3 (little-endian, no padding, no tags),
 * JSON mapping of SPEC §2 (integers as numbers, 64-bit integers as decimal strings, float specials as
 * strings), and range errors (VALIDATION naming the field path, never a silent wrap).
 */
import { describe, expect, it } from 'vitest';
import { TypeRegistry } from '../../../src/archive/index.js';
import { adHoc, bytes, expectError, field, golden } from './helpers.js';

describe('format §1.3 primitive byte examples', () => {
  // [type, JSON value, golden bytes from the §1.3 table]
  it.each([
    ['BYTE', 0xab, 'AB'],
    ['char', 0x41, '41'], // char 'A'; SPEC §2: char as its code value
    ['bool', true, '01'], // MFC 7.0+ (default profile mfc 14)
    ['bool', false, '00'],
    ['BOOL', true, '01 00 00 00'], // BOOL TRUE = int 1
    ['BOOL', false, '00 00 00 00'],
    ['WORD', 0x1234, '34 12'],
    ['short', -2, 'FE FF'],
    ['wchar_t', 0xe9, 'E9 00'], // L'é' (U+00E9), as its code value
    ['DWORD', 0x12345678, '78 56 34 12'],
    ['LONG', -1, 'FF FF FF FF'],
    ['int', 1, '01 00 00 00'],
    ['UINT', 0xfffffffe, 'FE FF FF FF'], // "unsigned 0xFFFFFFFE"
    ['LONGLONG', '-2', 'FE FF FF FF FF FF FF FF'], // 64-bit integers: decimal strings
    ['ULONGLONG', '72623859790382856', '08 07 06 05 04 03 02 01'], // 0x0102030405060708
    ['float', 1, '00 00 80 3F'],
    ['double', 1, '00 00 00 00 00 00 F0 3F'],
    ['double', 3.14, '1F 85 EB 51 B8 1E 09 40'],
  ] as const)('%s %j → %s', (type, value, spaced) => {
    golden(adHoc(type), value, spaced);
  });
});

describe('format §1.1 signedness is not on the wire', () => {
  it('short -2 and WORD 0xFFFE produce the same bytes; each reads back in its own range', () => {
    golden(adHoc('short'), -2, 'FE FF');
    golden(adHoc('WORD'), 0xfffe, 'FE FF');
  });

  it('int, UINT, LONG and DWORD produce the same 4 bytes', () => {
    golden(adHoc('int'), -1, 'FF FF FF FF');
    golden(adHoc('LONG'), -1, 'FF FF FF FF');
    golden(adHoc('UINT'), 0xffffffff, 'FF FF FF FF');
    golden(adHoc('DWORD'), 0xffffffff, 'FF FF FF FF');
  });

  it.each([
    // [type, JSON value, bytes] at the ends of each range (little-endian two's complement, §1.1)
    ['BYTE', 0, '00'],
    ['BYTE', 255, 'FF'],
    ['WORD', 0xffff, 'FF FF'],
    ['short', -0x8000, '00 80'],
    ['short', 0x7fff, 'FF 7F'],
    ['LONG', -0x80000000, '00 00 00 80'],
    ['LONG', 0x7fffffff, 'FF FF FF 7F'],
    ['LONGLONG', '-9223372036854775808', '00 00 00 00 00 00 00 80'],
    ['LONGLONG', '9223372036854775807', 'FF FF FF FF FF FF FF 7F'],
    ['ULONGLONG', '18446744073709551615', 'FF FF FF FF FF FF FF FF'],
    ['ULONGLONG', '0', '00 00 00 00 00 00 00 00'],
  ] as const)('%s %j → %s (range ends)', (type, value, spaced) => {
    golden(adHoc(type), value, spaced);
  });

  it('64-bit integers accept safe JSON numbers on input and decode as decimal strings (SPEC §2)', () => {
    const c = adHoc('LONGLONG');
    expect(c.encode(-2).toString('hex')).toBe('feffffffffffffff');
    expect(c.decode(bytes('FE FF FF FF FF FF FF FF'))).toBe('-2');
    expect(adHoc('ULONGLONG').encode(258).toString('hex')).toBe('0201000000000000');
  });

  it('bool reads any non-zero byte as true (§1.2); the stored byte survives decode → encode', () => {
    const c = adHoc('bool');
    const v = c.decode(bytes('02'));
    expect(Boolean(v)).toBe(true);
    expect(c.encode(v).toString('hex')).toBe('02');
  });
});

describe('IEEE-754 specials as JSON strings (SPEC §2 float mapping)', () => {
  // Assumption (the format document gives no NaN bit pattern): "NaN" is the canonical quiet NaN,
  // 0x7FF8000000000000 for double and 0x7FC00000 for float, little-endian as every value (§1.1).
  it.each([
    ['double', 'NaN', '00 00 00 00 00 00 F8 7F'],
    ['double', 'Infinity', '00 00 00 00 00 00 F0 7F'],
    ['double', '-Infinity', '00 00 00 00 00 00 F0 FF'],
    ['double', '-0', '00 00 00 00 00 00 00 80'],
    ['double', 0, '00 00 00 00 00 00 00 00'],
    ['float', 'NaN', '00 00 C0 7F'],
    ['float', 'Infinity', '00 00 80 7F'],
    ['float', '-Infinity', '00 00 80 FF'],
    ['float', '-0', '00 00 00 80'],
    ['float', 0, '00 00 00 00'],
  ] as const)('%s %j → %s', (type, value, spaced) => {
    golden(adHoc(type), value, spaced);
  });

  it('a non-canonical NaN survives decode → encode bit for bit (lossless mapping, SPEC §2)', () => {
    for (const [type, spaced] of [['double', '01 00 00 00 00 00 F8 FF'], ['float', '01 00 C0 FF']] as const) {
      const c = adHoc(type);
      const v = c.decode(bytes(spaced));
      expect(typeof v).toBe('string');
      expect(c.encode(v).toString('hex')).toBe(bytes(spaced).toString('hex'));
    }
  });
});

describe('range errors: VALIDATION with the field path, never a silent wrap (SPEC §2)', () => {
  it.each([
    ['BYTE', -1],
    ['BYTE', 256],
    ['WORD', 70000],
    ['WORD', -1],
    ['WORD', 1.5],
    ['short', 0x8000],
    ['short', -0x8001],
    ['wchar_t', 0x10000],
    ['DWORD', -1],
    ['DWORD', 2 ** 32],
    ['UINT', 2 ** 32],
    ['UINT', -1],
    ['LONG', 2 ** 31],
    ['LONG', -(2 ** 31) - 1],
    ['int', 2 ** 31],
    ['LONGLONG', '9223372036854775808'],
    ['LONGLONG', '-9223372036854775809'],
    ['LONGLONG', 2 ** 53], // not a safe integer: numbers are accepted only when safe
    ['ULONGLONG', '-1'],
    ['ULONGLONG', '18446744073709551616'],
    ['ULONGLONG', '1.5'],
    ['float', 1e39], // beyond binary32: would silently become Infinity
    ['DWORD', '7'], // a string where a number is required
    ['double', 'abc'],
    ['bool', 'yes'],
  ] as const)('%s %j → VALIDATION at /v', (type, value) => {
    expectError(() => field(type).encode({ v: value }), 'VALIDATION', { path: '/v' });
  });

  it('the path names nested fields and list indices', () => {
    const reg = new TypeRegistry();
    reg.add({
      types: {
        Line: { fields: [{ name: 'sku', type: 'CString' }, { name: 'qty', type: 'WORD' }] },
        Order: { fields: [{ name: 'id', type: 'DWORD' }, { name: 'lines', type: { list: 'Line' } }] },
      },
    });
    const value = { id: 1, lines: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 70000 }] };
    expectError(() => reg.get('Order').encode(value), 'VALIDATION', { path: '/lines/1/qty' });
  });
});

describe('truncated primitives: ARCHIVE_DECODE endOfFile (format §6.3)', () => {
  it.each([
    ['WORD', '34'],
    ['DWORD', '78 56 34'],
    ['double', '1F 85 EB 51 B8 1E 09'],
    ['LONGLONG', 'FE FF FF FF'],
  ] as const)('%s from %s', (type, spaced) => {
    expectError(() => adHoc(type).decode(bytes(spaced)), 'ARCHIVE_DECODE', { archiveCause: 'endOfFile' });
  });
});
