/**
 * `npm run bench:roundtrip` — request/answer round trips of SPEC 7's reference `Order` over ONE
 * connection to an archive service in ANOTHER process, through the library, against a hand-rolled
 * client doing the same work (the baseline), side by side in one run; a raw socket echo of the same
 * bytes shows what the transport alone allows.
 * Target (SPEC 7): library round trip ≥ 1.5× the hand-rolled client.
 *
 * Options: `--seconds N` measured seconds per case (default 4), `--rounds N`, `--warmup N`, `--no-save`.
 *
 * The service is the demo service in `echo` mode in a child process (bench/lib/demo-process.ts), so
 * every case makes it move exactly the same bytes; each case has its own connection to it.
 *
 * - archway: `ArchiveChannel.exchange(Order, order, Order)` with `pipeline: 64` and 64 callers
 *   keeping it full: per request, the order is validated and encoded into the store archive
 *   (requests of one turn of the event loop go out in one send), its answer — the echoed bytes — is
 *   decoded into a new Order by the load archive and handed to its caller. Every answer's id is
 *   checked against its request's (ids cycle through 1024 orders), every 256th answer is compared
 *   field by field.
 * - hand-rolled client: what a team would write without the library (bench/lib/hand-order-client.ts):
 *   a `net` socket, the Order in hand-written Buffer code, a promise per request, each request
 *   written as it is made, 64 callers in flight; its answers are checked as the library's.
 * - raw socket echo: a bare `net.Socket` writes the pre-encoded Order bytes, keeps 64 messages in
 *   flight by writing one message for each one echoed back (all those one chunk completed in one
 *   write), and counts echoed bytes, compared against the expected bytes as they arrive. No
 *   framing, decoding, promises or objects: the cost of the transport alone.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { demoRegistry, referenceOrder } from '../src/demo/index.js';
import { ArchiveChannel } from '../src/archive-io/index.js';
import { StreamSocket } from '../src/sockets/index.js';
import { benchArgs } from './lib/args.js';
import { startDemoProcess } from './lib/demo-process.js';
import { HandOrderClient } from './lib/hand-order-client.js';
import { keepInFlight, measureInterleavedAsync, type AsyncBenchCase } from './lib/measure-async.js';
import { formatOps, printMachine, printTable, withRatios, writeResults, type Target } from './lib/report.js';

const PIPELINE = 64;
const LIBRARY = 'archway ArchiveChannel';
const HAND = 'hand-rolled client';
const RAW = 'raw socket echo';
/** SPEC 7: the library at ≥ 1.5× the hand-rolled client. */
const TARGET = 1.5;

const ORDER = referenceOrder();

function nowNs(): number {
  return Number(process.hrtime.bigint());
}

/** The baseline: one raw connection echoing pre-encoded messages, `inFlight` of them at a time. */
class RawEcho {
  private readonly batch: Buffer;
  /** The message repeated: echoed bytes at stream offset o must equal `periodic[o % L …]`. */
  private readonly periodic: Buffer;
  private sent = 0;
  private receivedBytes = 0;
  private deadline = 0;
  private finish: ((completed: number) => void) | undefined;
  /** Messages echoed in all runs. */
  total = 0;

  constructor(
    private readonly sock: net.Socket,
    private readonly msg: Buffer,
    private readonly inFlight: number,
  ) {
    this.batch = Buffer.concat(Array.from({ length: inFlight }, () => msg));
    this.periodic = Buffer.concat([this.batch, msg]);
    sock.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  runFor(ms: number): Promise<number> {
    return new Promise((resolve) => {
      this.finish = resolve;
      this.receivedBytes = 0;
      this.deadline = nowNs() + ms * 1e6;
      this.sent = this.inFlight;
      this.sock.write(this.batch);
    });
  }

  private onData(chunk: Buffer): void {
    this.verify(chunk);
    this.receivedBytes += chunk.length;
    const L = this.msg.length;
    const completed = Math.floor(this.receivedBytes / L);
    if (nowNs() < this.deadline) {
      const k = this.inFlight - (this.sent - completed);
      if (k > 0) {
        this.sock.write(this.batch.subarray(0, k * L));
        this.sent += k;
      }
    } else if (this.receivedBytes === this.sent * L) {
      this.total += completed;
      this.finish?.(completed);
      this.finish = undefined;
    }
  }

  private verify(chunk: Buffer): void {
    const L = this.msg.length;
    let at = this.receivedBytes % L;
    for (let i = 0; i < chunk.length; ) {
      const n = Math.min(chunk.length - i, this.periodic.length - at);
      if (!chunk.subarray(i, i + n).equals(this.periodic.subarray(at, at + n))) {
        throw new Error(`raw echo: the bytes at stream offset ${this.receivedBytes + i} differ from those sent`);
      }
      i += n;
      at = (at + n) % L;
    }
  }
}

/**
 * Exchanges of the next order of `pool` through `send`, each answer checked: its id always, the
 * whole Order every 256th answer (or every one when `full`).
 */
function checkedExchanges<O extends { id: number }>(name: string, pool: readonly O[], send: (order: O) => Promise<O>) {
  let at = 0;
  const done = {
    count: 0,
    async next(full: boolean): Promise<void> {
      const order = pool[at++ & 1023]!;
      const answer = await send(order);
      done.count++;
      if (answer.id !== order.id) throw new Error(`${name}: answer ${answer.id} came back for request ${order.id}`);
      if ((full || (done.count & 255) === 0) && !isDeepStrictEqual(answer, order)) {
        throw new Error(`${name}: the answer to ${order.id} differs from the request: ${JSON.stringify(answer)}`);
      }
    },
  };
  return done;
}

async function main(): Promise<void> {
  const args = benchArgs({ seconds: 4, rounds: 10, warmupSeconds: 1 });
  const types = demoRegistry();
  const codec = types.get('Order');
  const orderBytes = codec.encode(ORDER);
  assert.equal(orderBytes.length, 180, 'the reference Order is 180 bytes');
  assert.deepStrictEqual(codec.decode(orderBytes), ORDER, 'the reference Order round-trips');
  // Requests cycle through 1024 orders of distinct ids (all of the same length: a DWORD id).
  const pool = Array.from({ length: 1024 }, (_, i) => ({ ...ORDER, id: i + 1 }));

  const service = await startDemoProcess({ mode: 'echo' });
  try {
    const socket = await StreamSocket.create();
    await socket.connect(service.host, service.port);
    const channel = new ArchiveChannel(socket, { types, pipeline: PIPELINE });
    const library = checkedExchanges(LIBRARY, pool, async (order) => (await channel.exchange(codec, order, codec)) as typeof order);

    const handSock = net.connect({ host: service.host, port: service.port, noDelay: true });
    await new Promise<void>((resolve, reject) => handSock.once('connect', resolve).once('error', reject));
    const handClient = new HandOrderClient(handSock);
    const hand = checkedExchanges(HAND, pool, (order) => handClient.exchange(order));

    const rawSock = net.connect({ host: service.host, port: service.port, noDelay: true });
    await new Promise<void>((resolve, reject) => rawSock.once('connect', resolve).once('error', reject));
    const raw = new RawEcho(rawSock, orderBytes, PIPELINE);

    // Before timing: every answer of a first run equals its request, field by field.
    await keepInFlight(PIPELINE, 200, () => library.next(true));
    await keepInFlight(PIPELINE, 200, () => hand.next(true));
    await raw.runFor(200);

    const cases: AsyncBenchCase[] = [
      { group: 'round trip', name: LIBRARY, runFor: (ms) => keepInFlight(PIPELINE, ms, () => library.next(false)) },
      { group: 'round trip', name: HAND, runFor: (ms) => keepInFlight(PIPELINE, ms, () => hand.next(false)) },
      { group: 'round trip', name: RAW, runFor: (ms) => raw.runFor(ms) },
    ];
    const targets: Target[] = [{ group: 'round trip', name: LIBRARY, minRatio: TARGET }];

    console.log('Round-trip bench: SPEC 7 reference Order over one connection to the demo service (echo) in another process');
    printMachine();
    console.log(
      `${orderBytes.length}-byte messages, ${PIPELINE} in flight; ${args.seconds} s per case in ${args.rounds} interleaved rounds ` +
        `after ${args.warmupSeconds} s warm-up; service pid ${service.pid} on ${service.host}:${service.port}`,
    );
    const results = await measureInterleavedAsync(cases, {
      seconds: args.seconds,
      rounds: args.rounds,
      warmupSeconds: args.warmupSeconds,
      onRound: process.stderr.isTTY ? (r, n) => process.stderr.write(r === n ? '\r\x1b[K' : `\rround ${r}/${n}`) : undefined,
    });

    // Both cases moved the same bytes: 180 out and 180 back per message, nothing more.
    assert.equal(socket.bytesOut, library.count * orderBytes.length, 'archway sent one Order per exchange');
    assert.equal(socket.bytesIn, library.count * orderBytes.length, 'archway received one Order per exchange');
    assert.equal(handSock.bytesWritten, hand.count * orderBytes.length, 'the hand-rolled client sent one Order per exchange');
    assert.equal(rawSock.bytesWritten, raw.total * orderBytes.length, 'the raw client sent one Order per echo');
    assert.equal(channel.inFlight, 0);

    const rows = withRatios(results, HAND, targets);
    printTable(rows, 'messages/s (median of rounds), ±mad = median absolute deviation, range = per-round ratio min–max');
    const lib = rows.find((r) => r.name === LIBRARY)!;
    const base = rows.find((r) => r.name === HAND)!;
    const pass = lib.target?.pass === true;
    console.log(
      `\narchway ${formatOps(lib.opsPerSec)} msg/s, hand-rolled ${formatOps(base.opsPerSec)} msg/s: ` +
        `${lib.ratio!.median.toFixed(2)}× (target ≥ ${TARGET}×) ${pass ? 'PASS' : 'FAIL'}`,
    );
    console.log(
      `CPU of this process per message: ${results.map((r) => `${r.name} ${r.cpuUsPerOp.toFixed(2)} µs`).join(', ')} ` +
        '(the service process and the kernel not included)',
    );
    console.log(
      `verified: ${formatOps(library.count)} archway and ${formatOps(hand.count)} hand-rolled answers matched to their requests, ` +
        `${formatOps(raw.total)} raw echoes byte for byte`,
    );
    if (args.save) {
      const file = writeResults('roundtrip', {
        config: args,
        message: { type: 'Order', bytes: orderBytes.length },
        pipeline: PIPELINE,
        service: { mode: 'echo', process: 'child' },
        verified: { exchanges: library.count, handExchanges: hand.count, rawEchoes: raw.total },
        cpuUsPerMessage: Object.fromEntries(results.map((r) => [r.name, r.cpuUsPerOp])),
        rows,
      });
      console.log(`results: ${file}`);
    }
    await channel.close(2000);
    handSock.destroy();
    rawSock.destroy();
    await socket.close();
  } finally {
    await service.stop();
  }
}

await main();
