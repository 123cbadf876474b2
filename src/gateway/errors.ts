/**
 * Error codes of the gateway layer (SPEC §4). The codec's and the sockets' codes pass through
 * unchanged; these are the ones only HTTP sessions have.
 */
import { defineError } from '../archive/index.js';

export const ERR_SESSION_NOT_FOUND = defineError('SESSION_NOT_FOUND', 404, (name: string) =>
  `no session named '${name}' (GET /sessions lists them)`);
export const ERR_SESSION_EXISTS = defineError('SESSION_EXISTS', 409, (name: string) =>
  `a session named '${name}' already exists: choose another name, or omit it to get a generated one`);
export const ERR_TARGET_NOT_ALLOWED = defineError('TARGET_NOT_ALLOWED', 403, (what: string, setting: string) =>
  `${what} is not allowed by this gateway's policy (${setting})`);
export const ERR_UNAUTHORIZED = defineError('UNAUTHORIZED', 401, () =>
  'a valid bearer token is required: send "Authorization: Bearer <ARCHWAY_TOKEN>"');
export const ERR_PAYLOAD_TOO_LARGE = defineError('PAYLOAD_TOO_LARGE', 413, (limit: number) =>
  `the request body exceeds the gateway's limit of ${limit} bytes (ARCHWAY_BODY_LIMIT)`);
export const ERR_TOO_MANY_SESSIONS = defineError('TOO_MANY_SESSIONS', 429, (max: number) =>
  `the gateway holds its maximum of ${max} sessions (ARCHWAY_MAX_SESSIONS): close some first`);
export const ERR_MALFORMED_JSON = defineError('MALFORMED_JSON', 400, (detail: string) =>
  `the request body is not valid JSON: ${detail}`);
export const ERR_UNSUPPORTED_MEDIA_TYPE = defineError('UNSUPPORTED_MEDIA_TYPE', 415, (type: string) =>
  `content type '${type}' is not accepted here: send application/json`);
export const ERR_ROUTE_NOT_FOUND = defineError('ROUTE_NOT_FOUND', 404, (method: string, url: string) =>
  `no route ${method} ${url} (the API is described at /openapi.json and /docs)`);
export const ERR_SHUTTING_DOWN = defineError('SHUTTING_DOWN', 503, () =>
  'the gateway is shutting down and takes no new sessions');
export const ERR_INTERNAL = defineError('INTERNAL', 500, () =>
  'an internal error occurred; it has been logged');
