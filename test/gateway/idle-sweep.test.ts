/** The idle policy (SPEC §3): a session no HTTP client used for ARCHWAY_IDLE_TIMEOUT_MS is closed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/gateway/index.js';
import { startGateway, type TestGateway } from './gateway-harness.js';

describe('idle sessions', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ idleTimeoutMs: 400, maxTimeoutMs: 400, defaultTimeoutMs: 200 });
  });
  afterAll(() => gw.close());

  it('closes a session left alone, keeps one in use', async () => {
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'left' })).status).toBe(201);
    expect((await gw.call('POST', '/sessions', { kind: 'datagram', name: 'used' })).status).toBe(201);
    const until = Date.now() + 900;
    while (Date.now() < until) {
      expect((await gw.call('GET', '/sessions/used')).status).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await gw.call('GET', '/sessions/left')).status).toBe(404);
    expect((await gw.call('GET', '/sessions/used')).status).toBe(200);
  });

  it('refuses an idle timeout shorter than the longest wait a request may ask for', () => {
    expect(() => loadConfig(['--idle-timeout-ms', '1000'], {})).toThrow(/--idle-timeout-ms: idleTimeoutMs 1000 is shorter than maxTimeoutMs 300000/);
    expect(loadConfig(['--idle-timeout-ms', '0'], {}).idleTimeoutMs).toBe(0);
  });
});
