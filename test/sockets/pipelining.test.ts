/**
 * Many messages in flight on one connection (SPEC §3): back-to-back writes through a store archive,
 * pipelined exchanges matched to their requests by order, answers of callers that gave up read and
 * discarded, and backpressure instead of loss when nobody reads.
 */
import type net from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ArchwayError } from '../../src/archive/index.js';
import { acknowledge, demoRegistry, referenceOrder, startDemoService, type OrderAck } from '../../src/demo/index.js';
import { Archive, ArchiveChannel, SocketFile } from '../../src/archive-io/index.js';
import { StreamSocket } from '../../src/sockets/index.js';
import { LOOPBACK } from '../support/ports.js';
import { until } from '../support/until.js';
import { closeServer, rawServer, rejection } from './helpers.js';

const types = demoRegistry();
const orderCodec = types.get('Order');
/** Every test Order has the same length: only the DWORD id differs. */
const ORDER_LENGTH = orderCodec.encode(referenceOrder(0)).length;

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** A connected pair of library stream sockets. */
async function pair(clientOptions: { maxBufferedBytes?: number } = {}): Promise<[StreamSocket, StreamSocket]> {
  const listener = await StreamSocket.create({ address: LOOPBACK });
  await listener.listen();
  const client = await StreamSocket.create(clientOptions);
  await client.connect(LOOPBACK, listener.localPort!);
  const server = await listener.accept({ timeoutMs: 5000 });
  await listener.close();
  cleanups.push(() => client.close(), () => server.close());
  return [client, server];
}

/** A library client of a raw Node peer. */
async function clientOf(onConnection: (sock: net.Socket) => void, maxBufferedBytes?: number): Promise<StreamSocket> {
  const peers: net.Socket[] = [];
  const { server, port } = await rawServer((sock) => {
    peers.push(sock);
    onConnection(sock);
  });
  const client = await StreamSocket.create({ maxBufferedBytes });
  await client.connect(LOOPBACK, port);
  cleanups.push(async () => {
    for (const p of peers) p.destroy();
    await Promise.all([client.close(), closeServer(server)]);
  });
  return client;
}

describe('pipelining', () => {
  it('10,000 messages written back to back arrive in order, none lost', async () => {
    const [client, server] = await pair();
    const out = new Archive(new SocketFile(client), 'store', { types });
    const inp = new Archive(new SocketFile(server), 'load', { types });
    const N = 10_000;
    const base = referenceOrder(0);
    for (let id = 0; id < N; id++) orderCodec.write(out, { ...base, id }); // no await between writes
    // The store archive sent its first full 4096-byte buffer before any flush; the rest waits its
    // turn (one write at a time, so that a message not yet handed over can be taken back).
    expect(client.bytesOut).toBeGreaterThanOrEqual(4096);
    expect(client.bytesOut + out.bufferedBytes).toBeGreaterThanOrEqual(N * ORDER_LENGTH);
    const flushed = out.flush();
    for (let id = 0; id < N; id++) {
      const order = (await orderCodec.read(inp, { timeoutMs: 5000 })) as { id: number };
      if (order.id !== id) expect(order.id, `message ${id}`).toBe(id); // one expect per failure, not 10,000
    }
    await flushed;
    expect(inp.messagesIn).toBe(N);
    expect(server.bytesIn).toBe(N * ORDER_LENGTH);
    expect(inp.isBufferEmpty()).toBe(true);
    expect(inp.tryRead('Order')).toMatchObject({ done: false });
  });

  it.each([1, 64])('exchanges with the demo service, pipeline %i: each answer matches its request, in order', async (pipeline) => {
    const service = await startDemoService({ port: 0, host: LOOPBACK, mode: 'order', udp: false, types });
    const socket = await StreamSocket.create();
    cleanups.push(async () => {
      await socket.close();
      await service.close();
    });
    await socket.connect(service.host, service.port);
    const channel = new ArchiveChannel(socket, { types, pipeline });
    const N = pipeline === 1 ? 500 : 2000; // lock-step costs a round trip each
    const orders = Array.from({ length: N }, (_, i) => ({ ...referenceOrder(i + 1), priority: i % 256, lines: referenceOrder().lines.slice(0, i % 6) }));
    const answered: number[] = [];
    const answers = orders.map((o) =>
      channel.exchange('Order', o, 'OrderAck', { timeoutMs: 10_000 }).then((a) => {
        answered.push((a as OrderAck).id);
        return a as OrderAck;
      }),
    );
    // Exactly `pipeline` requests went out; the rest wait for a turn.
    expect(channel.inFlight).toBe(pipeline);
    expect(channel.waiting).toBe(N - pipeline);
    const acks = await Promise.all(answers);
    acks.forEach((ack, i) => {
      if (ack.id !== orders[i].id) expect(ack, `answer ${i}`).toEqual(acknowledge(orders[i]));
    });
    expect(acks).toEqual(orders.map(acknowledge)); // status and text too: empty orders are refused
    expect(answered).toEqual(orders.map((o) => o.id)); // answers came back in request order
    expect(channel.inFlight).toBe(0);
    expect(channel.load.messagesIn).toBe(N);
    await channel.close(2000);
  });

  it('requests made in one turn of the event loop go out together, not one send per message', async () => {
    // Regression: the channel flushed at the end of the microtask queue, which ran between every
    // two answers of a chunk, so each new pipelined request went out in a send of its own.
    const service = await startDemoService({ port: 0, host: LOOPBACK, mode: 'echo', udp: false });
    const socket = await StreamSocket.create();
    cleanups.push(async () => {
      await socket.close();
      await service.close();
    });
    await socket.connect(service.host, service.port);
    let sends = 0;
    const send = socket.send.bind(socket);
    socket.send = (data) => {
      sends++;
      return send(data); // counted, then sent for real
    };
    const channel = new ArchiveChannel(socket, { types, pipeline: 64 });
    const N = 3200;
    let next = 0;
    let wrong = 0;
    const caller = async () => {
      while (next < N) {
        const order = referenceOrder(++next);
        if (!isDeepStrictEqual(await channel.exchange(orderCodec, order, orderCodec, { timeoutMs: 10_000 }), order)) wrong++;
      }
    };
    await Promise.all(Array.from({ length: 64 }, caller));
    expect(wrong).toBe(0);
    expect(socket.bytesOut).toBe(N * ORDER_LENGTH);
    expect(sends).toBeLessThan(N / 8); // about 3 per 64 requests; it was one per request
  });

  describe.each([1, 4])('an echo peer slow to answer the first request, pipeline %i', (pipeline) => {
    /**
     * Echoes each Order (fixed length) in order; the first answer (and so every later one) only once
     * the test calls `answer()`, after the callers it means to time out have timed out.
     */
    async function slowEcho(): Promise<{ channel: ArchiveChannel; seen: number[]; answer(): void }> {
      const seen: number[] = [];
      let answer!: () => void;
      const held = new Promise<void>((resolve) => (answer = resolve));
      const socket = await clientOf((sock) => {
        let pending = Buffer.alloc(0);
        let answers = Promise.resolve();
        sock.on('data', (chunk: Buffer) => {
          pending = Buffer.concat([pending, chunk]);
          while (pending.length >= ORDER_LENGTH) {
            const msg = pending.subarray(0, ORDER_LENGTH);
            pending = pending.subarray(ORDER_LENGTH);
            const first = seen.length === 0;
            seen.push(msg.readUInt32LE(0));
            answers = answers.then(() => (first ? held : undefined)).then(() => void sock.write(msg));
          }
        });
      });
      return { channel: new ArchiveChannel(socket, { types, pipeline }), seen, answer };
    }

    it('the caller that timed out gets TIMEOUT, its answer is discarded, the next caller gets its own', async () => {
      const { channel, seen, answer } = await slowEcho();
      const err = await rejection(channel.exchange('Order', referenceOrder(1), 'Order', { timeoutMs: 100 }));
      expect(err.code).toBe('TIMEOUT');
      expect(err.details.sent).toBe(true);
      expect(channel.inFlight).toBe(1); // its answer is still owed
      answer();
      expect(await channel.exchange('Order', referenceOrder(2), 'Order', { timeoutMs: 3000 })).toEqual(referenceOrder(2));
      expect(await channel.exchange('Order', referenceOrder(3), 'Order', { timeoutMs: 3000 })).toEqual(referenceOrder(3));
      expect(channel.load.messagesIn).toBe(3); // answer 1 was read, and dropped
      expect(channel.inFlight).toBe(0);
      expect(seen).toEqual([1, 2, 3]);
    });

    it('a request that never got its turn is not sent (details.sent false)', async () => {
      const { channel, seen, answer } = await slowEcho();
      const first = channel.exchange('Order', referenceOrder(1), 'Order', { timeoutMs: 3000 });
      const blocked = Array.from({ length: pipeline }, (_, i) => channel.exchange('Order', referenceOrder(10 + i), 'Order', { timeoutMs: 50 }));
      const results = await Promise.allSettled(blocked);
      answer();
      expect(await first).toEqual(referenceOrder(1));
      // With pipeline 1 the only extra request waited for a turn; with 4, the window held 3 of them.
      const unsent = results.filter((r) => r.status === 'rejected' && r.reason instanceof ArchwayError && r.reason.details.sent === false);
      expect(unsent.length).toBe(1);
      expect(await channel.exchange('Order', referenceOrder(4), 'Order', { timeoutMs: 3000 })).toEqual(referenceOrder(4));
      expect(seen).not.toContain(10 + pipeline - 1); // the one without a turn never reached the peer
      expect(seen[0]).toBe(1);
      expect(seen.at(-1)).toBe(4);
    });
  });

  it('backpressure: a peer sending 8 MiB to nobody reading is paused at the cap, and nothing is lost', async () => {
    const TOTAL = 8 * 1024 * 1024;
    const CAP = 256 * 1024;
    const CHUNK = 64 * 1024; // the most one socket read delivers
    const data = Buffer.alloc(TOTAL);
    for (let i = 0; i < TOTAL; i++) data[i] = (i * 7 + (i >>> 16)) & 0xff;
    let written = false;
    const client = await clientOf((sock) => sock.write(data, () => (written = true)));
    const ar = new Archive(new SocketFile(client), 'load', { maxBufferedBytes: CAP });
    let peak = 0;
    client.on('receive', () => (peak = Math.max(peak, ar.bufferedBytes)));

    // Reading pauses at the cap: once paused, no more bytes are taken off the socket.
    await until(() => client.isPaused && ar.bufferedBytes >= CAP, 'reading paused at the cap', 10_000);
    expect(ar.bufferedBytes).toBeLessThanOrEqual(CAP + CHUNK);
    expect(client.bytesIn).toBe(ar.bufferedBytes); // nothing beyond the cap was taken off the socket
    expect(client.bytesIn).toBeLessThan(TOTAL);

    // Now read it all, in pieces that do not line up with anything.
    const got: Buffer[] = [];
    for (let n = 0; n < TOTAL; ) {
      const piece = await ar.readBytes(Math.min(100_003, TOTAL - n), { timeoutMs: 10_000 });
      got.push(piece);
      n += piece.length;
    }
    expect(Buffer.concat(got).equals(data)).toBe(true);
    expect(peak).toBeLessThanOrEqual(CAP + CHUNK);
    expect(client.bytesIn).toBe(TOTAL);
    await until(() => written, 'the peer finished writing');
  });
});
