/**
 * Golden bytes of tagged unions (`"switch"`: a kind read first, then what that kind writes) and base
 * classes (`"extends"`: `CBase::Serialize(ar)` called first), SPEC §2 part two, from the C++ a real
 * service writes.
 */
import { describe, expect, it } from 'vitest';
import { bytes, declared, expectError, golden, hex } from './helpers.js';

describe('"switch": ar >> m_nKind; switch (m_nKind) { … }', () => {
  // void CPacket::Serialize(CArchive& ar) {
  //   ar << m_nKind;                                          // BYTE
  //   switch (m_nKind) {
  //   case 1: ar << m_strUser << m_dwSession; break;          // LOGIN
  //   case 2: ar << m_strText; break;                         // CHAT
  //   case 3: ar << (WORD)m_ids.GetSize(); for (…) ar << m_ids[i]; break;
  //   default: break;                                         // BYE and the rest: nothing
  //   }
  //   ar << m_dwSeq;
  // }
  const file = { types: {
    Login: { fields: [{ name: 'user', type: 'CString' }, { name: 'session', type: 'DWORD' }] },
    Nothing: { fields: [] },
    CPacket: { fields: [
      { name: 'kind', type: 'BYTE' },
      { name: 'body', type: { switch: 'kind', cases: { '1': 'Login', '2': 'CString', '3': { list: 'DWORD', count: 'WORD' } }, default: 'Nothing' } },
      { name: 'seq', type: 'DWORD' },
    ] },
  } };
  const packet = declared(file, 'CPacket');

  it('case 1: a declared type', () => {
    golden(packet, { kind: 1, body: { user: 'bob', session: 7 }, seq: 1 }, '01  03 62 6F 62  07 00 00 00  01 00 00 00');
  });

  it('case 2: a primitive; case 3: an expression', () => {
    golden(packet, { kind: 2, body: 'hi', seq: 2 }, '02  02 68 69  02 00 00 00');
    golden(packet, { kind: 3, body: [5, 6], seq: 3 }, '03  02 00  05 00 00 00 06 00 00 00  03 00 00 00');
  });

  it('any other kind: the default (an empty type: nothing on the wire, {} in JSON)', () => {
    golden(packet, { kind: 9, body: {}, seq: 4 }, '09  04 00 00 00');
  });

  it('the value must fit the case its kind chooses', () => {
    expectError(() => packet.encode({ kind: 2, body: { user: 'bob', session: 7 }, seq: 1 }), 'VALIDATION', { path: '/body' });
  });

  it('without a default, an unknown kind is ARCHIVE_DECODE on decode and VALIDATION on encode', () => {
    const strict = declared({ types: { T: { fields: [
      { name: 'kind', type: 'WORD' },
      { name: 'body', type: { switch: 'kind', cases: { '1': 'DWORD' } } },
    ] } } }, 'T');
    golden(strict, { kind: 1, body: 5 }, '01 00  05 00 00 00');
    const err = expectError(() => strict.decode(bytes('07 00  05 00 00 00')), 'ARCHIVE_DECODE', { path: '/body', offset: 2 });
    expect(err.message).toContain('kind = 7');
    expectError(() => strict.encode({ kind: 7, body: 5 }), 'VALIDATION', { path: '/body' });
  });

  it('negative cases, a tag inside an earlier inline struct, a 64-bit tag', () => {
    const t = declared({ types: {
      Head: { fields: [{ name: 'kind', type: 'short' }] },
      T: { fields: [
        { name: 'head', type: 'Head' },
        { name: 'big', type: 'LONGLONG' },
        { name: 'a', type: { switch: 'head.kind', cases: { '-1': 'BYTE', '1': 'WORD' } } },
        { name: 'b', type: { switch: 'big', cases: { '9007199254740993': 'BYTE' }, default: 'WORD' } },
      ] },
    } }, 'T');
    golden(t, { head: { kind: -1 }, big: '9007199254740993', a: 7, b: 8 }, 'FF FF  01 00 00 00 00 00 20 00  07  08');
    golden(t, { head: { kind: 1 }, big: '1', a: 7, b: 8 }, '01 00  01 00 00 00 00 00 00 00  07 00  08 00');
    expect(t.encode({ head: { kind: 1 }, big: 1, a: 7, b: 8 }).toString('hex')).toBe(hex('01 00  01 00 00 00 00 00 00 00  07 00  08 00'));
  });
});

describe('"extends": the base\'s fields first (CShape::Serialize(ar) at the top)', () => {
  // class CShape : public CObject { COLORREF m_cr; CRect m_rc; Serialize: ar << m_cr << m_rc; };
  // class CCircle : public CShape { double m_r; Serialize: CShape::Serialize(ar); ar << m_r; };
  // class CRing : public CCircle { double m_inner; Serialize: CCircle::Serialize(ar); ar << m_inner; };
  // CDrawing::Serialize: ar << m_shapes (CObArray)
  const file = { types: {
    CShape: { class: 'CShape', fields: [{ name: 'color', type: 'DWORD' }, { name: 'bounds', type: 'CRect' }] },
    CCircle: { class: 'CCircle', extends: 'CShape', fields: [{ name: 'r', type: 'double' }] },
    CRing: { class: 'CRing', schema: 3, extends: 'CCircle', fields: [{ name: 'inner', type: 'double' }] },
    Drawing: { fields: [{ name: 'shapes', type: { list: { object: ['CCircle', 'CRing'] } } }] },
  } };
  const rect = { left: 0, top: 0, right: 10, bottom: 10 };
  const rectBytes = '00 00 00 00 00 00 00 00 0A 00 00 00 0A 00 00 00';

  it('a derived object writes its base\'s fields, then its own, in one flat JSON object', () => {
    golden(declared(file, 'Drawing'), {
      shapes: [
        { $class: 'CCircle', $id: 2, color: 0xff, bounds: rect, r: 1 },
        { $class: 'CRing', $id: 4, color: 0, bounds: rect, r: 2, inner: 1 },
      ],
    }, [
      '02 00',
      'FF FF 01 00 07 00 43 43 69 72 63 6C 65', `FF 00 00 00 ${rectBytes}`, '00 00 00 00 00 00 F0 3F',
      'FF FF 03 00 05 00 43 52 69 6E 67', `00 00 00 00 ${rectBytes}`, '00 00 00 00 00 00 00 40', '00 00 00 00 00 00 F0 3F',
    ].join(' '));
  });

  it('a base without a class (a helper struct) works the same', () => {
    const c = declared({ types: {
      Header: { fields: [{ name: 'size', type: 'DWORD' }, { name: 'type', type: 'WORD' }] },
      Msg: { extends: 'Header', fields: [{ name: 'text', type: 'CString' }] },
    } }, 'Msg');
    golden(c, { size: 7, type: 2, text: 'a' }, '07 00 00 00  02 00  01 61');
  });

  it('a field of the derived type may read a field of the base (here: its count)', () => {
    const c = declared({ types: {
      Base: { fields: [{ name: 'n', type: 'BYTE' }] },
      Derived: { extends: 'Base', fields: [{ name: 'items', type: { list: 'WORD', countField: 'n' } }] },
    } }, 'Derived');
    golden(c, { n: 2, items: [1, 2] }, '02  01 00 02 00');
  });
});
