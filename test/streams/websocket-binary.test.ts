/**
 * `GET /sessions/{name}/ws?mode=binary` (SPEC §1 "Browser reach"): raw bytes both ways as
 * websockify relays them, against the demo service in echo mode; and backpressure both ways with
 * the bounds of the configuration — a browser that stops reading pauses the session's socket, a
 * peer that stops reading pauses the WebSocket — with every byte arriving once both go on.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoService, type DemoService } from '../../src/demo/index.js';
import { startGateway, type TestGateway } from '../support/gateway-harness.js';
import { rawPeer } from '../support/gateway-routes.js';
import { until } from '../support/until.js';
import { openSocket, type TestSocket } from '../support/ws-client.js';

const WINDOW = 16 * 1024;
const BUFFERED = 64 * 1024;
let gw: TestGateway;
let echo: DemoService;

beforeAll(async () => {
  [gw, echo] = await Promise.all([
    startGateway({ streamWindowBytes: WINDOW, maxBufferedBytes: BUFFERED, wsMaxFrameBytes: 256 * 1024 }),
    startDemoService({ port: 0, mode: 'echo', udp: false }),
  ]);
});
afterAll(async () => {
  await gw.close();
  await echo.close();
});

const wsUrl = (name: string, query = '') => `${gw.base.replace('http', 'ws')}/sessions/${name}/ws${query}`;

/** Every binary frame's bytes until `n` have come. */
async function bytesOf(s: TestSocket, n: number, ms = 10_000): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  while (have < n) {
    const f = await s.next(ms);
    expect(f.binary).toBe(true);
    parts.push(f.data);
    have += f.data.length;
  }
  return Buffer.concat(parts);
}

describe('binary mode', () => {
  it('bytes round-trip through the echo service unchanged; websockify\'s `binary` subprotocol is accepted', async () => {
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'bin' })).status).toBe(201);
    expect((await gw.call('POST', '/sessions/bin/connect', { host: '127.0.0.1', port: echo.port })).status).toBe(200);
    const s = await openSocket(wsUrl('bin', '?mode=binary'), { protocols: ['binary'] });
    expect(s.ws.protocol).toBe('binary');
    const sent = randomBytes(300_000);
    for (let at = 0; at < sent.length; at += 50_000) s.ws.send(sent.subarray(at, at + 50_000));
    expect((await bytesOf(s, sent.length)).equals(sent)).toBe(true);
    s.ws.close();
  });

  it('a text frame closes it with 1003; receive/send/form are refused (4400)', async () => {
    const peer = await rawPeer(gw, 'bin-text');
    const s = await openSocket(wsUrl('bin-text', '?mode=binary'));
    s.ws.send('hello');
    expect(await s.closed).toEqual({ code: 1003, reason: 'text frame in binary mode' });
    const wrong = await openSocket(wsUrl('bin-text', '?mode=binary&receive=OrderAck'));
    expect(await wrong.closed).toEqual({ code: 4400, reason: 'VALIDATION' });
    expect(wrong.frames).toEqual([]); // binary mode: no text frame, even for a refusal
    peer.destroy();
  });

  it('the peer closes: what it sent is pushed, then 4000', async () => {
    const peer = await rawPeer(gw, 'bin-fin');
    const s = await openSocket(wsUrl('bin-fin', '?mode=binary'));
    peer.end(Buffer.from('last words'));
    expect((await bytesOf(s, 10)).toString()).toBe('last words');
    expect(await s.closed).toEqual({ code: 4000, reason: 'PEER_CLOSED' });
  });
});

describe('backpressure, with nothing lost', () => {
  it('a browser that stops reading pauses the session\'s socket; the gateway holds no more than its bounds', async () => {
    const peer = await rawPeer(gw, 'slow-browser');
    const s = await openSocket(wsUrl('slow-browser', '?mode=binary'));
    s.ws.pause(); // the browser reads nothing: its TCP window fills, then the gateway's sends stall
    const session = gw.ctx.sessions.get('slow-browser');
    // Twice what the kernel buffers between the three sockets took here before the pause (7 MiB).
    const flood = randomBytes(16 * 1024 * 1024);
    let written = 0;
    const pump = () => {
      while (written < flood.length && peer.write(flood.subarray(written, written + 65536))) written += 65536;
    };
    peer.on('drain', () => {
      written += 65536;
      pump();
    });
    pump();
    // The peer meets TCP backpressure: the gateway stopped reading its socket.
    await until(() => session.socket.kind === 'stream' && session.socket.isPaused, 'the session\'s socket is paused', 15_000);
    expect(session.buffered).toBeLessThanOrEqual(BUFFERED + 65536);
    expect(written).toBeLessThan(flood.length);
    s.ws.resume();
    const got = await bytesOf(s, flood.length, 20_000);
    expect(got.equals(flood)).toBe(true);
    s.ws.close();
    peer.destroy();
  }, 40_000);

  it('a peer that stops reading pauses the WebSocket; what the gateway queues stays within the window', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'slow-peer' })).status).toBe(201);
    expect((await gw.call('POST', '/sessions/slow-peer/connect', { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port })).status).toBe(200);
    const peer = await accepted;
    peer.pause(); // the peer reads nothing
    const s = await openSocket(wsUrl('slow-peer', '?mode=binary'));
    const flood = randomBytes(16 * 1024 * 1024);
    const FRAME = 128 * 1024;
    for (let at = 0; at < flood.length; at += FRAME) s.ws.send(flood.subarray(at, at + FRAME));
    const store = gw.ctx.sessions.get('slow-peer').channel().store;
    const serverSide = () => [...gw.app.websocketServer.clients].find((c) => c.readyState === c.OPEN);
    let most = 0;
    // The gateway stops reading the browser's frames once the peer's kernel buffers are full and
    // the window of bytes stored and not yet sent is used up.
    await until(() => {
      most = Math.max(most, store.bufferedBytes);
      return serverSide()?.isPaused === true && store.bufferedBytes > 0;
    }, 'the gateway pauses the WebSocket', 15_000);
    // Bytes queued for the peer: the window, a frame read after the pause, and one TCP read's frames.
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(WINDOW + 2 * FRAME + 256 * 1024);
    // The rest waits on the browser's side.
    expect(s.ws.bufferedAmount).toBeGreaterThan(4 * 1024 * 1024);
    peer.resume();
    const received: Buffer[] = [];
    let have = 0;
    peer.on('data', (d: Buffer) => {
      received.push(d);
      have += d.length;
    });
    await until(() => {
      most = Math.max(most, store.bufferedBytes);
      return have >= flood.length;
    }, 'the peer has every byte', 30_000);
    expect(Buffer.concat(received).equals(flood)).toBe(true);
    expect(most).toBeLessThanOrEqual(WINDOW + 2 * FRAME + 256 * 1024);
    s.ws.close();
    peer.destroy();
    server.close();
  }, 60_000);
});
