/**
 * The demo service's echo mode over real loopback sockets: every byte comes back in order, also
 * when the client sends a burst and half-closes at once (sends are not awaited one by one, so the
 * service must still echo all it received before it closes its side).
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoService, type DemoService } from '../../src/demo/index.js';

let service: DemoService;
beforeAll(async () => {
  service = await startDemoService({ port: 0, mode: 'echo', udp: false });
});
afterAll(() => service.close());

function echoOf(pieces: Buffer[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(service.port, '127.0.0.1');
    const got: Buffer[] = [];
    sock.on('data', (d: Buffer) => got.push(d));
    sock.on('error', reject);
    sock.on('end', () => resolve(Buffer.concat(got)));
    sock.on('connect', () => {
      for (const p of pieces) sock.write(p);
      sock.end(); // FIN right behind the burst
    });
  });
}

describe('demo service, echo mode', () => {
  it('echoes a burst of 2,000 messages of mixed sizes, then the half-close, byte for byte', async () => {
    const pieces = Array.from({ length: 2000 }, (_, i) => randomBytes(1 + ((i * 7919) % 3000)));
    const back = await echoOf(pieces);
    expect(back.length).toBe(pieces.reduce((n, p) => n + p.length, 0));
    expect(back.equals(Buffer.concat(pieces))).toBe(true);
  });

  it('echoes 3 MiB in one write (more than its 64 KiB receive) whole', async () => {
    const big = randomBytes(3 * 1024 * 1024);
    expect((await echoOf([big])).equals(big)).toBe(true);
  });
});
