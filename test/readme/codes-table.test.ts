/**
 * The README's table of error codes is the catalogue (src/core/codes.ts) with the HTTP statuses of
 * src/gateway/http-status.ts — every code once, nothing else — as fastify's errors test holds its
 * documentation to its error list. The OpenAPI document's table is checked in test/gateway.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/core/index.js';
import { allCodes } from '../../src/gateway/index.js';

const readme = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const table = /<!-- codes:start -->([\s\S]*?)<!-- codes:end -->/.exec(readme)?.[1] ?? '';
const rows = [...table.matchAll(/^\| `([A-Z_]+)` \| (\d{3}|—) \| (.+) \|$/gm)].map((m) => ({ code: m[1]!, status: m[2]!, when: m[3]! }));

describe('README error codes table', () => {
  it('lists every code of the catalogue once, nothing else', () => {
    expect(rows.map((r) => r.code).sort()).toEqual(Object.keys(CODES).sort());
  });

  it.each(allCodes().map((c) => [c.code, c]))('%s has its HTTP status and its description', (_code, c) => {
    const row = rows.find((r) => r.code === c.code);
    expect(row, `README has no row for ${c.code}`).toBeDefined();
    expect(row!.status).toBe(c.http ? String(c.status) : '—');
    expect(row!.when).toBe(c.when);
  });
});
