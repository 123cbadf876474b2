/**
 * Bit tests in `if` conditions: `(m & MASK) == VALUE` says which bits of MASK are set and which are
 * clear, and the storing branch's constant flags decide a loading-only condition whatever bit
 * they test (bit 31 included). Golden bytes worked out by hand from the C++.
 */
import { describe, expect, it } from 'vitest';
import { draftText, expectGolden, load } from './helpers.js';

const classOf = (body: string, members: string, extra = '') =>
  `${extra}\nclass C : public CObject {\npublic:\n${members}\n  virtual void Serialize(CArchive& ar);\n};\nIMPLEMENT_SERIAL(C, CObject, 1)\nvoid C::Serialize(CArchive& ar)\n{\n${body}\n}\n`;

describe('constant flags of the storing branch decide a loading-only bit test', () => {
  it('bit 31: (f & 0x80000000) == 0x80000000 holds for 0x80000001, so the field keeps its when and no todo', async () => {
    const body = 'if (ar.IsStoring()) { ar << (DWORD)MY_FLAGS; ar << m_x; }\nelse { DWORD f; ar >> f; if ((f & 0x80000000) == 0x80000000) ar >> m_x; }';
    const result = await draftText({ 'c.cpp': classOf(body, 'WORD m_x;', '#define MY_FLAGS 0x80000001') });
    expect(result.file.types.C!.fields).toEqual([
      { name: 'MY_FLAGS', type: 'DWORD', const: 0x80000001 },
      { name: 'x', type: 'WORD', when: { field: 'MY_FLAGS', allBits: 0x80000000 } },
    ]);
    expect(result.report.todos).toEqual([]);
    // the constant DWORD 0x80000001, then m_x
    expectGolden(load(result), 'C', { x: 5 }, '01 00 00 80  05 00');
  });
});
