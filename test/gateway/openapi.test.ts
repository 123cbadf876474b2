/**
 * The OpenAPI document (SPEC §1 "Typed operations", §4): the committed openapi/openapi.json is what
 * the code produces now (regenerate with `npm run openapi`) and what the gateway serves; it is a
 * valid OpenAPI 3.1 document a generated client can trust — an operationId on every operation, a
 * description on every answer, `code` an enum of exactly the codes of each route and status, every
 * field of an error body declared, one compact example per code — and it follows the registry:
 * types and operations added at run time appear at once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openapiJson } from '../../scripts/openapi-json.js';
import { ErrorDetailsSchema } from '../../src/core/index.js';
import { allCodes } from '../../src/gateway/index.js';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';

interface Media {
  schema: { $ref?: string; allOf?: [{ $ref: string }, { properties: { statusCode: { const: number }; code: { enum: string[] } } }] };
  examples?: Record<string, { value: { statusCode: number; code: string } }>;
}
interface Operation {
  operationId?: string;
  description?: string;
  requestBody?: unknown;
  parameters?: { name: string; in: string; example?: unknown }[];
  responses: Record<string, { description: string; content?: Record<string, Media> }>;
}
interface Doc {
  info: { description: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { examples?: unknown[]; properties?: Record<string, unknown>; additionalProperties?: boolean }> };
}

const root = path.resolve(import.meta.dirname, '..', '..');
const committedText = readFileSync(path.join(root, 'openapi', 'openapi.json'), 'utf8');
const committed = JSON.parse(committedText) as Doc;
const operations = Object.entries(committed.paths).flatMap(([p, item]) => Object.entries(item).map(([method, op]) => ({ p, method, op })));

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway();
});
afterAll(async () => {
  await gw.close();
});

describe('openapi/openapi.json', () => {
  it('is up to date: it equals what the code generates now (run `npm run openapi` after changing a route)', async () => {
    const fresh = await openapiJson();
    expect(committedText === fresh, 'openapi/openapi.json is stale: run `npm run openapi`').toBe(true);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const api = (await SwaggerParser.validate(structuredClone(committed) as never)) as { openapi?: string };
    expect(api.openapi).toBe('3.1.0');
  });

  it('is what GET /openapi.json serves (but for the server address, which is the port really listened on)', async () => {
    const r = await gw.call<Doc>('GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect({ ...r.body, servers: committed.servers }).toEqual(committed);
    expect(r.body.servers.map((s) => s.url)).toEqual(['/', gw.base]);
  });
});

describe('a document a generated client can trust', () => {
  it('every operation has a unique camelCase operationId and a description', () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]*$/.test(id)), JSON.stringify(ids)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { p, method, op } of operations) expect(op.description, `${method} ${p}`).toMatch(/\S/);
    expect(ids).toEqual(expect.arrayContaining(['createSession', 'connect', 'exchange', 'placeOrder', 'storeOrder', 'loadOrderAck']));
  });

  it('every operation has a 2XX answer but the WebSocket, which upgrades (101)', () => {
    for (const { p, method, op } of operations) {
      const codes = Object.keys(op.responses);
      if (p === '/sessions/{name}/ws') expect(codes).toContain('101');
      else expect(codes.some((c) => /^2\d\d$/.test(c)), `${method} ${p}`).toBe(true);
    }
  });

  it('every answer is described (no "Default Response")', () => {
    for (const { p, method, op } of operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        expect(response.description, `${method} ${p} ${status}`).not.toBe('Default Response');
        expect(response.description.length, `${method} ${p} ${status}`).toBeGreaterThan(3);
      }
    }
  });

  it('error answers: code an enum of exactly the route\'s codes for that status, one example per code', () => {
    const statusOf = new Map<string, number>(allCodes().map((c) => [c.code, c.status]));
    const onRoutes = new Set<string>();
    for (const { p, method, op } of operations) {
      const documented: string[] = [];
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        const media = response.content?.['application/json'];
        const [problem, narrowed] = media?.schema.allOf ?? [];
        expect(problem?.$ref, `${method} ${p} ${status}`).toBe('#/components/schemas/Problem');
        const codes = narrowed?.properties.code.enum ?? [];
        expect(narrowed?.properties.statusCode.const).toBe(Number(status));
        expect(Object.keys(media?.examples ?? {}).sort(), `${method} ${p} ${status}`).toEqual([...codes].sort());
        for (const code of codes) {
          expect(statusOf.get(code), `${method} ${p}: ${code}`).toBe(Number(status));
          expect(media!.examples![code]!.value).toMatchObject({ statusCode: Number(status), code });
          documented.push(code);
          onRoutes.add(code);
        }
      }
      expect(documented, `${method} ${p}`).toEqual(expect.arrayContaining(['/health', '/openapi.json'].includes(p) ? ['INTERNAL'] : ['UNAUTHORIZED', 'INTERNAL']));
      if (op.requestBody !== undefined) {
        expect(documented, `${method} ${p}`).toEqual(expect.arrayContaining(['MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE']));
      }
      if (p.includes('{name}')) expect(documented, `${method} ${p}`).toEqual(expect.arrayContaining(['VALIDATION', 'URI_TOO_LONG']));
    }
    // Every HTTP code is on some route, but ROUTE_NOT_FOUND (it answers paths no route has) and
    // GATEWAY_UNAVAILABLE (the load balancer's own answer, deploy/haproxy, when no instance is up).
    const missing = allCodes().filter((c) => c.http).map((c) => c.code).filter((c) => !onRoutes.has(c));
    expect(missing.sort()).toEqual(['GATEWAY_UNAVAILABLE', 'ROUTE_NOT_FOUND']);
  });

  it('lists every error code with its status in the description table', () => {
    const http = allCodes().filter((c) => c.http);
    expect(http.length).toBeGreaterThanOrEqual(30);
    for (const { code, status } of http) expect(committed.info.description, code).toContain(`| \`${code}\` | ${status} |`);
  });

  it('declares every field an error body can carry, and no other', () => {
    const problem = committed.components.schemas.Problem!;
    expect(problem.additionalProperties).toBe(false);
    expect(Object.keys(problem.properties ?? {}).sort()).toEqual(['code', 'message', 'statusCode', ...Object.keys(ErrorDetailsSchema.properties)].sort());
  });

  it('has servers, and path parameter examples so a person types a session name once', () => {
    expect(committed.servers.map((s) => s.url)).toEqual(['/', 'http://127.0.0.1:8080']);
    for (const { p, method, op } of operations) {
      for (const param of op.parameters ?? []) if (param.in === 'path') expect(param.example, `${method} ${p} ${param.name}`).toBeDefined();
    }
  });

  it('carries the demo types as schemas with examples, in canonical, lossless and input shapes', () => {
    for (const name of ['Order', 'OrderLine', 'OrderAck']) {
      for (const shape of ['', 'Lossless', 'Input']) {
        expect(committed.components.schemas[name + shape], name + shape).toBeDefined();
        expect(committed.components.schemas[name + shape]!.examples?.length, name + shape).toBe(1);
      }
    }
  });

  it('canonical answers have one shape per field: no anyOf or oneOf in Order, OrderLine, OrderAck (a double may be "NaN")', () => {
    const unions = (node: unknown, at: string, out: string[]): string[] => {
      if (Array.isArray(node)) node.forEach((n, i) => unions(n, `${at}/${i}`, out));
      else if (node !== null && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === 'anyOf' || k === 'oneOf') out.push(`${at}/${k}`);
          // A type array is a union too; the only one allowed is a double's number-or-NaN/Infinity.
          if (k === 'type' && Array.isArray(v) && JSON.stringify(v) !== '["number","string"]') out.push(`${at}/type`);
          unions(v, `${at}/${k}`, out);
        }
      }
      return out;
    };
    for (const name of ['Order', 'OrderLine', 'OrderAck']) expect(unions(committed.components.schemas[name], name, []), name).toEqual([]);
    const doubles = JSON.stringify(committed.components.schemas.Order!.properties!.total);
    expect(doubles).toContain('"pattern":"^(NaN|Infinity|-Infinity)$"');
    // The lossless forms are what carries the unions: they must still be there to reproduce bytes.
    expect(unions(committed.components.schemas.OrderLossless, 'OrderLossless', []).length).toBeGreaterThan(0);
  });
});

describe('the document follows the registry', () => {
  it('a type file added with POST /types appears at once with its operation; removed, it goes', async () => {
    const file = {
      types: { Ping: { fields: [{ name: 'n', type: 'DWORD' }] }, Pong: { fields: [{ name: 'n', type: 'DWORD' }] } },
      operations: { ping: { request: 'Ping', response: 'Pong' } },
    };
    expect((await gw.call('POST', '/types', file)).status).toBe(201);
    const after = (await gw.call<Doc>('GET', '/openapi.json')).body;
    expect(after.paths['/sessions/{name}/ops/ping']?.post?.operationId).toBe('ping');
    expect(after.paths['/sessions/{name}/store/Ping']?.post?.operationId).toBe('storePing');
    expect(after.components.schemas.Pong).toBeDefined();
    const ui = (await gw.call<Doc>('GET', '/docs/json')).body;
    expect(ui.paths['/sessions/{name}/ops/ping']).toBeDefined();
    // An operation holds its types: they go once it does (a type file's operations go with its types).
    expect((await gw.call('DELETE', '/types/Ping')).status).toBe(409);
  });

  it('an operation may not take the operationId of a route of the gateway (TYPE_FILE)', async () => {
    for (const name of ['connect', 'createSession', 'storeThing', 'loadX']) {
      const r = await gw.call('POST', '/types', { types: { [`T${name}`]: { fields: [] } }, operations: { [name]: { request: `T${name}`, response: `T${name}` } } });
      expect(r.status, name).toBe(400);
    }
  });
});
