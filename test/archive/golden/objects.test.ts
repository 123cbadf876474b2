/**
 * Golden bytes of CObject* fields (WriteObject / ReadObject): format document §4.1 (tags), §4.2 (one
 * index counter shared by classes and objects, from 1, pre-order), §4.3 (encodings and the reader's
 * checks), §4.4 (worked examples, big-index escapes). JSON (SPEC §2): objects carry "$class" and
 * "$id" (the archive's map index), back-references are {"$ref": n}, NULL is null.
 */
import { describe, expect, it } from 'vitest';
import { LoadState, StoreState, TypeRegistry } from '../../../src/archive/index.js';
import { bytes, expectError, fill, golden, hex } from './helpers.js';

const ascii = (s: string) => Buffer.from(s, 'latin1').toString('hex');

function myMsgRegistry(): TypeRegistry {
  const reg = new TypeRegistry();
  reg.add({
    types: {
      // IMPLEMENT_SERIAL(CMyMsg, CObject, 1); Serialize writes DWORD m_id, CString m_text (§4.4)
      CMyMsg: {
        class: 'CMyMsg',
        schema: 1,
        fields: [{ name: 'm_id', type: 'DWORD' }, { name: 'm_text', type: 'CString' }],
      },
      Four: {
        fields: ['a', 'b', 'c', 'd'].map((name) => ({ name, type: { object: 'CMyMsg' } })),
      },
    },
  });
  return reg;
}

// §4.4, the four `ar << p` lines of the CMyMsg example
const PA = 'FF FF  01 00  06 00  43 4D 79 4D 73 67   78 56 34 12   02 48 69'; // new class idx 1 + object idx 2
const PB = '01 80  01 00 00 00  00'; // object of seen class 1 (idx 3), id=1, text ""
const REF_A = '02 00'; // back-reference to idx 2
const NULL = '00 00';

describe('format §4.4 CMyMsg worked example (schema 1, ANSI build)', () => {
  const reg = myMsgRegistry();

  it('new class + object, object of a seen class, back-reference, NULL — in one archive', () => {
    golden(
      reg.get('Four'),
      {
        a: { $class: 'CMyMsg', $id: 2, m_id: 0x12345678, m_text: 'Hi' },
        b: { $class: 'CMyMsg', $id: 3, m_id: 1, m_text: '' },
        c: { $ref: 2 },
        d: null,
      },
      `${PA} ${PB} ${REF_A} ${NULL}`,
    );
  });

  it('the same object twice (by identity, as MFC keys by address) is written as a back-reference', () => {
    const pA = { m_id: 0x12345678, m_text: 'Hi' };
    const pB = { m_id: 1, m_text: '' };
    expect(reg.get('Four').encode({ a: pA, b: pB, c: pA, d: null }).toString('hex')).toBe(hex(`${PA} ${PB} ${REF_A} ${NULL}`));
  });

  it('a connection-long archive: StoreState / LoadState reused across messages keep the indices', () => {
    const codec = reg.codecFor({ object: 'CMyMsg' });
    const store = new StoreState();
    const pA = { m_id: 0x12345678, m_text: 'Hi' };
    expect(codec.encode(pA, store).toString('hex')).toBe(hex(PA));
    expect(codec.encode({ m_id: 1, m_text: '' }, store).toString('hex')).toBe(hex(PB));
    expect(codec.encode(pA, store).toString('hex')).toBe(hex(REF_A));
    expect(codec.encode({ $ref: 2 }, store).toString('hex')).toBe(hex(REF_A));
    expect(codec.encode(null, store).toString('hex')).toBe(hex(NULL));

    const load = new LoadState();
    expect(codec.decode(bytes(PA), load)).toStrictEqual({ $class: 'CMyMsg', $id: 2, m_id: 0x12345678, m_text: 'Hi' });
    expect(codec.decode(bytes(PB), load)).toStrictEqual({ $class: 'CMyMsg', $id: 3, m_id: 1, m_text: '' });
    expect(codec.decode(bytes(REF_A), load)).toStrictEqual({ $ref: 2 });
    expect(codec.decode(bytes(NULL), load)).toBeNull();
  });

  it('a per-message archive: without state every message starts at index 1 again', () => {
    const codec = reg.codecFor({ object: 'CMyMsg' });
    const value = { $class: 'CMyMsg', $id: 2, m_id: 0x12345678, m_text: 'Hi' };
    golden(codec, value, PA);
    golden(codec, value, PA);
  });

  it('a Unicode build writes the same tags; only the CString payload is wide', () => {
    const uni = new TypeRegistry();
    uni.add({
      profile: { unicode: true },
      types: {
        CMyMsg: { class: 'CMyMsg', schema: 1, fields: [{ name: 'm_id', type: 'DWORD' }, { name: 'm_text', type: 'CString' }] },
      },
    });
    golden(
      uni.codecFor({ object: 'CMyMsg' }),
      { $class: 'CMyMsg', $id: 2, m_id: 0x12345678, m_text: 'Hi' },
      'FF FF 01 00 06 00 43 4D 79 4D 73 67  78 56 34 12  FF FE FF 02 48 00 69 00',
    );
  });
});

describe('format §4.4 CNode cycle A(1) → B(2) → A', () => {
  const reg = new TypeRegistry();
  reg.add({
    types: {
      CNode: {
        class: 'CNode',
        schema: 1,
        fields: [{ name: 'value', type: 'int' }, { name: 'next', type: { object: 'CNode' } }],
      },
      Root: { fields: [{ name: 'head', type: { object: 'CNode' } }] },
    },
  });
  const GOLDEN = 'FF FF 01 00 05 00 43 4E 6F 64 65   01 00 00 00   01 80   02 00 00 00   02 00';

  it('$id / $ref JSON ↔ bytes', () => {
    golden(
      reg.get('Root'),
      { head: { $class: 'CNode', $id: 2, value: 1, next: { $class: 'CNode', $id: 3, value: 2, next: { $ref: 2 } } } },
      GOLDEN,
    );
  });

  it('a real JavaScript cycle encodes to the same bytes', () => {
    const a: Record<string, unknown> = { value: 1 };
    const b = { value: 2, next: a };
    a.next = b;
    expect(reg.get('Root').encode({ head: a }).toString('hex')).toBe(hex(GOLDEN));
  });
});

describe('polymorphic fields {"object": ["CCircle", "CSquare"]} (SPEC §2 example classes)', () => {
  const reg = new TypeRegistry();
  reg.add({
    types: {
      CCircle: { class: 'CCircle', schema: 1, fields: [{ name: 'r', type: 'double' }] },
      CSquare: { class: 'CSquare', schema: 2, versionable: true, fields: [{ name: 'side', type: 'LONG' }] },
      COther: { class: 'COther', schema: 1, fields: [] },
      Shapes: { fields: [{ name: 'shapes', type: { list: { object: ['CCircle', 'CSquare'] } } }] },
      Pair: {
        fields: [
          { name: 'circle', type: { object: 'CCircle' } },
          { name: 'square', type: { object: 'CSquare' } },
        ],
      },
    },
  });
  const CIRCLE = `FF FF 01 00 07 00 ${ascii('CCircle')}`;
  const SQUARE2 = `FF FF 02 00 07 00 ${ascii('CSquare')}`;

  it('classes and objects share one counter; a seen class is a class tag', () => {
    golden(
      reg.get('Shapes'),
      {
        shapes: [
          { $class: 'CCircle', $id: 2, r: 1 }, // class CCircle = 1, object 2
          { $class: 'CSquare', $id: 4, side: 2 }, // class CSquare = 3, object 4
          { $class: 'CCircle', $id: 5, r: 2 }, // class tag 0x8001, object 5
          null,
          { $ref: 4 },
        ],
      },
      `05 00  ${CIRCLE} 00 00 00 00 00 00 F0 3F  ${SQUARE2} 02 00 00 00  01 80 00 00 00 00 00 00 00 40  00 00  04 00`,
    );
  });

  it('an object\'s keys are its fields and "$class", "$id", "$schema": any other is VALIDATION at its name', () => {
    const pair = reg.get('Pair');
    const one = pair.encode({ circle: { $class: 'CCircle', r: 1 }, square: null });
    expect(pair.encode({ circle: { $class: 'CCircle', $id: 1, r: 1 }, square: null })).toEqual(one);
    expect(pair.encode({ circle: { r: 1 }, square: null })).toEqual(one);
    pair.encode({ circle: null, square: { $class: 'CSquare', $id: 1, $schema: 2, side: 2 } });
    for (const circle of [{ $class: 'CCircle', r: 1, zz: 1 }, { $class: 'CCircle', $id: 1, r: 1, zz: 1 }, { $class: 'CCircle', $nope: 1, r: 1 }]) {
      const key = Object.keys(circle).find((k) => !['$class', '$id', 'r'].includes(k))!;
      expectError(() => pair.encode({ circle, square: null }), 'VALIDATION', { path: `/circle/${key}` });
    }
  });

  it('encoding needs "$class" to choose between several classes', () => {
    expectError(() => reg.get('Shapes').encode({ shapes: [{ r: 1 }] }), 'VALIDATION', { path: '/shapes/0' });
  });

  it('a class that is not allowed in the field is VALIDATION on encode', () => {
    expectError(() => reg.get('Shapes').encode({ shapes: [{ $class: 'COther' }] }), 'VALIDATION', {
      path: '/shapes/0/$class',
    });
  });

  it('a declared class that is not allowed in the field is badClass on decode', () => {
    expectError(
      () => reg.get('Shapes').decode(bytes(`01 00  FF FF 01 00 06 00 ${ascii('COther')}`)),
      'ARCHIVE_DECODE',
      { archiveCause: 'badClass' },
    );
  });

  it('a back-reference to an object of the wrong class is badClass (typed ar >> pFoo, §4.3)', () => {
    // circle = new CCircle (class 1, object 2); square = back-reference to object 2, a CCircle
    expectError(
      () => reg.get('Pair').decode(bytes(`${CIRCLE} 00 00 00 00 00 00 F0 3F  02 00`)),
      'ARCHIVE_DECODE',
      { archiveCause: 'badClass' },
    );
  });

  it('VERSIONABLE_SCHEMA: another stored schema is accepted and reported as "$schema"', () => {
    golden(
      reg.get('Pair'),
      { circle: null, square: { $class: 'CSquare', $id: 2, $schema: 1, side: 7 } },
      `00 00  FF FF 01 00 07 00 ${ascii('CSquare')} 07 00 00 00`,
    );
  });

  it('a non-versionable class with another stored schema is badSchema', () => {
    expectError(
      () => reg.get('Pair').decode(bytes(`FF FF 02 00 07 00 ${ascii('CCircle')} 00 00 00 00 00 00 F0 3F  00 00`)),
      'ARCHIVE_DECODE',
      { archiveCause: 'badSchema', offset: 0 },
    );
  });
});

describe('format §4.3 reader errors', () => {
  const reg = myMsgRegistry();
  const four = reg.get('Four');
  const one = reg.codecFor({ object: 'CMyMsg' });

  it('unknown class name → badClass', () => {
    expectError(() => one.decode(bytes(`FF FF 01 00 06 00 ${ascii('CMyMsX')} 78 56 34 12 02 48 69`)), 'ARCHIVE_DECODE', {
      archiveCause: 'badClass',
      offset: 0,
    });
  });

  it('class names are case-sensitive (lstrcmpA) → badClass', () => {
    expectError(() => one.decode(bytes(`FF FF 01 00 06 00 ${ascii('cmymsg')} 78 56 34 12 02 48 69`)), 'ARCHIVE_DECODE', {
      archiveCause: 'badClass',
    });
  });

  it('a class name of 64 bytes or more → badClass', () => {
    expectError(() => one.decode(bytes(`FF FF 01 00 40 00 ${fill('41', 64)}`)), 'ARCHIVE_DECODE', {
      archiveCause: 'badClass',
      offset: 0,
    });
    expectError(() => one.decode(bytes(`FF FF 01 00 00 01 ${fill('41', 256)}`)), 'ARCHIVE_DECODE', {
      archiveCause: 'badClass',
    });
  });

  it('a class name of 63 bytes is the longest allowed', () => {
    const name = `C${'x'.repeat(62)}`;
    const r = new TypeRegistry();
    r.add({ types: { Long: { class: name, schema: 3, fields: [] } } });
    golden(r.codecFor({ object: 'Long' }), { $class: name, $id: 2 }, `FF FF 03 00 3F 00 ${ascii(name)}`);
  });

  it('a type file declaring a class name of 64 bytes is refused (TYPE_FILE)', () => {
    expectError(
      () => new TypeRegistry().add({ types: { Long: { class: `C${'x'.repeat(63)}`, fields: [] } } }),
      'TYPE_FILE',
    );
  });

  it('schema mismatch on a non-versionable class → badSchema', () => {
    expectError(() => one.decode(bytes(`FF FF 02 00 06 00 ${ascii('CMyMsg')} 78 56 34 12 02 48 69`)), 'ARCHIVE_DECODE', {
      archiveCause: 'badSchema',
    });
  });

  it.each([
    ['back-reference to an index not loaded yet', '02 00'],
    ['back-reference past the last index', `${PA}  00 00  05 00  00 00`],
    ['class tag for an index not loaded yet', '01 80 01 00 00 00 00'],
    ['class tag 0x8000 (index 0)', '00 80 01 00 00 00 00'],
    ['big back-reference to an index not loaded yet', 'FF 7F 40 9C 00 00'],
    ['big class tag for an index not loaded yet', 'FF 7F 40 9C 00 80'],
    // MFC 9.0+ (default profile 14) check the kind of each index
    ['back-reference to a class index (MFC 9+)', `${PA}  01 00  00 00  00 00`],
    ['class tag for an object index (MFC 9+)', `${PA}  02 80 01 00 00 00 00  00 00  00 00`],
  ])('%s → badIndex', (_what, spaced) => {
    const codec = spaced.length > 20 ? four : one;
    expectError(() => codec.decode(bytes(spaced)), 'ARCHIVE_DECODE', { archiveCause: 'badIndex' });
  });

  it.each([
    ['inside the class descriptor', 'FF FF 01 00 06 00 43 4D 79'],
    ['inside the object', 'FF FF 01 00 06 00 43 4D 79 4D 73 67 78 56'],
    ['inside the string', 'FF FF 01 00 06 00 43 4D 79 4D 73 67 78 56 34 12 02 48'],
    ['inside a tag', 'FF'],
    ['inside a big tag', 'FF 7F 40 9C'],
  ])('truncated %s → endOfFile', (_what, spaced) => {
    expectError(() => one.decode(bytes(spaced)), 'ARCHIVE_DECODE', { archiveCause: 'endOfFile' });
  });

  it('a failed decode leaves a reused LoadState as it was', () => {
    const load = new LoadState();
    expect(() => one.decode(bytes(`${PA.slice(0, -6)}`), load)).toThrow();
    expect(one.decode(bytes(PA), load)).toMatchObject({ $id: 2 });
  });

  it('a {"$ref"} to no object written before is VALIDATION on encode', () => {
    expectError(() => four.encode({ a: { $ref: 5 }, b: null, c: null, d: null }), 'VALIDATION', { path: '/a/$ref' });
  });
});

describe('format §4.3/§4.4 big indices: the 0x7FFF escape', () => {
  const reg = new TypeRegistry();
  reg.add({
    types: {
      CE: { class: 'CE', schema: 1, fields: [] },
      CF: { class: 'CF', schema: 1, fields: [] },
    },
  });
  const list = reg.codecFor({ list: { object: ['CE', 'CF'] } });
  const one = reg.codecFor({ object: ['CE', 'CF'] });
  const NEW_CE = `FF FF 01 00 02 00 ${ascii('CE')}`;
  const NEW_CF = `FF FF 01 00 02 00 ${ascii('CF')}`;
  const ce = (id: number) => ({ $class: 'CE', $id: id });

  it('back-reference to 0x7FFE is a WORD; to 0x7FFF it takes the escape FF 7F + DWORD', () => {
    // class CE = 1; 0x7FFE objects get indices 2 … 0x7FFF
    const objects = Array.from({ length: 0x7ffe }, (_, i) => ce(i + 2));
    golden(
      list,
      [...objects, { $ref: 0x7ffe }, { $ref: 0x7fff }],
      `00 80  ${NEW_CE} ${fill('01 80', 0x7ffd)}  FE 7F  FF 7F FF 7F 00 00`,
    );
  });

  it('back-reference to object 40000 → FF 7F 40 9C 00 00 (one message)', () => {
    // class CE = 1; 39999 objects get indices 2 … 40000
    const objects = Array.from({ length: 39999 }, (_, i) => ce(i + 2));
    golden(list, [...objects, { $ref: 40000 }], `40 9C  ${NEW_CE} ${fill('01 80', 39998)}  FF 7F 40 9C 00 00`);
  });

  it('class tag for class 40000 → FF 7F 40 9C 00 80', () => {
    // class CE = 1; 39998 objects 2 … 39999; class CF = 40000, its object 40001; then a CF object 40002
    const objects = Array.from({ length: 39998 }, (_, i) => ce(i + 2));
    golden(
      list,
      [...objects, { $class: 'CF', $id: 40001 }, { $class: 'CF', $id: 40002 }],
      `40 9C  ${NEW_CE} ${fill('01 80', 39997)}  ${NEW_CF}  FF 7F 40 9C 00 80`,
    );
  });

  it('indices persist across messages of one archive: the escape in a later message', () => {
    const objects = Array.from({ length: 39999 }, () => ({ $class: 'CE' }));
    const store = new StoreState();
    const first = list.encode(objects, store);
    expect(first.toString('hex')).toBe(hex(`3F 9C  ${NEW_CE} ${fill('01 80', 39998)}`));
    expect(one.encode(objects[39998], store).toString('hex')).toBe(hex('FF 7F 40 9C 00 00'));
    expect(one.encode({ $class: 'CF' }, store).toString('hex')).toBe(hex(NEW_CF)); // class 40001, object 40002
    expect(one.encode({ $class: 'CF' }, store).toString('hex')).toBe(hex('FF 7F 41 9C 00 80'));

    const load = new LoadState();
    const decoded = list.decode(first, load) as unknown[];
    expect(decoded[39998]).toStrictEqual(ce(40000));
    expect(one.decode(bytes('FF 7F 40 9C 00 00'), load)).toStrictEqual({ $ref: 40000 });
    expect(one.decode(bytes(NEW_CF), load)).toStrictEqual({ $class: 'CF', $id: 40002 });
    expect(one.decode(bytes('FF 7F 41 9C 00 80'), load)).toStrictEqual({ $class: 'CF', $id: 40003 });
  });
});
