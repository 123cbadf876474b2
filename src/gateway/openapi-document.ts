/**
 * The parts of the OpenAPI 3.1 document that routes do not carry: the API's description with the
 * table of error codes, the message types loaded at start as component schemas (with examples, so
 * Swagger UI offers real bodies), and the bearer scheme when a token is required.
 */
import { exampleOf, type TypeRegistry } from '../archive/index.js';
import type { Config } from './config.js';
import { allCodes } from './error-catalog.js';

export const API_VERSION = '1.0.0';

export function openapiDocument(config: Config, types: TypeRegistry) {
  const schemas: Record<string, unknown> = {};
  for (const name of types.names()) {
    const codec = types.get(name);
    const { root, defs } = codec.schemas('#/components/schemas/');
    for (const [defName, def] of Object.entries(defs)) {
      if (!(defName in schemas)) schemas[defName] = { ...def, examples: [exampleOf(types.get(defName).plan)] };
    }
    if (!(name in defs)) schemas[name] = { ...root, examples: [exampleOf(codec.plan)] };
  }
  const codes = allCodes()
    .sort((a, b) => a.status - b.status || a.code.localeCompare(b.code))
    .map((c) => `| \`${c.code}\` | ${c.status} | ${c.when} |`)
    .join('\n');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Archway gateway',
      version: API_VERSION,
      description: [
        'JSON over HTTP to archive-over-socket services: named socket sessions (MFC CSocket / CAsyncSocket),',
        'byte-exact CArchive encoding of JSON values, and datagrams. Message types are listed at `GET /types`.',
        '',
        'Errors are problem-style JSON `{statusCode, code, message}` plus details (`path`, `offset`, `wsa`…).',
        '',
        '| code | status | when |',
        '|---|---|---|',
        codes,
      ].join('\n'),
    },
    tags: [
      { name: 'sessions', description: 'socket sessions: create, listen, connect, accept, close, events' },
      { name: 'archives', description: 'CArchive over a connected stream session: store, load, exchange, raw bytes' },
      { name: 'datagrams', description: 'UDP: SendTo / ReceiveFrom' },
      { name: 'types', description: 'message types (SPEC §2)' },
      { name: 'service', description: 'health, metrics, this document' },
    ],
    components: {
      schemas,
      ...(config.token === '' ? {} : { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } }),
    },
    ...(config.token === '' ? {} : { security: [{ bearer: [] }] }),
  };
}

/** Request examples for the archive routes, from the first declared type that has fields. */
export function typedExample(types: TypeRegistry): { type: string; value: unknown } | undefined {
  for (const name of types.names()) {
    const plan = types.get(name).plan;
    if (plan.kind === 'struct' && plan.fields.length > 0 && plan.cls === undefined) return { type: name, value: exampleOf(plan) };
  }
  return undefined;
}
