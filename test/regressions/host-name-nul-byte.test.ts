/**
 * Regression (issue 10, point 1): with `*.corp.example` allowed, `127.0.0.1\u0000.corp.example`
 * matched the suffix while the resolver stopped at the NUL and connected to 127.0.0.1. Host names
 * are now checked as host names before any matching or lookup; control characters never pass.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Problem, type SessionInfo, type TestGateway } from '../support/gateway-harness.js';
import { expectProblem } from '../support/gateway-routes.js';
import { until } from '../support/until.js';

let gw: TestGateway;
let server: net.Server;
let port: number;
let accepted = 0;

beforeAll(async () => {
  server = net.createServer((s) => {
    accepted++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
  gw = await startGateway({ allowTargets: ['127.0.0.2/32', '*.corp.example'] });
});
afterAll(async () => {
  await gw.close();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('a host with a NUL or another control character', () => {
  const hostile = ['127.0.0.1\u0000.corp.example', 'localhost\u0000.corp.example', '127.0.0.1\t.corp.example', 'a b.corp.example', '127.0.0.1\r\n.corp.example'];

  it('is refused as INVALID_ADDRESS on connect, and nothing connects', async () => {
    for (const [i, host] of hostile.entries()) {
      expect((await gw.call('POST', '/sessions', { kind: 'stream', name: `nul${i}` })).status).toBe(201);
      const r = await gw.call('POST', `/sessions/nul${i}/connect`, { host, port });
      expectProblem(r, 400, 'INVALID_ADDRESS');
      expect(r.body.message).toMatch(/control character or a space/);
      expect((await gw.call<SessionInfo>('GET', `/sessions/nul${i}`)).body.state).toBe('created');
    }
    // A connection of the test's own, made now, is the first one the listener accepts: one the
    // gateway had made would have come before it.
    const own = net.connect(port, '127.0.0.1').on('error', () => undefined);
    await until(() => accepted > 0, "the listener to accept the test's own connection");
    expect(accepted).toBe(1);
    own.destroy();
  });

  it('is refused on a datagram SendTo and connect too', async () => {
    expect((await gw.call('POST', '/sessions', { kind: 'datagram', name: 'nuld' })).status).toBe(201);
    for (const host of hostile) {
      expectProblem(await gw.call('POST', '/sessions/nuld/datagrams', { host, port, data: 'AA==' }), 400, 'INVALID_ADDRESS');
      expectProblem(await gw.call('POST', '/sessions/nuld/connect', { host, port }), 400, 'INVALID_ADDRESS');
    }
    expect((await gw.call<SessionInfo>('GET', '/sessions/nuld')).body.bytesOut).toBe(0);
  });

  it('a bind address with a control character is refused as well', async () => {
    const r = await gw.call<Problem>('POST', '/sessions', { kind: 'stream', address: '127.0.0.1\u0000', port: 40000 });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(['INVALID_ADDRESS', 'TARGET_NOT_ALLOWED', 'VALIDATION']).toContain(r.body.code);
  });
});
