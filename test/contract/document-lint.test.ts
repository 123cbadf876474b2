/**
 * The served OpenAPI document passes Redocly's `recommended` ruleset and Spectral's `spectral:oas`
 * with no error and no warning (redocly.yaml and .spectral.yaml are the rulesets; a rule turned off
 * there must say why), with and without a token, with a type file added at run time.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Document, Spectral, type RulesetDefinition } from '@stoplight/spectral-core';
import Parsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';

const root = path.resolve(import.meta.dirname, '..', '..');

async function redocly(text: string): Promise<string[]> {
  const config = await createConfig(readFileSync(path.join(root, 'redocly.yaml'), 'utf8'));
  const problems = await lintFromString({ source: text, absoluteRef: 'openapi.json', config });
  return problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? ''}`);
}

async function spectral(text: string): Promise<string[]> {
  // The ruleset file says what runs: spectral:oas whole (no rule is turned off today).
  const ruleset = parseYaml(readFileSync(path.join(root, '.spectral.yaml'), 'utf8')) as { extends: string[]; rules?: unknown };
  expect(ruleset).toEqual({ extends: ['spectral:oas'] });
  const linter = new Spectral();
  // The ruleset package's own object, typed loosely by its package: it is a RulesetDefinition.
  const base = oas as unknown as RulesetDefinition;
  linter.setRuleset({ extends: [[base, 'recommended']] });
  const results = await linter.run(new Document(text, Parsers.Json, 'openapi.json'));
  return results.map((r) => `${r.severity === 0 ? 'error' : 'warn'} ${String(r.code)}: ${r.message} at ${r.path.join('/')}`);
}

/**
 * The one finding that is right: the WebSocket route answers 101 Switching Protocols, so it has no
 * 2XX (Redocly operation-2xx-response, Spectral operation-success-response). Excused for that
 * operation alone; test/gateway/openapi.test.ts holds every other operation to a 2XX answer.
 */
const UPGRADE = /^warn (operation-2xx-response|operation-success-response): .* at (#\/paths\/~1sessions~1\{name\}~1ws|paths\/\/sessions\/\{name\}\/ws)\/get\/responses$/;
const findings = (list: string[]) => list.filter((f) => !UPGRADE.test(f));

let open: TestGateway;
let guarded: TestGateway;
beforeAll(async () => {
  process.env.REDOCLY_TELEMETRY = 'off';
  open = await startGateway();
  guarded = await startGateway({ token: 'secret-token' });
  // Grid's lists nest deep enough that their schemas share a `Sequence.<hash>` definition: linted too.
  const grid = { list: { list: { list: { list: { list: { list: 'CString' } } } } } };
  const file = {
    types: { Ping: { fields: [{ name: 'n', type: 'DWORD' }, { name: 'at', type: 'CTime' }] }, Grid: { fields: [{ name: 'cells', type: grid }] } },
    operations: { ping: { request: 'Ping', response: 'Ping' } },
  };
  expect((await open.call('POST', '/types', file)).status).toBe(201);
});
afterAll(async () => {
  await open.close();
  await guarded.close();
});

describe('the served OpenAPI document', () => {
  it('passes Redocly (recommended) and Spectral (spectral:oas) with nothing to report', async () => {
    const texts = [
      (await open.call<unknown>('GET', '/openapi.json')).body,
      (await guarded.call<unknown>('GET', '/openapi.json', undefined, { authorization: 'Bearer secret-token' })).body,
      JSON.parse(readFileSync(path.join(root, 'openapi', 'openapi.json'), 'utf8')) as unknown,
    ].map((d) => JSON.stringify(d));
    expect(texts[0]).toMatch(/"Sequence\.[0-9a-f]{16}"/);
    for (const text of texts) {
      expect(findings(await redocly(text))).toEqual([]);
      expect(findings(await spectral(text))).toEqual([]);
    }
  }, 120_000); // three documents through two linters: ~8 s alone, several times that beside the suite
});
