/**
 * The count of a list or raw block is folded into it only when it is the value written just before
 * and as plain as the elements: under the same condition, not a constant, not byte-swapped.
 * Otherwise the elements name it with countField, and a count the grammar's countField cannot
 * name (one written only under a condition) is a todo. Golden bytes worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { draftText, expectGolden, fieldsOf, load } from './helpers.js';

const MEMBERS = 'BOOL m_has; DWORD m_n; BYTE* m_buf; CArray<WORD, WORD> m_a;';

describe('a count written under a condition', () => {
  it('a raw block after it keeps the count as a field, and says the count may be absent', async () => {
    const fields = (await fieldsOf(MEMBERS, [
      'if (ar.IsStoring()) { ar << m_has; if (m_has) ar << m_n; ar.Write(m_buf, m_n); }',
      'else { ar >> m_has; if (m_has) ar >> m_n; ar.Read(m_buf, m_n); }',
    ].join('\n'))) as { name: string; todo?: string }[];
    expect(fields.map(({ todo: _, ...f }) => f)).toEqual([
      { name: 'has', type: 'BOOL' },
      { name: 'n', type: 'DWORD', when: { field: 'has', eq: true } },
      { name: 'buf', type: { bytes: { countField: 'n' } } },
    ]);
    expect(fields[2]!.todo).toMatch(/^the count n is written only when \{"field":"has","eq":true\}, but a countField must always be present — ar.Write\(m_buf, m_n\); \(c\.cpp:\d+\)$/);
  });

  it('so does a loop after it', async () => {
    const fields = (await fieldsOf(MEMBERS, [
      'if (ar.IsStoring()) { ar << m_has; if (m_has) ar << m_n; for (DWORD i = 0; i < m_n; i++) ar << m_a[i]; }',
      'else { ar >> m_has; if (m_has) ar >> m_n; m_a.SetSize(m_n); for (DWORD i = 0; i < m_n; i++) ar >> m_a[i]; }',
    ].join('\n'))) as { name: string; type: unknown; todo?: string }[];
    expect(fields[2]!.type).toEqual({ list: 'WORD', countField: 'n' });
    expect(fields[2]!.todo).toMatch(/^the count n is written only when \{"field":"has","eq":true\}, but a countField must always be present — for \(DWORD i = 0; i < m_n; i\+\+\)/);
  });

  it('a count and block under the same condition fold into one field with that condition', async () => {
    const body = [
      'if (ar.IsStoring()) { ar << m_has; if (m_has) { ar << m_n; ar.Write(m_buf, m_n); } }',
      'else { ar >> m_has; if (m_has) { ar >> m_n; ar.Read(m_buf, m_n); } }',
    ].join('\n');
    const result = await draftText({ 'c.cpp': `class C { public: ${MEMBERS} void Serialize(CArchive& ar); };\nvoid C::Serialize(CArchive& ar) {\n${body}\n}\n` });
    expect(result.file.types.C!.fields).toEqual([
      { name: 'has', type: 'BOOL' },
      { name: 'buf', type: { bytes: { count: 'DWORD' } }, when: { field: 'has', eq: true } },
    ]);
    const registry = load(result);
    // BOOL TRUE (a 4-byte int, §1.2), DWORD 3, the three bytes
    expectGolden(registry, 'C', { has: true, buf: 'qrvM' }, '01 00 00 00  03 00 00 00  AA BB CC');
    // BOOL FALSE: nothing follows
    expectGolden(registry, 'C', { has: false }, '00 00 00 00');
  });
});

describe('a count that is more than a width', () => {
  it('byte-swapped (htonl) is not folded into a little-endian count: the branches then differ, which is a todo', async () => {
    const fields = (await fieldsOf(MEMBERS, [
      'if (ar.IsStoring()) { ar << htonl(m_n); ar.Write(m_buf, m_n); }',
      'else { ar >> m_n; m_n = ntohl(m_n); ar.Read(m_buf, m_n); }',
    ].join('\n'))) as { name: string; type: unknown; byteOrder?: string; todo?: string }[];
    // loading cannot see the swap (it comes after the read), so its count folds: the two differ
    expect(fields[0]).toMatchObject({ name: 'n', type: 'DWORD', byteOrder: 'big' });
    expect(fields[0]!.todo).toMatch(/^storing writes DWORD but loading reads \{"bytes":\{"count":"DWORD"\}\} at c\.cpp:\d+ — ar << htonl\(m_n\);/);
    expect(fields[1]).toMatchObject({ name: 'buf', type: { bytes: { countField: 'n' } } });
  });
});
