/** ChunkQueue: what it keeps, copies and coalesces as bytes arrive and are consumed. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChunkQueue } from '../../src/archive/index.js';

function drain(q: ChunkQueue): Buffer {
  const out = Buffer.from(q.contiguous(q.length));
  q.consume(q.length);
  return out;
}

describe('ChunkQueue', () => {
  it('a byte-at-a-time peer fills shared tails: 100,000 bytes in a couple of chunks, in order', () => {
    const q = new ChunkQueue();
    const data = randomBytes(100_000);
    for (let i = 0; i < data.length; i++) q.push(data.subarray(i, i + 1));
    expect(q.chunkCount).toBeLessThanOrEqual(3);
    expect(drain(q).equals(data)).toBe(true);
  });

  it('a lock-step message into an empty queue is kept as it came (no 64 KiB tail per message)', () => {
    const q = new ChunkQueue();
    for (let i = 0; i < 50; i++) {
      const msg = randomBytes(180);
      q.push(msg);
      expect(q.first()!.buf).toBe(msg);
      expect(drain(q).equals(msg)).toBe(true);
      expect(q.length).toBe(0);
    }
  });

  it('small chunks behind an unread one coalesce, and bytes keep their order across every mix', () => {
    const q = new ChunkQueue();
    const sent: Buffer[] = [];
    let got = Buffer.alloc(0);
    for (let i = 0; i < 2000; i++) {
      const size = [1, 7, 180, 4095, 4096, 70_000][i % 6]!;
      const c = randomBytes(size);
      sent.push(c);
      q.push(c);
      if (i % 5 === 4) {
        // consume part, leaving a partly read chunk at the head
        const n = Math.min(q.length, 3000 + (i % 977));
        got = Buffer.concat([got, Buffer.from(q.contiguous(n))]);
        q.consume(n);
      }
    }
    got = Buffer.concat([got, drain(q)]);
    expect(got.equals(Buffer.concat(sent))).toBe(true);
  });
});
