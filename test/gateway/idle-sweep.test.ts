/** The idle policy (SPEC §3): a session no HTTP client used for ARCHWAY_IDLE_TIMEOUT_MS is closed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/gateway/index.js';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';
import { until } from '../support/until.js';

/** Live session names, read in-process: a GET would count as a use and keep the session alive. */
function names(gw: TestGateway): string[] {
  return [...gw.ctx.sessions.all()].map((s) => s.name);
}

describe('idle sessions', () => {
  const IDLE_MS = 60_000;
  let gw: TestGateway;
  beforeAll(async () => {
    // The sweep below is given its clock; the gateway's own timer would wait a minute of real time.
    gw = await startGateway({ idleTimeoutMs: IDLE_MS, maxTimeoutMs: IDLE_MS, defaultTimeoutMs: 200 });
  });
  afterAll(() => gw.close());

  it('closes a session left alone, keeps one in use', async () => {
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'left' })).status).toBe(201);
    expect((await gw.call('POST', '/sessions', { kind: 'datagram', name: 'used' })).status).toBe(201);
    const left = [...gw.ctx.sessions.all()].find((s) => s.name === 'left')!;
    // `used` is used after `left` was last (a later millisecond), then the clock is moved to the
    // moment `left` has been idle for the whole timeout: `used` has not.
    await until(() => Date.now() > left.lastUsed, 'the clock to pass the last use of left');
    expect((await gw.call('GET', '/sessions/used')).status).toBe(200);
    expect(gw.ctx.sessions.sweep(left.lastUsed + IDLE_MS)).toEqual(['left']);
    expect((await gw.call('GET', '/sessions/left')).status).toBe(404);
    expect((await gw.call('GET', '/sessions/used')).status).toBe(200);
  });

  it('sweeps on its own timer: an idle session goes without anyone asking', async () => {
    const quick = await startGateway({ idleTimeoutMs: 100, maxTimeoutMs: 100, defaultTimeoutMs: 50 });
    try {
      expect((await quick.call('POST', '/sessions', { kind: 'stream', name: 'forgotten' })).status).toBe(201);
      await until(() => !names(quick).includes('forgotten'), 'the idle sweep to close the session');
      expect((await quick.call('GET', '/sessions/forgotten')).status).toBe(404);
    } finally {
      await quick.close();
    }
  });

  it('refuses an idle timeout shorter than the longest wait a request may ask for', () => {
    expect(() => loadConfig(['--idle-timeout-ms', '1000'], {})).toThrow(/--idle-timeout-ms: idleTimeoutMs 1000 is shorter than maxTimeoutMs 300000/);
    expect(loadConfig(['--idle-timeout-ms', '0'], {}).idleTimeoutMs).toBe(0);
  });
});
