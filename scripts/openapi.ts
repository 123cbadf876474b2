/**
 * `npm run openapi`: writes openapi/openapi.json, the API as `npm start` serves it (default
 * configuration, demo types loaded). A test fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openapiJson } from './openapi-json.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = path.join(root, 'openapi', 'openapi.json');
writeFileSync(out, await openapiJson());
console.log(`wrote ${path.relative(process.cwd(), out)}`);
