/**
 * Golden bytes of constants and conditional fields (SPEC §2 part two), from the C++ a real service
 * writes: magic markers and fixed versions (`"const"`), fields written only when an earlier value
 * says so (`"when"` with eq/ne/lt/le/gt/ge/in/allBits/anyBits and all/any/not), and fields that
 * depend on the schema read from the class tag (`GetObjectSchema()`, format §4.3).
 */
import { describe, expect, it } from 'vitest';
import { bytes, canonical, declared, expectError, golden, hex } from './helpers.js';

describe('"const": magic markers and fixed versions', () => {
  // ar << (DWORD)0x4B434150;  // "PACK"
  // ar << (WORD)2;            // layout version
  // ar << m_bSigned;          // bool, always TRUE in this protocol
  // ar << m_strName;
  const c = declared({ types: { Pack: { fields: [
    { name: 'magic', type: 'DWORD', const: 0x4b434150 },
    { name: 'version', type: 'WORD', const: 2 },
    { name: 'signed', type: 'bool', const: true },
    { name: 'name', type: 'CString' },
  ] } } }, 'Pack');
  const spaced = '50 41 43 4B  02 00  01  02 68 69';

  it('encode writes it (the JSON may leave it out); decode gives it', () => {
    golden(c, { magic: 0x4b434150, version: 2, signed: true, name: 'hi' }, spaced);
    expect(c.encode({ name: 'hi' }).toString('hex')).toBe(hex(spaced));
  });

  it('decode checks it: ARCHIVE_DECODE with the path and both values', () => {
    const err = expectError(() => c.decode(bytes('50 41 43 4B  03 00  01  02 68 69')), 'ARCHIVE_DECODE', { path: '/version', offset: 4 });
    expect(err.message).toContain('3');
    expect(err.message).toContain('2');
    expect(err.details.expected).toBe('2');
  });

  it('a bool const matches any non-zero byte, as MFC reads it; lossless keeps the byte', () => {
    expect(c.decode(bytes('50 41 43 4B  02 00  07  02 68 69'))).toStrictEqual({ magic: 0x4b434150, version: 2, signed: 7, name: 'hi' });
    expect(canonical(c, '50 41 43 4B  02 00  07  02 68 69')).toStrictEqual({ magic: 0x4b434150, version: 2, signed: true, name: 'hi' });
    expectError(() => c.decode(bytes('50 41 43 4B  02 00  00  02 68 69')), 'ARCHIVE_DECODE', { path: '/signed' });
  });

  it('a given value must mean the const', () => {
    expectError(() => c.encode({ version: 3, name: 'hi' }), 'VALIDATION', { path: '/version' });
    expect(c.encode({ signed: 1, name: 'hi' }).toString('hex')).toBe(hex(spaced));
  });

  it('strings, 64-bit integers and raw blocks can be constants too', () => {
    const k = declared({ types: { K: { fields: [
      { name: 'tag', type: 'CString', const: 'PTAB' },
      { name: 'big', type: 'ULONGLONG', const: '18446744073709551615' },
      { name: 'sig', type: { bytes: 2 }, const: 'q80=' },
    ] } } }, 'K');
    golden(k, { tag: 'PTAB', big: '18446744073709551615', sig: 'q80=' }, '04 50 54 41 42  FF FF FF FF FF FF FF FF  AB CD');
    expectError(() => k.decode(bytes('04 50 54 41 43  FF FF FF FF FF FF FF FF  AB CD')), 'ARCHIVE_DECODE', { path: '/tag' });
  });
});

describe('"when": fields written only when an earlier value says so', () => {
  // void CRecord::Serialize(CArchive& ar) {
  //   ar << m_wVersion << m_dwFlags << m_bHasTime;
  //   if (m_wVersion >= 2) ar << m_strNote;
  //   if (m_dwFlags & 0x4) ar << m_rcBounds;
  //   if ((m_dwFlags & 0x3) == 0x3) ar << m_dScale;
  //   if (m_bHasTime) ar << m_tWhen;
  //   if (m_wVersion == 1 || m_wVersion == 3) ar << (BYTE)m_nLegacy;
  //   if (!(m_wVersion > 2 && m_bHasTime)) ar << (WORD)m_nPad;
  // }
  const c = declared({ types: { CRecord: { fields: [
    { name: 'version', type: 'WORD' },
    { name: 'flags', type: 'DWORD' },
    { name: 'hasTime', type: 'bool' },
    { name: 'note', type: 'CString', when: { field: 'version', ge: 2 } },
    { name: 'bounds', type: 'CRect', when: { field: 'flags', anyBits: 4 } },
    { name: 'scale', type: 'double', when: { field: 'flags', allBits: 3 } },
    { name: 'when', type: 'CTime', when: { field: 'hasTime', eq: true } },
    { name: 'legacy', type: 'BYTE', when: { field: 'version', in: [1, 3] } },
    { name: 'pad', type: 'WORD', when: { not: { all: [{ field: 'version', gt: 2 }, { field: 'hasTime', eq: true }] } } },
  ] } } }, 'CRecord');

  it('version 1, no flags: only the legacy byte and the pad follow; absent fields are left out', () => {
    golden(c, { version: 1, flags: 0, hasTime: false, legacy: 9, pad: 0 }, '01 00  00 00 00 00  00  09  00 00');
  });

  it('version 3 with every flag and a time: everything but the pad', () => {
    const value = {
      version: 3, flags: 7, hasTime: true, note: 'n', bounds: { left: 1, top: 2, right: 3, bottom: 4 }, scale: 1,
      when: '2019-10-03T14:47:55Z', legacy: 0,
    };
    golden(c, value, '03 00  07 00 00 00  01  01 6E  01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00  00 00 00 00 00 00 F0 3F  0A 00 00 80 1B 0A 96 5D 00 00 00 00  00');
  });

  it('a bool condition follows MFC: any non-zero byte is true', () => {
    expect(c.decode(bytes('02 00  00 00 00 00  05  00  0A 00 00 80 1B 0A 96 5D 00 00 00 00  00 00'))).toStrictEqual({
      version: 2, flags: 0, hasTime: 5, note: '', when: '2019-10-03T14:47:55Z', pad: 0,
    });
  });

  it('encode refuses a field whose condition is false and requires one whose condition holds', () => {
    const err = expectError(() => c.encode({ version: 1, flags: 0, hasTime: false, note: 'x', legacy: 9, pad: 0 }), 'VALIDATION', { path: '/note' });
    expect(err.message).toContain('version >= 2');
    expectError(() => c.encode({ version: 2, flags: 0, hasTime: false, pad: 0 }), 'VALIDATION', { path: '/note' });
  });

  it('ne, lt, le and 64-bit operands; a condition on an absent field is false', () => {
    const t = declared({ types: { T: { fields: [
      { name: 'a', type: 'short' },
      { name: 'big', type: 'LONGLONG' },
      { name: 'opt', type: 'BYTE', when: { field: 'a', ne: 0 } },
      { name: 'low', type: 'BYTE', when: { field: 'a', lt: -1 } },
      { name: 'le', type: 'BYTE', when: { field: 'a', le: -1 } },
      { name: 'huge', type: 'BYTE', when: { field: 'big', gt: '9007199254740993' } },
      { name: 'onOpt', type: 'BYTE', when: { field: 'opt', eq: 1 } },
      { name: 'offOpt', type: 'BYTE', when: { not: { field: 'opt', ge: 0 } } },
    ] } } }, 'T');
    golden(t, { a: 0, big: '9007199254740993', offOpt: 4 }, '00 00  01 00 00 00 00 00 20 00  04');
    golden(t, { a: -2, big: '9007199254740994', opt: 1, low: 2, le: 3, huge: 5, onOpt: 6 }, 'FE FF  02 00 00 00 00 00 20 00  01 02 03 05 06');
  });

  it('a 64-bit operand past 2^53 is a decimal string: a JSON number there is refused, not rounded', () => {
    const file = (when: Record<string, unknown>) => ({ types: { T: { fields: [{ name: 'big', type: 'ULONGLONG' }, { name: 'x', type: 'BYTE', when: { field: 'big', ...when } }] } } });
    // 9007199254740993 as a JSON number is 9007199254740992: the condition would test another value.
    for (const when of [{ eq: 2 ** 53 + 2 }, { in: [1, 2 ** 60] }, { allBits: 2 ** 60 }]) {
      const op = Object.keys(when)[0]!;
      const err = expectError(() => declared(file(when), 'T'), 'TYPE_FILE');
      expect(String(err.details.path)).toMatch(new RegExp(`^/types/T/fields/1/when/${op}`));
      expect(err.message).toContain('decimal string');
    }
    const t = declared(file({ eq: '9007199254740993' }), 'T');
    golden(t, { big: '9007199254740993', x: 1 }, '01 00 00 00 00 00 20 00  01');
    golden(t, { big: '9007199254740992' }, '00 00 00 00 00 00 20 00');
  });

  it('bit masks may be decimal strings (64-bit masks past 2^53), within the field\'s bits', () => {
    const file = (type: string, mask: Record<string, unknown>) => ({ types: { T: { fields: [{ name: 'f', type }, { name: 'x', type: 'BYTE', when: { field: 'f', ...mask } }] } } });
    const t = declared(file('ULONGLONG', { allBits: '9223372036854775809' }), 'T'); // bits 63 and 0
    golden(t, { f: '18446744073709551615', x: 1 }, 'FF FF FF FF FF FF FF FF  01');
    golden(t, { f: '9223372036854775808' }, '00 00 00 00 00 00 00 80');
    const a = declared(file('DWORD', { anyBits: '2147483648' }), 'T');
    golden(a, { f: 0x80000000, x: 2 }, '00 00 00 80  02');
    expectError(() => declared(file('ULONGLONG', { allBits: '18446744073709551616' }), 'T'), 'TYPE_FILE', { path: '/types/T/fields/1/when/allBits' });
    expectError(() => declared(file('DWORD', { anyBits: '4294967296' }), 'T'), 'TYPE_FILE', { path: '/types/T/fields/1/when/anyBits' });
  });
});

describe('{"schema": …}: the schema read from the class tag (GetObjectSchema)', () => {
  // IMPLEMENT_SERIAL(CContact, CObject, VERSIONABLE_SCHEMA | 2)
  // void CContact::Serialize(CArchive& ar) {
  //   if (ar.IsStoring()) ar << m_strName << m_strEmail;
  //   else { UINT n = ar.GetObjectSchema(); ar >> m_strName; if (n >= 2) ar >> m_strEmail; }
  // }
  // CBook::Serialize: ar << m_pOwner;
  const file = { types: {
    CContact: { class: 'CContact', schema: 2, versionable: true, fields: [
      { name: 'name', type: 'CString' },
      { name: 'email', type: 'CString', when: { schema: { ge: 2 } } },
    ] },
    Book: { fields: [{ name: 'owner', type: { object: 'CContact' } }] },
  } };
  const book = declared(file, 'Book');

  it('schema 2 (the class\'s own) writes the e-mail', () => {
    golden(book, { owner: { $class: 'CContact', $id: 2, name: 'Ann', email: 'a@x' } }, 'FF FF 02 00 08 00 43 43 6F 6E 74 61 63 74  03 41 6E 6E  03 61 40 78');
  });

  it('an object stored by schema 1 decodes without it (and re-encodes the same)', () => {
    golden(book, { owner: { $class: 'CContact', $id: 2, $schema: 1, name: 'Ann' } }, 'FF FF 01 00 08 00 43 43 6F 6E 74 61 63 74  03 41 6E 6E');
  });

  it('a later object of the class has the schema its descriptor carried (written once per archive)', () => {
    const pair = declared({ types: { ...file.types, Pair: { fields: [{ name: 'a', type: { object: 'CContact' } }, { name: 'b', type: { object: 'CContact' } }] } } }, 'Pair');
    const spaced = 'FF FF 01 00 08 00 43 43 6F 6E 74 61 63 74  01 41  01 80  01 42';
    golden(pair, { a: { $class: 'CContact', $id: 2, $schema: 1, name: 'A' }, b: { $class: 'CContact', $id: 3, $schema: 1, name: 'B' } }, spaced);
    expect(pair.encode({ a: { $schema: 1, name: 'A' }, b: { name: 'B' } }).toString('hex')).toBe(hex(spaced));
    expectError(() => pair.encode({ a: { $schema: 1, name: 'A' }, b: { $schema: 2, name: 'B', email: 'e' } }), 'VALIDATION', { path: '/b/$schema' });
  });

  it('Serialize called directly (no class tag): GetObjectSchema() is (UINT)-1, so >= 2 holds', () => {
    golden(declared(file, 'CContact'), { name: 'Ann', email: 'a@x' }, '03 41 6E 6E  03 61 40 78');
  });
});
