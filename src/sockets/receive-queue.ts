/**
 * The bytes `StreamSocket.receive()` hands out, for programs that read a socket raw (CAsyncSocket's
 * Receive) rather than through an archive. Past `max` buffered bytes reading pauses: backpressure.
 */
export class ReceiveQueue {
  private chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Up to `max` bytes off the front (one copy only when they span chunks). */
  take(max: number): Buffer {
    const n = Math.min(max, this.length);
    const first = this.chunks[0];
    let out: Buffer;
    if (first !== undefined && first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const c = this.chunks[0]!;
        const k = Math.min(c.length, n - filled);
        c.copy(out, filled, 0, k);
        filled += k;
        if (k === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(k);
      }
    }
    this.length -= n;
    return out;
  }
}
