/**
 * Regression (review, item 5): "is this a WebSocket handshake" was asked two ways. The token check
 * let any request with `Upgrade: websocket` on the WebSocket route through (to be refused after the
 * upgrade), though Node upgrades only with `Connection: upgrade` too: a plain GET with that one
 * header got the route's 426 instead of 401. One helper (plugins/websocket-upgrade.ts) now answers
 * for the token check and the cluster's tunnel alike (test/cluster/forwarding.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';
import { rawExchange, statusOf } from '../support/raw-http.js';
import { openSocket } from '../support/ws-client.js';

const TOKEN = 'upgrade-token';
let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway({ token: TOKEN });
  expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'up' }, { authorization: `Bearer ${TOKEN}` })).status).toBe(201);
});
afterAll(() => gw.close());

describe('a WebSocket handshake without the token', () => {
  it('an Upgrade header alone is no upgrade: 401 like any request, not the route\'s 426', async () => {
    const text = await rawExchange(gw.base, 'GET /sessions/up/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    expect(statusOf(text), text).toBe(401);
    expect(text.toLowerCase()).toContain('www-authenticate: bearer');
  });

  it('a real upgrade is refused after it, with close code 4401', async () => {
    const s = await openSocket(`${gw.base.replace('http', 'ws')}/sessions/up/ws`);
    expect(await s.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect((await s.closed).code).toBe(4401);
  });
});
