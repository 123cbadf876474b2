/** `CArchive::WriteCount` / `ReadCount` (format §3.1). */
import type { ArchiveReader } from './archive-reader.js';
import type { ArchiveWriter } from './archive-writer.js';
import { validationError } from '../errors.js';
import type { WidthForm } from './width-form.js';

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

/** The bytes WriteCount uses for `n`: a count read in more bytes was written by another writer. */
export function minimalCountBytes(n: number): number {
  return n < 0xffff ? 2 : n < 0xffffffff ? 6 : 14;
}

/** WriteCount in the form a lossless value's `countForm` names (a longer one than MFC writes). */
export function writeCountAs(w: ArchiveWriter, n: number, form: WidthForm, escape64: boolean): void {
  const fits = form === 'word' ? n < 0xffff : form === 'dword' ? n < 0xffffffff : form === 'qword' && escape64;
  if (!fits) {
    throw validationError(
      form === 'qword'
        ? 'the "qword" countForm needs a Win64 reader of MFC 7 or later (profile.win64)'
        : `a "${form}" countForm cannot hold a count of ${n}`,
    );
  }
  if (form === 'word') {
    w.u16(n);
    return;
  }
  w.u16(0xffff);
  if (form === 'dword') {
    w.u32(n);
    return;
  }
  w.u32(0xffffffff);
  w.u64n(n);
}
