/**
 * The length prefix of CString (format §2.1, §2.2): an optional Unicode marker `FF FE FF`, then the
 * character count in 1, 3, 7 or 15 bytes. Thresholds: 254 → 1 byte; 255 → FF + WORD; 0xFFFE →
 * FF FFFF + DWORD (0xFFFE itself is the marker's WORD, so the WORD form stops at 0xFFFD). Readers
 * accept a longer form than MFC writes (other writers produce them, SPEC §2); lossless JSON keeps
 * the form (`lengthForm`) so that encoding again reproduces it.
 */
import type { ArchiveReader } from './archive-reader.js';
import type { ArchiveWriter } from './archive-writer.js';
import { validationError } from '../errors.js';
import { formOfSize, type WidthForm } from './width-form.js';

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

/** The bytes of the length part MFC's writer uses for `length` (after any marker). */
function minimalLengthBytes(length: number): number {
  return length < 0xff ? 1 : length < 0xfffe ? 3 : length < 0xffffffff ? 7 : 15;
}

/**
 * Writes the length in the form `form` (a lossless value's `lengthForm`), refusing a form that
 * cannot hold the length or that the peer's reader does not know (the QWORD form before MFC 7).
 */
export function writeStringLengthAs(w: ArchiveWriter, length: number, wide: boolean, form: WidthForm, qwordEscape: boolean): void {
  const fits =
    form === 'byte' ? length < 0xff
    // In a narrow string, FF + WORD 0xFFFE is the Unicode marker; WORD 0xFFFF escapes further.
    : form === 'word' ? length < 0xffff && (wide || length !== 0xfffe)
    : form === 'dword' ? length < 0xffffffff
    : qwordEscape;
  if (!fits) {
    throw validationError(
      form === 'qword'
        ? 'the "qword" lengthForm needs a reader of MFC 7 or later (profile.mfc)'
        : `a "${form}" lengthForm cannot hold a length of ${length}`,
    );
  }
  if (wide) {
    w.u8(0xff);
    w.u16(0xfffe);
  }
  if (form === 'byte') {
    w.u8(length);
    return;
  }
  w.u8(0xff);
  if (form === 'word') {
    w.u16(length);
    return;
  }
  w.u16(0xffff);
  if (form === 'dword') {
    w.u32(length);
    return;
  }
  w.u32(0xffffffff);
  w.u64n(length);
}

export interface StringHeader {
  length: number;
  wide: boolean;
  /** Bytes of the length part (1, 3, 7 or 15), the marker not counted. */
  lengthBytes: number;
}

/**
 * MFC 7.0+ `AfxReadStringLength`: BYTE; 0xFF → WORD; 0xFFFE → wide, start over; then WORD < 0xFFFF
 * is the length, else DWORD, else QWORD (every MFC 7+ reader, Win32 too; VC6 stops at the DWORD:
 * `qwordEscape` = mfc >= 7). Either width is accepted whatever the field declares, as MFC does. A
 * 64-bit length past 2^53 comes back as Infinity so every cap refuses it.
 */
export function readStringHeader(r: ArchiveReader, qwordEscape: boolean): StringHeader {
  let wide = false;
  let b = r.u8();
  if (b < 0xff) return { length: b, wide, lengthBytes: 1 };
  let w = r.u16();
  if (w === 0xfffe) {
    wide = true;
    b = r.u8();
    if (b < 0xff) return { length: b, wide, lengthBytes: 1 };
    w = r.u16();
  }
  if (w < 0xffff) return { length: w, wide, lengthBytes: 3 };
  const d = r.u32();
  if (d < 0xffffffff || !qwordEscape) return { length: d, wide, lengthBytes: 7 };
  const q = r.u64();
  return { length: q <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(q) : Number.POSITIVE_INFINITY, wide, lengthBytes: 15 };
}

/** The lossless `lengthForm` of a header, or undefined when it is the form MFC writes. */
export function lengthFormOf(h: StringHeader): WidthForm | undefined {
  return h.lengthBytes === minimalLengthBytes(h.length) ? undefined : formOfSize(h.lengthBytes);
}
