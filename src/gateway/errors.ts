/**
 * The errors only HTTP sessions have (SPEC §4; codes in core/codes.ts). The codec's, the
 * transport's and the archives' errors pass through unchanged; http-status.ts maps every code.
 */
import { defineError, quote } from '../core/index.js';

export const ERR_SESSION_NOT_FOUND = defineError('SESSION_NOT_FOUND', (name: string) =>
  `no session named ${quote(name)} (GET /sessions lists them)`);
export const ERR_SESSION_EXISTS = defineError('SESSION_EXISTS', (name: string) =>
  `a session named ${quote(name)} already exists: choose another name, or omit it to get a generated one`);
export const ERR_TARGET_NOT_ALLOWED = defineError('TARGET_NOT_ALLOWED', (what: string, setting: string) =>
  `${what} is not allowed by this gateway's policy (${setting})`);
export const ERR_UNAUTHORIZED = defineError('UNAUTHORIZED', () =>
  'a valid bearer token is required: send "Authorization: Bearer <ARCHWAY_TOKEN>"');
export const ERR_PAYLOAD_TOO_LARGE = defineError('PAYLOAD_TOO_LARGE', (limit: number) =>
  `the request body exceeds the gateway's limit of ${limit} bytes (ARCHWAY_BODY_LIMIT)`);
export const ERR_TOO_MANY_SESSIONS = defineError('TOO_MANY_SESSIONS', (max: number) =>
  `the gateway holds its maximum of ${max} sessions (ARCHWAY_MAX_SESSIONS): close some first`);
export const ERR_MALFORMED_JSON = defineError('MALFORMED_JSON', (detail: string) =>
  `the request body is not valid JSON: ${detail}`);
export const ERR_UNSUPPORTED_MEDIA_TYPE = defineError('UNSUPPORTED_MEDIA_TYPE', (type: string) =>
  `content type ${quote(type)} is not accepted here: send application/json`);
export const ERR_URI_TOO_LONG = defineError('URI_TOO_LONG', (max: number) =>
  `a path parameter is longer than ${max} characters: session and type names are at most 64`);
export const ERR_BAD_URL = defineError('BAD_URL', (url: string) =>
  `the URL ${quote(url)} is malformed: a percent sign must start an escape of two hex digits (%2F)`);
export const ERR_BAD_REQUEST = defineError('BAD_REQUEST', (detail: string) => `the request is not valid HTTP (${detail})`);
export const ERR_HEADERS_TOO_LARGE = defineError('HEADERS_TOO_LARGE', () =>
  'the request line and headers exceed 16 KiB: session and type names are at most 64 characters');
export const ERR_REQUEST_TIMEOUT = defineError('REQUEST_TIMEOUT', (ms: number) =>
  `the request was not received whole within ${ms} ms (ARCHWAY_REQUEST_TIMEOUT_MS)`);
export const ERR_ROUTE_NOT_FOUND = defineError('ROUTE_NOT_FOUND', (method: string, url: string) =>
  `no route ${method} ${quote(url)} (the API is described at /openapi.json and /docs)`);
export const ERR_SHUTTING_DOWN = defineError('SHUTTING_DOWN', () =>
  'the gateway is shutting down and takes no new sessions');
export const ERR_TICKET = defineError('UNAUTHORIZED', (why: string) =>
  `${why}: get a new ticket with POST /tickets (tickets are short-lived and single-use)`);
export const ERR_ORIGIN_NOT_ALLOWED = defineError('ORIGIN_NOT_ALLOWED', (origin: string) =>
  `pages on ${quote(origin)} may not use this gateway: list the origin in ARCHWAY_CORS_ORIGINS`);
export const ERR_HOST_NOT_ALLOWED = defineError('HOST_NOT_ALLOWED', (host: string) =>
  `this gateway listens on loopback and answers only loopback host names, not ${quote(host)}: use http://127.0.0.1:<port> or http://localhost:<port> (or listen elsewhere with ARCHWAY_HOST, and set ARCHWAY_TOKEN)`);
export const ERR_UPGRADE_REQUIRED = defineError('UPGRADE_REQUIRED', () =>
  'this route speaks WebSocket: open it with an upgrade (new WebSocket("ws://…/sessions/{name}/ws"))');
