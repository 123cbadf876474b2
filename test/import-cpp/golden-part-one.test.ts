/**
 * Golden bytes of the fixtures whose drafts need only grammar part one: for each, a value encoded
 * through the drafted type (loaded as is, as `archway encode` would) must equal the bytes the C++
 * writes, worked out by hand below from the C++ and mfc-archive-format.md — never from the
 * importer or the codec.
 */
import { describe, expect, it } from 'vitest';
import { usesPartTwo } from '../../src/import-cpp/draft-type-file.js';
import { draft, expectGolden, hex, load } from './helpers.js';

describe('scribble: a sketch document with a list of strokes of points', () => {
  it('encodes a document of two strokes as CSketchDoc::Serialize writes it', async () => {
    const result = await draft('scribble');
    expect(result.report.todos).toEqual([]);
    const registry = load(result);
    const doc = {
      sizeDoc: { cx: 800, cy: 900 },
      strokeList: [
        { $class: 'CPenStroke', $id: 2, nPenWidth: 2, pointArray: [{ x: 10, y: 20 }, { x: -1, y: 300 }] },
        { $class: 'CPenStroke', $id: 3, nPenWidth: 5, pointArray: [] },
      ],
    };
    expectGolden(registry, 'CSketchDoc', doc, [
      // ar << m_sizeDoc: CSize, two LONGs (format §5.4): 800 = 0x320, 900 = 0x384
      '20 03 00 00  84 03 00 00',
      // m_strokeList.Serialize(ar): CTypedPtrList<CObList,…> is CObList (§3.3): WriteCount(2) (§3.1)
      '02 00',
      // first ar << pStroke: new class (§4.3): FF FF, schema WORD 1, name length 10, "CPenStroke";
      // the class takes index 1, the object index 2 (§4.2)
      'FF FF  01 00  0A 00  43 50 65 6E 53 74 72 6F 6B 65',
      // CPenStroke::Serialize: ar << (WORD)m_nPenWidth → 2 bytes (§1.2)
      '02 00',
      // m_pointArray.Serialize(ar): CArray<CPoint>: WriteCount(2), then raw CPoints (§3.3): (10,20) (-1,300)
      '02 00  0A 00 00 00  14 00 00 00  FF FF FF FF  2C 01 00 00',
      // second stroke: class already seen, index 1 → WORD 0x8001 (§4.3); width 5; no points
      '01 80  05 00  00 00',
    ].join(' '));
  });

  it('encodes one stroke written with ar << pStroke on its own', async () => {
    const registry = load(await draft('scribble'));
    // CPenStroke used inline (Serialize called directly writes no tag, §4.3): width 1, one point (0, 0)
    expectGolden(registry, 'CPenStroke', { nPenWidth: 1, pointArray: [{ x: 0, y: 0 }] }, '01 00  01 00  00 00 00 00  00 00 00 00');
  });
});

describe('chat: the message a chat client and server exchange', () => {
  it('"Hello", not closing, empty backlog: the bytes of format §9.3 (ANSI build)', async () => {
    const registry = load(await draft('chat'));
    // ar << (WORD)m_bClose → 00 00; ar << m_strText → length 5 + "Hello" (§2.1); CStringList count 0 (§3.2)
    expectGolden(registry, 'CChatMsg', { bClose: 0, strText: 'Hello', msgList: [] }, '00 00  05 48 65 6C 6C 6F  00 00');
  });

  it('the same message from a Unicode build: FF FE FF marker and UTF-16 (format §9.3)', async () => {
    const result = await draft('chat', { profile: { unicode: true } });
    expect(result.file.profile).toEqual({ mfc: 14, unicode: true, win64: false });
    expectGolden(load(result), 'CChatMsg', { bClose: 0, strText: 'Hello', msgList: [] }, '00 00  FF FE FF 05 48 00 65 00 6C 00 6C 00 6F 00  00 00');
  });

  it('closing, empty text, a backlog of two lines', async () => {
    const registry = load(await draft('chat'));
    // (WORD)TRUE → 01 00; "" → 00; CStringList: WriteCount(2), "a" → 01 61, "bc" → 02 62 63 (§3.2, head → tail)
    expectGolden(registry, 'CChatMsg', { bClose: 1, strText: '', msgList: ['a', 'bc'] }, '01 00  00  02 00  01 61  02 62 63');
  });
});

describe('awkward: macros, comments, #ifdef, a typedef member, enums', () => {
  it('COrderRecord: typedef → DWORD, enum : BYTE → 1 byte, plain enum → int, #ifdef _UNICODE left out of an ANSI build', async () => {
    const result = await draft('awkward', { classes: ['COrderRecord'] });
    expect(Object.keys(result.file.types)).toEqual(['COrderRecord']);
    expect(result.report.todos).toEqual([]);
    const record = { id: 0x01020304, status: 2, priority: 2, strCustomer: 'ACME', quantities: [1, -2], dtPlaced: '2000-01-01T00:00:00' };
    expectGolden(load(result), 'COrderRecord', record, [
      // ar << m_id: ORDERID is a typedef of DWORD → 4 bytes little-endian (§1.1)
      '04 03 02 01',
      // ar << m_status: enum OrderStatus : BYTE promotes to its underlying BYTE first → 1 byte (statusShipped = 2)
      '02',
      // ar << m_priority: an enum with no fixed type promotes to int → 4 bytes (§1.2; priHigh = 2)
      '02 00 00 00',
      // ar << m_strCustomer: "ACME"
      '04 41 43 4D 45',
      // m_quantities.Serialize(ar): CLongArray = CArray<LONG, LONG>: WriteCount(2) + raw LONGs 1, -2 (§3.3)
      '02 00  01 00 00 00  FE FF FF FF',
      // ar << m_dtPlaced: COleDateTime = LONG status 0 + DATE 36526.0 (§5.2 example)
      '00 00 00 00  00 00 00 00 C0 D5 E1 40',
    ].join(' '));
  });

  it('decodes the golden bytes back to the same record', async () => {
    const registry = load(await draft('awkward', { classes: ['COrderRecord'] }));
    const bytes = hex('04 03 02 01 02 02 00 00 00 04 41 43 4D 45 02 00 01 00 00 00 FE FF FF FF 00 00 00 00 00 00 00 00 C0 D5 E1 40');
    expect(registry.get('COrderRecord').decode(bytes)).toEqual({
      id: 0x01020304, status: 2, priority: 2, strCustomer: 'ACME', quantities: [1, -2], dtPlaced: '2000-01-01T00:00:00',
    });
  });
});

describe('part-one fixtures use part one only', () => {
  it.each([['scribble', undefined], ['chat', undefined], ['awkward', ['COrderRecord']]] as const)('%s', async (name, classes) => {
    const result = await draft(name, classes ? { classes: [...classes] } : {});
    for (const decl of Object.values(result.file.types)) {
      expect(decl.extends).toBeUndefined();
      for (const f of decl.fields) {
        expect(usesPartTwo(f.type), JSON.stringify(f)).toBe(false);
        expect(f.when ?? f.const ?? f.byteOrder ?? f.todo).toBeUndefined();
      }
    }
  });
});
