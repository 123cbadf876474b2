/**
 * Golden bytes of the fixtures whose drafts need grammar part two (SPEC §2: `when`, `extends`,
 * `const`, `byteOrder`, counts of other widths, raw blocks, `switch`) or the `"todo"` field
 * property. Bytes are worked out by hand from the C++ and mfc-archive-format.md.
 */
import { describe, expect, it } from 'vitest';
import { draft, expectGolden, hex, load } from './helpers.js';

describe('versioned: a schema-dependent field (VERSIONABLE_SCHEMA | 2)', () => {
  it('an address book of one schema-2 contact', async () => {
    const registry = load(await draft('versioned'));
    const book = { contacts: [{ $class: 'CContact', $id: 2, strName: 'Ann', dwPhone: 5551234, timeAdded: '2019-10-03T14:47:55Z', strEmail: 'a@x' }] };
    expectGolden(registry, 'CAddressBook', book, [
      // m_contacts.Serialize(ar): CTypedPtrArray<CObArray,…> is CObArray: WriteCount(1) (§3.2)
      '01 00',
      // new class: FF FF, schema WORD 2 (the VERSIONABLE_SCHEMA bit is not written, §4.3), length 8, "CContact"
      'FF FF  02 00  08 00  43 43 6F 6E 74 61 63 74',
      // "Ann"; DWORD 5551234 = 0x0054B482
      '03 41 6E 6E  82 B4 54 00',
      // CTime 2019-10-03T14:47:55Z in MFC 14: cTime64Mark 0x8000000A + __int64 0x5D960A1B (§5.1)
      '0A 00 00 80  1B 0A 96 5D 00 00 00 00',
      // schema 2 writes m_strEmail: "a@x"
      '03 61 40 78',
    ].join(' '));
  });

  it('a contact stored by schema 1 decodes without the e-mail (when: schema ge 2), and says which schema it was', async () => {
    const registry = load(await draft('versioned'));
    const bytes = hex('01 00  FF FF 01 00 08 00 43 43 6F 6E 74 61 63 74  03 41 6E 6E  82 B4 54 00  0A 00 00 80 1B 0A 96 5D 00 00 00 00');
    expect(registry.get('CAddressBook').decode(bytes)).toEqual({
      contacts: [{ $class: 'CContact', $id: 2, $schema: 1, strName: 'Ann', dwPhone: 5551234, timeAdded: '2019-10-03T14:47:55Z' }],
    });
  });
});

describe('shapes: a class hierarchy whose base Serialize comes first (extends)', () => {
  it('a drawing whose selection is also its first shape (a back-reference)', async () => {
    const registry = load(await draft('shapes'));
    const drawing = {
      strTitle: 'D',
      pSelected: { $class: 'CCircle', $id: 2, crColor: 0x0000ff, rcBounds: { left: 0, top: 0, right: 10, bottom: 10 }, dRadius: 1 },
      shapes: [
        { $ref: 2 },
        { $class: 'CPolygon', $id: 4, crColor: 0x00ff00, rcBounds: { left: 1, top: 2, right: 3, bottom: 4 }, points: [{ x: 1, y: 2 }], nFill: 7 },
      ],
    };
    expectGolden(registry, 'CDrawing', drawing, [
      // ar << m_strTitle: "D"
      '01 44',
      // ar << m_pSelected: new class CCircle (index 1, schema 1), object index 2 (§4.2, §4.3)
      'FF FF  01 00  07 00  43 43 69 72 63 6C 65',
      // CCircle::Serialize calls CShape::Serialize first: COLORREF 0x0000FF as a DWORD, CRect (0,0,10,10) (§5.4)
      'FF 00 00 00  00 00 00 00 00 00 00 00 0A 00 00 00 0A 00 00 00',
      // then m_dRadius: double 1.0 (§1.3)
      '00 00 00 00 00 00 F0 3F',
      // m_shapes.Serialize(ar): CObArray, WriteCount(2)
      '02 00',
      // the circle again: a back-reference to object 2 (§4.3)
      '02 00',
      // new class CPolygon (index 3, schema 3), object index 4
      'FF FF  03 00  08 00  43 50 6F 6C 79 67 6F 6E',
      // base part: 0x00FF00, CRect (1,2,3,4)
      '00 FF 00 00  01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00',
      // m_points: CArray<POINT>: WriteCount(1), raw POINT (1,2); m_nFill: BYTE 7
      '01 00  01 00 00 00 02 00 00 00  07',
    ].join(' '));
  });
});

describe('awkward: a constant, a raw struct, network order, a switch on a kind, a WORD-count loop', () => {
  const header = hex('10 00 00 00  03 00  01').toString('base64'); // PACKET_HEADER {dwLength 16, wType 3, bFlags 1}
  const sample = hex('41 00 00 00  05 00 00 00').toString('base64'); // SAMPLE {ch 'A', 3 padding bytes (zero here), value 5}

  it('a login packet', async () => {
    const registry = load(await draft('awkward', { classes: ['CNetPacket'] }));
    const packet = { hdr: header, dwSeq: 0x01020304, nKind: 1, nKindBody: { strUser: 'bob', dwSession: 7 }, ids: [1, 2], samples: [sample] };
    expectGolden(registry, 'CNetPacket', packet, [
      // ar << (DWORD)NET_MAGIC: 0x4E455431, little-endian (the JSON may omit a const)
      '31 54 45 4E',
      // ar.Write(&m_hdr, sizeof(m_hdr)): #pragma pack(1) struct of DWORD, WORD, BYTE = 7 bytes, raw
      '10 00 00 00 03 00 01',
      // ar << (DWORD)htonl(m_dwSeq): the value's bytes in network (big-endian) order
      '01 02 03 04',
      // ar << (BYTE)m_nKind; case kindLogin: ar << m_strUser << m_dwSession
      '01  03 62 6F 62  07 00 00 00',
      // ar << (WORD)m_ids.GetSize(); then each DWORD
      '02 00  01 00 00 00  02 00 00 00',
      // m_samples.Serialize(ar): CArray<SAMPLE>: WriteCount(1) + sizeof(SAMPLE) = 8 raw bytes (§3.3, default packing)
      '01 00  41 00 00 00 05 00 00 00',
    ].join(' '));
  });

  it('a chat packet (a case of one CString) and a bye packet (the empty default)', async () => {
    const registry = load(await draft('awkward', { classes: ['CNetPacket'] }));
    const head = '31 54 45 4E  10 00 00 00 03 00 01  00 00 00 09';
    expectGolden(registry, 'CNetPacket', { hdr: header, dwSeq: 9, nKind: 2, nKindBody: 'hi', ids: [], samples: [] }, `${head}  02  02 68 69  00 00  00 00`);
    expectGolden(registry, 'CNetPacket', { hdr: header, dwSeq: 9, nKind: 9, nKindBody: {}, ids: [], samples: [] }, `${head}  09  00 00  00 00`);
  });

  it('COrderRecord from a Unicode build: #ifdef _UNICODE adds a constant WORD 1', async () => {
    const registry = load(await draft('awkward', { classes: ['COrderRecord'], profile: { unicode: true } }));
    const record = { id: 1, status: 1, priority: 0, strCustomer: 'A', quantities: [], dtPlaced: '2000-01-01T00:00:00' };
    // as the ANSI record, but "A" is FF FE FF 01 41 00 (§2.1) and (WORD)1 follows it
    expectGolden(registry, 'COrderRecord', record, '01 00 00 00  01  00 00 00 00  FF FE FF 01 41 00  01 00  00 00  00 00 00 00 00 00 00 00 C0 D5 E1 40');
  });
});

describe('todo: a draft with notes still loads once the grammar accepts "todo"', () => {
  it('CSettings as its storing branch writes it (the loading branch disagrees on m_nTimeout)', async () => {
    const registry = load(await draft('todo', { classes: ['CSettings'] }));
    // "h"; WORD 80; (WORD)m_nTimeout 30; bool true → 01 (MFC 7+, §1.2)
    expectGolden(registry, 'CSettings', { strHost: 'h', wPort: 80, nTimeout: 30, bSecure: true }, '01 68  50 00  1E 00  01');
  });
});
