/**
 * Integer primitives (format §1.2, §1.3). Signedness is not on the wire (`short` and `WORD` share
 * bytes); it only decides the JSON number a read gives and the range a write accepts. 64-bit values
 * are decimal strings in JSON (numbers accepted when safe).
 */
import { Type } from 'typebox';
import type { ArchiveReader } from '../wire/archive-reader.js';
import type { ArchiveWriter } from '../wire/archive-writer.js';
import { expected, type Primitive, type PrimitiveOptions } from './primitive.js';

function int(
  name: string,
  size: 1 | 2 | 4,
  min: number,
  max: number,
  write: (w: ArchiveWriter, v: number) => void,
  read: (r: ArchiveReader) => number,
  example: number,
): Primitive {
  const what = `an integer from ${min} to ${max} (${name})`;
  return {
    name,
    size,
    write(w, v) {
      if (typeof v !== 'number' || !(v >= min && v <= max) || v % 1 !== 0) expected(what, v);
      write(w, v);
    },
    read,
    schema: Type.Integer({ minimum: min, maximum: max }),
    example,
  };
}

const u8w = (w: ArchiveWriter, v: number) => w.u8(v);
const u16w = (w: ArchiveWriter, v: number) => w.u16(v);
const u32w = (w: ArchiveWriter, v: number) => w.u32(v);
const u8r = (r: ArchiveReader) => r.u8();
const u16r = (r: ArchiveReader) => r.u16();
const i16r = (r: ArchiveReader) => r.i16();
const u32r = (r: ArchiveReader) => r.u32();
const i32r = (r: ArchiveReader) => r.i32();

export const BYTE = int('BYTE', 1, 0, 255, u8w, u8r, 7);
/** `char` is cast to BYTE (format §1.2); MSVC's char is signed, so -128..-1 are accepted as well. */
export const CHAR = int('char', 1, -128, 255, u8w, u8r, 65);
export const WORD = int('WORD', 2, 0, 0xffff, u16w, u16r, 7);
export const SHORT = int('short', 2, -0x8000, 0x7fff, u16w, i16r, -2);
export const WCHAR = int('wchar_t', 2, 0, 0xffff, u16w, u16r, 0xe9);
export const DWORD = int('DWORD', 4, 0, 0xffffffff, u32w, u32r, 7);
export const UINT = int('UINT', 4, 0, 0xffffffff, u32w, u32r, 7);
export const LONG = int('LONG', 4, -0x80000000, 0x7fffffff, u32w, i32r, -1);
export const INT = int('int', 4, -0x80000000, 0x7fffffff, u32w, i32r, 1);

/**
 * `bool` and `BOOL`: JSON booleans for 0 and 1; any other stored value stays a number so decoding
 * then encoding reproduces the bytes (MFC reads any non-zero byte as true).
 */
function boolean(name: string, size: 1 | 4): Primitive {
  const max = size === 1 ? 255 : 0x7fffffff;
  const min = size === 1 ? 0 : -0x80000000;
  const what = `true, false or an integer from ${min} to ${max} (${name})`;
  const put = size === 1 ? u8w : u32w;
  const get = size === 1 ? u8r : i32r;
  return {
    name,
    size,
    write(w, v) {
      if (v === true) put(w, 1);
      else if (v === false) put(w, 0);
      else if (typeof v === 'number' && v >= min && v <= max && v % 1 === 0) put(w, v);
      else expected(what, v);
    },
    read(r) {
      const v = get(r);
      return v === 0 ? false : v === 1 ? true : v;
    },
    schema: Type.Union([Type.Boolean(), Type.Integer({ minimum: min, maximum: max })]),
    example: true,
  };
}

/** `bool` is 1 byte from MFC 7.0, an `int` before (format §1.2). */
export function boolType(o: PrimitiveOptions): Primitive {
  return boolean('bool', o.flags.boolSize);
}
/** `BOOL` is a typedef of `int`: always 4 bytes. */
export const BOOL = boolean('BOOL', 4);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const DECIMAL = /^-?(0|[1-9][0-9]*)$/;

/** A JSON 64-bit integer (decimal string, or a safe integer number) as a bigint, range-checked. */
export function toBigInt(v: unknown, min: bigint, max: bigint, name: string): bigint {
  let b: bigint | undefined;
  if (typeof v === 'string' && v.length <= 21 && DECIMAL.test(v)) b = BigInt(v);
  else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
  if (b === undefined || b < min || b > max) {
    expected(`a decimal string (or safe integer) from ${min} to ${max} (${name})`, v);
  }
  return b;
}

function int64(name: string, signed: boolean): Primitive {
  const min = signed ? INT64_MIN : 0n;
  const max = signed ? INT64_MAX : UINT64_MAX;
  return {
    name,
    size: 8,
    write(w, v) {
      w.u64(toBigInt(v, min, max, name));
    },
    read(r) {
      return (signed ? r.i64() : r.u64()).toString();
    },
    schema: Type.Union([
      Type.String({ pattern: DECIMAL.source, description: `${name} as a decimal string` }),
      Type.Integer({ minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }),
    ]),
    example: signed ? '-2' : '72623859790382856',
  };
}

/** MFC 7.0+ have the 64-bit inserters; a VC6 peer writes the same 8 bytes with `ar.Write`. */
export const LONGLONG = int64('LONGLONG', true);
export const ULONGLONG = int64('ULONGLONG', false);
