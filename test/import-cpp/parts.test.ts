/**
 * The importer's parts on their own: the MFC macro pass, constant expressions, MSVC struct
 * layout, the --profile option.
 */
import { describe, expect, it } from 'vitest';
import { mfcVer, parseProfile, DEFAULT_BUILD } from '../../src/import-cpp/build-config.js';
import { evaluate } from '../../src/import-cpp/constant-expression.js';
import { Declarations } from '../../src/import-cpp/declarations.js';
import { named } from '../../src/import-cpp/cpp-type.js';
import { blankMfcMacros } from '../../src/import-cpp/mfc-macros.js';
import { sourceFromText } from '../../src/import-cpp/source-set.js';
import { layoutOf } from '../../src/import-cpp/struct-layout.js';

describe('MFC macro pass', () => {
  it('blanks class macros and message maps keeping every line and column; records IMPLEMENT_SERIAL', () => {
    const text = 'IMPLEMENT_SERIAL(CA, CObject,\n  VERSIONABLE_SCHEMA | 2)\nBEGIN_MESSAGE_MAP(CV, CView)\n  ON_WM_PAINT()\nEND_MESSAGE_MAP()\nclass X { DECLARE_SERIAL(X) afx_msg void F(); };\n// IMPLEMENT_SERIAL(CNot, CObject, 1)\nconst char* s = "DECLARE_DYNAMIC(x)";\n';
    const pass = blankMfcMacros(text);
    expect(pass.text).toHaveLength(text.length);
    expect(pass.text.split('\n').map((l) => l.length)).toEqual(text.split('\n').map((l) => l.length));
    expect(pass.text).not.toMatch(/IMPLEMENT_SERIAL\(CA|MESSAGE_MAP|ON_WM_PAINT|DECLARE_SERIAL|afx_msg/);
    expect(pass.text).toContain('// IMPLEMENT_SERIAL(CNot, CObject, 1)');
    expect(pass.text).toContain('"DECLARE_DYNAMIC(x)"');
    expect(pass.uses).toEqual([{ name: 'IMPLEMENT_SERIAL', args: ['CA', 'CObject', 'VERSIONABLE_SCHEMA | 2'], line: 1 }]);
  });
});

describe('constant expressions', () => {
  const names = { value: (n: string) => ({ TWO: 2, MASK: 0xf0 })[n], defined: (n: string) => (n === 'KNOWN' ? true : n === 'GONE' ? false : undefined) };
  it.each([
    ['0x10 | 1', 17], ['(WORD)2 + 3', 5], ['TWO << 4', 32], ['MASK & ~0x30', 0xc0], ['017', 15], ["'A'", 65], ['10L', 10],
    ['defined(KNOWN) && !defined GONE', 1], ['TWO > 1 ? 7 : 9', 7], ['0 && UNKNOWN', 0], ['1 || UNKNOWN', 1],
  ])('%s = %s', (text, value) => {
    expect(evaluate(text, names)).toBe(value);
  });

  it.each(['UNKNOWN', 'defined(UNKNOWN)', 'TWO + UNKNOWN', '1 / 0', 'f(2)'])('%s is unknown, not 0', (text) => {
    expect(evaluate(text, names)).toBeUndefined();
  });
});

describe('MSVC struct layout (sizeof)', () => {
  const decls = async (text: string, win64 = false) => {
    const d = new Declarations({ ...DEFAULT_BUILD, profile: { ...DEFAULT_BUILD.profile, win64 } });
    d.collect(await sourceFromText('s.h', text));
    return d;
  };

  it.each([
    ['struct S { BYTE a; DWORD b; };', 8],
    ['struct S { BYTE a; WORD b; BYTE c; };', 6],
    ['struct S { double d; BYTE b; };', 16],
    ['#pragma pack(push, 1)\nstruct S { BYTE a; DWORD b; };\n#pragma pack(pop)', 5],
    ['#pragma pack(2)\nstruct S { BYTE a; DWORD b; };', 6],
    ['struct S { char name[10]; int n; };', 16],
    ['struct S { GUID id; CPoint pt; };', 24],
    ['typedef struct { WORD w; LONG l; } S;', 8],
  ])('%s → %i bytes', async (text, size) => {
    expect(layoutOf(named('S'), await decls(text))?.size).toBe(size);
  });

  it('pointers follow win64; classes with a vtable or a CString have no size to trust', async () => {
    expect(layoutOf(named('S'), await decls('struct S { void* p; int n; };'))?.size).toBe(8);
    expect(layoutOf(named('S'), await decls('struct S { void* p; int n; };', true))?.size).toBe(16);
    expect(layoutOf(named('S'), await decls('struct S { virtual void f(); int n; };'))).toBeUndefined();
    expect(layoutOf(named('S'), await decls('struct S { CString s; };'))).toBeUndefined();
  });
});

describe('--profile', () => {
  it('parses any subset in any order', () => {
    expect(parseProfile('')).toEqual({ mfc: 14, unicode: false, win64: false });
    expect(parseProfile('win64=true, mfc=7.1')).toEqual({ mfc: 7.1, unicode: false, win64: true });
  });

  it.each(['mfc=15', 'mfc=x', 'unicode=yes', 'colour=red'])('refuses %s', (text) => {
    expect(() => parseProfile(text)).toThrow();
  });

  it('gives _MFC_VER as MFC writes it', () => {
    expect([mfcVer(14), mfcVer(7.1), mfcVer(6), mfcVer(4.21)]).toEqual([0x0e00, 0x0710, 0x0600, 0x0421]);
  });
});
