/**
 * One C++ construct at a time, written in the test: what the importer makes of it, and what it
 * leaves as a todo. The fixtures show whole classes; these pin the rules.
 */
import { describe, expect, it } from 'vitest';
import { draftText, fieldsOf } from './helpers.js';

const both = (s: string) => `if (ar.IsStoring()) { ${s.replace(/>>/g, '<<')} } else { ${s.replace(/<</g, '>>')} }`;

describe('ar << values: the static type, or the cast, is the width', () => {
  it.each([
    ['BYTE m_b;', 'm_b', 'BYTE'], ['char m_c;', 'm_c', 'char'], ['bool m_b;', 'm_b', 'bool'], ['BOOL m_b;', 'm_b', 'BOOL'],
    ['short m_s;', 'm_s', 'short'], ['unsigned short m_w;', 'm_w', 'WORD'], ['wchar_t m_ch;', 'm_ch', 'wchar_t'],
    ['unsigned long m_dw;', 'm_dw', 'DWORD'], ['long m_l;', 'm_l', 'LONG'], ['int m_n;', 'm_n', 'int'], ['unsigned m_u;', 'm_u', 'UINT'],
    ['__int64 m_ll;', 'm_ll', 'LONGLONG'], ['ULONGLONG m_ull;', 'm_ull', 'ULONGLONG'], ['float m_f;', 'm_f', 'float'], ['double m_d;', 'm_d', 'double'],
    ['CString m_s;', 'm_s', 'CString'], ['CTime m_t;', 'm_t', 'CTime'], ['CTimeSpan m_ts;', 'm_ts', 'CTimeSpan'], ['COleCurrency m_cy;', 'm_cy', 'COleCurrency'],
    ['COleVariant m_v;', 'm_v', 'COleVariant'], ['CPoint m_pt;', 'm_pt', 'CPoint'], ['CRect m_rc;', 'm_rc', 'CRect'], ['signed char m_sc;', 'm_sc', 'int'],
    ['INT_PTR m_n;', 'm_n', 'INT_PTR'], ['size_t m_cb;', 'm_cb', 'size_t'], ['TCHAR m_ch;', 'm_ch', 'char'],
  ])('%s ar << %s → %s', async (member, expr, type) => {
    expect(await fieldsOf(member, both(`ar << ${expr};`))).toEqual([{ name: expr.replace(/^m_/, ''), type }]);
  });

  it('TCHAR in a Unicode build is wchar_t', async () => {
    expect(await fieldsOf('TCHAR m_ch;', both('ar << m_ch;'), '', { profile: { unicode: true } })).toEqual([{ name: 'ch', type: 'wchar_t' }]);
  });

  it('casts: C style, static_cast, functional; this->m_x; a member of a member', async () => {
    const fields = await fieldsOf('UINT m_n; CPoint m_pt; int m_k;', 'if (ar.IsStoring()) ar << (BYTE)m_n << static_cast<WORD>(this->m_k) << m_pt.x << DWORD(m_n); else { BYTE b; WORD w; ar >> b >> w >> m_pt.x; DWORD d; ar >> d; }');
    expect(fields).toEqual([
      { name: 'n', type: 'BYTE' }, { name: 'k', type: 'WORD' }, { name: 'pt_x', type: 'LONG' }, { name: 'n2', type: 'DWORD' },
    ]);
  });

  it('a member declared through typedefs, and a CObject* member', async () => {
    const fields = await fieldsOf('MYID m_id; CItem* m_pItem;', both('ar << m_id << m_pItem;'), 'typedef WORD SMALLID; typedef SMALLID MYID;\nclass CItem : public CObject { DECLARE_SERIAL(CItem) public: int m_n; void Serialize(CArchive& ar) { ar << m_n; } };\nIMPLEMENT_SERIAL(CItem, CObject, 1)');
    expect(fields).toEqual([{ name: 'id', type: 'WORD' }, { name: 'pItem', type: { object: 'CItem' } }]);
  });

  it('LONGLONG in an MFC 6 profile is a todo: VC6 has no 64-bit operator', async () => {
    const [f] = (await fieldsOf('LONGLONG m_ll;', both('ar << m_ll;'), '', { profile: { mfc: 6 } })) as { todo?: string }[];
    expect(f!.todo).toMatch(/^MFC 6 has no 64-bit CArchive operator \(format §1\.2\) — ar << m_ll; \(c\.cpp:\d+\)$/);
  });

  it.each([
    ['LPCTSTR m_psz;', 'ar << m_psz;', /1-byte bool/],
    ['GUID m_guid;', 'ar << m_guid;', /no CArchive operator for GUID/],
    ['int m_a[4];', 'ar << m_a;', /an array/],
    ['CFoo m_foo;', 'ar << m_foo;', /no CArchive operator for CFoo/],
    ['int m_n;', 'ar << GetValue();', /type of GetValue\(\) is not declared/],
    ['int m_n;', 'ar << "text";', /string literal/],
  ])('%s %s → todo', async (member, stmt, why) => {
    const fields = (await fieldsOf(member, `if (ar.IsStoring()) ${stmt}`)) as { todo?: string; type: unknown }[];
    expect(fields[0]!.todo).toMatch(why);
  });
});

describe('collections', () => {
  it.each([
    ['CStringArray m_x;', 'CStringArray'], ['CDWordArray m_x;', 'CDWordArray'], ['CWordArray m_x;', 'CWordArray'], ['CByteArray m_x;', 'CByteArray'],
    ['CObList m_x;', 'CObList'], ['CObArray m_x;', 'CObArray'], ['CStringList m_x;', 'CStringList'], ['CMapStringToString m_x;', 'CMapStringToString'],
    ['CArray<double, double> m_x;', { list: 'double' }], ['CList<CString, LPCTSTR> m_x;', { list: 'CString' }],
    ['CArray<bool, bool> m_x;', { list: 'bool' }], ['CArray<GUID, GUID&> m_x;', { list: 'GUID' }],
    ['CMap<WORD, WORD, CString, LPCTSTR> m_x;', { map: ['WORD', 'CString'] }],
    ['CTypedPtrMap<CMapStringToOb, CString, CItem*> m_x;', { map: ['CString', { object: 'CItem' }] }],
  ])('%s m_x.Serialize(ar) → %j', async (member, type) => {
    const extra = 'class CItem : public CObject { DECLARE_SERIAL(CItem) public: void Serialize(CArchive& ar) {} };\nIMPLEMENT_SERIAL(CItem, CObject, 1)';
    expect(await fieldsOf(member, 'm_x.Serialize(ar);', extra)).toEqual([{ name: 'x', type }]);
  });

  it.each([
    ['CUIntArray m_x;', /not serializable: its Serialize writes nothing/],
    ['CTypedPtrArray<CPtrArray, int*> m_x;', /serializes as CPtrArray, which writes nothing/],
    ['CArray<int*, int*> m_x;', /raw pointer values/],
    ['CArray<CTime, CTime&> m_x;', /raw memory of CTime/],
  ])('%s → todo', async (member, why) => {
    const [f] = (await fieldsOf(member, 'm_x.Serialize(ar);')) as { todo?: string }[];
    expect(f!.todo).toMatch(why);
  });

  it('a member class with its own Serialize is its type inline; SerializeElements specialised to call it', async () => {
    const extra = [
      'struct SLine { CString m_sku; WORD m_qty; void Serialize(CArchive& ar) { if (ar.IsStoring()) ar << m_sku << m_qty; else ar >> m_sku >> m_qty; } };',
      'template<> void AFXAPI SerializeElements<SLine>(CArchive& ar, SLine* pLines, INT_PTR nCount) { for (INT_PTR i = 0; i < nCount; i++, pLines++) pLines->Serialize(ar); }',
    ].join('\n');
    const result = await draftText({ 'c.cpp': `${extra}\nclass C : public CObject { public: SLine m_first; CArray<SLine, SLine&> m_lines; void Serialize(CArchive& ar); };\nvoid C::Serialize(CArchive& ar) { m_first.Serialize(ar); m_lines.Serialize(ar); }` });
    expect(result.file.types).toEqual({
      SLine: { fields: [{ name: 'sku', type: 'CString' }, { name: 'qty', type: 'WORD' }] },
      C: { fields: [{ name: 'first', type: 'SLine' }, { name: 'lines', type: { list: 'SLine' } }] },
    });
  });

  it('WriteCount / ReadCount then a loop: the default count', async () => {
    const fields = await fieldsOf('CArray<LONG, LONG> m_a;', [
      'if (ar.IsStoring()) { ar.WriteCount(m_a.GetSize()); for (int i = 0; i < m_a.GetSize(); i++) ar << m_a[i]; }',
      'else { DWORD_PTR n = ar.ReadCount(); m_a.SetSize(n); for (DWORD_PTR i = 0; i < n; i++) ar >> m_a[i]; }',
    ].join('\n'));
    expect(fields).toEqual([{ name: 'a', type: { list: 'LONG' } }]);
  });

  it('a POSITION walk over a CList with a DWORD count; several values per element make a helper type', async () => {
    const fields = await fieldsOf('CList<CPoint, CPoint&> m_pts; struct SRow { int a; CString s; }; CArray<SRow, SRow&> m_rows;', [
      'if (ar.IsStoring()) {',
      '  ar << (DWORD)m_pts.GetCount();',
      '  POSITION pos = m_pts.GetHeadPosition();',
      '  while (pos != NULL) ar << m_pts.GetNext(pos);',
      '  ar << (WORD)m_rows.GetSize();',
      '  for (int i = 0; i < m_rows.GetSize(); i++) { ar << m_rows[i].a; ar << m_rows[i].s; }',
      '} else {',
      '  DWORD n; ar >> n; while (n--) { CPoint pt; ar >> pt; m_pts.AddTail(pt); }',
      '  WORD r; ar >> r; m_rows.SetSize(r); for (int i = 0; i < r; i++) { ar >> m_rows[i].a >> m_rows[i].s; }',
      '}',
    ].join('\n'));
    expect(fields).toEqual([
      { name: 'pts', type: { list: 'CPoint', count: 'DWORD' } },
      { name: 'rows', type: { list: 'C_rows', count: 'WORD' } },
    ]);
  });

  it('a count written earlier than the element before it → countField; a constant bound → fixed', async () => {
    const fields = await fieldsOf('int m_n; CString m_name; LONG m_v[64]; LONG m_grid[4];', both('ar << m_n; ar << m_name; for (int i = 0; i < m_n; i++) ar << m_v[i]; for (int j = 0; j < 4; j++) ar << m_grid[j];'));
    expect(fields).toEqual([
      { name: 'n', type: 'int' },
      { name: 'name', type: 'CString' },
      { name: 'v', type: { list: 'LONG', countField: 'n' } },
      { name: 'grid', type: { fixed: 'LONG', length: 4 } },
    ]);
  });

  it('ar.Write(buf, n) after ar << n → a counted raw block; a GUID by sizeof → GUID', async () => {
    const fields = await fieldsOf('DWORD m_cb; BYTE* m_pData; GUID m_id;', [
      'if (ar.IsStoring()) { ar.Write(&m_id, sizeof(GUID)); ar << m_cb; ar.Write(m_pData, m_cb); }',
      'else { ar.Read(&m_id, sizeof(m_id)); ar >> m_cb; m_pData = new BYTE[m_cb]; ar.Read(m_pData, m_cb); }',
    ].join('\n'));
    expect(fields).toEqual([{ name: 'id', type: 'GUID' }, { name: 'pData', type: { bytes: { count: 'DWORD' } } }]);
  });
});

describe('conditions', () => {
  it('a flag written before: BOOL → eq true, bits → anyBits / allBits, && → all, else → not', async () => {
    const fields = await fieldsOf('BOOL m_bHas; DWORD m_dwFlags; CString m_a; CString m_b; WORD m_c; WORD m_d;', both([
      'ar << m_bHas << m_dwFlags;',
      'if (m_bHas) ar << m_a; else ar << m_b;',
      'if ((m_dwFlags & 0x3) == 0x3 && m_dwFlags & 0x10) ar << m_c;',
      'if (m_dwFlags >= 2) ar << m_d;',
    ].join('\n')));
    expect(fields).toEqual([
      { name: 'bHas', type: 'BOOL' },
      { name: 'dwFlags', type: 'DWORD' },
      { name: 'a', type: 'CString', when: { field: 'bHas', eq: true } },
      { name: 'b', type: 'CString', when: { not: { field: 'bHas', eq: true } } },
      { name: 'c', type: 'WORD', when: { all: [{ field: 'dwFlags', allBits: 3 }, { field: 'dwFlags', anyBits: 16 }] } },
      { name: 'd', type: 'WORD', when: { field: 'dwFlags', ge: 2 } },
    ]);
  });

  it('a version written as a constant: the loading branch reads old versions (kept with their when) and checks the new one', async () => {
    const fields = await fieldsOf('CString m_name; DWORD m_legacy; CString m_mail;', [
      'if (ar.IsStoring()) { ar << (BYTE)MY_VERSION; ar << m_name << m_mail; }',
      'else { BYTE ver; ar >> ver; ar >> m_name; if (ver < 2) ar >> m_legacy; if (ver >= 3) ar >> m_mail; }',
    ].join('\n'), '#define MY_VERSION 3');
    expect(fields).toEqual([
      { name: 'MY_VERSION', type: 'BYTE', const: 3 },
      { name: 'name', type: 'CString' },
      { name: 'legacy', type: 'DWORD', when: { field: 'MY_VERSION', lt: 2 } },
      { name: 'mail', type: 'CString', when: { field: 'MY_VERSION', ge: 3 } },
    ]);
  });

  it('a condition on a member the archive does not carry → todo', async () => {
    const [f] = (await fieldsOf('BOOL m_bCache; CString m_s;', both('if (m_bCache) ar << m_s;'))) as { todo?: string }[];
    expect(f!.todo).toMatch(/^the condition m_bCache is not on a field written before it — ar [<>]+ m_s;/);
  });
});

describe('the preprocessor', () => {
  const body = '#ifdef _DEBUG\n ar << m_nDebug;\n#endif\n#if _MFC_VER >= 0x0700\n ar << m_ll;\n#else\n ar << m_l;\n#endif';

  it('an undecided #ifdef is a todo naming it; _MFC_VER comes from the profile', async () => {
    const fields = (await fieldsOf('int m_nDebug; LONGLONG m_ll; LONG m_l;', both(body))) as { name: string; todo?: string }[];
    expect(fields.map((f) => f.name)).toEqual(['nDebug', 'll']);
    expect(fields[0]!.todo).toMatch(/^depends on #ifdef _DEBUG, which the build profile does not decide \(use --define or --undefine\) — ar << m_nDebug;/);
    expect(fields[1]!.todo).toBeUndefined();
  });

  it('--define / --undefine decide it', async () => {
    const undef = await fieldsOf('int m_nDebug; LONGLONG m_ll; LONG m_l;', both(body.replace(/<</g, '<<')), '', { build: { undefines: new Set(['_DEBUG']) }, profile: { mfc: 6 } });
    expect(undef).toEqual([{ name: 'l', type: 'LONG' }]);
    const def = await fieldsOf('int m_nDebug; LONGLONG m_ll; LONG m_l;', both(body), '', { build: { defines: new Map([['_DEBUG', '1']]) } });
    expect(def).toEqual([{ name: 'nDebug', type: 'int' }, { name: 'll', type: 'LONGLONG' }]);
  });
});

describe('robustness', () => {
  it('message maps, DECLARE_* and afx_msg do not hide the declarations around them', async () => {
    const result = await draftText({
      'v.h': 'class CMyView : public CView {\nprotected:\n  DECLARE_DYNCREATE(CMyView)\n  afx_msg void OnPaint();\n  DECLARE_MESSAGE_MAP()\npublic:\n  WORD m_w;\n  virtual void Serialize(CArchive& ar);\n};',
      'v.cpp': 'IMPLEMENT_DYNCREATE(CMyView, CView)\nBEGIN_MESSAGE_MAP(CMyView, CView)\n  ON_WM_PAINT()\nEND_MESSAGE_MAP()\nvoid CMyView::Serialize(CArchive& ar) { CView::Serialize(ar); if (ar.IsStoring()) ar << m_w; else ar >> m_w; }',
    });
    expect(result.file.types).toEqual({ CMyView: { fields: [{ name: 'w', type: 'WORD' }] } });
  });

  it('storing and loading in a different order is reported on each field that differs', async () => {
    const result = await draftText({ 'x.cpp': 'class X { DWORD m_a; WORD m_b; void Serialize(CArchive& ar); };\nvoid X::Serialize(CArchive& ar) {\n if (ar.IsStoring()) ar << m_a << m_b;\n else ar >> m_b >> m_a;\n}' });
    expect(result.report.todos.map((t) => t.note)).toEqual([
      'storing writes DWORD but loading reads WORD at x.cpp:4 — ar << m_a << m_b; (x.cpp:3)',
      'storing writes WORD but loading reads DWORD at x.cpp:4 — ar << m_a << m_b; (x.cpp:3)',
    ]);
  });

  it('a class with IMPLEMENT_SERIAL but no Serialize of its own runs its base\'s', async () => {
    const result = await draftText({ 'x.cpp': 'class CA : public CObject { DECLARE_SERIAL(CA) public: int m_n; void Serialize(CArchive& ar); };\nclass CB : public CA { DECLARE_SERIAL(CB) };\nIMPLEMENT_SERIAL(CA, CObject, 1)\nIMPLEMENT_SERIAL(CB, CA, 2)\nvoid CA::Serialize(CArchive& ar) { if (ar.IsStoring()) ar << m_n; else ar >> m_n; }' });
    expect(result.file.types.CB).toEqual({ class: 'CB', schema: 2, extends: 'CA', fields: [] });
  });
});

describe('todos inside loops', () => {
  it('an element that cannot be translated keeps its own note and line', async () => {
    const [f] = (await fieldsOf('CArray<LPCTSTR, LPCTSTR> m_names;', both('ar << (WORD)m_names.GetSize(); for (int i = 0; i < m_names.GetSize(); i++) ar << m_names[i];'))) as { todo?: string; type: unknown }[];
    expect(f!.type).toEqual({ list: 'TODO', count: 'WORD' });
    expect(f!.todo).toMatch(/^LPCTSTR is a raw pointer: MFC 7\+ writes it as a 1-byte bool, VC6 as a CString \(format §1\.2\) — ar << m_names\[i\]; \(c\.cpp:\d+\)$/);
  });

  it('a loop whose count was never written is a todo', async () => {
    const [f] = (await fieldsOf('CArray<LONG, LONG> m_a; int m_n;', both('for (int i = 0; i < m_n; i++) ar << m_a[i];'))) as { todo?: string }[];
    expect(f!.todo).toMatch(/^the element count is not a field written before the elements — for \(int i = 0; i < m_n; i\+\+\)/);
  });
});
