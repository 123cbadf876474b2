/**
 * Golden bytes of SPEC §2 part two, from the C++ a real service writes: counts of any integer
 * width (`ar << (WORD)n` then the elements), counts held by an earlier field (`countField`, dotted
 * into an earlier inline struct), raw blocks (`ar.Write`), pointer-sized integers (format §1.2:
 * 4 bytes on Win32, 8 on Win64) and integers in network order (`htonl`).
 */
import { describe, expect, it } from 'vitest';
import { declared, expectError, golden, hex } from './helpers.js';

const b64 = (spaced: string) => Buffer.from(hex(spaced), 'hex').toString('base64');

describe('counts of any width: {"list": T, "count": C}', () => {
  it('WORD: ar << (WORD)m_points.GetSize(); then each CPoint', () => {
    const c = declared({ types: { CPolyline: { fields: [{ name: 'points', type: { list: 'CPoint', count: 'WORD' } }] } } }, 'CPolyline');
    golden(c, { points: [{ x: 1, y: 2 }, { x: 3, y: 4 }] }, '02 00  01 00 00 00 02 00 00 00  03 00 00 00 04 00 00 00');
  });

  it('BYTE: ar << (BYTE)m_tags.GetSize(); then each CString — and 256 tags do not fit', () => {
    const c = declared({ types: { Tags: { fields: [{ name: 'tags', type: { list: 'CString', count: 'BYTE' } }] } } }, 'Tags');
    golden(c, { tags: ['a', 'bc'] }, '02  01 61  02 62 63');
    golden(c, { tags: [] }, '00');
    expectError(() => c.encode({ tags: Array.from({ length: 256 }, () => '') }), 'VALIDATION', { path: '/tags' });
  });

  it('DWORD and int: 4 bytes, whatever the count', () => {
    const c = declared({ types: { T: { fields: [
      { name: 'a', type: { list: 'BYTE', count: 'DWORD' } },
      { name: 'b', type: { list: 'BYTE', count: 'int' } },
    ] } } }, 'T');
    golden(c, { a: [9], b: [] }, '01 00 00 00  09  00 00 00 00');
  });

  it('INT_PTR (ar << m_arr.GetSize()): 4 bytes on Win32, 8 on Win64', () => {
    const file = (win64: boolean) => ({ profile: { win64 }, types: { T: { fields: [{ name: 'v', type: { list: 'WORD', count: 'INT_PTR' } }] } } });
    golden(declared(file(false), 'T'), { v: [7] }, '01 00 00 00  07 00');
    golden(declared(file(true), 'T'), { v: [7] }, '01 00 00 00 00 00 00 00  07 00');
  });

  it('"count" left out means WriteCount, as "WriteCount" says', () => {
    const c = declared({ types: { T: { fields: [{ name: 'a', type: { list: 'WORD' } }, { name: 'b', type: { list: 'WORD', count: 'WriteCount' } }] } } }, 'T');
    golden(c, { a: [1], b: [2] }, '01 00 01 00  01 00 02 00');
  });

  it('a map with a BYTE count (a hand-written loop over a CMap)', () => {
    const c = declared({ types: { T: { fields: [{ name: 'm', type: { map: ['WORD', 'CString'], count: 'BYTE' } }] } } }, 'T');
    golden(c, { m: [[1, 'a']] }, '01  01 00  01 61');
  });
});

describe('counts from an earlier field: "countField"', () => {
  // void CChatPacket::Serialize(CArchive& ar) {
  //   ar << m_nLines;                 // WORD
  //   ar << m_strFrom;
  //   for (int i = 0; i < m_nLines; i++) ar << m_lines[i];
  // }
  const chat = declared({ types: { CChatPacket: { fields: [
    { name: 'nLines', type: 'WORD' },
    { name: 'from', type: 'CString' },
    { name: 'lines', type: { list: 'CString', countField: 'nLines' } },
  ] } } }, 'CChatPacket');
  const bytes = '02 00  03 61 6E 6E  02 68 69  02 79 6F';

  it('decodes the count from the field and the elements after the field between', () => {
    golden(chat, { nLines: 2, from: 'ann', lines: ['hi', 'yo'] }, bytes);
  });

  it('on encode the count field may be left out (it is filled in) or must equal the length', () => {
    expect(chat.encode({ from: 'ann', lines: ['hi', 'yo'] }).toString('hex')).toBe(hex(bytes));
    const err = expectError(() => chat.encode({ nLines: 3, from: 'ann', lines: ['hi', 'yo'] }), 'VALIDATION', { path: '/lines' });
    expect(err.message).toContain('"nLines"');
    expectError(() => chat.encode({ from: 'ann', lines: 'hi' }), 'VALIDATION', { path: '/nLines' });
  });

  it('reaches into an earlier inline struct with a dotted path', () => {
    // struct HEADER { DWORD dwMagic; WORD wCount; };  ar << m_hdr.dwMagic << m_hdr.wCount;
    // ar << m_strName; for (i = 0; i < m_hdr.wCount; i++) ar << m_values[i];   // LONG
    const c = declared({ types: {
      Header: { fields: [{ name: 'magic', type: 'DWORD' }, { name: 'count', type: 'WORD' }] },
      Sample: { fields: [
        { name: 'hdr', type: 'Header' },
        { name: 'name', type: 'CString' },
        { name: 'values', type: { list: 'LONG', countField: 'hdr.count' } },
      ] },
    } }, 'Sample');
    const spaced = 'EF BE AD DE  02 00  01 78  FF FF FF FF  01 00 00 00';
    golden(c, { hdr: { magic: 0xdeadbeef, count: 2 }, name: 'x', values: [-1, 1] }, spaced);
    expect(c.encode({ hdr: { magic: 0xdeadbeef }, name: 'x', values: [-1, 1] }).toString('hex')).toBe(hex(spaced));
    expectError(() => c.encode({ hdr: { magic: 0xdeadbeef, count: 1 }, name: 'x', values: [-1, 1] }), 'VALIDATION', { path: '/values' });
  });

  it('a count of a signed field holding -1 is a broken message, not an empty list', () => {
    const c = declared({ types: { T: { fields: [{ name: 'n', type: 'int' }, { name: 'v', type: { list: 'BYTE', countField: 'n' } }] } } }, 'T');
    expectError(() => c.decode(Buffer.from(hex('FF FF FF FF'), 'hex')), 'ARCHIVE_DECODE', { path: '/v', offset: 4 });
  });
});

describe('raw blocks: {"bytes": …}, base64 in JSON', () => {
  it('{"bytes": 6}: ar.Write(m_mac, 6)', () => {
    const c = declared({ types: { T: { fields: [{ name: 'mac', type: { bytes: 6 } }, { name: 'port', type: 'WORD' }] } } }, 'T');
    golden(c, { mac: b64('00 1A 2B 3C 4D 5E'), port: 80 }, '00 1A 2B 3C 4D 5E  50 00');
    expectError(() => c.encode({ mac: b64('00 1A'), port: 80 }), 'VALIDATION', { path: '/mac' });
  });

  it('{"bytes": {"count": "DWORD"}}: ar << (DWORD)m_cbData; ar.Write(m_pData, m_cbData)', () => {
    const c = declared({ types: { T: { fields: [{ name: 'data', type: { bytes: { count: 'DWORD' } } }] } } }, 'T');
    golden(c, { data: b64('01 02 03') }, '03 00 00 00  01 02 03');
  });

  it('{"bytes": {"countField": "len"}}: ar << m_nLen << m_wFlags; ar.Write(m_buf, m_nLen)', () => {
    const c = declared({ types: { T: { fields: [
      { name: 'len', type: 'WORD' },
      { name: 'flags', type: 'WORD' },
      { name: 'buf', type: { bytes: { countField: 'len' } } },
    ] } } }, 'T');
    golden(c, { len: 2, flags: 1, buf: b64('AB CD') }, '02 00  01 00  AB CD');
    expect(c.encode({ flags: 1, buf: b64('AB CD') }).toString('hex')).toBe(hex('02 00 01 00 AB CD'));
    expectError(() => c.encode({ len: 3, flags: 1, buf: b64('AB CD') }), 'VALIDATION', { path: '/buf' });
  });

  it('{"bytes": {"count": "WriteCount"}} is CByteArray', () => {
    const c = declared({ types: { T: { fields: [{ name: 'b', type: { bytes: { count: 'WriteCount' } } }] } } }, 'T');
    golden(c, { b: b64('07') }, '01 00 07');
  });

  it('{"list": {"bytes": 8}}: CArray<SAMPLE> serializes raw 8-byte structs (format §3.3)', () => {
    const c = declared({ types: { T: { fields: [{ name: 'samples', type: { list: { bytes: 8 } } }] } } }, 'T');
    golden(c, { samples: [b64('41 00 00 00 05 00 00 00')] }, '01 00  41 00 00 00 05 00 00 00');
  });
});

describe('pointer-sized integers: 4 bytes on Win32, 8 on Win64 (format §1.2)', () => {
  const names = ['INT_PTR', 'UINT_PTR', 'LONG_PTR', 'ULONG_PTR', 'DWORD_PTR', 'size_t', 'SSIZE_T'];
  const file = (win64: boolean) => ({ profile: { win64 }, types: { T: { fields: names.map((n) => ({ name: n, type: n })) } } });

  it('Win32: each is an int or UINT of 4 bytes, a JSON number', () => {
    const value = Object.fromEntries(names.map((n) => [n, 5]));
    golden(declared(file(false), 'T'), value, '05 00 00 00 '.repeat(names.length));
  });

  it('Win64: each is 8 bytes, a decimal string as 64-bit integers are', () => {
    const value = Object.fromEntries(names.map((n) => [n, '5']));
    golden(declared(file(true), 'T'), value, '05 00 00 00 00 00 00 00 '.repeat(names.length));
    const signed = declared({ profile: { win64: true }, types: { T: { fields: [{ name: 'v', type: 'SSIZE_T' }] } } }, 'T');
    golden(signed, { v: '-2' }, 'FE FF FF FF FF FF FF FF');
  });
});

describe('"byteOrder": "big" (values written after htonl / htons)', () => {
  it('ar << (DWORD)htonl(m_dwSeq) << (WORD)htons(m_wPort) << (int)htonl(m_nDelta)', () => {
    const c = declared({ types: { T: { fields: [
      { name: 'seq', type: 'DWORD', byteOrder: 'big' },
      { name: 'port', type: 'WORD', byteOrder: 'big' },
      { name: 'delta', type: 'int', byteOrder: 'big' },
      { name: 'little', type: 'DWORD', byteOrder: 'little' },
    ] } } }, 'T');
    golden(c, { seq: 0x01020304, port: 8080, delta: -2, little: 1 }, '01 02 03 04  1F 90  FF FF FF FE  01 00 00 00');
  });

  it('64-bit and pointer-sized fields too', () => {
    const c = declared({ profile: { win64: true }, types: { T: { fields: [
      { name: 'big', type: 'ULONGLONG', byteOrder: 'big' },
      { name: 'ptr', type: 'size_t', byteOrder: 'big' },
    ] } } }, 'T');
    golden(c, { big: '72623859790382856', ptr: '1' }, '01 02 03 04 05 06 07 08  00 00 00 00 00 00 00 01');
  });
});
