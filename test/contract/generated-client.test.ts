/**
 * A web developer's client works (the typed-contract issue, point 5): TypeScript types are
 * generated from the served /openapi.json with openapi-typescript (its own TypeScript 5 lives in
 * tools/openapi-gen, as it needs TypeScript's JS API); a client written with openapi-fetch that
 * creates a session, connects to the demo service, calls `placeOrder`, reads `ack.message` as a
 * string and closes compiles strict with no cast and no `any`, and runs; and a file of mistakes (a
 * misspelled operation, a field of the wrong type) fails to compile line by line.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoService, type DemoService } from '../../src/demo/index.js';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
const client = path.join(root, 'test', 'contract', 'client');

let gw: TestGateway;
let demo: DemoService;
beforeAll(async () => {
  gw = await startGateway();
  demo = await startDemoService({ port: 0, host: '127.0.0.1', udp: false, types: gw.ctx.types });
  // The types, generated from what the gateway serves.
  mkdirSync(path.join(client, 'generated'), { recursive: true });
  const doc = path.join(client, 'generated', 'openapi.json');
  writeFileSync(doc, JSON.stringify((await gw.call<unknown>('GET', '/openapi.json')).body));
  await run(process.execPath, [path.join(root, 'tools', 'openapi-gen', 'generate.mjs'), doc, path.join(client, 'generated', 'archway.d.ts')]);
}, 30_000);
afterAll(async () => {
  await gw.close();
  await demo.close();
});

describe('a client generated from /openapi.json', () => {
  it('compiles strict with no cast and no any; the mistakes file fails exactly where it says', async () => {
    // No `any`, no `as`, no non-null assertion in the client's code (its comments aside).
    const code = readFileSync(path.join(client, 'place-order.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/\bany\b|\bas\s|!\./);
    const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
    const result = await run(tsc, ['-p', path.join(client, 'tsconfig.json')]).then(
      () => ({ code: 0, out: '' }),
      (err: { code?: number; stdout?: string }) => ({ code: err.code ?? 1, out: err.stdout ?? '' }),
    );
    expect(result.out, result.out).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);

  it('runs: create, connect to the demo, placeOrder, read ack.message as a string, close', async () => {
    // Imported by URL: the project's own type-check does not follow it (generated types are not in a fresh clone).
    const module: unknown = await import(pathToFileURL(path.join(client, 'place-order.ts')).href);
    const { placeOrder } = module as { placeOrder: (b: string, p: number, s: string) => Promise<string> };
    expect(await placeOrder(gw.base, demo.port, 'generated-client')).toBe('order 42 for Globex: 1 line(s), 2 item(s)');
  });
});
