/**
 * Every error code the HTTP API answers with (core/codes.ts) and its status (http-status.ts). Routes
 * list the codes they can return (`errors` in their schema), and the OpenAPI document shows each
 * under the right status (openapi/error-responses.ts).
 */
import { CODES, type Code } from '../core/index.js';
import { statusOf } from './http-status.js';

/** `E.VALIDATION === 'VALIDATION'`: codes by name, so a typo does not compile. */
export const E = Object.fromEntries(Object.keys(CODES).map((c) => [c, c])) as { readonly [K in Code]: K };

/** Codes that never reach an HTTP client (the command line's; a cancel nobody hears; CSocketFile's Seek). */
const NOT_HTTP: ReadonlySet<Code> = new Set<Code>(['INVALID_HEX', 'INVALID_JSON', 'ABORTED', 'NOT_SUPPORTED']);

/** Codes that any route with a JSON body can answer with. */
export const BODY_ERRORS: Code[] = [E.VALIDATION, E.MALFORMED_JSON, E.UNSUPPORTED_MEDIA_TYPE, E.PAYLOAD_TOO_LARGE];

export function allCodes(): { code: Code; status: number; when: string; http: boolean }[] {
  return (Object.keys(CODES) as Code[]).map((code) => ({ code, status: statusOf(code), when: CODES[code], http: !NOT_HTTP.has(code) }));
}
