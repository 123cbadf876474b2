/**
 * The one place where error codes become HTTP statuses (the layers below know nothing of HTTP).
 * A `Record` over every code: a code added to core/codes.ts does not compile until it has one.
 */
import type { Code } from '../core/index.js';

export const HTTP_STATUS: Readonly<Record<Code, number>> = {
  VALIDATION: 400,
  MALFORMED_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  BAD_URL: 400,
  BAD_REQUEST: 400,
  HEADERS_TOO_LARGE: 431,
  REQUEST_TIMEOUT: 408,
  UNKNOWN_TYPE: 400,
  UNKNOWN_OPERATION: 404,
  TYPE_FILE: 400,
  TYPE_EXISTS: 409,
  TYPE_IN_USE: 409,
  TOO_MANY_TYPES: 429,
  INVALID_ADDRESS: 400,
  UNAUTHORIZED: 401,
  ORIGIN_NOT_ALLOWED: 403,
  HOST_NOT_ALLOWED: 421,
  TARGET_NOT_ALLOWED: 403,
  SESSION_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  UPGRADE_REQUIRED: 426,
  SESSION_EXISTS: 409,
  INVALID_STATE: 409,
  TOO_MANY_SESSIONS: 429,
  OVERLOADED: 503,
  SHUTTING_DOWN: 503,
  SESSION_OWNER_DOWN: 503,
  DIRECTORY_UNAVAILABLE: 503,
  GATEWAY_UNAVAILABLE: 503,
  ADDRESS_IN_USE: 409,
  ADDRESS_NOT_AVAILABLE: 409,
  CONNECTION_REFUSED: 502,
  HOST_NOT_FOUND: 502,
  PEER_CLOSED: 502,
  MESSAGE_TOO_LARGE: 413,
  SOCKET_ERROR: 502,
  NOT_SUPPORTED: 501,
  ARCHIVE_REQUIRES_STREAM: 409,
  ARCHIVE_DECODE: 502,
  ARCHIVE_LIMIT: 502,
  TIMEOUT: 504,
  // The client went away: nobody reads this answer (nginx's "client closed request").
  ABORTED: 499,
  // The command line's: never an HTTP answer, mapped so that the table stays whole.
  INVALID_HEX: 400,
  INVALID_JSON: 400,
  INTERNAL: 500,
};

export function statusOf(code: Code): number {
  return HTTP_STATUS[code];
}
