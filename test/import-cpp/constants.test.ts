/**
 * Constants the sources declare, as conditions and sizes use them: enumerators without a value
 * count up from the last one given (however many there are), macros built from other macros are
 * each worked out once, and a macro that refers to itself is unknown, never a number.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_BUILD } from '../../src/import-cpp/build-config.js';
import { Declarations } from '../../src/import-cpp/declarations.js';
import { sourceFromText } from '../../src/import-cpp/source-set.js';
import { fieldsOf } from './helpers.js';

const both = (s: string) => `if (ar.IsStoring()) { ${s.replace(/>>/g, '<<')} } else { ${s.replace(/<</g, '>>')} }`;

async function declarations(text: string): Promise<Declarations> {
  const d = new Declarations(DEFAULT_BUILD);
  d.collect(await sourceFromText('d.h', text));
  d.finish();
  return d;
}

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('enumerators', () => {
  it('the 40th enumerator without a value is 39: a condition on it is translated', async () => {
    const extra = `enum EKind { ${names('K', 40).join(', ')} };`;
    expect(await fieldsOf('int m_kind; WORD m_x;', both('ar << m_kind; if (m_kind == K39) ar << m_x;'), extra)).toEqual([
      { name: 'kind', type: 'int' },
      { name: 'x', type: 'WORD', when: { field: 'kind', eq: 39 } },
    ]);
  });

  it('count up from the last value given, which may name other constants', async () => {
    const d = await declarations(`#define BASE 100\nenum { ${['A0 = BASE', ...names('A', 300).slice(1, 300), 'B = A0 * 2', 'B1'].join(', ')} };`);
    expect([d.value('A0'), d.value('A1'), d.value('A299'), d.value('B'), d.value('B1')]).toEqual([100, 101, 399, 200, 201]);
  });

  it('an enumerator after one of unknown value is unknown too', async () => {
    const d = await declarations('enum { U0 = NOT_DECLARED, U1, U2 };');
    expect([d.value('U0'), d.value('U1'), d.value('U2')]).toEqual([undefined, undefined, undefined]);
  });
});

describe('macros', () => {
  it('#define A1 (A0 + A0) … A30: each worked out once (not 2^30 times)', async () => {
    const lines = ['#define A0 1', ...Array.from({ length: 30 }, (_, i) => `#define A${i + 1} (A${i} + A${i})`)];
    const started = performance.now();
    const fields = await fieldsOf('DWORD m_n; WORD m_x;', both('ar << m_n; if (m_n == A30) ar << m_x;'), lines.join('\n'));
    expect(fields).toEqual([{ name: 'n', type: 'DWORD' }, { name: 'x', type: 'WORD', when: { field: 'n', eq: 2 ** 30 } }]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a macro that refers to itself, directly or through another, is unknown', async () => {
    const d = await declarations('#define SELF (SELF + 1)\n#define PING (PONG + 1)\n#define PONG (PING + 1)\n#define FINE 7');
    expect([d.value('SELF'), d.value('PING'), d.value('PONG'), d.value('FINE')]).toEqual([undefined, undefined, undefined, 7]);
  });

  it('a chain of more than 64 names is unknown, not a stack overflow', async () => {
    const lines = ['#define A0 1', ...Array.from({ length: 300 }, (_, i) => `#define A${i + 1} (A${i} + 1)`)];
    const d = await declarations(lines.join('\n'));
    expect([d.value('A60'), d.value('A300')]).toEqual([61, undefined]);
  });

  it('a value asked before a later #define of a name it uses is worked out again after it', async () => {
    const d = new Declarations(DEFAULT_BUILD);
    d.collect(await sourceFromText('a.h', '#define TOTAL (PART + 1)'));
    expect(d.value('TOTAL')).toBeUndefined();
    d.collect(await sourceFromText('b.h', '#define PART 41'));
    expect(d.value('TOTAL')).toBe(42);
  });
});
