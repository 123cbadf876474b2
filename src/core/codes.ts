/**
 * Every error code Archway has, in one closed table (SPEC §4): the codec's, the transport's, the
 * archives', the gateway's and the command line's. Each says when it happens, for people (the
 * README, the OpenAPI document). Layers throw `ArchwayError`s carrying one of these codes and no
 * HTTP status: the gateway alone maps codes to HTTP (gateway/http-status.ts), and a test holds the
 * README and the OpenAPI document to this table.
 */
export const CODES = {
  // Requests and values
  VALIDATION: 'the request body or a value does not fit its schema or MFC type (see path)',
  MALFORMED_JSON: 'the body is not JSON (or not UTF-8), or nests deeper than the gateway reads',
  UNSUPPORTED_MEDIA_TYPE: 'the body is not application/json',
  PAYLOAD_TOO_LARGE: 'the request body exceeds ARCHWAY_BODY_LIMIT',
  URI_TOO_LONG: 'a path parameter is longer than the gateway reads',
  BAD_URL: 'the URL is malformed (a bad percent escape)',
  BAD_REQUEST: 'the request is not valid HTTP',
  HEADERS_TOO_LARGE: 'the request line and headers exceed what the server reads (16 KiB)',
  REQUEST_TIMEOUT: 'the client did not send its whole request within ARCHWAY_REQUEST_TIMEOUT_MS',
  UNKNOWN_TYPE: 'the message type is neither declared nor a primitive',
  UNKNOWN_OPERATION: 'no loaded type file declares that operation',
  TYPE_FILE: 'the message-type file breaks the grammar of SPEC §2 (see path)',
  TYPE_EXISTS: 'a type of that name is already loaded',
  TYPE_IN_USE: 'the type is used by another type and cannot be removed',
  TOO_MANY_TYPES: 'ARCHWAY_MAX_TYPES message types are loaded',
  INVALID_ADDRESS: 'an address, host name or port is malformed',
  // Access
  UNAUTHORIZED: 'the bearer token is missing or wrong, or a stream ticket expired or was used already (ARCHWAY_TOKEN is set)',
  ORIGIN_NOT_ALLOWED: 'a page on that origin may not use the gateway (ARCHWAY_CORS_ORIGINS)',
  HOST_NOT_ALLOWED: 'the Host header does not name this gateway: one listening on loopback answers only loopback names (DNS rebinding)',
  TARGET_NOT_ALLOWED: 'the host, port or bind address is outside the allowlist',
  // Sessions
  SESSION_NOT_FOUND: 'no session of that name',
  ROUTE_NOT_FOUND: 'no such route',
  UPGRADE_REQUIRED: 'the route speaks WebSocket: open it with an upgrade (new WebSocket(url))',
  SESSION_EXISTS: 'the session name is taken',
  INVALID_STATE: 'the session is not in a state that allows this (e.g. load on an unconnected session)',
  TOO_MANY_SESSIONS: 'ARCHWAY_MAX_SESSIONS sessions are open',
  OVERLOADED: 'the gateway holds as many buffered bytes as ARCHWAY_MAX_MEMORY_BYTES (or the session its ARCHWAY_MAX_QUEUED_BYTES): retry later',
  SHUTTING_DOWN: 'the gateway is stopping',
  // Several gateways (SPEC §8)
  SESSION_OWNER_DOWN: 'several gateways: the instance that held the session stopped, and its socket with it; create a new session',
  DIRECTORY_UNAVAILABLE: 'several gateways: the session directory (Redis, ARCHWAY_REDIS_URL) cannot be reached, or is being rebuilt after a restart: the request is refused rather than routed blind; retry shortly',
  GATEWAY_UNAVAILABLE: 'several gateways: no gateway instance behind the load balancer can take the request (the balancer\'s own answer)',
  // Sockets
  ADDRESS_IN_USE: 'the local port is in use (WSAEADDRINUSE)',
  ADDRESS_NOT_AVAILABLE: "the local address is not this machine's (WSAEADDRNOTAVAIL)",
  CONNECTION_REFUSED: 'nothing listens at the target (WSAECONNREFUSED)',
  HOST_NOT_FOUND: 'the host name does not resolve (WSAHOST_NOT_FOUND)',
  PEER_CLOSED: 'the peer closed or reset the connection before the whole message came; received bytes stay readable',
  MESSAGE_TOO_LARGE: 'a datagram larger than UDP carries',
  SOCKET_ERROR: 'another socket error (see wsa)',
  NOT_SUPPORTED: 'CSocketFile does not support this operation (Seek, GetLength…)',
  // Archives
  ARCHIVE_REQUIRES_STREAM: 'an archive route on a datagram session',
  ARCHIVE_DECODE: "the peer's bytes do not match the type (offset, expected); nothing was consumed",
  ARCHIVE_LIMIT: "the peer's message exceeds a cap (ARCHWAY_MAX_MESSAGE_BYTES…); nothing was consumed",
  // Waits
  TIMEOUT: 'the wait ran out; `delivery` says what became of bytes being sent, nothing received was consumed',
  ABORTED: 'the caller cancelled the wait (the HTTP client went away); nothing received was consumed',
  // The command line
  INVALID_HEX: 'archway decode --hex: stdin is not hex text',
  INVALID_JSON: 'archway encode: stdin is not one JSON value',
  // Bugs
  INTERNAL: 'a bug; the log has the details',
} as const;

export type Code = keyof typeof CODES;

export function isCode(code: unknown): code is Code {
  return typeof code === 'string' && Object.hasOwn(CODES, code);
}
