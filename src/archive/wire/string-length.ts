/**
 * The length prefix of CString (format §2.1, §2.2): an optional Unicode marker `FF FE FF`, then the
 * character count in 1, 3, 7 or 15 bytes. Thresholds: 254 → 1 byte; 255 → FF + WORD; 0xFFFE →
 * FF FFFF + DWORD (0xFFFE itself is the marker's WORD, so the WORD form stops at 0xFFFD).
 */
import type { ArchiveReader } from './archive-reader.js';
import type { ArchiveWriter } from './archive-writer.js';
import { validationError } from '../errors.js';

export function writeStringLength(w: ArchiveWriter, length: number, wide: boolean, escape64: boolean): void {
  if (wide) {
    w.u8(0xff);
    w.u16(0xfffe);
  }
  if (length < 0xff) {
    w.u8(length);
  } else if (length < 0xfffe) {
    w.u8(0xff);
    w.u16(length);
  } else if (length < 0xffffffff) {
    w.u8(0xff);
    w.u16(0xffff);
    w.u32(length);
  } else {
    if (!escape64) {
      throw validationError(`a string of ${length} characters needs the 64-bit length escape (Win64 MFC 7+ only)`);
    }
    w.u8(0xff);
    w.u16(0xffff);
    w.u32(0xffffffff);
    w.u64n(length);
  }
}

export interface StringHeader {
  length: number;
  wide: boolean;
}

/**
 * MFC 7.0+ `AfxReadStringLength`: BYTE; 0xFF → WORD; 0xFFFE → wide, start over; then WORD < 0xFFFF
 * is the length, else DWORD, else QWORD (every MFC 7+ reader, Win32 too; VC6 stops at the DWORD:
 * `qwordEscape` = mfc >= 7). Either width is accepted whatever the field declares, as MFC does. A 64-bit length past 2^53 comes back as Infinity so every cap refuses it.
 */
export function readStringHeader(r: ArchiveReader, qwordEscape: boolean): StringHeader {
  let wide = false;
  let b = r.u8();
  if (b < 0xff) return { length: b, wide };
  let w = r.u16();
  if (w === 0xfffe) {
    wide = true;
    b = r.u8();
    if (b < 0xff) return { length: b, wide };
    w = r.u16();
  }
  if (w < 0xffff) return { length: w, wide };
  const d = r.u32();
  if (d < 0xffffffff || !qwordEscape) return { length: d, wide };
  const q = r.u64();
  return { length: q <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(q) : Number.POSITIVE_INFINITY, wide };
}
