/**
 * The reference Order (SPEC §7) in hand-written `Buffer` code, as a team would write it for one
 * message without a codec library: what the hand-rolled proxy baseline of bench:gateway pays for
 * encoding and decoding. MFC 14, ANSI build, code page 1252 strings shorter than 255 characters
 * (the benchmark instance's), CTime in the 12-byte marked form (format §5.1).
 */
import type { ReferenceOrder } from '../../src/demo/index.js';

/** The Order's shape is the reference one (src/demo); only its codec here is by hand. */
export type Order = ReferenceOrder;

const CTIME_MARK = 0x8000000a;

function putString(b: Buffer, at: number, s: string): number {
  b[at] = s.length;
  return at + 1 + b.write(s, at + 1, 'latin1');
}

export function encodeOrder(o: Order): Buffer {
  const b = Buffer.allocUnsafe(1024);
  let p = 0;
  b.writeUInt32LE(o.id, p); p += 4;
  p = putString(b, p, o.customer);
  b.writeUInt32LE(CTIME_MARK, p); p += 4;
  b.writeBigInt64LE(BigInt(Date.parse(o.placed) / 1000), p); p += 8;
  b.writeDoubleLE(o.total, p); p += 8;
  b[p++] = o.priority;
  b[p++] = o.express ? 1 : 0;
  b.writeUInt16LE(o.lines.length, p); p += 2;
  for (const l of o.lines) {
    p = putString(b, p, l.sku);
    b.writeUInt16LE(l.qty, p); p += 2;
    b.writeDoubleLE(l.price, p); p += 8;
  }
  b.writeUInt16LE(o.notes.length, p); p += 2;
  for (const n of o.notes) p = putString(b, p, n);
  return b.subarray(0, p);
}

/** The Order at the start of `b`, and its length; undefined while its bytes are not all there. */
export function decodeOrder(b: Buffer): { order: Order; length: number } | undefined {
  let p = 0;
  const need = (n: number) => p + n <= b.length;
  const str = (): string | undefined => {
    if (!need(1)) return undefined;
    const n = b[p]!;
    if (!need(1 + n)) return undefined;
    const s = b.toString('latin1', p + 1, p + 1 + n);
    p += 1 + n;
    return s;
  };
  if (!need(4)) return undefined;
  const id = b.readUInt32LE(p); p += 4;
  const customer = str();
  if (customer === undefined || !need(4 + 8 + 8 + 2 + 2)) return undefined;
  p += 4;
  const placed = new Date(Number(b.readBigInt64LE(p)) * 1000).toISOString().replace('.000Z', 'Z'); p += 8;
  const total = b.readDoubleLE(p); p += 8;
  const priority = b[p++]!;
  const express = b[p++] !== 0;
  const lineCount = b.readUInt16LE(p); p += 2;
  const lines: Order['lines'] = [];
  for (let i = 0; i < lineCount; i++) {
    const sku = str();
    if (sku === undefined || !need(10)) return undefined;
    const qty = b.readUInt16LE(p); p += 2;
    const price = b.readDoubleLE(p); p += 8;
    lines.push({ sku, qty, price });
  }
  if (!need(2)) return undefined;
  const noteCount = b.readUInt16LE(p); p += 2;
  const notes: string[] = [];
  for (let i = 0; i < noteCount; i++) {
    const n = str();
    if (n === undefined) return undefined;
    notes.push(n);
  }
  return { order: { id, customer, placed, total, priority, express, lines, notes }, length: p };
}
