/** The README's configuration table lists every setting with its variable, flag and default. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configTable } from '../../src/gateway/index.js';

const readme = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const table = /<!-- config:start -->([\s\S]*?)<!-- config:end -->/.exec(readme)?.[1] ?? '';

describe('README configuration table', () => {
  const rows = configTable();
  it.each(rows.map((r) => [r.env, r]))('%s is listed with its flag and default', (_env, r) => {
    const line = table.split('\n').find((l) => l.startsWith(`| \`${r.env}\` |`));
    expect(line, `README has no row for ${r.env}`).toBeDefined();
    expect(line).toContain(`| \`${r.flag}\` |`);
    expect(line).toContain(`| \`${JSON.stringify(r.default)}\` |`);
  });
  it('lists nothing that is not a setting', () => {
    const listed = [...table.matchAll(/^\| `(ARCHWAY_[A-Z_]+)`/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(rows.map((r) => r.env).sort());
  });
});
