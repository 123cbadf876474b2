/**
 * The ceiling of `bench/gateway.ts` (SPEC 7): a bare Fastify route that validates the same `Order`
 * JSON (its JSON Schema, generated from types/demo.json like the gateway's) and echoes it back in
 * the gateway's answer shape `{value}`, serialized by schema. No sockets, no archive: just the HTTP
 * and JSON work every gateway request also does. Prints `{"port": n}` and stops when stdin closes.
 */
import Fastify from 'fastify';
import { TypeRegistry } from '../../src/archive/index.js';
import { DEMO_TYPES } from '../../src/demo/index.js';
import { announce, stopWith } from './child-server.js';

const types = new TypeRegistry();
types.add(DEMO_TYPES);
const { root, defs } = types.get('Order').schemas('#/$defs/');
// `$defs` at the root of each schema, where the `#/$defs/…` references point.

const app = Fastify({ logger: false, ajv: { customOptions: { keywords: ['example'] } } });
app.post('/echo', {
  schema: {
    body: {
      type: 'object',
      $defs: defs,
      required: ['request', 'response'],
      properties: {
        request: { type: 'object', required: ['type', 'value'], properties: { type: { type: 'string' }, value: root } },
        response: { type: 'object' },
      },
    },
    response: { 200: { type: 'object', $defs: defs, properties: { value: root } } },
  },
}, async (req) => ({ value: (req.body as { request: { value: unknown } }).request.value }));

await app.listen({ host: '127.0.0.1', port: 0 });
announce(app.server.address());
stopWith(() => app.close());
