/**
 * What generated decoders call off the hot path: the errors they throw (with the offset, and the
 * path added while unwinding) and the conversions a value read before needs to become a count or a
 * tag. Kept out of the generated source so that it stays short and its calls monomorphic.
 */
import { MAX_EMPTY_ELEMENTS } from '../values/limits.js';
import type { ArchiveReader } from '../wire/archive-reader.js';
import { atPath, decodeError } from '../errors.js';
import { bigValue, boolValue, pick } from './condition-source.js';

export const decodeHelpers = {
  at: atPath,
  bool: boolValue,
  big: bigValue,
  pick,
  tooDeep(r: ArchiveReader, max: number): never {
    throw decodeError('limit', `the message nests deeper than ${max} levels (maxDepth)`, r.offset);
  },
  tooMany(n: number, max: number, at: number): never {
    throw decodeError('limit', `a count of ${n} exceeds maxArrayLength (${max})`, at);
  },
  tooManyBytes(n: number, max: number, at: number): never {
    throw decodeError('limit', `a block of ${n} bytes exceeds maxMessageBytes (${max})`, at);
  },
  tooManyEmpty(at: number): never {
    throw decodeError('limit', `more than ${MAX_EMPTY_ELEMENTS} elements that take no bytes in one message`, at);
  },
  /**
   * A count as read (a number, or a decimal string from a 64-bit field) as a number of elements;
   * a negative one is refused (a signed count field holding -1 is a broken message, not zero).
   */
  count(v: unknown, r: ArchiveReader, from: string): number {
    const n = typeof v === 'number' ? v : Number(v);
    if (!(n >= 0) || n % 1 !== 0) {
      throw decodeError('generic', `the count${from === '' ? '' : ` in "${from}"`} is ${String(v)}`, r.offset, 'a count of 0 or more');
    }
    return n;
  },
  badConst(at: number, got: unknown, want: unknown): never {
    throw decodeError('generic', `the constant field holds ${JSON.stringify(got)}, not ${JSON.stringify(want)}`, at, JSON.stringify(want));
  },
  noCase(r: ArchiveReader, tag: unknown, field: string, cases: string): never {
    throw decodeError('generic', `no case for ${field} = ${String(tag)} (cases: ${cases}) and no "default"`, r.offset, `one of the cases ${cases}`);
  },
};
