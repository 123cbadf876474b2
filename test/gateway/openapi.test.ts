/**
 * The OpenAPI document (SPEC §4): the committed openapi/openapi.json is what the code produces now
 * (regenerate with `npm run openapi`), it is a valid OpenAPI 3.1 document, the gateway serves it,
 * and it documents every error code with the status the gateway answers with.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openapiJson } from '../../scripts/openapi-json.js';
import { allCodes } from '../../src/gateway/index.js';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const committedText = readFileSync(path.join(root, 'openapi', 'openapi.json'), 'utf8');
const committed = JSON.parse(committedText) as {
  info: { description: string };
  paths: Record<string, Record<string, { responses: Record<string, { description: string; content?: Record<string, { schema: { $ref?: string } }> }> }>>;
  components: { schemas: Record<string, { examples?: unknown[] }> };
};

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
});
afterAll(async () => {
  await gw.close();
});

/** Error codes a response documents: its description reads "`CODE`: when; `CODE`: when". */
function codesOf(description: string): string[] {
  return [...description.matchAll(/`([A-Z_]+)`:/g)].map((m) => m[1]!);
}

describe('openapi/openapi.json', () => {
  it('is up to date: it equals what the code generates now (run `npm run openapi` after changing a route)', async () => {
    const fresh = await openapiJson();
    expect(committedText === fresh, 'openapi/openapi.json is stale: run `npm run openapi`').toBe(true);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const api = (await SwaggerParser.validate(structuredClone(committed) as never)) as { openapi?: string };
    expect(api.openapi).toBe('3.1.0');
  });

  it('is what GET /openapi.json serves', async () => {
    const r = await gw.call('GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.body).toEqual(committed);
  });

  it('lists every error code with its status in the description table', () => {
    const codes = allCodes();
    expect(codes.length).toBeGreaterThanOrEqual(28);
    for (const { code, status } of codes) {
      expect(committed.info.description, code).toContain(`| \`${code}\` | ${status} |`);
    }
  });

  it('documents every code on the routes that produce it, under the status the gateway answers with', () => {
    const statusOf = new Map<string, number>(allCodes().map((c) => [c.code, c.status]));
    const onRoutes = new Set<string>();
    let operations = 0;
    for (const [p, ops] of Object.entries(committed.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        operations++;
        const documented: string[] = [];
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) < 400) continue;
          expect(response.content?.['application/json']?.schema.$ref, `${method} ${p} ${status}`).toBe('#/components/schemas/Problem');
          for (const code of codesOf(response.description)) {
            expect(statusOf.get(code), `${method} ${p}: ${code}`).toBe(Number(status));
            documented.push(code);
            onRoutes.add(code);
          }
        }
        if (p === '/health') continue;
        expect(documented, `${method} ${p}`).toEqual(expect.arrayContaining(['UNAUTHORIZED', 'INTERNAL']));
        if ((op as { requestBody?: unknown }).requestBody !== undefined) {
          expect(documented, `${method} ${p}`).toEqual(expect.arrayContaining(['MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE']));
        }
        if (p.includes('{name}')) expect(documented, `${method} ${p}`).toEqual(expect.arrayContaining(['VALIDATION']));
      }
    }
    expect(operations).toBeGreaterThanOrEqual(21);
    // Every HTTP code is on some route, but ROUTE_NOT_FOUND: that one answers paths no route has.
    const missing = allCodes().filter((c) => c.http).map((c) => c.code).filter((c) => !onRoutes.has(c));
    expect(missing).toEqual(['ROUTE_NOT_FOUND']);
  });

  it('carries the demo message types as schemas with examples', () => {
    for (const name of ['Order', 'OrderLine', 'OrderAck']) {
      expect(committed.components.schemas[name], name).toBeDefined();
      expect(committed.components.schemas[name]!.examples?.length, name).toBe(1);
    }
    expect(committed.components.schemas.Problem).toBeDefined();
  });
});
