/**
 * A real gateway listening on loopback for tests, and undici calls against it. Every test file
 * builds its own instance (nothing is shared between instances).
 *
 * `call<T>()` parses the body as JSON (or keeps the text) and types it as `T`, `unknown` unless the
 * caller names the body it expects: the response bodies below are the route schemas' own types, so
 * a test that reads a field the API does not have fails to type-check.
 */
import type { Static } from 'typebox';
import { afterAll, beforeAll } from 'vitest';
import { DEMO_TYPES } from '../../src/demo/index.js';
import { buildGateway, loadConfig, type Config, type Gateway } from '../../src/gateway/index.js';
import type { Loaded as LoadedSchema, ReadResult as ReadResultSchema, Stored as StoredSchema, Written as WrittenSchema } from '../../src/gateway/schemas/archive-schemas.js';
import type { Received as ReceivedSchema, Sent as SentSchema } from '../../src/gateway/schemas/datagram-schemas.js';
import type { Closed as ClosedSchema } from '../../src/gateway/schemas/session-schemas.js';
import type { Endpoint as EndpointSchema, Problem as ProblemSchema, SessionInfo as SessionInfoSchema } from '../../src/gateway/schemas/shared-schemas.js';
import type { TypeDetail as TypeDetailSchema, TypeList as TypeListSchema, TypeRemoved as TypeRemovedSchema, TypesAdded as TypesAddedSchema } from '../../src/gateway/schemas/type-schemas.js';
import { callAt } from './http-call.js';

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

export interface TestGateway extends Gateway {
  base: string;
  call<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  close(): Promise<void>;
}

// ---- response bodies (the `$ref`s of the schemas resolved by hand) ----------------------------

export type Endpoint = Static<typeof EndpointSchema>;
/** SessionInfo: `local` / `remote` are `$ref: Endpoint` in the schema. */
export type SessionInfo = Omit<Static<typeof SessionInfoSchema>, 'local' | 'remote'> & { local?: Endpoint; remote?: Endpoint };
export interface SessionList {
  sessions: SessionInfo[];
}
export type Closed = Static<typeof ClosedSchema>;
/** A problem-style error (SPEC §4): its known fields, and the details of its code. */
export type Problem = Static<typeof ProblemSchema> & { readonly [detail: string]: unknown };
export type Stored = Static<typeof StoredSchema>;
/** A load's or an exchange's answer: `value` is the JSON mapping of the type asked for. */
export type Loaded<V = unknown> = Omit<Static<typeof LoadedSchema>, 'value'> & { value: V };
export type Written = Static<typeof WrittenSchema>;
export type ReadResult = Static<typeof ReadResultSchema>;
export type Sent = Static<typeof SentSchema>;
export type Received = Omit<Static<typeof ReceivedSchema>, 'from'> & { from: Endpoint };
export type TypeList = Static<typeof TypeListSchema>;
export type TypeDetail = Static<typeof TypeDetailSchema>;
export type TypesAdded = Static<typeof TypesAddedSchema>;
export type TypeRemoved = Static<typeof TypeRemovedSchema>;
export interface Health {
  status: 'ok';
  sessions: number;
  types: number;
  uptimeSeconds: number;
  memory: { held: number; limit: number };
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
    call: <T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => callAt<T>(base, method, path, body, headers),
    close: () => gw.app.close(),
  };
}

/**
 * The gateway of one describe block: started before its tests, closed after them. The returned
 * function gives it inside a test.
 */
export function useGateway(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = {}): () => TestGateway {
  let gw: TestGateway | undefined;
  beforeAll(async () => {
    gw = await startGateway(overrides, env);
  });
  afterAll(async () => {
    await gw?.close();
  });
  return () => {
    if (gw === undefined) throw new Error('the gateway is not started: useGateway() belongs in a describe block');
    return gw;
  };
}
