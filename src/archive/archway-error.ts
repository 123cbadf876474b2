/**
 * The one error base of every Archway layer. Each layer declares its own codes in its `errors.ts`
 * with `defineError` (in the style of `@fastify/error`): a stable `code`, the HTTP `statusCode` the
 * gateway answers with, and a message a person can act on. Details (`path`, `offset`, `wsa`…) travel
 * in `details` so the gateway can put them in the problem JSON unchanged.
 */
export interface ErrorDetails {
  /** JSON pointer of the offending value, e.g. `/lines/2/qty`. */
  path?: string;
  /** Byte offset in the archive where decoding failed. */
  offset?: number;
  /** What the decoder expected at `offset`. */
  expected?: string;
  /** MFC `CArchiveException::m_cause` name, e.g. `badClass`. */
  archiveCause?: ArchiveCause;
  /** Winsock name of a socket error, e.g. `WSAECONNREFUSED`. */
  wsa?: string;
  [key: string]: unknown;
}

/** `CArchiveException` causes (format §6.3), plus `limit` for Archway's own caps. */
export type ArchiveCause =
  | 'generic'
  | 'readOnly'
  | 'endOfFile'
  | 'writeOnly'
  | 'badIndex'
  | 'badClass'
  | 'badSchema'
  | 'bufferFull'
  | 'limit';

export class ArchwayError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly details: ErrorDetails;

  constructor(code: string, message: string, statusCode: number, details: ErrorDetails = {}) {
    super(message);
    this.name = 'ArchwayError';
    this.code = code;
    this.statusCode = statusCode;
    this.details = details;
  }

  /** The same error with more details merged in (path segments are prepended, see `atPath`). */
  with(details: ErrorDetails): this {
    Object.assign(this.details, details);
    return this;
  }
}

export interface ArchwayErrorClass<A extends unknown[]> {
  new (...args: A): ArchwayError;
  readonly code: string;
  readonly statusCode: number;
  /** True when `err` carries this code. */
  is(err: unknown): err is ArchwayError;
}

/** Declares an error code once; `new ERR_X(args)` builds the error, `ERR_X.is(e)` recognises it. */
export function defineError<A extends unknown[]>(
  code: string,
  statusCode: number,
  message: (...args: A) => string,
): ArchwayErrorClass<A> {
  const Cls = class extends ArchwayError {
    static readonly code = code;
    static readonly statusCode = statusCode;
    static is(err: unknown): err is ArchwayError {
      return err instanceof ArchwayError && err.code === code;
    }
    constructor(...args: A) {
      super(code, message(...args), statusCode);
    }
  };
  Object.defineProperty(Cls, 'name', { value: code });
  return Cls;
}

export function isArchwayError(err: unknown): err is ArchwayError {
  return err instanceof ArchwayError;
}
