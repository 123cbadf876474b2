/**
 * Received bytes in arrival order, read without copying until a whole message is known. Small
 * chunks behind unread ones are coalesced into a shared tail so a peer sending one byte at a time
 * cannot make us hold a million tiny Buffers; others are kept as they came.
 */
const COALESCE_BELOW = 4096;
const TAIL_SIZE = 64 * 1024;

/** A position inside the queue that only moves forward (the scanner keeps one). */
export interface QueueCursor {
  /** Index of the chunk holding the position. */
  chunk: number;
  /** Queue offset of that chunk's first unread byte. */
  start: number;
  /** `generation` of the queue when the cursor was made; stale cursors restart. */
  generation: number;
}

export class ChunkQueue {
  private chunks: Buffer[] = [];
  /** Offset of the first unread byte in `chunks[0]`. */
  private head = 0;
  private tail: Buffer | undefined;
  private tailUsed = 0;
  /** Whether the last chunk is a view of `tail` (and may grow). */
  private lastIsTail = false;
  /** Unread bytes. */
  length = 0;
  /** Bytes consumed since the queue began: the archive offset of the first unread byte. */
  consumed = 0;
  /** Changes whenever chunk indices shift (consume, contiguous): cursors made before are stale. */
  generation = 0;

  get chunkCount(): number {
    return this.chunks.length;
  }

  push(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, n);
    // A small chunk into an empty queue is kept as it came, like a big one: a lock-step peer's
    // messages arrive one at a time and are consumed before the next, and giving each a fresh
    // 64 KiB tail cost a 64 KiB allocation per message (bench:gateway (b)). Coalescing starts
    // with the second small chunk waiting, so a byte-at-a-time peer still fills shared tails.
    if (n < COALESCE_BELOW && this.chunks.length > 0) {
      if (this.lastIsTail && this.tail !== undefined && this.tailUsed + n <= this.tail.length) {
        const last = this.chunks.length - 1;
        const start = this.tailUsed - this.chunks[last].length;
        buf.copy(this.tail, this.tailUsed);
        this.tailUsed += n;
        this.chunks[last] = this.tail.subarray(start, this.tailUsed);
        this.length += n;
        return;
      }
      this.tail = Buffer.allocUnsafe(TAIL_SIZE);
      buf.copy(this.tail, 0);
      this.tailUsed = n;
      this.chunks.push(this.tail.subarray(0, n));
      this.lastIsTail = true;
    } else {
      this.chunks.push(buf);
      this.lastIsTail = false;
    }
    this.length += n;
  }

  /** The first chunk's unread bytes: `buf[start, end)`. */
  first(): { buf: Buffer; start: number; end: number } | undefined {
    const c = this.chunks[0];
    return c === undefined ? undefined : { buf: c, start: this.head, end: c.length };
  }

  consume(n: number): void {
    if (n > this.length) throw new RangeError(`cannot consume ${n} of ${this.length} bytes`);
    this.length -= n;
    this.consumed += n;
    this.generation++;
    let left = n;
    while (left > 0) {
      const c = this.chunks[0];
      const avail = c.length - this.head;
      if (left < avail) {
        this.head += left;
        return;
      }
      left -= avail;
      this.chunks.shift();
      this.head = 0;
    }
    if (this.chunks.length === 0) {
      this.lastIsTail = false;
      this.tail = undefined;
    } else if (this.head === this.chunks[0].length) {
      this.chunks.shift();
      this.head = 0;
    }
  }

  /** The first `n` unread bytes as one Buffer (one copy at most; the copy replaces those chunks). */
  contiguous(n: number): Buffer {
    if (n > this.length) throw new RangeError(`cannot view ${n} of ${this.length} bytes`);
    const c = this.chunks[0];
    if (c !== undefined && c.length - this.head >= n) return c.subarray(this.head, this.head + n);
    const out = Buffer.allocUnsafe(n);
    const oldCount = this.chunks.length;
    let filled = 0;
    let i = 0;
    let offset = this.head;
    while (filled < n) {
      const chunk = this.chunks[i];
      const take = Math.min(chunk.length - offset, n - filled);
      chunk.copy(out, filled, offset, offset + take);
      filled += take;
      if (offset + take === chunk.length) {
        i++;
        offset = 0;
      } else {
        offset += take;
      }
    }
    // Replace the copied bytes by the joined buffer so a retry does not copy again.
    // A partly copied last chunk stays a view ending where the tail's writes end, so coalescing
    // into it remains correct; only when every chunk was copied is the last one no longer the tail.
    const rest = offset > 0 ? [this.chunks[i].subarray(offset)] : [];
    this.chunks = [out, ...rest, ...this.chunks.slice(i + 1)];
    if (i >= oldCount) this.lastIsTail = false;
    this.head = 0;
    this.generation++;
    return out;
  }

  newCursor(): QueueCursor {
    return { chunk: 0, start: 0, generation: this.generation };
  }

  /**
   * Copies up to `n` bytes starting `from` bytes after the read position into `target`; returns how
   * many were available. `cursor` must not be behind `from` and only moves forward.
   */
  copyOut(target: Buffer, from: number, n: number, cursor: QueueCursor): number {
    let ci = cursor.chunk;
    let cstart = cursor.start;
    while (ci < this.chunks.length) {
      const avail = this.chunks[ci].length - (ci === 0 ? this.head : 0);
      if (from < cstart + avail) break;
      cstart += avail;
      ci++;
    }
    cursor.chunk = ci;
    cursor.start = cstart;
    let copied = 0;
    let pos = from;
    while (copied < n && ci < this.chunks.length) {
      const c = this.chunks[ci];
      const base = ci === 0 ? this.head : 0;
      const offset = base + (pos - cstart);
      const take = Math.min(c.length - offset, n - copied);
      c.copy(target, copied, offset, offset + take);
      copied += take;
      pos += take;
      cstart += c.length - base;
      ci++;
    }
    return copied;
  }

  /** Drops everything (the socket is gone and its bytes were handed out). */
  clear(): void {
    this.consume(this.length);
  }
}
