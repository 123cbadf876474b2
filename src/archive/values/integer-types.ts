/**
 * Integer primitives (format §1.2, §1.3). Signedness is not on the wire (`short` and `WORD` share
 * bytes); it only decides the JSON number a read gives and the range a write accepts. 64-bit values
 * are decimal strings in JSON (numbers accepted when safe). Pointer-sized integers (`INT_PTR`,
 * `size_t`…) are 4 bytes, 8 in a Win64 build (format §1.2), and any integer field may be written in
 * network order (`"byteOrder": "big"`, values written after `htonl`/`htons`: SPEC §2).
 */
import { Type } from 'typebox';
import type { ArchiveReader } from '../wire/archive-reader.js';
import type { ArchiveWriter } from '../wire/archive-writer.js';
import { expected, type Primitive, type PrimitiveOptions } from './primitive.js';
import { ownEntry } from './own-key.js';

type ByteOrder = 'little' | 'big';

interface IntegerSpec {
  readonly size: 1 | 2 | 4 | 8;
  readonly signed: boolean;
  /** Accepted range for writes (`char` accepts -128..255); reads follow `signed`. */
  readonly min?: number;
  readonly max?: number;
  readonly example: number | string;
}

const U8: IntegerSpec = { size: 1, signed: false, example: 7 };
const U16: IntegerSpec = { size: 2, signed: false, example: 7 };
const I16: IntegerSpec = { size: 2, signed: true, example: -2 };
const U32: IntegerSpec = { size: 4, signed: false, example: 7 };
const I32: IntegerSpec = { size: 4, signed: true, example: 1 };
const U64: IntegerSpec = { size: 8, signed: false, example: '72623859790382856' };
const I64: IntegerSpec = { size: 8, signed: true, example: '-2' };

/** Every integer type name with a fixed width, and how it reads. */
const FIXED: Readonly<Record<string, IntegerSpec>> = {
  BYTE: U8,
  /** `char` is cast to BYTE (format §1.2); MSVC's char is signed, so -128..-1 are accepted as well. */
  char: { size: 1, signed: false, min: -128, max: 255, example: 65 },
  WORD: U16,
  short: I16,
  wchar_t: { ...U16, example: 0xe9 },
  DWORD: U32,
  UINT: U32,
  LONG: { ...I32, example: -1 },
  int: I32,
  /** MFC 7.0+ have the 64-bit inserters; a VC6 peer writes the same 8 bytes with `ar.Write`. */
  LONGLONG: I64,
  ULONGLONG: U64,
};

/** Typedefs whose width follows the build: 4 bytes on Win32, 8 on Win64 (format §1.2). */
const POINTER_SIZED: Readonly<Record<string, boolean>> = {
  INT_PTR: true, LONG_PTR: true, SSIZE_T: true, UINT_PTR: false, ULONG_PTR: false, DWORD_PTR: false, size_t: false,
};

export function isIntegerName(name: string): boolean {
  return Object.hasOwn(FIXED, name) || Object.hasOwn(POINTER_SIZED, name);
}

function specOf(name: string, win64: boolean): IntegerSpec | undefined {
  const fixed = ownEntry(FIXED, name);
  if (fixed !== undefined) return fixed;
  const signed = ownEntry(POINTER_SIZED, name);
  if (signed === undefined) return undefined;
  return win64 ? (signed ? I64 : U64) : signed ? I32 : U32;
}

type Put = (w: ArchiveWriter, v: number) => void;
type Get = (r: ArchiveReader) => number;

/** A view of `n` bytes at the read position, consumed (NeedMore when short). */
function at(r: ArchiveReader, n: number): number {
  const p = r.pos;
  r.skip(n);
  return p;
}

const PUT: Record<ByteOrder, Record<1 | 2 | 4, Put>> = {
  little: { 1: (w, v) => w.u8(v), 2: (w, v) => w.u16(v), 4: (w, v) => w.u32(v) },
  big: {
    1: (w, v) => w.u8(v),
    2: (w, v) => { w.u8(v >>> 8); w.u8(v); },
    4: (w, v) => { w.u8(v >>> 24); w.u8(v >>> 16); w.u8(v >>> 8); w.u8(v); },
  },
};

function getter(size: 1 | 2 | 4, signed: boolean, order: ByteOrder): Get {
  if (size === 1) return signed ? (r) => r.i8() : (r) => r.u8();
  if (order === 'little') {
    if (size === 2) return signed ? (r) => r.i16() : (r) => r.u16();
    return signed ? (r) => r.i32() : (r) => r.u32();
  }
  if (size === 2) return signed ? (r) => r.buf.readInt16BE(at(r, 2)) : (r) => r.buf.readUInt16BE(at(r, 2));
  return signed ? (r) => r.buf.readInt32BE(at(r, 4)) : (r) => r.buf.readUInt32BE(at(r, 4));
}

function small(name: string, spec: IntegerSpec, order: ByteOrder): Primitive {
  const size = spec.size as 1 | 2 | 4;
  const bits = size * 8;
  const min = spec.min ?? (spec.signed ? -(2 ** (bits - 1)) : 0);
  const max = spec.max ?? (spec.signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1);
  const what = `an integer from ${min} to ${max} (${name}${order === 'big' ? ', big-endian' : ''})`;
  const put = PUT[order][size];
  return {
    name,
    valueKind: 'int',
    size,
    write(w, v) {
      if (typeof v !== 'number' || !(v >= min && v <= max) || v % 1 !== 0) expected(what, v);
      put(w, v);
    },
    read: getter(size, spec.signed, order),
    schema: Type.Integer({ minimum: min, maximum: max }),
    example: spec.example,
  };
}

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

function large(name: string, signed: boolean, order: ByteOrder): Primitive {
  const min = signed ? INT64_MIN : 0n;
  const max = signed ? INT64_MAX : UINT64_MAX;
  const label = order === 'big' ? `${name}, big-endian` : name;
  const read: (r: ArchiveReader) => string =
    order === 'little'
      ? signed ? (r) => r.i64().toString() : (r) => r.u64().toString()
      : signed ? (r) => r.buf.readBigInt64BE(at(r, 8)).toString() : (r) => r.buf.readBigUInt64BE(at(r, 8)).toString();
  const decimal = Type.String({ pattern: DECIMAL.source, description: `${name} as a decimal string` });
  return {
    name,
    valueKind: 'int64',
    size: 8,
    write(w, v) {
      const b = BigInt.asUintN(64, toBigInt(v, min, max, label));
      if (order === 'little') {
        w.u64(b);
      } else {
        w.ensure(8);
        w.buf.writeBigUInt64BE(b, w.pos);
        w.pos += 8;
      }
    },
    read,
    schema: Type.Union([decimal, Type.Integer({ minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER })]),
    losslessSchema: decimal,
    example: signed ? '-2' : '72623859790382856',
  };
}

const made = new Map<string, Primitive>();

/** The integer primitive `name` for a build (`win64` sizes the pointer-sized ones) in a byte order. */
export function integerType(name: string, win64: boolean, order: ByteOrder = 'little'): Primitive | undefined {
  const spec = specOf(name, win64);
  if (spec === undefined) return undefined;
  const key = `${name}|${spec.size}|${order}`;
  let p = made.get(key);
  if (p === undefined) {
    p = spec.size === 8 ? large(name, spec.signed, order) : small(name, spec, order);
    made.set(key, p);
  }
  return p;
}

function fixed(name: string): Primitive {
  return integerType(name, false)!;
}

export const BYTE = fixed('BYTE');
export const CHAR = fixed('char');
export const WORD = fixed('WORD');
export const SHORT = fixed('short');
export const WCHAR = fixed('wchar_t');
export const DWORD = fixed('DWORD');
export const UINT = fixed('UINT');
export const LONG = fixed('LONG');
export const INT = fixed('int');
export const LONGLONG = fixed('LONGLONG');
export const ULONGLONG = fixed('ULONGLONG');

/** A pointer-sized integer for the peer's build. */
export function pointerSized(name: string): (o: PrimitiveOptions) => Primitive {
  return (o) => integerType(name, o.flags.win64)!;
}
export const POINTER_SIZED_NAMES: readonly string[] = Object.keys(POINTER_SIZED);

/**
 * `bool` and `BOOL`. Lossless JSON: booleans for 0 and 1, any other stored value stays a number so
 * decoding then encoding reproduces the bytes; canonical JSON: a boolean, true for any non-zero
 * value (MFC reads any non-zero byte as true, format §1.2).
 */
function boolean(name: string, size: 1 | 4): Primitive {
  const max = size === 1 ? 255 : 0x7fffffff;
  const min = size === 1 ? 0 : -0x80000000;
  const what = `true, false or an integer from ${min} to ${max} (${name})`;
  const put = PUT.little[size];
  const get = size === 1 ? (r: ArchiveReader) => r.u8() : (r: ArchiveReader) => r.i32();
  const lossless = Type.Union([Type.Boolean(), Type.Integer({ minimum: min, maximum: max })]);
  return {
    name,
    valueKind: 'bool',
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
    readCanonical(r) {
      return get(r) !== 0;
    },
    schema: lossless,
    canonicalSchema: Type.Boolean(),
    example: true,
  };
}

/** `bool` is 1 byte from MFC 7.0, an `int` before (format §1.2). */
export function boolType(o: PrimitiveOptions): Primitive {
  return o.flags.boolSize === 1 ? BOOL1 : BOOL4;
}
const BOOL1 = boolean('bool', 1);
const BOOL4 = boolean('bool', 4);
/** `BOOL` is a typedef of `int`: always 4 bytes. */
export const BOOL = boolean('BOOL', 4);
