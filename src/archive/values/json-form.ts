/**
 * The two JSON forms decoded values come in (SPEC §2 "Canonical and lossless JSON"), and the three
 * schema flavours that describe them: `canonical` (one shape per MFC type, what clients read by
 * default), `lossless` (encoding it again reproduces the bytes exactly) and `input` (what encoders
 * accept: either form).
 */
import type { TSchema } from 'typebox';
import type { ArchiveReader } from '../wire/archive-reader.js';
import type { Primitive } from './primitive.js';

export type JsonForm = 'canonical' | 'lossless';
export type SchemaFlavor = JsonForm | 'input';

export const JSON_FORMS: readonly JsonForm[] = ['canonical', 'lossless'];

/** The reader of `p` that gives `form`. */
export function readerOf(p: Primitive, form: JsonForm): (r: ArchiveReader) => unknown {
  return form === 'canonical' ? (p.readCanonical ?? p.read) : p.read;
}

/** The schema of `p`'s values in `flavor`. */
export function schemaOf(p: Primitive, flavor: SchemaFlavor): TSchema {
  if (flavor === 'input') return p.schema;
  const lossless = p.losslessSchema ?? p.schema;
  return flavor === 'lossless' ? lossless : (p.canonicalSchema ?? lossless);
}
