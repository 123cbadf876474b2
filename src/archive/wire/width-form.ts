/**
 * The width a length or count was written in, for lengths and counts MFC would have written
 * shorter (SPEC §2: accepted on decode, kept in lossless JSON as `lengthForm` / `countForm`,
 * normalised in canonical JSON). Named after the field that holds the value: a BYTE, or the WORD,
 * DWORD or QWORD after the escapes.
 */
import { Type } from 'typebox';
import { describe, validationError } from '../errors.js';

export type WidthForm = 'byte' | 'word' | 'dword' | 'qword';

const BY_SIZE: Record<number, WidthForm> = { 1: 'byte', 3: 'word', 7: 'dword', 15: 'qword', 2: 'word', 6: 'dword', 14: 'qword' };

/** The form of a string length part (1, 3, 7, 15 bytes) or a WriteCount (2, 6, 14 bytes). */
export function formOfSize(bytes: number): WidthForm {
  return BY_SIZE[bytes]!;
}

export const LENGTH_FORMS: readonly WidthForm[] = ['byte', 'word', 'dword', 'qword'];
export const COUNT_FORMS: readonly WidthForm[] = ['word', 'dword', 'qword'];

/** A `lengthForm` / `countForm` given in JSON, checked. */
export function widthForm(v: unknown, allowed: readonly WidthForm[], key: string): WidthForm {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as WidthForm;
  throw validationError(`expected "${key}" to be ${allowed.map((f) => `"${f}"`).join(', ')}, got ${describe(v)}`);
}

/** One `enum` node (no union): the forms a value may name. */
export function widthFormSchema(allowed: readonly WidthForm[], what: string) {
  return Type.Unsafe<WidthForm>({ type: 'string', enum: [...allowed], description: `the ${what} as the peer wrote it, when longer than MFC writes` });
}
