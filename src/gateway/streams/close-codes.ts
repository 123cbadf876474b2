/**
 * How a session's WebSocket ends (SPEC §1 "Browser reach"): the close codes a browser sees in
 * `CloseEvent.code`, each with its reason text. Codes from 1000 to 1015 are the protocol's own
 * (RFC 6455 §7.4); 4000–4999 are the application's. A WebSocket refused when it opens closes with
 * 4000 + the HTTP status the same refusal has over REST (4400, 4401, 4404, 4409…), right after an
 * error frame with the problem: a browser gets nothing of a refused handshake but code 1006.
 */
import type { ArchwayError } from '../../core/index.js';
import { statusOf } from '../http-status.js';

export const CLOSE = {
  /** The browser closed the WebSocket (the gateway answers its close). */
  NORMAL: 1000,
  /** The gateway is shutting down. */
  GOING_AWAY: 1001,
  /** A text frame in binary mode (binary mode carries bytes only). */
  UNSUPPORTED_DATA: 1003,
  /** A frame larger than ARCHWAY_WS_MAX_FRAME_BYTES (closed by the WebSocket layer; nothing of it was stored). */
  TOO_BIG: 1009,
  /** A bug: the log has it. */
  INTERNAL: 1011,
  /** The gateway holds as many bytes as it may (ARCHWAY_MAX_MEMORY_BYTES): try again later. */
  TRY_AGAIN_LATER: 1013,
  /** The peer closed the connection (FIN); every whole message it sent was pushed first. */
  PEER_CLOSED: 4000,
  /** The peer reset the connection (RST). */
  PEER_RESET: 4001,
  /** A message from the peer does not decode as `receive`: its bytes stay in the session, unread. */
  DECODE_ERROR: 4002,
  /** The session was closed (DELETE /sessions/{name}, the idle policy). */
  SESSION_CLOSED: 4003,
} as const;

export interface Closing {
  code: number;
  /** At most 123 bytes (RFC 6455 §5.5): the error code, or a few words. */
  reason: string;
}

/** A refusal at open: 4000 + the code's HTTP status, the code as reason. */
export function refusalClose(err: ArchwayError): Closing {
  return { code: 4000 + statusOf(err.code), reason: err.code };
}

/** How a failure while the WebSocket is open ends it. */
export function failureClose(err: ArchwayError): Closing {
  switch (err.code) {
    case 'PEER_CLOSED':
      return err.details.reason === 'graceful' ? { code: CLOSE.PEER_CLOSED, reason: 'PEER_CLOSED' } : { code: CLOSE.PEER_RESET, reason: 'PEER_RESET' };
    case 'SOCKET_ERROR':
      return { code: CLOSE.PEER_RESET, reason: 'PEER_RESET' };
    case 'ARCHIVE_DECODE':
    case 'ARCHIVE_LIMIT':
      return { code: CLOSE.DECODE_ERROR, reason: err.code };
    // A read or a send refused because the session's archives were closed under it.
    case 'INVALID_STATE':
      return { code: CLOSE.SESSION_CLOSED, reason: 'SESSION_CLOSED' };
    case 'SHUTTING_DOWN':
      return { code: CLOSE.GOING_AWAY, reason: 'SHUTTING_DOWN' };
    case 'OVERLOADED':
      return { code: CLOSE.TRY_AGAIN_LATER, reason: 'OVERLOADED' };
    default:
      return { code: CLOSE.INTERNAL, reason: err.code };
  }
}

/** The close codes with what they mean, for the OpenAPI document and the README. */
export const CLOSE_TABLE: readonly [number | string, string][] = [
  [CLOSE.NORMAL, 'the browser closed the WebSocket'],
  [CLOSE.GOING_AWAY, 'the gateway is shutting down'],
  [CLOSE.UNSUPPORTED_DATA, 'a text frame in binary mode'],
  [CLOSE.TOO_BIG, 'a frame larger than ARCHWAY_WS_MAX_FRAME_BYTES (nothing of it was stored)'],
  [CLOSE.INTERNAL, 'a bug (the log has it)'],
  [CLOSE.TRY_AGAIN_LATER, 'the gateway holds as many bytes as ARCHWAY_MAX_MEMORY_BYTES allows'],
  [CLOSE.PEER_CLOSED, 'the peer closed the connection; every whole message it sent was pushed first'],
  [CLOSE.PEER_RESET, 'the peer reset the connection'],
  [CLOSE.DECODE_ERROR, 'a message from the peer does not decode as `receive`; its bytes stay in the session'],
  [CLOSE.SESSION_CLOSED, 'the session was closed'],
  ['4400, 4401, 4404, 4409, 4503', 'refused at open: 4000 + the HTTP status of the error frame\'s `code` (VALIDATION or UNKNOWN_TYPE; UNAUTHORIZED; SESSION_NOT_FOUND; INVALID_STATE or ARCHIVE_REQUIRES_STREAM: not a connected stream session, or it has a WebSocket or a reader already; SHUTTING_DOWN)'],
];
