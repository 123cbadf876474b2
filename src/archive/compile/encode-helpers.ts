/**
 * What generated encoders call off the hot path: their validation errors (the path is added while
 * unwinding), and the part-two bookkeeping — a count field filled in from the length of the list
 * it counts, a const checked against what was written, a conditional field refused or required.
 */
import type { ArchiveWriter } from '../wire/archive-writer.js';
import { ArchiveReader } from '../wire/archive-reader.js';
import { base64Length, isBase64, isBase64Bytes } from '../wire/base64.js';
import { atPath, describe, validationError } from '../errors.js';
import { expected } from '../values/primitive.js';
import { Utf8Text } from '../json/utf8-text.js';
import { bigValue, boolValue, pick } from './condition-source.js';

/** Keys a class type's value may have beside its fields. */
export const META_KEYS: readonly string[] = ['$class', '$id', '$schema'];

/** The number of elements (or bytes) a list, map or block value holds; undefined when it is not one. */
export function lengthOf(v: unknown): number | undefined {
  if (Array.isArray(v)) return v.length;
  if (typeof v === 'string') return isBase64(v) ? Buffer.byteLength(v, 'base64') : undefined;
  if (v instanceof Uint8Array) return v.length;
  if (v instanceof Utf8Text) return isBase64Bytes(v.bytes) ? base64Length(v.bytes) : undefined;
  if (typeof v === 'object' && v !== null && Array.isArray((v as { items?: unknown }).items)) return (v as { items: unknown[] }).items.length;
  return undefined;
}

export const encodeHelpers = {
  at: atPath,
  bool: boolValue,
  big: bigValue,
  notObject(v: unknown, name: string): never {
    return expected(`an object (${name})`, v);
  },
  notArray(v: unknown, what: string): never {
    return expected(what, v);
  },
  tooMany(n: number, max: number): never {
    throw validationError(`${n} elements exceed maxArrayLength (${max})`);
  },
  tooDeep(max: number): never {
    throw validationError(`the value nests deeper than ${max} levels (maxDepth)`);
  },
  /** Called when the key count differs from the fields given: refuses unknown keys by name. */
  extra(v: Record<string, unknown>, names: readonly string[], allowMeta: boolean): void {
    for (const key of Object.keys(v)) {
      if (names.includes(key) || (allowMeta && META_KEYS.includes(key))) continue;
      throw atPath(validationError(`unknown field; expected only ${names.join(', ') || 'no fields'}`), key);
    }
  },
  /** How many fields of `names` the value gives (undefined counts as not given). */
  given(v: Record<string, unknown>, names: readonly string[]): number {
    let k = 0;
    for (const n of names) if (v[n] !== undefined) k++;
    return k;
  },
  pick,
  /** A count field left out of the JSON: the length of the list it counts (`countField`). */
  fill(list: unknown, listName: string): number {
    const n = lengthOf(list);
    if (n === undefined) {
      throw validationError(`is left out, so it is filled in from the length of "${listName}", which is ${describe(list)}`);
    }
    return n;
  },
  /** As `fill`, for a count field inside an earlier inline struct: a copy of it with the count set. */
  fillAt(struct: unknown, names: readonly string[], list: unknown, listName: string): unknown {
    if (typeof struct !== 'object' || struct === null || Array.isArray(struct)) return struct;
    const [name, ...rest] = names;
    const o = struct as Record<string, unknown>;
    if (rest.length === 0) return o[name!] === undefined ? { ...o, [name!]: encodeHelpers.fill(list, listName) } : o;
    const inner = encodeHelpers.fillAt(o[name!], rest, list, listName);
    return inner === o[name!] ? o : { ...o, [name!]: inner };
  },
  /** The count an earlier field gives, as a number (64-bit fields give decimal strings). */
  count(v: unknown): number {
    return typeof v === 'number' ? v : Number(v);
  },
  /** A list or block whose length differs from the count field written before it. */
  countMismatch(length: number, count: number, countPath: string, unit = 'element(s)'): never {
    throw validationError(`has ${length} ${unit}, but the count field "${countPath}" written before it holds ${count}`);
  },
  /** A given value of a const field must mean the const: compared as decoding would read it. */
  checkConst(w: ArchiveWriter, start: number, read: (r: ArchiveReader) => unknown, want: unknown, given: unknown): void {
    const got = read(new ArchiveReader(w.buf, start, w.pos));
    if (got !== want) throw validationError(`is the constant ${JSON.stringify(want)}; got ${describe(given)}`);
  },
  required(condition: string): never {
    throw validationError(`is required: its condition (${condition}) holds`);
  },
  forbidden(condition: string): never {
    throw validationError(`must be left out: its condition (${condition}) does not hold`);
  },
  noCase(tag: unknown, field: string, cases: string): never {
    throw validationError(`has no case for ${field} = ${String(tag)} (cases: ${cases}) and no "default"`);
  },
};
