/**
 * Every error code the HTTP API can answer with (SPEC §4), from the layers' own error modules, with
 * one line on when it happens. Routes document the codes they can return from here, so the OpenAPI
 * document lists each code on each route that can produce it.
 */
import { Type, type TSchema } from 'typebox';
import {
  ERR_ARCHIVE_DECODE, ERR_ARCHIVE_LIMIT, ERR_TYPE_EXISTS, ERR_TYPE_FILE, ERR_UNKNOWN_TYPE, ERR_VALIDATION,
} from '../archive/index.js';
import {
  ERR_ADDRESS_IN_USE, ERR_ADDRESS_NOT_AVAILABLE, ERR_ARCHIVE_REQUIRES_STREAM, ERR_CONNECTION_REFUSED, ERR_HOST_NOT_FOUND,
  ERR_INVALID_ADDRESS, ERR_INVALID_STATE, ERR_MESSAGE_TOO_LARGE, ERR_PEER_CLOSED, ERR_SOCKET, ERR_TIMEOUT,
} from '../sockets/index.js';
import * as G from './errors.js';

const CATALOG = new Map<string, { status: number; when: string }>();

function entry(cls: { code: string; statusCode: number }, when: string): string {
  CATALOG.set(cls.code, { status: cls.statusCode, when });
  return cls.code;
}

export const E = {
  VALIDATION: entry(ERR_VALIDATION, 'the request body or a value does not fit its schema or MFC type (see path)'),
  MALFORMED_JSON: entry(G.ERR_MALFORMED_JSON, 'the body is not JSON'),
  UNSUPPORTED_MEDIA_TYPE: entry(G.ERR_UNSUPPORTED_MEDIA_TYPE, 'the body is not application/json'),
  UNKNOWN_TYPE: entry(ERR_UNKNOWN_TYPE, 'the message type is neither declared nor a primitive'),
  TYPE_FILE: entry(ERR_TYPE_FILE, 'the message-type file breaks the grammar of SPEC §2 (see path)'),
  TYPE_EXISTS: entry(ERR_TYPE_EXISTS, 'a type of that name is already loaded'),
  INVALID_ADDRESS: entry(ERR_INVALID_ADDRESS, 'an address or port is malformed'),
  UNAUTHORIZED: entry(G.ERR_UNAUTHORIZED, 'the bearer token is missing or wrong (ARCHWAY_TOKEN is set)'),
  TARGET_NOT_ALLOWED: entry(G.ERR_TARGET_NOT_ALLOWED, 'the host, port or bind address is outside the allowlist'),
  SESSION_NOT_FOUND: entry(G.ERR_SESSION_NOT_FOUND, 'no session of that name'),
  ROUTE_NOT_FOUND: entry(G.ERR_ROUTE_NOT_FOUND, 'no such route'),
  SESSION_EXISTS: entry(G.ERR_SESSION_EXISTS, 'the session name is taken'),
  INVALID_STATE: entry(ERR_INVALID_STATE, 'the session is not in a state that allows this (e.g. load on an unconnected session)'),
  ADDRESS_IN_USE: entry(ERR_ADDRESS_IN_USE, 'the local port is in use (WSAEADDRINUSE)'),
  ADDRESS_NOT_AVAILABLE: entry(ERR_ADDRESS_NOT_AVAILABLE, 'the local address is not this machine\'s (WSAEADDRNOTAVAIL)'),
  ARCHIVE_REQUIRES_STREAM: entry(ERR_ARCHIVE_REQUIRES_STREAM, 'an archive route on a datagram session'),
  PAYLOAD_TOO_LARGE: entry(G.ERR_PAYLOAD_TOO_LARGE, 'the request body exceeds ARCHWAY_BODY_LIMIT'),
  MESSAGE_TOO_LARGE: entry(ERR_MESSAGE_TOO_LARGE, 'a datagram larger than UDP carries'),
  TOO_MANY_SESSIONS: entry(G.ERR_TOO_MANY_SESSIONS, 'ARCHWAY_MAX_SESSIONS sessions are open'),
  INTERNAL: entry(G.ERR_INTERNAL, 'a bug; the log has the details'),
  CONNECTION_REFUSED: entry(ERR_CONNECTION_REFUSED, 'nothing listens at the target (WSAECONNREFUSED)'),
  HOST_NOT_FOUND: entry(ERR_HOST_NOT_FOUND, 'the host name does not resolve (WSAHOST_NOT_FOUND)'),
  PEER_CLOSED: entry(ERR_PEER_CLOSED, 'the peer closed or reset the connection before the whole message came; received bytes stay readable'),
  ARCHIVE_DECODE: entry(ERR_ARCHIVE_DECODE, 'the peer\'s bytes do not match the type (offset, expected); nothing was consumed'),
  ARCHIVE_LIMIT: entry(ERR_ARCHIVE_LIMIT, 'the peer\'s message exceeds a cap (ARCHWAY_MAX_MESSAGE_BYTES…); nothing was consumed'),
  SOCKET_ERROR: entry(ERR_SOCKET, 'another socket error (see wsa)'),
  SHUTTING_DOWN: entry(G.ERR_SHUTTING_DOWN, 'the gateway is stopping'),
  TIMEOUT: entry(ERR_TIMEOUT, 'the wait ran out; nothing was consumed (exchange: details.sent tells whether the request went out)'),
} as const;

export type ErrorCode = (typeof E)[keyof typeof E];

/** Codes that any route with a JSON body can answer with. */
export const BODY_ERRORS: ErrorCode[] = [E.VALIDATION, E.MALFORMED_JSON, E.UNSUPPORTED_MEDIA_TYPE, E.PAYLOAD_TOO_LARGE];

export function statusOf(code: string): number {
  return CATALOG.get(code)?.status ?? 500;
}

export function allCodes(): { code: string; status: number; when: string }[] {
  return [...CATALOG].map(([code, v]) => ({ code, ...v }));
}

/**
 * Response schemas for the given error codes, grouped by status; every route also documents
 * UNAUTHORIZED (401) and INTERNAL (500).
 */
export function errorResponses(codes: readonly ErrorCode[]): Record<number, TSchema> {
  const byStatus = new Map<number, string[]>();
  for (const code of new Set<string>([...codes, E.UNAUTHORIZED, E.INTERNAL])) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<number, TSchema> = {};
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    const description = list.map((c) => `\`${c}\`: ${CATALOG.get(c)!.when}`).join('; ');
    out[status] = Type.Unsafe({ $ref: 'Problem#', description, 'x-error-codes': list });
  }
  return out;
}
