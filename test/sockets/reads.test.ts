/**
 * How a connected socket's bytes reach its reader (tcp-connect.ts reads every connection into one
 * buffer of the process and hands each read on as a copy): bytes sent before anyone reads wait and
 * arrive whole; connections read at the same time never see each other's bytes; a graceful close
 * after the last byte is still seen. Real loopback sockets, a raw Node peer.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamSocket } from '../../src/sockets/index.js';
import { closeServer, rawServer } from './helpers.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** `n` bytes whose content depends on `seed` and on the position, so a byte from elsewhere shows. */
function pattern(seed: number, n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 97 + (i >> 8)) & 0xff;
  return b;
}

/** Receives until `n` bytes came (receive() gives what is there, 1 to max bytes at a time). */
async function receiveAll(s: StreamSocket, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  while (got < n) {
    const part = await s.receive(n - got, { timeoutMs: 5000 });
    if (part.length === 0) break;
    parts.push(part);
    got += part.length;
  }
  return Buffer.concat(parts);
}

/** Connected library clients, each with the raw peer the listener accepted for it. */
async function connectedPairs(count: number): Promise<{ client: StreamSocket; peer: net.Socket }[]> {
  const peers: net.Socket[] = [];
  const waiting: ((s: net.Socket) => void)[] = [];
  const { server, port } = await rawServer((s) => {
    const w = waiting.shift();
    if (w === undefined) peers.push(s);
    else w(s);
  });
  cleanups.push(() => closeServer(server));
  const pairs: { client: StreamSocket; peer: net.Socket }[] = [];
  for (let i = 0; i < count; i++) {
    const client = await StreamSocket.create();
    const accepted = new Promise<net.Socket>((resolve) => {
      const ready = peers.shift();
      if (ready !== undefined) resolve(ready);
      else waiting.push(resolve);
    });
    await client.connect('127.0.0.1', port);
    const peer = await accepted;
    cleanups.push(() => {
      peer.destroy();
      return client.close();
    });
    pairs.push({ client, peer });
  }
  return pairs;
}

describe('a connected socket’s reads', () => {
  it('keeps what the peer sent before anyone read, and hands it over whole and in order', async () => {
    const [{ client, peer }] = await connectedPairs(1);
    const sent = pattern(1, 300 * 1024);
    peer.write(sent);
    // Nobody reads for a while: the bytes wait (in the kernel, then in the socket's reader).
    await new Promise((r) => setTimeout(r, 50));
    const got = await receiveAll(client, sent.length);
    expect(got.length).toBe(sent.length);
    expect(got.equals(sent)).toBe(true);
  });

  it('never mixes the bytes of connections read at the same time', async () => {
    const pairs = await connectedPairs(4);
    const sent = pairs.map((_, i) => pattern(i + 2, 200 * 1024 + i * 1000));
    pairs.forEach(({ peer }, i) => peer.write(sent[i]!));
    const got = await Promise.all(pairs.map(({ client }, i) => receiveAll(client, sent[i]!.length)));
    got.forEach((g, i) => expect(g.equals(sent[i]!), `connection ${i}`).toBe(true));
  });

  it('sees a graceful close after the last byte, and counts what came', async () => {
    const [{ client, peer }] = await connectedPairs(1);
    peer.end(pattern(9, 1000));
    const got = await receiveAll(client, 5000);
    expect(got.equals(pattern(9, 1000))).toBe(true);
    expect(await client.receive(10, { timeoutMs: 2000 })).toHaveLength(0);
    expect(client.bytesIn).toBe(1000);
  });
});
