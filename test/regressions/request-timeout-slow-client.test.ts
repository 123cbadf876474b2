/**
 * Regression (issue 10, point 7): a body trickled after complete headers was never timed out (and
 * headers alone were cut only at 92 s). Fastify's request timeout now comes from
 * ARCHWAY_REQUEST_TIMEOUT_MS: a client must send its whole request within it.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Problem, type SessionInfo, type SessionList, type TestGateway } from '../support/gateway-harness.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway({ requestTimeoutMs: 600 });
});
afterAll(() => gw.close());

/** Sends `head`, then one byte of `trickle` every 100 ms; resolves with what the server said and when it hung up. */
function slowClient(head: string, trickle: string): Promise<{ answer: string; ms: number }> {
  const { port } = new URL(gw.base);
  return new Promise((resolve) => {
    const started = Date.now();
    const sock = net.connect(Number(port), '127.0.0.1', () => sock.write(head));
    let answer = '';
    let i = 0;
    const timer = setInterval(() => {
      if (i < trickle.length && !sock.destroyed) sock.write(trickle[i++]!);
    }, 100);
    sock.on('data', (d) => (answer += d.toString()));
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearInterval(timer);
      resolve({ answer, ms: Date.now() - started });
    });
  });
}

describe('a slow client', () => {
  it('trickling a body after complete headers is cut off with 408 within the request timeout', async () => {
    const body = JSON.stringify({ kind: 'stream', name: 'slow-body-session' });
    const head = `POST /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { answer, ms } = await slowClient(head, body);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ statusCode: 408, code: 'REQUEST_TIMEOUT' });
    expect(ms).toBeLessThan(3000);
    expect((await gw.call<SessionList>('GET', '/sessions')).body.sessions).toEqual([]); // nothing was created
  });

  it('trickling the headers themselves is cut off as well', async () => {
    const { answer, ms } = await slowClient('GET /health HTTP/1.1\r\n', 'X-Slow: ' + 'a'.repeat(60) + '\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(3000);
  });

  it('a long-poll is not a slow client: a load may wait past the request timeout', async () => {
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'lp-srv' })).status).toBe(201);
    const l = await gw.call<SessionInfo>('POST', '/sessions/lp-srv/listen', {});
    expect((await gw.call('POST', '/sessions', { kind: 'stream', name: 'lp-cli' })).status).toBe(201);
    expect((await gw.call('POST', '/sessions/lp-cli/connect', { host: '127.0.0.1', port: l.body.local!.port })).status).toBe(200);
    expect((await gw.call('POST', '/sessions/lp-srv/accept', { as: 'lp-peer', timeoutMs: 2000 })).status).toBe(201);
    const r = await gw.call<Problem>('POST', '/sessions/lp-peer/load', { type: 'DWORD', timeoutMs: 1200 });
    expect(r.body.code).toBe('TIMEOUT'); // answered by its own wait (1.2 s), not cut at 0.6 s
  });
});
