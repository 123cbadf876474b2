/** The errors of the archive layer (codec, message types); codes in core/codes.ts. */
import { ArchwayError, defineError, pointerSegment, quote, type ArchiveCause } from '../core/index.js';

export { pointerSegment };
import { NeedMore } from './wire/need-more.js';
import { Utf8Text } from './json/utf8-text.js';

/** A value does not fit its MFC type (wrong JSON type, out of range, unrepresentable). */
export const ERR_VALIDATION = defineError('VALIDATION', (message: string) => message);

/** A message-type file does not follow the grammar of SPEC section 2. */
export const ERR_TYPE_FILE = defineError('TYPE_FILE', (message: string) => message);

/** A type name that no loaded message-type file declares. */
export const ERR_UNKNOWN_TYPE = defineError('UNKNOWN_TYPE', (message: string) => message);

export function unknownType(name: string, known: readonly string[], reason = ''): ArchwayError {
  const list = known.length > 0 ? `; declared types: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}` : '';
  return new ERR_UNKNOWN_TYPE(`unknown type ${quote(name)}${reason ? ` (${reason})` : ''}${list}`);
}

/** An operation name that no loaded message-type file declares. */
export const ERR_UNKNOWN_OPERATION = defineError('UNKNOWN_OPERATION', (message: string) => message);

export function unknownOperation(name: string, known: readonly string[]): ArchwayError {
  const list = known.length > 0 ? `; declared operations: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}` : '; no type file declares operations';
  return new ERR_UNKNOWN_OPERATION(`unknown operation ${quote(name)}${list}`);
}

/** A type name that is already registered (types are immutable once loaded). */
export const ERR_TYPE_EXISTS = defineError(
  'TYPE_EXISTS',
  (name: string) => `message type ${quote(name)} is already defined; types cannot be redefined while in use`,
);

/** The peer's bytes do not match the expected type (MFC would throw `CArchiveException`). */
export const ERR_ARCHIVE_DECODE = defineError('ARCHIVE_DECODE', (message: string) => message);

/** The peer's message exceeds one of Archway's caps (message size, string or array length, depth). */
export const ERR_ARCHIVE_LIMIT = defineError('ARCHIVE_LIMIT', (message: string) => message);

export function validationError(message: string, path = ''): ArchwayError {
  return new ERR_VALIDATION(message).with({ path });
}

export function decodeError(cause: ArchiveCause, message: string, offset: number, expected?: string): ArchwayError {
  const err = cause === 'limit' ? new ERR_ARCHIVE_LIMIT(message) : new ERR_ARCHIVE_DECODE(message);
  return err.with(expected === undefined ? { archiveCause: cause, offset } : { archiveCause: cause, offset, expected });
}

/**
 * The error with a JSON-pointer segment prepended to its path, while an encoder or decoder unwinds,
 * so that leaf code never pays for path bookkeeping on the success path. ArchwayErrors are copied
 * (never changed once thrown); NeedMore, internal to one decode, is extended in place.
 */
export function atPath(err: unknown, segment: string | number): unknown {
  if (err instanceof ArchwayError) return err.at(segment);
  if (err instanceof NeedMore) err.path = `/${pointerSegment(segment)}${err.path}`;
  return err;
}

/** Renders a value for an error message without dumping large inputs. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (value instanceof Utf8Text) return `a string of ${value.bytes.length} bytes`;
  if (typeof value === 'string') {
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${String(value)}`;
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** The registry holds its maximum of types (a gateway's ARCHWAY_MAX_TYPES). */
export const ERR_TOO_MANY_TYPES = defineError('TOO_MANY_TYPES', (held: number, adding: number, max: number) =>
  `${held} message types are loaded; ${adding} more would pass the maximum of ${max} (ARCHWAY_MAX_TYPES): remove some with DELETE /types/{name}`);

/** A type that another type uses cannot be removed. */
export const ERR_TYPE_IN_USE = defineError('TYPE_IN_USE', (name: string, by: string) =>
  `message type ${quote(name)} is used by type ${quote(by)}: remove that one first`);
