/**
 * Every error code the HTTP API answers with (core/codes.ts) and its status (http-status.ts), as
 * the OpenAPI document shows them: routes list the codes they can return, so each route documents
 * each of its codes under the right status.
 */
import { Type, type TSchema } from 'typebox';
import { CODES, type Code } from '../core/index.js';
import { statusOf } from './http-status.js';

/** `E.VALIDATION === 'VALIDATION'`: codes by name, so a typo does not compile. */
export const E = Object.fromEntries(Object.keys(CODES).map((c) => [c, c])) as { readonly [K in Code]: K };

/** Codes that never reach an HTTP client (the command line's; a cancel nobody hears; CSocketFile's Seek). */
const NOT_HTTP: ReadonlySet<Code> = new Set<Code>(['INVALID_HEX', 'INVALID_JSON', 'ABORTED', 'NOT_SUPPORTED']);

/** Codes that any route with a JSON body can answer with. */
export const BODY_ERRORS: Code[] = [E.VALIDATION, E.MALFORMED_JSON, E.UNSUPPORTED_MEDIA_TYPE, E.PAYLOAD_TOO_LARGE];

/** Codes any route can answer with before it runs: a token, a malformed URL or request, a slow client. */
const EVERY_ROUTE: Code[] = [E.UNAUTHORIZED, E.BAD_URL, E.BAD_REQUEST, E.HEADERS_TOO_LARGE, E.REQUEST_TIMEOUT, E.INTERNAL];

export function allCodes(): { code: Code; status: number; when: string; http: boolean }[] {
  return (Object.keys(CODES) as Code[]).map((code) => ({ code, status: statusOf(code), when: CODES[code], http: !NOT_HTTP.has(code) }));
}

/**
 * Response schemas for the given error codes, grouped by status; every route also documents the
 * codes of EVERY_ROUTE (and URI_TOO_LONG when it has a path parameter).
 */
export function errorResponses(codes: readonly Code[], options: { pathParams?: boolean } = {}): Record<number, TSchema> {
  const byStatus = new Map<number, Code[]>();
  const all = new Set<Code>([...codes, ...EVERY_ROUTE, ...(options.pathParams === true ? [E.URI_TOO_LONG] : [])]);
  for (const code of all) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<number, TSchema> = {};
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    const description = list.map((c) => `\`${c}\`: ${CODES[c]}`).join('; ');
    out[status] = Type.Unsafe({ $ref: 'Problem#', description, 'x-error-codes': list });
  }
  return out;
}
