/**
 * The tags of WriteObject / ReadObject (format §4.1, §4.3): NULL `0000`, back-reference `i`, class
 * tag `8000|c`, new class `FFFF` + schema + name, and the 32-bit escape `7FFF` + DWORD past 0x7FFE.
 */
import type { ArchiveReader } from '../wire/archive-reader.js';
import type { ArchiveWriter } from '../wire/archive-writer.js';
import { decodeError } from '../errors.js';
import type { ClassInfo } from '../types/type-plan.js';

const NEW_CLASS_TAG = 0xffff;
const CLASS_TAG = 0x8000;
const BIG_OBJECT_TAG = 0x7fff;
const BIG_CLASS_TAG = 0x80000000;
/** `readTag` result for a new class descriptor. */
export const NEW_CLASS = -1;
/** `CRuntimeClass::Load` reads names into a 64-byte buffer: 64 or more is refused (format §4.3). */
const MAX_CLASS_NAME = 63;

export function writeObjectRef(w: ArchiveWriter, index: number): void {
  if (index < BIG_OBJECT_TAG) {
    w.u16(index);
  } else {
    w.u16(BIG_OBJECT_TAG);
    w.u32(index);
  }
}

export function writeClassRef(w: ArchiveWriter, index: number): void {
  if (index < BIG_OBJECT_TAG) {
    w.u16(CLASS_TAG | index);
  } else {
    w.u16(BIG_OBJECT_TAG);
    w.u32((BIG_CLASS_TAG | index) >>> 0);
  }
}

/** `CRuntimeClass::Store`: FFFF, WORD schema (VERSIONABLE_SCHEMA bit dropped), WORD length, ASCII name. */
export function writeNewClass(w: ArchiveWriter, cls: ClassInfo, schema = cls.schema): void {
  w.u16(NEW_CLASS_TAG);
  w.u16(schema);
  w.u16(cls.name.length);
  for (let i = 0; i < cls.name.length; i++) w.u8(cls.name.charCodeAt(i));
}

/**
 * Reads a tag as MFC's `ReadClass` computes it: the 32-bit tag (high bit: class), or NEW_CLASS.
 */
export function readTag(r: ArchiveReader): number {
  const w = r.u16();
  if (w === NEW_CLASS_TAG) return NEW_CLASS;
  if (w === BIG_OBJECT_TAG) return r.u32();
  return (((w & CLASS_TAG) << 16) | (w & 0x7fff)) >>> 0;
}

interface StoredClass {
  readonly name: string;
  readonly schema: number;
}

/** Reads the rest of a new class descriptor: schema, name length, name (refused at 64+ bytes). */
export function readClassDescriptor(r: ArchiveReader, at: number): StoredClass {
  const schema = r.u16();
  const length = r.u16();
  if (length > MAX_CLASS_NAME) {
    throw decodeError('badClass', `a class name of ${length} bytes: MFC refuses names of 64 bytes or more`, at, 'a class name shorter than 64 bytes');
  }
  const name = r.bytes(length).toString('latin1');
  return { name, schema };
}
