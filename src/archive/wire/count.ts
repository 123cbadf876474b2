/** `CArchive::WriteCount` / `ReadCount` (format §3.1). */
import type { ArchiveReader } from './archive-reader.js';
import type { ArchiveWriter } from './archive-writer.js';
import { validationError } from '../errors.js';

/** WORD below 0xFFFF; else 0xFFFF + DWORD; on Win64 MFC 7+ a further 0xFFFFFFFF + QWORD escape. */
export function writeCount(w: ArchiveWriter, n: number, escape64: boolean): void {
  if (n < 0xffff) {
    w.u16(n);
    return;
  }
  w.u16(0xffff);
  if (n < 0xffffffff) {
    w.u32(n);
    return;
  }
  if (!escape64) {
    throw validationError(`a count of ${n} needs the 64-bit escape, which only Win64 builds of MFC 7+ read`);
  }
  w.u32(0xffffffff);
  w.u64n(n);
}

/** Reads a count; a 64-bit count beyond 2^53 comes back as Infinity so every cap refuses it. */
export function readCount(r: ArchiveReader, escape64: boolean): number {
  const w = r.u16();
  if (w !== 0xffff) return w;
  const d = r.u32();
  if (d !== 0xffffffff || !escape64) return d;
  const q = r.u64();
  return q <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(q) : Number.POSITIVE_INFINITY;
}
