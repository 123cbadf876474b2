/**
 * Regression (review of src/archive, item 6): the cache of ad-hoc codecs was capped by count, not
 * size, and keyed by the whole expression's JSON: `{"object": ["C", "C", …]}` of 8 MB in each of 512
 * requests kept 4 GB. An ad-hoc expression is 16 KiB of JSON at most now (VALIDATION, a 400 naming
 * the request's `type`); a declared type's name stays the way to use anything larger.
 */
import { describe, expect, it } from 'vitest';
import { TypeRegistry } from '../../src/archive/index.js';
import { MAX_AD_HOC_JSON } from '../../src/archive/types/type-registry.js';
import { expectError } from '../archive/golden/helpers.js';
import { startGateway } from '../support/gateway-harness.js';
import { expectProblem, rawPeer } from '../support/gateway-routes.js';

const classes = { types: { C: { class: 'C', fields: [{ name: 'v', type: 'BYTE' }] } } };
/** `{"object": ["C", …]}` of about `bytes` characters of JSON. */
const objects = (bytes: number) => ({ object: Array.from({ length: Math.floor(bytes / 4) }, () => 'C') });

describe('an ad-hoc type expression', () => {
  it('is refused past 16 KiB of JSON, and compiles below', () => {
    expect(MAX_AD_HOC_JSON).toBe(16 * 1024);
    const reg = new TypeRegistry();
    reg.add(classes);
    const err = expectError(() => reg.codecFor(objects(64 * 1024)), 'VALIDATION');
    expect(err.message).toContain(`more than ${MAX_AD_HOC_JSON}`);
    expect(reg.codecFor(objects(8 * 1024)).encode({ $class: 'C', v: 1 }).length).toBeGreaterThan(0);
    // A name is not capped: an unknown one is never kept, and says it is unknown.
    expectError(() => reg.codecFor('N'.repeat(64 * 1024)), 'UNKNOWN_TYPE');
  });
});

describe('the gateway', () => {
  it('answers 400 VALIDATION at the request\'s type', async () => {
    const gw = await startGateway();
    const peer = await rawPeer(gw, 'big');
    try {
      expect((await gw.call('POST', '/types', classes)).status).toBe(201);
      expectProblem(await gw.call('POST', '/sessions/big/load', { type: objects(1024 * 1024), timeoutMs: 100 }), 400, 'VALIDATION', { path: '/type' });
      expectProblem(await gw.call('POST', '/sessions/big/store', { type: objects(1024 * 1024), value: null }), 400, 'VALIDATION', { path: '/type' });
    } finally {
      peer.destroy();
      await gw.close();
    }
  });
});
