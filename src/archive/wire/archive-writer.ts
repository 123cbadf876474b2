/**
 * Store-mode byte sink: little-endian, unaligned, no padding, no tags — exactly what CArchive's
 * inserters copy into their buffer (format §1.1). Grows geometrically up to `maxBytes`.
 */
import { validationError } from '../errors.js';

export class ArchiveWriter {
  buf: Buffer;
  pos = 0;
  readonly maxBytes: number;

  constructor(initialSize = 512, maxBytes = Number.MAX_SAFE_INTEGER) {
    this.buf = Buffer.allocUnsafe(initialSize);
    this.maxBytes = maxBytes;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    const needed = this.pos + n;
    if (needed > this.maxBytes) {
      throw validationError(
        `the message would exceed ${this.maxBytes} bytes (maxMessageBytes)`,
      );
    }
    // Doubling for many small writes; one large value (a 64 MiB CByteArray) gets what it needs
    // plus an eighth, not the next power of two (up to twice the payload).
    const size = Math.max(this.buf.length * 2, needed + (needed >>> 3));
    const next = Buffer.allocUnsafe(Math.min(size, this.maxBytes));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(v: number): void {
    if (this.pos + 1 > this.buf.length) this.grow(1);
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    if (this.pos + 2 > this.buf.length) this.grow(2);
    const b = this.buf;
    const p = this.pos;
    b[p] = v;
    b[p + 1] = v >>> 8;
    this.pos = p + 2;
  }

  /** Writes the low 32 bits; signed and unsigned values share the bytes (format §1.1). */
  u32(v: number): void {
    if (this.pos + 4 > this.buf.length) this.grow(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v;
    b[p + 1] = v >>> 8;
    b[p + 2] = v >>> 16;
    b[p + 3] = v >>> 24;
    this.pos = p + 4;
  }

  u64(v: bigint): void {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, v), this.pos);
    this.pos += 8;
  }

  /** A 64-bit value given as a safe non-negative integer (counts, lengths). */
  u64n(v: number): void {
    this.u32(v % 0x100000000);
    this.u32(Math.floor(v / 0x100000000));
  }

  f32(v: number): void {
    this.ensure(4);
    this.buf.writeFloatLE(v, this.pos);
    this.pos += 4;
  }

  f64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  bytes(src: Uint8Array): void {
    const n = src.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    if (n < 32) {
      const b = this.buf;
      let p = this.pos;
      for (let i = 0; i < n; i++) b[p++] = src[i];
    } else {
      this.buf.set(src, this.pos);
    }
    this.pos += n;
  }

  /** The bytes written so far, as a view (valid until the next write or reset). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** A copy of the bytes written so far. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  reset(): void {
    this.pos = 0;
  }

  /** Forgets bytes written after `pos` (an encode that failed half way leaves nothing behind). */
  truncate(pos: number): void {
    this.pos = pos;
  }
}
