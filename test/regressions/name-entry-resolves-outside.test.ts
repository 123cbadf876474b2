/**
 * Regression (issue 10, point 2): with `*.test` allowed, a name under it that resolved to an address
 * outside the address entries was connected to. A name entry now lets a name be looked up only; the
 * address must still match an address entry, unless the entry is written `trust:*.test`. Names are
 * answered by a DNS server of the test's own on loopback, and every address stays on loopback.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type SessionInfo, type TestGateway } from '../support/gateway-harness.js';
import { expectProblem } from '../support/gateway-routes.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { until } from '../support/until.js';

let dns: TestDnsServer;
let servers: net.Server[];
let port: number;
let accepted = 0;

beforeAll(async () => {
  // 127.0.0.1 stands for an address the operator did not allow (the metadata service, say).
  dns = await startDnsServer({ 'elsewhere.test': ['127.0.0.1'], 'allowed.test': ['127.0.0.2'] });
  // The same port on 127.0.0.1 and 127.0.0.2: what a connect reaches depends on the address alone.
  const listen = async (host: string, at: number) => {
    const server = net.createServer((s) => {
      accepted++;
      s.end();
    });
    await new Promise<void>((r) => server.listen(at, host, r));
    return server;
  };
  const first = await listen('127.0.0.1', 0);
  port = (first.address() as net.AddressInfo).port;
  servers = [first, await listen('127.0.0.2', port)];
});
afterAll(async () => {
  await dns.close();
  for (const server of servers) await new Promise<void>((r) => server.close(() => r()));
});

async function connect(gw: TestGateway, name: string, host: string) {
  expect((await gw.call('POST', '/sessions', { kind: 'stream', name })).status).toBe(201);
  return gw.call<SessionInfo>('POST', `/sessions/${name}/connect`, { host, port });
}

describe('a name entry', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ allowTargets: ['127.0.0.2/32', '*.test'], dnsServers: [dns.address] });
  });
  afterAll(() => gw.close());

  it('does not let a name reach an address outside the address entries (403, nothing connects)', async () => {
    accepted = 0;
    const r = await connect(gw, 'rebind', 'elsewhere.test');
    expectProblem(r, 403, 'TARGET_NOT_ALLOWED', { host: 'elsewhere.test', address: '127.0.0.1' });
    expect(r.body.message).toContain('trust:');
    expect(dns.queries).toContain('elsewhere.test');
    // A connection of the test's own, made now, is the first one the listener accepts: one the
    // gateway had made would have come before it.
    const own = net.connect(port, '127.0.0.1').on('error', () => undefined);
    await until(() => accepted > 0, "the listener to accept the test's own connection");
    expect(accepted).toBe(1);
    own.destroy();
  });

  it('lets a name through when its address matches an address entry', async () => {
    const r = await connect(gw, 'fine', 'allowed.test');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.remote).toEqual({ address: '127.0.0.2', port });
  });

  it('applies to datagram targets as well', async () => {
    expect((await gw.call('POST', '/sessions', { kind: 'datagram', name: 'dgram' })).status).toBe(201);
    expectProblem(await gw.call('POST', '/sessions/dgram/datagrams', { host: 'elsewhere.test', port, data: 'AA==' }), 403, 'TARGET_NOT_ALLOWED');
    expect((await gw.call<SessionInfo>('GET', '/sessions/dgram')).body.bytesOut).toBe(0);
  });
});

describe('a trust: entry', () => {
  it('lets the names under it reach whatever they resolve to (an explicit opt-in)', async () => {
    const gw = await startGateway({ allowTargets: ['127.0.0.2/32', 'trust:*.test'], dnsServers: [dns.address] });
    try {
      const before = accepted;
      const r = await connect(gw, 'trusted', 'elsewhere.test');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.remote?.address).toBe('127.0.0.1');
      await until(() => accepted > before, 'the listener on 127.0.0.1 to accept the connection');
    } finally {
      await gw.close();
    }
  });
});
