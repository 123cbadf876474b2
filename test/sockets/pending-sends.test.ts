/**
 * Sends the kernel has not taken yet (sockets/pending-sends.ts): settled in order through one write
 * callback, and failed once each — never reported as sent — when the connection is dropped under
 * them, whatever Node's own callbacks say afterwards.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ArchwayError } from '../../src/core/index.js';
import { StreamSocket } from '../../src/sockets/index.js';
import { LOOPBACK } from '../support/ports.js';
import { closeServer, rawServer } from './helpers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

/** A connected StreamSocket to a peer that reads nothing until `release()`. */
async function stalledPeer(): Promise<{ sock: StreamSocket; peer: () => net.Socket }> {
  let peer: net.Socket | undefined;
  const { server, port } = await rawServer((s) => {
    peer = s;
    s.pause();
  });
  const sock = await StreamSocket.create();
  await sock.connect(LOOPBACK, port);
  cleanup.push(async () => {
    sock.destroy();
    peer?.destroy();
    await closeServer(server);
  });
  return { sock, peer: () => peer! };
}

describe('pending sends', () => {
  it('settle in the order they were written, each once, with the bytes counted as sent', async () => {
    const { sock, peer } = await stalledPeer();
    let sentBytes = 0;
    sock.on('sent', (n: number) => (sentBytes += n));
    const order: number[] = [];
    const sizes = [1, 64 * 1024, 3, 512 * 1024, 7];
    const all = sizes.map((n, i) => new Promise<void>((resolve, reject) => sock.write(Buffer.alloc(n, i), (err) => (err ? reject(err) : (order.push(i), resolve())))));
    peer().resume();
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(sentBytes).toBe(sizes.reduce((a, b) => a + b, 0));
  });

  it('dropped under them: the ones the kernel never took fail once with INVALID_STATE, none counts as sent', async () => {
    const { sock } = await stalledPeer();
    let sentBytes = 0;
    sock.on('sent', (n: number) => (sentBytes += n));
    const outcomes: (string | undefined)[] = [];
    const calls: number[] = [];
    const chunk = Buffer.alloc(256 * 1024, 1);
    // Far more than the kernel's buffers hold while the peer reads nothing.
    for (let i = 0; i < 64; i++) {
      calls.push(0);
      sock.write(chunk, (err?: ArchwayError) => {
        calls[i]!++;
        outcomes[i] = err?.code;
      });
    }
    await new Promise((r) => setTimeout(r, 50));
    const result = sock.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(result.unsentBytes).toBeGreaterThan(0);
    expect(calls.every((n) => n === 1)).toBe(true);
    const failed = outcomes.filter((c) => c === 'INVALID_STATE').length;
    const taken = outcomes.filter((c) => c === undefined).length;
    expect(failed).toBeGreaterThan(0);
    expect(failed + taken).toBe(64);
    // Sent first, failed after: the kernel takes a prefix of the writes.
    expect(outcomes.indexOf('INVALID_STATE')).toBe(taken);
    expect(sentBytes).toBe(taken * chunk.length);
  });
});
