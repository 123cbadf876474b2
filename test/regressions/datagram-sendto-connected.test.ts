/**
 * Regression (HTTP fuzz finding): SendTo with a host and port on a datagram session already
 * connected threw Node's ERR_SOCKET_DGRAM_IS_CONNECTED, a 500. Winsock answers WSAEISCONN: it is
 * 409 INVALID_STATE now, and nothing is sent.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type SessionInfo, type TestGateway } from '../support/gateway-harness.js';
import { expectProblem } from '../support/gateway-routes.js';

let gw: TestGateway;
let peer: dgram.Socket;
beforeAll(async () => {
  gw = await startGateway();
  peer = dgram.createSocket('udp4');
  await new Promise<void>((r) => peer.bind(0, '127.0.0.1', r));
});
afterAll(async () => {
  peer.close();
  await gw.close();
});

describe('SendTo on a connected datagram session', () => {
  it('is 409 INVALID_STATE with WSAEISCONN, and Send to the peer still works', async () => {
    const port = peer.address().port;
    expect((await gw.call('POST', '/sessions', { kind: 'datagram', name: 'dc' })).status).toBe(201);
    expect((await gw.call('POST', '/sessions/dc/connect', { host: '127.0.0.1', port })).status).toBe(200);
    expectProblem(await gw.call('POST', '/sessions/dc/datagrams', { host: '127.0.0.1', port, data: 'AA==' }), 409, 'INVALID_STATE', { wsa: 'WSAEISCONN' });
    expect((await gw.call<SessionInfo>('GET', '/sessions/dc')).body.bytesOut).toBe(0);
    const got = new Promise<Buffer>((r) => peer.once('message', r));
    expect((await gw.call('POST', '/sessions/dc/datagrams', { data: 'aGk=' })).status).toBe(200);
    expect((await got).toString()).toBe('hi');
  });
});
