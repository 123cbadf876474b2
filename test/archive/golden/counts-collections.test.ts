/**
 * Golden bytes of WriteCount / ReadCount (format §3.1), the MFC collection classes (§3.2), the
 * template collections (§3.3) and the §4.4 CStringList example. Maps are arrays of [key, value]
 * pairs in stream order, byte arrays base64 (SPEC §2).
 */
import { describe, expect, it } from 'vitest';
import { TypeRegistry, type TypeExpr } from '../../../src/archive/index.js';
import { adHoc, expectError, fill, golden } from './helpers.js';

const b64 = (hexBytes: string) => Buffer.from(hexBytes, 'hex').toString('base64');

describe('format §3.1 WriteCount thresholds', () => {
  // [n, count bytes]: count < 0xFFFF → WORD; otherwise WORD 0xFFFF + DWORD.
  const thresholds = [
    [0, '00 00'],
    [5, '05 00'],
    [0xfffe, 'FE FF'],
    [0xffff, 'FF FF FF FF 00 00'],
    [70000, 'FF FF 70 11 01 00'],
  ] as const;

  it.each(thresholds)('CByteArray of %i bytes → %s + n bytes', (n, count) => {
    const payload = fill('A5', n);
    golden(adHoc('CByteArray'), b64(payload), count + payload);
  });

  it.each(thresholds)('CWordArray of %i WORDs → %s + n × 2 bytes', (n, count) => {
    golden(adHoc('CWordArray'), Array.from({ length: n }, () => 0x1234), count + fill('34 12', n));
  });

  it.each(thresholds)('CDWordArray of %i DWORDs → %s + n × 4 bytes', (n, count) => {
    golden(adHoc('CDWordArray'), Array.from({ length: n }, () => 0x12345678), count + fill('78 56 34 12', n));
  });

  it('CByteArray [1..5] → 05 00 01 02 03 04 05 (base64 "AQIDBAU=")', () => {
    golden(adHoc('CByteArray'), 'AQIDBAU=', '05 00 01 02 03 04 05');
  });

  it('the count of a template list uses the same thresholds (CArray<WORD>)', () => {
    golden(adHoc({ list: 'WORD' }), Array.from({ length: 0xffff }, () => 7), 'FF FF FF FF 00 00' + fill('07 00', 0xffff));
  });
});

describe('format §3.2 collection layouts', () => {
  it.each([
    ['CStringArray', ['a', 'bc'], '02 00  01 61  02 62 63'],
    ['CStringArray', [], '00 00'],
    ['CStringList', ['a', 'bc'], '02 00  01 61  02 62 63'], // head → tail
    ['CStringList', ['', 'é'], '02 00  00  01 E9'],
    ['CWordArray', [0x1234, 1], '02 00  34 12  01 00'],
    ['CDWordArray', [0x12345678], '01 00  78 56 34 12'],
    ['CMapStringToString', [['k', 'v'], ['key', 'value']], '02 00  01 6B 01 76  03 6B 65 79 05 76 61 6C 75 65'],
    ['CMapStringToString', [], '00 00'],
  ] as const)('%s %j → %s', (type, value, spaced) => {
    golden(adHoc(type), value, spaced);
  });

  it('CStringArray in a Unicode build: count + wide strings', () => {
    golden(adHoc('CStringArray', { profile: { unicode: true } }), ['a'], '01 00  FF FE FF 01 61 00');
  });

  describe('collections of CObject* (WriteObject per element, §4.3)', () => {
    const reg = new TypeRegistry();
    reg.add({
      types: {
        CPt: { class: 'CPt', schema: 1, fields: [{ name: 'x', type: 'LONG' }] },
        Arr: { fields: [{ name: 'items', type: 'CObArray' }] },
        Lst: { fields: [{ name: 'items', type: 'CObList' }] },
        MapSO: { fields: [{ name: 'm', type: 'CMapStringToOb' }] },
        MapWO: { fields: [{ name: 'm', type: 'CMapWordToOb' }] },
      },
    });
    // new class CPt (idx 1) + object (idx 2), NULL, back-reference to 2, object of seen class (idx 3)
    const items = [
      { $class: 'CPt', $id: 2, x: 1 },
      null,
      { $ref: 2 },
      { $class: 'CPt', $id: 3, x: -1 },
    ];
    const itemsHex = '04 00  FF FF 01 00 03 00 43 50 74  01 00 00 00  00 00  02 00  01 80  FF FF FF FF';

    it('CObArray', () => golden(reg.get('Arr'), { items }, itemsHex));
    it('CObList', () => golden(reg.get('Lst'), { items }, itemsHex));

    it('CMapStringToOb: count + (CString key, WriteObject value)', () => {
      golden(
        reg.get('MapSO'),
        { m: [['a', { $class: 'CPt', $id: 2, x: 5 }], ['b', null]] },
        '02 00  01 61  FF FF 01 00 03 00 43 50 74 05 00 00 00  01 62  00 00',
      );
    });

    it('CMapWordToOb: count + (WORD key, WriteObject value)', () => {
      golden(
        reg.get('MapWO'),
        { m: [[7, { $class: 'CPt', $id: 2, x: 5 }], [8, { $ref: 2 }]] },
        '02 00  07 00  FF FF 01 00 03 00 43 50 74 05 00 00 00  08 00  02 00',
      );
    });
  });
});

describe('format §3.3 template collections', () => {
  it.each([
    [{ list: 'LONG' }, [1, -1], '02 00  01 00 00 00  FF FF FF FF'], // CArray<int>: 4 bytes per element
    [{ list: 'CPoint' }, [{ x: 1, y: 2 }], '01 00  01 00 00 00 02 00 00 00'], // CArray<CPoint>: 8
    [{ fixed: 'LONG', length: 3 }, [1, 2, 3], '01 00 00 00 02 00 00 00 03 00 00 00'], // no count
    [{ map: ['CString', 'LONG'] }, [['a', 1], ['b', 2]], '02 00  01 61 01 00 00 00  01 62 02 00 00 00'],
    [{ list: { list: 'BYTE' } }, [[1], []], '02 00  01 00 01  00 00'],
  ] satisfies [TypeExpr, unknown, string][])('%j %j → %s', (expr, value, spaced) => {
    golden(adHoc(expr), value, spaced);
  });

  it('a fixed array of the wrong length is VALIDATION', () => {
    expectError(() => adHoc({ fixed: 'LONG', length: 3 }).encode([1, 2]), 'VALIDATION');
  });
});

describe('format §4.4 CStringList {"a","bc"}', () => {
  it('written with list.Serialize(ar) (a field of a type whose Serialize writes it directly)', () => {
    const reg = new TypeRegistry();
    reg.add({ types: { Msg: { fields: [{ name: 'list', type: 'CStringList' }] } } });
    golden(reg.get('Msg'), { list: ['a', 'bc'] }, '02 00 01 61 02 62 63');
  });

  it('written with ar << &list: class descriptor CStringList, schema 0, then the same bytes', () => {
    const reg = new TypeRegistry();
    reg.add({
      types: {
        StringListObject: { class: 'CStringList', schema: 0, fields: [{ name: 'elements', type: 'CStringList' }] },
        Msg: { fields: [{ name: 'list', type: { object: 'StringListObject' } }] },
      },
    });
    golden(
      reg.get('Msg'),
      { list: { $class: 'CStringList', $id: 2, elements: ['a', 'bc'] } },
      'FF FF 00 00 0B 00 43 53 74 72 69 6E 67 4C 69 73 74  02 00  01 61  02 62 63',
    );
  });
});

describe('format §3.2 non-serializable collection classes are refused in type files', () => {
  it.each(['CUIntArray', 'CPtrArray', 'CPtrList', 'CMapPtrToPtr', 'CMapPtrToWord', 'CMapWordToPtr', 'CMapStringToPtr'])(
    '%s as a field type → TYPE_FILE',
    (name) => {
      const reg = new TypeRegistry();
      const err = expectError(
        () => reg.add({ types: { M: { fields: [{ name: 'v', type: name }] } } }),
        'TYPE_FILE',
        { path: '/types/M/fields/0/type' },
      );
      expect(err.message).toMatch(/not serializable/);
      expect(reg.has('M')).toBe(false); // a file is added whole or not at all
    },
  );

  it('inside a construct too ({"list": "CUIntArray"})', () => {
    expectError(
      () => new TypeRegistry().add({ types: { M: { fields: [{ name: 'v', type: { list: 'CUIntArray' } }] } } }),
      'TYPE_FILE',
    );
  });

  it('as a declared type name', () => {
    expectError(() => new TypeRegistry().add({ types: { CUIntArray: { fields: [] } } }), 'TYPE_FILE');
  });
});

describe('truncated collections: ARCHIVE_DECODE endOfFile', () => {
  it.each([
    ['CByteArray', '05 00 01 02'],
    ['CWordArray', 'FF FF 70 11 01 00 01 00'],
    ['CStringArray', '02 00 01 61'],
    ['CMapStringToString', '01 00 01 6B'],
  ] as const)('%s from %s', (type, spaced) => {
    expectError(() => adHoc(type).decode(Buffer.from(spaced.replace(/ /g, ''), 'hex')), 'ARCHIVE_DECODE', {
      archiveCause: 'endOfFile',
    });
  });
});
