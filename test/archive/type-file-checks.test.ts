/**
 * What a message-type file is refused for when it loads (SPEC §2 part two), each with the type, the
 * field and the reason in the message and the JSON pointer in `path`: a count, tag or condition
 * naming a later or missing field, a cycle of `extends`, a switch on a non-integer, a schema
 * condition outside an object type — and the shapes `archway import-cpp` drafts, which load.
 */
import { describe, expect, it } from 'vitest';
import { TypeRegistry, type TypeFile } from '../../src/archive/index.js';
import { expectError } from './golden/helpers.js';

function expectRefused(file: unknown, path: string, ...fragments: string[]): string {
  const err = expectError(() => new TypeRegistry().add(file), 'TYPE_FILE', { path });
  for (const f of fragments) expect(err.message).toContain(f);
  return err.message;
}

const field = (name: string, type: unknown, extra: Record<string, unknown> = {}) => ({ name, type, ...extra });

describe('references to earlier fields', () => {
  it('a countField naming a later field, the field itself, or no field', () => {
    expectRefused({ types: { T: { fields: [field('v', { list: 'WORD', countField: 'n' }), field('n', 'WORD')] } } },
      '/types/T/fields/0/type/countField', "type 'T', field 'v'", 'comes after this one');
    expectRefused({ types: { T: { fields: [field('n', { bytes: { countField: 'n' } })] } } }, '/types/T/fields/0/type/bytes/countField', 'this very field');
    expectRefused({ types: { T: { fields: [field('v', { list: 'WORD', countField: 'nope' })] } } },
      '/types/T/fields/0/type/countField', "'nope' is not an earlier field of 'T'");
  });

  it('a dotted path through something that is not an inline struct, or to a missing field of one', () => {
    expectRefused({ types: { T: { fields: [field('a', { list: 'WORD' }), field('v', { list: 'WORD', countField: 'a.n' })] } } },
      '/types/T/fields/1/type/countField', "'a' is not an inline struct");
    expectRefused({ types: { H: { fields: [field('n', 'WORD')] }, T: { fields: [field('h', 'H'), field('v', { list: 'WORD', countField: 'h.m' })] } } },
      '/types/T/fields/1/type/countField', "'m' is not a field of 'h'");
  });

  it('a count or tag that may be absent, or is not an integer', () => {
    expectRefused({ types: { T: { fields: [field('f', 'bool'), field('n', 'WORD', { when: { field: 'f', eq: true } }), field('v', { list: 'WORD', countField: 'n' })] } } },
      '/types/T/fields/2/type/countField', 'has a "when"');
    expectRefused({ types: { T: { fields: [field('s', 'CString'), field('v', { list: 'WORD', countField: 's' })] } } },
      '/types/T/fields/1/type/countField', 'must name an integer field, not a CString');
  });

  it('a switch on a non-integer, or on a later field; a case its tag cannot hold', () => {
    expectRefused({ types: { T: { fields: [field('b', 'bool'), field('x', { switch: 'b', cases: { '1': 'WORD' } })] } } },
      '/types/T/fields/1/type/switch', 'must name an integer field, not a bool');
    expectRefused({ types: { T: { fields: [field('d', 'double'), field('x', { switch: 'd', cases: { '1': 'WORD' } })] } } },
      '/types/T/fields/1/type/switch', 'not a double');
    expectRefused({ types: { T: { fields: [field('x', { switch: 'k', cases: { '1': 'WORD' } }), field('k', 'BYTE')] } } },
      '/types/T/fields/0/type/switch', 'comes after');
    expectRefused({ types: { T: { fields: [field('k', 'BYTE'), field('x', { switch: 'k', cases: { '256': 'WORD' } })] } } },
      '/types/T/fields/1/type/cases/256', 'case 256');
  });

  it('a switch with two cases of one value ("-0" and "0"), on a 32-bit or a 64-bit tag', () => {
    for (const k of ['LONG', 'LONGLONG']) {
      expectRefused({ types: { T: { fields: [field('k', k), field('x', { switch: 'k', cases: { '0': 'WORD', '-0': 'DWORD' } })] } } },
        '/types/T/fields/1/type/cases/-0', 'case "-0" is the value of case "0"');
    }
    new TypeRegistry().add({ types: { T: { fields: [field('k', 'LONG'), field('x', { switch: 'k', cases: { '-0': 'WORD', '-1': 'DWORD' } })] } } });
  });

  it('a countField or switch anywhere but a field\'s own type', () => {
    expectRefused({ types: { T: { fields: [field('n', 'WORD'), field('v', { list: { list: 'WORD', countField: 'n' } })] } } },
      '/types/T/fields/1/type/list/countField', "must be a field's own type");
    expectRefused({ types: { T: { fields: [field('k', 'BYTE'), field('v', { list: { switch: 'k', cases: {} } })] } } },
      '/types/T/fields/1/type/list/switch', "must be a field's own type");
  });

  it('a "when" on a later or missing field, a wrong operand, a bool compared with lt, two operators', () => {
    expectRefused({ types: { T: { fields: [field('a', 'WORD', { when: { field: 'b', eq: 1 } }), field('b', 'WORD')] } } }, '/types/T/fields/0/when/field', 'comes after');
    expectRefused({ types: { T: { fields: [field('a', 'WORD', { when: { field: 'zz', eq: 1 } })] } } }, '/types/T/fields/0/when/field', "'zz' is not an earlier field");
    expectRefused({ types: { T: { fields: [field('b', 'bool'), field('a', 'WORD', { when: { field: 'b', lt: true } })] } } }, '/types/T/fields/1/when/lt', 'not lt');
    expectRefused({ types: { T: { fields: [field('b', 'bool'), field('a', 'WORD', { when: { field: 'b', eq: 1 } })] } } }, '/types/T/fields/1/when/eq', 'true or false');
    expectRefused({ types: { T: { fields: [field('n', 'WORD'), field('a', 'WORD', { when: { field: 'n', eq: true } })] } } }, '/types/T/fields/1/when/eq', 'not true');
    expectRefused({ types: { T: { fields: [field('n', 'WORD'), field('a', 'WORD', { when: { field: 'n', eq: 1, ne: 2 } })] } } }, '/types/T/fields/1/when', 'exactly one');
    expectRefused({ types: { T: { fields: [field('n', 'WORD'), field('a', 'WORD', { when: { field: 'n', allBits: 2 ** 33 } })] } } }, '/types/T/fields/1/when/allBits', 'bits beyond');
    // Nested conditions have the same shape, checked at every level.
    expectRefused({ types: { T: { fields: [field('n', 'WORD'), field('a', 'WORD', { when: { not: { all: [{ field: 'n', eq: 1 }, { field: 'n', eqq: 1 }] } } })] } } },
      '/types/T/fields/1/when/not/all/1/eqq', 'not an allowed property');
  });

  it('a schema condition outside an object type', () => {
    expectRefused({ types: { T: { fields: [field('a', 'WORD', { when: { schema: { ge: 2 } } })] } } }, '/types/T/fields/0/when', "type 'T', field 'a'", 'GetObjectSchema');
    // …but a class-less base of a class type may read it: GetObjectSchema() is the object's.
    new TypeRegistry().add({ types: {
      Base: { fields: [field('a', 'WORD', { when: { schema: { ge: 2 } } })] },
      C: { class: 'C', extends: 'Base', fields: [] },
    } });
  });
});

describe('types', () => {
  it('a cycle of "extends", and a type extending itself or nothing', () => {
    expectRefused({ types: { A: { extends: 'B', fields: [] }, B: { extends: 'A', fields: [] } } }, '/types/A', 'cycle', 'A → B → A');
    expectRefused({ types: { A: { extends: 'A', fields: [] } } }, '/types/A/extends', 'extends itself');
    expectRefused({ types: { A: { extends: 'Nope', fields: [] } } }, '/types/A/extends', "'Nope', which is not a declared type");
  });

  it('a field repeating a base\'s field name', () => {
    expectRefused({ types: { B: { fields: [field('x', 'WORD')] }, D: { extends: 'B', fields: [field('x', 'WORD')] } } }, '/types/D/fields/0/name', "repeats the field name 'x'");
  });

  it('the class name of another type: said once, plainly', () => {
    const message = expectRefused({ types: { G3: { class: 'CGuitar', fields: [] }, G4: { class: 'CGuitar', fields: [] } } }, '/types/G4/class');
    expect(message).toBe("message-type file: /types/G4/class names the class 'CGuitar', which type 'G3' already has (a class name belongs to one type)");
  });

  it('"byteOrder" on a non-integer or a byte; "count" that is not an integer type; a const the type cannot hold', () => {
    expectRefused({ types: { T: { fields: [field('a', 'CString', { byteOrder: 'big' })] } } }, '/types/T/fields/0/type', 'integer types');
    expectRefused({ types: { T: { fields: [field('a', 'BYTE', { byteOrder: 'big' })] } } }, '/types/T/fields/0/type', '1-byte');
    expectRefused({ types: { T: { fields: [field('a', { list: 'WORD', count: 'double' })] } } }, '/types/T/fields/0/type/count', 'not a count type');
    expectRefused({ types: { T: { fields: [field('a', { list: 'WORD', count: 'WORD', countField: 'x' })] } } }, '/types/T/fields/0/type', 'both');
    expectRefused({ types: { T: { fields: [field('a', 'BYTE', { const: 256 })] } } }, '/types/T/fields/0/const', 'not a BYTE');
    expectRefused({ types: { T: { fields: [field('a', { bytes: 2 }, { const: 'AQID' })] } } }, '/types/T/fields/0/const', 'exactly 2 bytes');
    expectRefused({ types: { T: { fields: [field('a', 'COleVariant', { const: 1 })] } } }, '/types/T/fields/0/const', '"const" applies to');
  });

  it('"TODO" stays an unknown type, used or declared', () => {
    expectRefused({ types: { T: { fields: [field('a', 'TODO', { todo: 'why — ar << x; (a.cpp:1)' })] } } }, '/types/T/fields/0/type', 'import-cpp');
    expectRefused({ types: { TODO: { fields: [] } } }, '/types/TODO', 'import-cpp');
    expectError(() => new TypeRegistry().codecFor('TODO'), 'UNKNOWN_TYPE');
  });
});

describe('the shapes `archway import-cpp` drafts load as they are', () => {
  it('todo notes, bool conditions, bool consts, decimal case keys, empty case types, byte-block elements, WriteCount left out', () => {
    const draft: TypeFile = {
      profile: { mfc: 14, unicode: false, win64: false },
      types: {
        CNet: { class: 'CNet', schema: 1, fields: [
          { name: 'MAGIC', type: 'DWORD', const: 0x4e455431 },
          { name: 'bSecure', type: 'bool', const: true },
          { name: 'hdr', type: { bytes: 7 } },
          { name: 'wLen', type: 'WORD' },
          { name: 'payload', type: { bytes: { countField: 'wLen' } } },
          { name: 'sized', type: { bytes: { count: 'DWORD' } } },
          { name: 'nKind', type: 'BYTE', todo: 'storing writes BYTE but loading reads int — ar << (BYTE)m_nKind; (net.cpp:12)' },
          { name: 'body', type: { switch: 'nKind', cases: { '1': 'CNet_login', '2': 'CString' }, default: 'CNet_default' } },
          { name: 'bFlag', type: 'bool' },
          { name: 'note', type: 'CString', when: { field: 'bFlag', eq: true } },
          { name: 'samples', type: { list: { bytes: 8 } } },
        ] },
        CNet_login: { fields: [{ name: 'user', type: 'CString' }] },
        CNet_default: { fields: [] },
      },
    };
    const reg = new TypeRegistry();
    reg.add(draft);
    const codec = reg.get('CNet');
    const value = { MAGIC: 0x4e455431, bSecure: true, hdr: 'AAAAAAAAAA==', wLen: 1, payload: 'Kg==', sized: '', nKind: 9, body: {}, bFlag: false, samples: [] };
    expect(codec.decode(codec.encode(value))).toStrictEqual(value);
    const schema = codec.schemas('#/$defs/', 'canonical').defs.CNet as { properties: Record<string, Record<string, unknown>> };
    expect(schema.properties.nKind!['x-archway-todo']).toContain('net.cpp:12');
  });
});
