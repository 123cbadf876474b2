/**
 * Bit tests in `if` conditions: `(m & MASK) == VALUE` says which bits of MASK are set and which are
 * clear, and the storing branch's constant flags decide a loading-only condition whatever bit
 * they test (bit 31 included). Golden bytes worked out by hand from the C++.
 */
import { describe, expect, it } from 'vitest';
import { draftText, expectGolden, fieldsOf, load } from './helpers.js';

const both = (s: string) => `if (ar.IsStoring()) { ${s.replace(/>>/g, '<<')} } else { ${s.replace(/<</g, '>>')} }`;

const classOf = (body: string, members: string, extra = '') =>
  `${extra}\nclass C : public CObject {\npublic:\n${members}\n  virtual void Serialize(CArchive& ar);\n};\nIMPLEMENT_SERIAL(C, CObject, 1)\nvoid C::Serialize(CArchive& ar)\n{\n${body}\n}\n`;

describe('(m & MASK) == VALUE', () => {
  const members = 'DWORD m_flags; WORD m_a; WORD m_b; WORD m_c; WORD m_d;';
  const body = both([
    'ar << m_flags;',
    'if ((m_flags & 6) == 2) ar << m_a;',
    'if ((m_flags & 6) == 6) ar << m_b;',
    'if ((m_flags & 6) == 0) ar << m_c;',
    'if ((m_flags & 6) != 2) ar << m_d;',
  ].join('\n'));
  const twoOfSix = { all: [{ field: 'flags', allBits: 2 }, { not: { field: 'flags', anyBits: 4 } }] };

  it('VALUE\'s bits set and MASK\'s other bits clear; VALUE = MASK is allBits, VALUE = 0 not anyBits, != the negation', async () => {
    expect(await fieldsOf(members, body)).toEqual([
      { name: 'flags', type: 'DWORD' },
      { name: 'a', type: 'WORD', when: twoOfSix },
      { name: 'b', type: 'WORD', when: { field: 'flags', allBits: 6 } },
      { name: 'c', type: 'WORD', when: { not: { field: 'flags', anyBits: 6 } } },
      { name: 'd', type: 'WORD', when: { not: twoOfSix } },
    ]);
  });

  it('encodes what the C++ writes for each value of m_flags & 6', async () => {
    const registry = load(await draftText({ 'c.cpp': classOf(body, members) }));
    // m_flags = 2: (2 & 6) == 2 writes m_a; the others are false ((2 & 6) != 2 is false too)
    expectGolden(registry, 'C', { flags: 2, a: 0x11 }, '02 00 00 00  11 00');
    // m_flags = 6: only (6 & 6) == 6, and != 2
    expectGolden(registry, 'C', { flags: 6, b: 0x22, d: 0x44 }, '06 00 00 00  22 00  44 00');
    // m_flags = 0: == 0 and != 2
    expectGolden(registry, 'C', { flags: 0, c: 0x33, d: 0x44 }, '00 00 00 00  33 00  44 00');
    // m_flags = 3: 3 & 6 is 2, as for m_flags = 2 (bit 0 is outside the mask)
    expectGolden(registry, 'C', { flags: 3, a: 0x11 }, '03 00 00 00  11 00');
  });

  it('a VALUE with bits outside MASK never holds: a todo, not a guess', async () => {
    const [, f] = (await fieldsOf('DWORD m_flags; WORD m_e;', both('ar << m_flags; if ((m_flags & 6) == 1) ar << m_e;'))) as { todo?: string; when?: unknown }[];
    expect(f!.when).toBeUndefined();
    expect(f!.todo).toMatch(/^the condition \(m_flags & 6\) == 1 never holds: 1 has bits outside the mask 6 — ar [<>]+ m_e; \(c\.cpp:\d+\)$/);
  });

  it('an ordering of masked bits (<, >=…) is a todo', async () => {
    const [, f] = (await fieldsOf('DWORD m_flags; WORD m_e;', both('ar << m_flags; if ((m_flags & 6) >= 2) ar << m_e;'))) as { todo?: string; when?: unknown }[];
    expect(f!.when).toBeUndefined();
    expect(f!.todo).toMatch(/^the condition \(m_flags & 6\) >= 2 orders masked bits, which a condition cannot say/);
  });
});

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
