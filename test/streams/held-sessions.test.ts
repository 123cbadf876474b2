/**
 * A session a browser streams from is in use (SPEC §3 idle policy, §1 "Browser reach"): the idle
 * sweep leaves a session alone while its WebSocket or event stream is open, quiet or not, and
 * closes it once that is gone and the session stays unused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoService, type DemoService } from '../../src/demo/index.js';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';
import { until } from '../support/until.js';
import { openSse } from '../support/sse-client.js';
import { openSocket } from '../support/ws-client.js';

const IDLE_MS = 400;
let gw: TestGateway;
let demo: DemoService;

beforeAll(async () => {
  [gw, demo] = await Promise.all([startGateway({ idleTimeoutMs: IDLE_MS, maxTimeoutMs: IDLE_MS, defaultTimeoutMs: 100 }), startDemoService({ port: 0, udp: false })]);
});
afterAll(async () => {
  await gw.close();
  await demo.close();
});

/** Live session names, read in-process: a GET would count as a use. */
const names = () => [...gw.ctx.sessions.all()].map((s) => s.name);

describe('the idle policy and open streams', () => {
  it('a quiet WebSocket and a quiet event stream keep their sessions; without them the sessions go', async () => {
    // Each stream opens right after its session connects, well within the idle time.
    const session = async (name: string) => {
      expect((await gw.call('POST', '/sessions', { kind: 'stream', name })).status).toBe(201);
      expect((await gw.call('POST', `/sessions/${name}/connect`, { host: '127.0.0.1', port: demo.port })).status).toBe(200);
    };
    await session('held-ws');
    const ws = await openSocket(`${gw.base.replace('http', 'ws')}/sessions/held-ws/ws?receive=OrderAck`);
    await session('held-sse');
    const sse = await openSse(`${gw.base}/sessions/held-sse/events`);
    expect(sse.status).toBe(200);
    await session('alone');
    await until(() => !names().includes('alone'), 'the idle sweep to close the unused session');
    // Several idle periods later, the held ones are still there.
    const since = Date.now();
    await until(() => Date.now() - since > 4 * IDLE_MS, 'four idle periods to pass');
    expect(names()).toEqual(expect.arrayContaining(['held-ws', 'held-sse']));
    expect(ws.frames).toEqual([]); // opened, never refused or closed
    ws.ws.close(1000);
    sse.close();
    await until(() => !names().includes('held-ws') && !names().includes('held-sse'), 'the sweep to close them once released');
    expect(await ws.closed).toEqual({ code: 1000, reason: '' });
  });
});
