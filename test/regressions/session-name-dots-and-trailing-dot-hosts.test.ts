/**
 * Regression (issue 10, point 4): `.` and `..` were accepted as session names (Location:
 * /sessions/..), and a fully qualified host with its trailing dot (`localhost.`, `127.0.0.1.`) was
 * refused as HOST_NOT_FOUND. Now the names are refused and the trailing dot is the same host.
 * Numeric spellings that MFC's inet_addr takes (`127.1`, `0x7f.0.0.1`) are addresses, checked as such.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type SessionInfo, type TestGateway } from '../support/gateway-harness.js';
import { expectProblem } from '../support/gateway-routes.js';

let gw: TestGateway;
let server: net.Server;
let port: number;

beforeAll(async () => {
  server = net.createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
  gw = await startGateway();
});
afterAll(async () => {
  await gw.close();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('session names', () => {
  it('. and .. are refused (400 VALIDATION), on create and on accept', async () => {
    for (const name of ['.', '..']) {
      expectProblem(await gw.call('POST', '/sessions', { kind: 'stream', name }), 400, 'VALIDATION', { path: '/name' });
    }
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'lsn' })).status).toBe(201);
    expectProblem(await gw.call('POST', '/sessions/lsn/accept', { as: '..', timeoutMs: 10 }), 400, 'VALIDATION', { path: '/as' });
    // Names with dots inside stay valid.
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: '...' })).status).toBe(201);
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'a.b' })).status).toBe(201);
  });
});

describe('host spellings', () => {
  it('a trailing dot is the same host: localhost. and 127.0.0.1. connect', async () => {
    for (const [i, host] of ['localhost.', '127.0.0.1.'].entries()) {
      expect((await gw.call('POST', '/sessions', { kind: 'stream', name: `dot${i}` })).status).toBe(201);
      const r = await gw.call<SessionInfo>('POST', `/sessions/dot${i}/connect`, { host, port });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.remote).toEqual({ address: '127.0.0.1', port });
    }
  });

  it('inet_addr spellings are addresses: allowed on loopback, refused outside without a lookup', async () => {
    for (const [i, host] of ['127.1', '0x7f.0.0.1', '2130706433', '::ffff:127.0.0.1'].entries()) {
      expect((await gw.call('POST', '/sessions', { kind: 'stream', name: `num${i}` })).status).toBe(201);
      const r = await gw.call<SessionInfo>('POST', `/sessions/num${i}/connect`, { host, port });
      expect(r.status, `${host}: ${JSON.stringify(r.body)}`).toBe(200);
      expect(r.body.remote?.address).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    }
    const narrow = await startGateway({ allowTargets: ['127.0.0.2/32'] });
    try {
      for (const [i, host] of ['127.1', '0x7f.0.0.1', '2130706433', '::ffff:127.0.0.1', '::ffff:7f00:1', '127.0.0.1.'].entries()) {
        expect((await narrow.call('POST', '/sessions', { kind: 'stream', name: `n${i}` })).status).toBe(201);
        expectProblem(await narrow.call('POST', `/sessions/n${i}/connect`, { host, port }), 403, 'TARGET_NOT_ALLOWED', { address: '127.0.0.1' });
      }
    } finally {
      await narrow.close();
    }
  });

  it('what is neither an address nor an RFC 1123 name is INVALID_ADDRESS', async () => {
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'bad' })).status).toBe(201);
    for (const host of ['-x.example', 'a..b', 'x_y.example', '256.1.1.1', '[::1]', `${'a'.repeat(64)}.example`, 'é'.repeat(70)]) {
      expectProblem(await gw.call('POST', '/sessions/bad/connect', { host, port }), 400, 'INVALID_ADDRESS');
    }
  });
});
