/**
 * `float` and `double` (IEEE-754, little-endian; format §1.3). JSON numbers, with the values JSON
 * cannot carry as strings. Lossless: "NaN", "Infinity", "-Infinity", "-0", and "NaN:<hex bits>" for
 * NaNs other than the canonical quiet NaN (MSVC's 0.0/0.0 is 0xFFF8000000000000), so decoding then
 * encoding reproduces every bit. Canonical: a number, -0 as 0, every NaN as "NaN" (SPEC §2).
 */
import { Type } from 'typebox';
import type { ArchiveReader } from '../wire/archive-reader.js';
import type { ArchiveWriter } from '../wire/archive-writer.js';
import { expected, type Primitive } from './primitive.js';

const SPECIAL = ['NaN', 'Infinity', '-Infinity', '-0'];

function special(wide: boolean): string {
  return `a number or one of ${SPECIAL.map((s) => `"${s}"`).join(', ')}, "NaN:<${wide ? 16 : 8} hex digits>"`;
}

function floatSchema(digits: number) {
  return Type.Union([
    Type.Number(),
    Type.String({ pattern: `^(NaN|Infinity|-Infinity|-0|NaN:[0-9a-fA-F]{${digits}})$` }),
  ]);
}

/**
 * A number, or one of the three strings JSON needs for the rest: one schema node with two types
 * (no anyOf), so generated clients see `number | string` and validators still refuse other strings.
 */
const CANONICAL_FLOAT_SCHEMA = Type.Unsafe<number | 'NaN' | 'Infinity' | '-Infinity'>({
  type: ['number', 'string'],
  pattern: '^(NaN|Infinity|-Infinity)$',
  description: 'a number, or "NaN", "Infinity", "-Infinity"',
});

/** The canonical JSON of a decoded float or double. */
export function canonicalFloat(v: number): number | string {
  if (v === v && v !== Infinity && v !== -Infinity) return v === 0 ? 0 : v;
  return v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : 'NaN';
}

function writeSpecial64(w: ArchiveWriter, v: unknown): void {
  switch (v) {
    case 'NaN': w.u32(0); w.u32(0x7ff80000); return;
    case 'Infinity': w.f64(Infinity); return;
    case '-Infinity': w.f64(-Infinity); return;
    case '-0': w.f64(-0); return;
  }
  if (typeof v === 'string' && /^NaN:[0-9a-fA-F]{16}$/.test(v)) {
    const hi = parseInt(v.slice(4, 12), 16);
    const lo = parseInt(v.slice(12), 16);
    if ((hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) !== 0 || lo !== 0)) {
      w.u32(lo);
      w.u32(hi);
      return;
    }
  }
  expected(`${special(true)} (double)`, v);
}

function writeSpecial32(w: ArchiveWriter, v: unknown): void {
  switch (v) {
    case 'NaN': w.u32(0x7fc00000); return;
    case 'Infinity': w.f32(Infinity); return;
    case '-Infinity': w.f32(-Infinity); return;
    case '-0': w.f32(-0); return;
  }
  if (typeof v === 'string' && /^NaN:[0-9a-fA-F]{8}$/.test(v)) {
    const bits = parseInt(v.slice(4), 16);
    if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0) {
      w.u32(bits);
      return;
    }
  }
  expected(`${special(false)} (float)`, v);
}

function hex(n: number, digits: number): string {
  return (n >>> 0).toString(16).padStart(digits, '0');
}

/** The JSON form of a decoded value that is not a plain finite non-zero number. */
function readSpecial(v: number, bits: () => string, canonical: string): number | string {
  if (v === 0) return Object.is(v, -0) ? '-0' : 0;
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  const b = bits();
  return b === canonical ? 'NaN' : `NaN:${b}`;
}

export const DOUBLE: Primitive = {
  name: 'double',
  size: 8,
  write(w, v) {
    if (typeof v === 'number') w.f64(v);
    else writeSpecial64(w, v);
  },
  read(r) {
    const p = r.pos;
    const v = r.f64();
    if (v === v && v !== 0 && v !== Infinity && v !== -Infinity) return v;
    return readSpecial(v, () => hex(r.buf.readUInt32LE(p + 4), 8) + hex(r.buf.readUInt32LE(p), 8), '7ff8000000000000');
  },
  readCanonical: (r: ArchiveReader) => canonicalFloat(r.f64()),
  schema: floatSchema(16),
  canonicalSchema: CANONICAL_FLOAT_SCHEMA,
  example: 3.14,
};

export const FLOAT: Primitive = {
  name: 'float',
  size: 4,
  write(w, v) {
    if (typeof v === 'number') {
      // A finite double beyond float's range would become Infinity: refuse instead of wrapping.
      if (Number.isFinite(v) && !Number.isFinite(Math.fround(v))) expected('a number within float range (±3.4e38)', v);
      w.f32(v);
    } else writeSpecial32(w, v);
  },
  read(r) {
    const p = r.pos;
    const v = r.f32();
    if (v === v && v !== 0 && v !== Infinity && v !== -Infinity) return v;
    return readSpecial(v, () => hex(r.buf.readUInt32LE(p), 8), '7fc00000');
  },
  readCanonical: (r: ArchiveReader) => canonicalFloat(r.f32()),
  schema: floatSchema(8),
  canonicalSchema: CANONICAL_FLOAT_SCHEMA,
  example: 1.5,
};
