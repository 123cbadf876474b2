/**
 * The README's table of grammar part two (section "Message-type files") holds to the codec: every
 * field it shows loads, in a type that has the earlier fields it names, and its value round-trips.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TypeRegistry, exampleOf } from '../../src/archive/index.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('### Describing real `Serialize` functions'), readme.indexOf('## Command line'));
const fields = [...section.matchAll(/`(\{ "name": .*? \})`/g)].map((m) => m[1]!);

describe('README: grammar part two', () => {
  it('shows a field for each construct', () => {
    expect(fields.length).toBeGreaterThanOrEqual(10);
  });

  it.each(fields)('%s loads and round-trips', (text) => {
    const field = JSON.parse(text) as Record<string, unknown>;
    const reg = new TypeRegistry();
    reg.add({ types: {
      Login: { fields: [{ name: 'user', type: 'CString' }] },
      Nothing: { fields: [] },
      // The earlier fields the table's fields name (counts, a version, a kind).
      T: { class: 'CT', fields: [
        { name: 'nLines', type: 'WORD' }, { name: 'cb', type: 'DWORD' }, { name: 'version', type: 'WORD' }, { name: 'kind', type: 'BYTE' },
        field,
      ] },
    } });
    const codec = reg.get('T');
    const value = exampleOf(codec.plan);
    expect(codec.decode(codec.encode(value), undefined, 'canonical')).toStrictEqual(value);
  });
});
