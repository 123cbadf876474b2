/**
 * Load-mode byte source over one contiguous buffer: the extractors of CArchive, little-endian and
 * unaligned (format §1.1). Running past the end throws `NeedMore`; nothing is consumed from the
 * caller's point of view until a whole message has decoded.
 */
import { NeedMore } from './need-more.js';

export class ArchiveReader {
  buf: Buffer;
  /** DataView over `buf` for floats (inlined by V8, unlike Buffer#readDoubleLE). */
  private dv: DataView;
  pos: number;
  end: number;
  /** Offset of `buf[0]` in the archive, so errors report archive offsets. */
  base: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length, base = 0) {
    this.buf = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.pos = start;
    this.end = end;
    this.base = base;
  }

  /** Points this reader at other bytes (codecs reuse one reader: decoding is synchronous). */
  reset(buf: Uint8Array, start = 0, end = buf.length, base = 0): this {
    if (buf !== this.buf) {
      this.buf = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
      this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    }
    this.pos = start;
    this.end = end;
    this.base = base;
    return this;
  }

  /** Archive offset of the next byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  underflow(n: number): never {
    throw new NeedMore(this.pos + n - this.end, this.base + this.end);
  }

  /** Throws `NeedMore` unless `n` bytes are available. */
  require(n: number): void {
    if (this.pos + n > this.end) this.underflow(n);
  }

  u8(): number {
    if (this.pos >= this.end) this.underflow(1);
    return this.buf[this.pos++];
  }

  i8(): number {
    return (this.u8() << 24) >> 24;
  }

  u16(): number {
    const p = this.pos;
    if (p + 2 > this.end) this.underflow(2);
    const b = this.buf;
    this.pos = p + 2;
    return b[p] | (b[p + 1] << 8);
  }

  i16(): number {
    return (this.u16() << 16) >> 16;
  }

  u32(): number {
    const p = this.pos;
    if (p + 4 > this.end) this.underflow(4);
    const b = this.buf;
    this.pos = p + 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
  }

  i32(): number {
    const p = this.pos;
    if (p + 4 > this.end) this.underflow(4);
    const b = this.buf;
    this.pos = p + 4;
    return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
  }

  u64(): bigint {
    this.require(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  i64(): bigint {
    this.require(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A signed 64-bit value as a number when exactly representable, else as a bigint. */
  i64n(): number | bigint {
    const lo = this.u32();
    const hi = this.i32();
    if (hi >= -0x200000 && hi < 0x200000) return hi * 0x100000000 + lo;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  f32(): number {
    const p = this.pos;
    if (p + 4 > this.end) this.underflow(4);
    this.pos = p + 4;
    return this.dv.getFloat32(p, true);
  }

  f64(): number {
    const p = this.pos;
    if (p + 8 > this.end) this.underflow(8);
    this.pos = p + 8;
    return this.dv.getFloat64(p, true);
  }

  /** A view of the next `n` bytes (no copy). */
  bytes(n: number): Buffer {
    const p = this.pos;
    if (p + n > this.end) this.underflow(n);
    this.pos = p + n;
    return this.buf.subarray(p, p + n);
  }

  skip(n: number): void {
    if (this.pos + n > this.end) this.underflow(n);
    this.pos += n;
  }
}
