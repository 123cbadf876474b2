/**
 * When exchanges' requests go out (src/archive-io/send-turn.ts): at the end of the turn of the event
 * loop in which their turn came, every session's together — lock-step ones included — and still in
 * that turn, so a lone request waits for nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { demoRegistry, referenceOrder, startDemoService } from '../../src/demo/index.js';
import { ArchiveChannel } from '../../src/archive-io/index.js';
import { sendAtTurnEnd, settleAfterSends } from '../../src/archive-io/send-turn.js';
import { kSendTurn } from '../../src/archive-io/symbols.js';
import { StreamSocket } from '../../src/sockets/index.js';
import { LOOPBACK } from '../support/ports.js';

const types = demoRegistry();
const orderCodec = types.get('Order');
const ORDER_LENGTH = orderCodec.encode(referenceOrder(0)).length;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** `n` lock-step channels to one echo service. */
async function channels(n: number): Promise<ArchiveChannel[]> {
  const service = await startDemoService({ port: 0, host: LOOPBACK, mode: 'echo', udp: false });
  cleanups.push(() => service.close());
  return Promise.all(
    Array.from({ length: n }, async () => {
      const socket = await StreamSocket.create();
      cleanups.push(() => socket.close());
      await socket.connect(service.host, service.port);
      return new ArchiveChannel(socket, { types });
    }),
  );
}

const nextCheckPhase = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the send turn', () => {
  it('lock-step requests of several sessions go out together at the end of the turn, in that turn', async () => {
    const chs = await channels(3);
    const answers = chs.map((ch, i) => ch.exchange(orderCodec, referenceOrder(i + 1), orderCodec, { timeoutMs: 5000 }));
    // Stored, not yet written: nothing is handed to the kernel while the turn's I/O goes on.
    expect(chs.map((ch) => ch.socket.bytesOut)).toEqual([0, 0, 0]);
    expect(chs.map((ch) => ch.inFlight)).toEqual([1, 1, 1]);
    // A check-phase callback queued after them runs after the send: all three went, in this turn.
    await nextCheckPhase();
    expect(chs.map((ch) => ch.socket.bytesOut)).toEqual([ORDER_LENGTH, ORDER_LENGTH, ORDER_LENGTH]);
    expect((await Promise.all(answers)).map((o) => (o as { id: number }).id)).toEqual([1, 2, 3]);
  });

  it("an answer read lets its session's next request go at the end of that turn: lock-step holds", async () => {
    const [ch] = await channels(1);
    const N = 50;
    let most = 0;
    const ids = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        ch!.exchange(orderCodec, referenceOrder(i + 1), orderCodec, { timeoutMs: 5000 }).then((o) => {
          most = Math.max(most, ch!.inFlight);
          return (o as { id: number }).id;
        }),
      ),
    );
    expect(ids).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    // Never more than one request in flight, and every one sent whole.
    expect(most).toBe(1);
    expect(ch!.socket.bytesOut).toBe(N * ORDER_LENGTH);
    expect(ch!.load.messagesIn).toBe(N);
  });

  it('a request whose caller gives up before the end of the turn is taken back whole', async () => {
    const [ch] = await channels(1);
    const ac = new AbortController();
    const answer = ch!.exchange(orderCodec, referenceOrder(7), orderCodec, { timeoutMs: 5000, signal: ac.signal });
    ac.abort();
    await expect(answer).rejects.toMatchObject({ code: 'ABORTED', details: { sent: false, delivery: 'withdrawn' } });
    await nextCheckPhase();
    expect(ch!.socket.bytesOut).toBe(0);
    // The turn passed on: the next exchange gets its own answer.
    expect(await ch!.exchange(orderCodec, referenceOrder(8), orderCodec, { timeoutMs: 5000 })).toMatchObject({ id: 8 });
  });

  it('no session is sent last at every turn: where a turn starts sending moves', async () => {
    const turns: string[][] = [];
    const senders = ['a', 'b', 'c'].map((name) => ({ waiting: 0, [kSendTurn]: () => turns.at(-1)!.push(name) }));
    for (let t = 0; t < 3; t++) {
      turns.push([]);
      for (const s of senders) sendAtTurnEnd(s);
      await nextCheckPhase();
    }
    // Every turn sends each once, and three turns in a row end with three different senders.
    expect(turns.map((t) => [...t].sort().join(''))).toEqual(['abc', 'abc', 'abc']);
    expect(new Set(turns.map((t) => t[2])).size).toBe(3);
  });

  it('the session with the longest backlog sends first, whatever the order its turn came in', async () => {
    const sent: string[] = [];
    const backlogs = { a: 0, b: 5, c: 2, d: 5 };
    for (const [name, waiting] of Object.entries(backlogs)) sendAtTurnEnd({ waiting, [kSendTurn]: () => sent.push(name) });
    await nextCheckPhase();
    // b and d (5 waiting each, in the order the rotation gives them), then c, then a.
    expect(sent.slice(2)).toEqual(['c', 'a']);
    expect([...sent.slice(0, 2)].sort()).toEqual(['b', 'd']);
  });

  it("a channel's backlog is the exchanges queued behind the one its turn sends", async () => {
    const [ch] = await channels(1);
    const answers = [1, 2, 3].map((id) => ch!.exchange(orderCodec, referenceOrder(id), orderCodec, { timeoutMs: 5000 }));
    expect(ch!.inFlight).toBe(1);
    expect(ch!.waiting).toBe(2);
    expect((await Promise.all(answers)).map((o) => (o as { id: number }).id)).toEqual([1, 2, 3]);
    expect(ch!.waiting).toBe(0);
  });

  it('an answer is told after the turn has sent the requests it let go', async () => {
    const [a, b] = await channels(2);
    // a's second request waits for a's first answer; b's lone exchange is in flight beside it.
    const seen: number[] = [];
    const first = a!.exchange(orderCodec, referenceOrder(1), orderCodec, { timeoutMs: 5000 }).then(() => seen.push(a!.socket.bytesOut));
    const second = a!.exchange(orderCodec, referenceOrder(2), orderCodec, { timeoutMs: 5000 });
    const other = b!.exchange(orderCodec, referenceOrder(3), orderCodec, { timeoutMs: 5000 });
    await Promise.all([first, second, other]);
    // When the caller of the first exchange hears its answer, the second request is with the kernel.
    expect(seen).toEqual([2 * ORDER_LENGTH]);
  });

  it('an answer is held for the end of the turn only while a send is due in it', async () => {
    const events: string[] = [];
    const reader = (name: string) => ({ resolve: (v: unknown) => events.push(`${name}=${String(v)}`) });
    settleAfterSends(reader('lone'), 1);
    // No send armed: told at once.
    expect(events).toEqual(['lone=1']);
    sendAtTurnEnd({ waiting: 0, [kSendTurn]: () => events.push('send') });
    settleAfterSends(reader('held'), 2);
    expect(events).toEqual(['lone=1']);
    await nextCheckPhase();
    expect(events).toEqual(['lone=1', 'send', 'held=2']);
  });

  it('a bad value queued behind an answer is refused when that answer lets it go, and the turn passes on', async () => {
    const [ch] = await channels(1);
    const results = await Promise.allSettled([
      ch!.exchange(orderCodec, referenceOrder(1), orderCodec, { timeoutMs: 5000 }),
      ch!.exchange(orderCodec, { ...referenceOrder(2), customer: 5 }, orderCodec, { timeoutMs: 5000 }),
      ch!.exchange(orderCodec, referenceOrder(3), orderCodec, { timeoutMs: 5000 }),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? (r.value as { id: number }).id : (r.reason as { code: string }).code))).toEqual([1, 'VALIDATION', 3]);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ details: { path: '/customer' } });
    // Not a byte of the bad one went out; each good one got its own answer.
    expect(ch!.socket.bytesOut).toBe(2 * ORDER_LENGTH);
    expect(ch!.inFlight).toBe(0);
  });
});
