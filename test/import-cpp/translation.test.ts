/**
 * The drafted type file of each fixture, field by field, and the report that goes with it: what
 * the importer translates and what it leaves as a todo (with the C++ quoted and its file:line).
 */
import { describe, expect, it } from 'vitest';
import { draft } from './helpers.js';

const PROFILE = { mfc: 14, unicode: false, win64: false };

describe('translation of the fixtures', () => {
  it('scribble: a DYNCREATE document (no class) and a SERIAL stroke; CTypedPtrList → list of objects, CArray<CPoint> → list', async () => {
    const { file, report } = await draft('scribble');
    expect(file).toEqual({
      profile: PROFILE,
      types: {
        CSketchDoc: { fields: [
          { name: 'sizeDoc', type: 'CSize' },
          { name: 'strokeList', type: { list: { object: 'CPenStroke' } } },
        ] },
        CPenStroke: { class: 'CPenStroke', schema: 1, fields: [
          { name: 'nPenWidth', type: 'WORD' }, // the cast is the width written
          { name: 'pointArray', type: { list: 'CPoint' } },
        ] },
      },
    });
    expect(report).toMatchObject({ files: 2, functions: 2, types: 2, fieldsTranslated: 4, todos: [] });
  });

  it('chat: WORD cast of a BOOL, CString, CStringList after the branches', async () => {
    const { file } = await draft('chat');
    expect(file.types).toEqual({
      CChatMsg: { fields: [{ name: 'bClose', type: 'WORD' }, { name: 'strText', type: 'CString' }, { name: 'msgList', type: 'CStringList' }] },
    });
  });

  it('versioned: VERSIONABLE_SCHEMA | CONTACT_SCHEMA, GetObjectSchema() >= 2 → when; CTypedPtrArray<CObArray> → list of objects', async () => {
    const { file } = await draft('versioned');
    expect(file.types).toEqual({
      CContact: { class: 'CContact', schema: 2, versionable: true, fields: [
        { name: 'strName', type: 'CString' },
        { name: 'dwPhone', type: 'DWORD' },
        { name: 'timeAdded', type: 'CTime' },
        { name: 'strEmail', type: 'CString', when: { schema: { ge: 2 } } },
      ] },
      CAddressBook: { class: 'CAddressBook', schema: 1, fields: [{ name: 'contacts', type: { list: { object: 'CContact' } } }] },
    });
  });

  it('shapes: Base::Serialize(ar) first → extends; a CShape* → any of the SERIAL shapes; COLORREF → DWORD', async () => {
    const { file } = await draft('shapes');
    expect(file.types).toEqual({
      CShape: { class: 'CShape', schema: 1, fields: [{ name: 'crColor', type: 'DWORD' }, { name: 'rcBounds', type: 'CRect' }] },
      CCircle: { class: 'CCircle', schema: 1, extends: 'CShape', fields: [{ name: 'dRadius', type: 'double' }] },
      CPolygon: { class: 'CPolygon', schema: 3, extends: 'CShape', fields: [{ name: 'points', type: { list: 'POINT' } }, { name: 'nFill', type: 'BYTE' }] },
      CDrawing: { class: 'CDrawing', schema: 1, fields: [
        { name: 'strTitle', type: 'CString' },
        { name: 'pSelected', type: { object: ['CShape', 'CCircle', 'CPolygon'] } },
        { name: 'shapes', type: 'CObArray' },
      ] },
    });
  });

  it('awkward: typedefs, enums, #ifdef, comments, macros; a const, raw blocks, htonl, a switch, a WORD count', async () => {
    const { file, report } = await draft('awkward');
    expect(Object.keys(file.types)).toEqual(['CNetPacket', 'CNetPacket_kindLogin', 'CNetPacket_default', 'COrderRecord']);
    expect(file.types.CNetPacket).toEqual({ class: 'CNetPacket', schema: 1, fields: [
      { name: 'NET_MAGIC', type: 'DWORD', const: 0x4e455431 },
      { name: 'hdr', type: { bytes: 7 } },
      { name: 'dwSeq', type: 'DWORD', byteOrder: 'big' },
      { name: 'nKind', type: 'BYTE' },
      { name: 'nKindBody', type: { switch: 'nKind', cases: { 1: 'CNetPacket_kindLogin', 2: 'CString' }, default: 'CNetPacket_default' } },
      { name: 'ids', type: { list: 'DWORD', count: 'WORD' } },
      { name: 'samples', type: { list: { bytes: 8 } } },
    ] });
    expect(file.types.CNetPacket_kindLogin).toEqual({ fields: [{ name: 'strUser', type: 'CString' }, { name: 'dwSession', type: 'DWORD' }] });
    expect(file.types.CNetPacket_default).toEqual({ fields: [] });
    expect(file.types.COrderRecord).toEqual({ class: 'COrderRecord', schema: 1, fields: [
      { name: 'id', type: 'DWORD' },
      { name: 'status', type: 'BYTE' },
      { name: 'priority', type: 'int' },
      { name: 'strCustomer', type: 'CString' },
      { name: 'quantities', type: { list: 'LONG' } },
      { name: 'dtPlaced', type: 'COleDateTime' },
    ] });
    expect(report.todos).toEqual([]);
  });

  it('awkward in a Unicode build: the #ifdef _UNICODE branch is taken', async () => {
    const { file } = await draft('awkward', { classes: ['COrderRecord'], profile: { unicode: true } });
    expect(file.types.COrderRecord!.fields.map((f) => f.name)).toEqual(['id', 'status', 'priority', 'strCustomer', 'constant', 'quantities', 'dtPlaced']);
    expect(file.types.COrderRecord!.fields[4]).toEqual({ name: 'constant', type: 'WORD', const: 1 });
  });

  it('todo: disagreeing branches, a function-like macro and WriteString stay as todos quoting the C++', async () => {
    const { file, report } = await draft('todo');
    expect(file.types.CSettings!.fields).toEqual([
      { name: 'strHost', type: 'CString' },
      { name: 'wPort', type: 'WORD' },
      {
        name: 'nTimeout',
        type: 'WORD',
        todo: 'storing writes WORD but loading reads UINT at test/import-cpp/fixtures/todo/legacy.cpp:16 — ar << m_strHost << m_wPort << (WORD)m_nTimeout; (test/import-cpp/fixtures/todo/legacy.cpp:10)',
      },
      { name: 'bSecure', type: 'bool' },
    ]);
    expect(file.types.CLegacyNote!.fields).toEqual([
      { name: 'todo', type: 'TODO', todo: 'passes the archive to code the importer does not translate — SERIALIZE_DWORD(ar, m_dwFlags); (test/import-cpp/fixtures/todo/legacy.cpp:25)' },
      {
        name: 'todo2',
        type: 'TODO',
        todo: 'WriteString writes the characters with no length and no terminator; the grammar cannot delimit them (format §2.4) — ar.WriteString(m_strBody + _T("\\n")); (test/import-cpp/fixtures/todo/legacy.cpp:27)',
      },
    ]);
    expect(report.todos.map((t) => `${t.type}.${t.field}`)).toEqual(['CSettings.nTimeout', 'CLegacyNote.todo', 'CLegacyNote.todo2']);
    expect(report.differences).toHaveLength(1);
    expect(report.fieldsTranslated).toBe(3);
  });

  it('--class keeps the class and every type it reaches, in source order', async () => {
    const { file } = await draft('shapes', { classes: ['CDrawing'] });
    expect(Object.keys(file.types)).toEqual(['CShape', 'CCircle', 'CPolygon', 'CDrawing']);
    const circle = await draft('shapes', { classes: ['CCircle'] });
    expect(Object.keys(circle.file.types)).toEqual(['CShape', 'CCircle']);
  });

  it('is stable: the same sources give the same text', async () => {
    const a = JSON.stringify((await draft('awkward')).file, null, 2);
    const b = JSON.stringify((await draft('awkward')).file, null, 2);
    expect(a).toBe(b);
  });
});
