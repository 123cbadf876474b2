/**
 * `npm run readme:tables`: rewrites the README's configuration table and error-code table from the
 * code (the TypeBox config schema; the code catalogue with its HTTP statuses). Tests in test/readme
 * fail when either table is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allCodes, configTable } from '../src/gateway/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const file = path.join(root, 'README.md');

function replaceBlock(text: string, name: string, lines: string[]): string {
  const re = new RegExp(`<!-- ${name}:start -->[\\s\\S]*?<!-- ${name}:end -->`);
  if (!re.test(text)) throw new Error(`README.md has no <!-- ${name}:start --> block`);
  return text.replace(re, [`<!-- ${name}:start -->`, ...lines, `<!-- ${name}:end -->`].join('\n'));
}

const config = [
  '| variable | flag | default | meaning |',
  '|---|---|---|---|',
  ...configTable().map((r) => `| \`${r.env}\` | \`${r.flag}\` | \`${JSON.stringify(r.default)}\` | ${r.description} |`),
];
const codes = [
  '| code | HTTP | when |',
  '|---|---|---|',
  ...allCodes()
    .sort((a, b) => a.status - b.status || a.code.localeCompare(b.code))
    .map((c) => `| \`${c.code}\` | ${c.http ? c.status : '—'} | ${c.when} |`),
];
writeFileSync(file, replaceBlock(replaceBlock(readFileSync(file, 'utf8'), 'config', config), 'codes', codes));
console.log('README.md: configuration and error-code tables rewritten');
