/**
 * Shared helpers of the golden-byte tests. Golden strings are written as spaced hex exactly as the
 * format document (/work/shared/mfc-archive-format.md) prints them; `hex()` strips the spacing.
 */
import { expect } from 'vitest';
import { ArchwayError, TypeRegistry, type MessageCodec, type WireOptions } from '../../../src/archive/index.js';

/** Spaced hex (as in the format document) → lower-case hex without spaces. */
export function hex(spaced: string): string {
  return spaced.replace(/\s+/g, '').toLowerCase();
}

/** Spaced hex → bytes. */
export function bytes(spaced: string): Buffer {
  return Buffer.from(hex(spaced), 'hex');
}

/** `n` copies of one byte, as hex (payloads of the length-threshold cases). */
export function fill(byteHex: string, n: number): string {
  return hex(byteHex).repeat(n);
}

/** Asserts both directions: encode(value) is the golden hex and decode(golden) is the JSON value. */
export function golden(codec: MessageCodec, value: unknown, spaced: string, decoded: unknown = value): void {
  const want = hex(spaced);
  expect(codec.encode(value).toString('hex')).toBe(want);
  expect(codec.decode(Buffer.from(want, 'hex'))).toStrictEqual(decoded);
}

/** A codec for one ad-hoc type expression, for a peer built as `wire` says. */
export function adHoc(expr: Parameters<TypeRegistry['codecFor']>[0], wire: WireOptions = {}): MessageCodec {
  return new TypeRegistry().codecFor(expr, wire);
}

/** A codec of a one-field message type `{ v: <type> }`, so errors carry the field path `/v`. */
export function field(type: unknown, wire: WireOptions & { field?: Record<string, unknown> } = {}): MessageCodec {
  const reg = new TypeRegistry();
  reg.add({
    ...(wire.profile === undefined ? {} : { profile: wire.profile }),
    ...(wire.codePage === undefined ? {} : { codePage: wire.codePage }),
    types: { M: { fields: [{ name: 'v', type, ...wire.field }] } },
  });
  return reg.get('M');
}

/** Runs `fn`, expects an ArchwayError with `code` and details containing `details`; returns it. */
export function expectError(fn: () => unknown, code: string, details: Record<string, unknown> = {}): ArchwayError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected an ArchwayError to be thrown').toBeInstanceOf(ArchwayError);
  const err = caught as ArchwayError;
  expect(err.code).toBe(code);
  expect(err.details).toMatchObject(details);
  return err;
}

/** A codec of one declared type `name` from a whole type file (part-two types need several fields). */
export function declared(file: Parameters<TypeRegistry['add']>[0], name: string): MessageCodec {
  const reg = new TypeRegistry();
  reg.add(file);
  return reg.get(name);
}

/** The canonical JSON of `spaced` bytes (SPEC §2: what clients read by default). */
export function canonical(codec: MessageCodec, spaced: string): unknown {
  return codec.decode(bytes(spaced), undefined, 'canonical');
}
