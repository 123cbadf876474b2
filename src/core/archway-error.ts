/**
 * The one error type of every Archway layer (in the style of `@fastify/error`): a `code` from the
 * closed table (codes.ts), a message a person can act on, and `details` that describe the failure
 * (a JSON pointer, a byte offset, the Winsock name…), all declared in `ErrorDetailsSchema`, so the
 * gateway can put them in its problem JSON and document every one. Errors never change once built:
 * `with()` and `at()` return new ones, so an error rejected to many callers stays as it was made.
 */
import { Type, type Static } from 'typebox';
import { CODES, type Code } from './codes.js';

/** Every detail an error may carry (the gateway's Problem schema is this plus code and message). */
export const ErrorDetailsSchema = Type.Object({
  path: Type.Optional(Type.String({ description: 'JSON pointer of the bad field of the value, or of the request' })),
  in: Type.Optional(Type.Union([Type.Literal('body'), Type.Literal('params'), Type.Literal('query'), Type.Literal('headers')], { description: 'where `path` points' })),
  index: Type.Optional(Type.Integer({ minimum: 0, description: 'position of the bad value in a list of values' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, description: 'byte offset in the archive (or the input) where decoding failed' })),
  expected: Type.Optional(Type.String({ description: 'what the decoder expected at offset' })),
  archiveCause: Type.Optional(
    Type.Enum(['generic', 'readOnly', 'endOfFile', 'writeOnly', 'badIndex', 'badClass', 'badSchema', 'bufferFull', 'limit'], {
      description: 'the CArchiveException cause MFC would throw (format §6.3), or limit for Archway\'s caps',
    }),
  ),
  wsa: Type.Optional(Type.String({ description: 'Winsock name of a socket error, e.g. WSAECONNREFUSED' })),
  wsaCode: Type.Optional(Type.Integer({ description: 'Winsock number of that error, e.g. 10061' })),
  errno: Type.Optional(Type.String({ description: "the operating system's name of the socket error, e.g. ECONNREFUSED" })),
  reason: Type.Optional(Type.Union([Type.Literal('graceful'), Type.Literal('reset'), Type.Literal('local')], { description: 'how the peer ended the connection' })),
  buffered: Type.Optional(Type.Integer({ minimum: 0, description: 'bytes received and not read when the peer ended' })),
  state: Type.Optional(Type.String({ description: 'the socket state that refused the operation' })),
  host: Type.Optional(Type.String({ description: 'the host as given (or the name looked up)' })),
  address: Type.Optional(Type.String({ description: 'the address that was refused or used' })),
  port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  limit: Type.Optional(Type.Integer({ minimum: 0, description: 'the limit that was reached' })),
  held: Type.Optional(Type.Integer({ minimum: 0, description: 'what was held when a limit was reached' })),
  sent: Type.Optional(Type.Boolean({ description: 'exchange: whether the request went out (false: nothing was sent, a retry is safe)' })),
  delivery: Type.Optional(
    Type.Union([Type.Literal('withdrawn'), Type.Literal('sent'), Type.Literal('partial')], {
      description: 'what became of the bytes of a request that failed: withdrawn (none sent, a retry is safe), sent (all handed to the kernel), partial (part sent: the session was closed, a partial message would corrupt the stream)',
    }),
  ),
  sessionClosed: Type.Optional(Type.Boolean({ description: 'the session was closed by this failure' })),
  outOfStep: Type.Optional(Type.Boolean({ description: 'an earlier answer did not decode and is still first in the stream' })),
  session: Type.Optional(Type.String({ description: 'the session concerned' })),
});

export type ErrorDetails = Static<typeof ErrorDetailsSchema>;
export type ArchiveCause = NonNullable<ErrorDetails['archiveCause']>;

/** Longest piece of input an error message quotes (a 1 MB type name must not come back twice). */
export const QUOTE_MAX = 80;

/** `text` for a message: at most QUOTE_MAX characters, JSON-quoted, so control characters show. */
export function quote(text: string, max = QUOTE_MAX): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** `segment` escaped for a JSON pointer (RFC 6901: `~` as `~0`, `/` as `~1`). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export class ArchwayError extends Error {
  readonly code: Code;
  readonly details: Readonly<ErrorDetails>;

  constructor(code: Code, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'ArchwayError';
    this.code = code;
    this.details = Object.freeze({ ...details });
  }

  /** A copy of this error with more details (`path` replaced if given). */
  with(details: ErrorDetails): ArchwayError {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as ArchwayError;
    Object.assign(copy, this, { details: Object.freeze({ ...this.details, ...details }) });
    Object.defineProperty(copy, 'message', { value: this.message, writable: true, configurable: true });
    Object.defineProperty(copy, 'stack', { value: this.stack, writable: true, configurable: true });
    return copy;
  }

  /** A copy whose `path` starts with `segment`: encoders and decoders call it while unwinding. */
  at(segment: string | number): ArchwayError {
    return this.with({ path: `/${pointerSegment(segment)}${this.details.path ?? ''}` });
  }

  /** A copy whose `path` starts with `prefix` (a JSON pointer into the request). */
  under(prefix: string, where?: ErrorDetails['in']): ArchwayError {
    return this.with({ path: `${prefix}${this.details.path ?? ''}`, ...(where === undefined ? {} : { in: where }) });
  }
}

export interface ArchwayErrorClass<A extends unknown[]> {
  new (...args: A): ArchwayError;
  readonly code: Code;
  /** True when `err` carries this code. */
  is(err: unknown): err is ArchwayError;
}

/** Declares an error of a code once; `new ERR_X(args)` builds it, `ERR_X.is(e)` recognises it. */
export function defineError<A extends unknown[]>(code: Code, message: (...args: A) => string): ArchwayErrorClass<A> {
  const Cls = class extends ArchwayError {
    static readonly code = code;
    static is(err: unknown): err is ArchwayError {
      return err instanceof ArchwayError && err.code === code;
    }
    constructor(...args: A) {
      super(code, message(...args));
    }
  };
  Object.defineProperty(Cls, 'name', { value: code });
  return Cls;
}

export function isArchwayError(err: unknown): err is ArchwayError {
  return err instanceof ArchwayError;
}

/** When the code is the table's (a test checks every defineError against it). */
export function describeCode(code: Code): string {
  return CODES[code];
}
