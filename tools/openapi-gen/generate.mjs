// Generates TypeScript types from an OpenAPI document with openapi-typescript, which needs
// TypeScript 5's JS API: this folder has its own TypeScript (the project compiles with TypeScript 7).
// Usage: node tools/openapi-gen/generate.mjs <openapi.json> <out.d.ts>
import { readFile, writeFile } from 'node:fs/promises';
import openapiTS, { COMMENT_HEADER, astToString } from 'openapi-typescript';

const [input, output] = process.argv.slice(2);
if (input === undefined || output === undefined) {
  console.error('usage: node tools/openapi-gen/generate.mjs <openapi.json> <out.d.ts>');
  process.exit(2);
}
const doc = JSON.parse(await readFile(input, 'utf8'));
const ast = await openapiTS(doc, { exportType: true });
await writeFile(output, COMMENT_HEADER + astToString(ast));
