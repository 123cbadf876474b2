/**
 * What a web developer writes against Archway with a client generated from its OpenAPI document
 * (openapi-typescript + openapi-fetch): create a session, connect it to the demo service, call the
 * `placeOrder` operation, read the acknowledgement's message as a string, close the session.
 * Compiled strict by test/contract/generated-client.test.ts: no cast, no `any` — the document's
 * types are enough. The client asks for `application/json` answers (openapi-fetch's media-type
 * parameter): the canonical form; `?form=lossless` answers come as another media type.
 */
import createClient from 'openapi-fetch';
import type { paths } from './generated/archway.js';

export async function placeOrder(baseUrl: string, demoPort: number, session: string): Promise<string> {
  const api = createClient<paths, 'application/json'>({ baseUrl });
  const path = { name: session };
  const created = await api.POST('/sessions', { body: { kind: 'stream', name: session } });
  if (created.error !== undefined) throw new Error(`${created.error.code}: ${created.error.message}`);
  const connected = await api.POST('/sessions/{name}/connect', { params: { path }, body: { host: '127.0.0.1', port: demoPort } });
  if (connected.error !== undefined) throw new Error(`${connected.error.code}: ${connected.error.message}`);
  const placed = await api.POST('/sessions/{name}/ops/placeOrder', {
    params: { path, query: { timeoutMs: 5000 } },
    body: {
      id: 42,
      customer: 'Globex',
      placed: '2019-10-03T14:47:55Z',
      total: 39.98,
      priority: 1,
      express: false,
      lines: [{ sku: 'AB-10001', qty: 2, price: 19.99 }],
      notes: [],
    },
  });
  if (placed.error !== undefined) throw new Error(`${placed.error.code}: ${placed.error.message}`);
  const message: string = placed.data.message;
  const closed = await api.DELETE('/sessions/{name}', { params: { path } });
  if (closed.error !== undefined) throw new Error(`${closed.error.code}: ${closed.error.message}`);
  return message;
}
