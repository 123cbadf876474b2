/**
 * A real gateway listening on loopback for tests, and undici calls against it. Every test file
 * builds its own instance (nothing is shared between instances).
 */
import { request } from 'undici';
import { DEMO_TYPES } from '../../src/demo/index.js';
import { buildGateway, loadConfig, type Config, type Gateway } from '../../src/gateway/index.js';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

export interface TestGateway extends Gateway {
  base: string;
  call<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  close(): Promise<void>;
}

export async function startGateway(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = {}): Promise<TestGateway> {
  const config = loadConfig([], env, { port: 0, logLevel: 'silent', ...overrides });
  const gw = await buildGateway(config, { typeFiles: [{ file: DEMO_TYPES, source: 'types/demo.json' }] });
  await gw.app.listen({ host: '127.0.0.1', port: 0 });
  const address = gw.app.server.address();
  if (address === null || typeof address !== 'object') throw new Error('gateway did not listen');
  const base = `http://127.0.0.1:${address.port}`;
  return {
    ...gw,
    base,
    async call(method, path, body, headers = {}) {
      const res = await request(base + path, {
        method: method as 'GET',
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.body.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON (metrics, SSE): the text itself
      }
      return { status: res.statusCode, body: parsed as any, headers: res.headers };
    },
    close: () => gw.app.close(),
  };
}

/** The reference Order of SPEC §7, with an id. */
export function order(id: number) {
  return {
    id,
    customer: 'Globex Industrial Co',
    placed: '2019-10-03T14:47:55Z',
    total: 323.77,
    priority: 3,
    express: id % 2 === 0,
    lines: [
      { sku: 'AB-10001', qty: 2, price: 19.99 },
      { sku: 'CX-20417', qty: (id % 50) + 1, price: 3.75 },
    ],
    notes: ['Leave at dock 7.'],
  };
}
