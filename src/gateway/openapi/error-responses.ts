/**
 * The error answers of one route, as OpenAPI responses: grouped by status, each with `code` as an
 * enum of exactly the codes that route can give under that status, and one compact example per
 * code (Swagger UI shows them in a drop-down instead of ten full Problem bodies).
 */
import { CODES, type Code } from '../../core/index.js';
import { E } from '../error-catalog.js';
import { statusOf } from '../http-status.js';

/** Codes any route can answer with before it runs: a token, a malformed URL or request, a slow client. */
export const EVERY_ROUTE: readonly Code[] = [E.UNAUTHORIZED, E.HOST_NOT_ALLOWED, E.BAD_URL, E.BAD_REQUEST, E.HEADERS_TOO_LARGE, E.REQUEST_TIMEOUT, E.INTERNAL];

const TITLES: Record<number, string> = {
  400: 'Bad request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not found', 408: 'Request timeout', 409: 'Conflict',
  413: 'Payload too large', 414: 'URI too long', 415: 'Unsupported media type', 421: 'Misdirected request', 429: 'Too many', 431: 'Headers too large',
  500: 'Internal error', 501: 'Not implemented', 502: 'Bad gateway (the peer)', 503: 'Unavailable', 504: 'Timeout',
};

export interface ProblemResponse {
  description: string;
  content: Record<string, { schema: unknown; examples: Record<string, { summary: string; value: unknown }> }>;
}

/** The codes a route documents: its own, those of every route, URI_TOO_LONG with path parameters. */
export function documentedCodes(codes: readonly Code[], path: string, open = false): Code[] {
  const every = open ? EVERY_ROUTE.filter((c) => c !== E.UNAUTHORIZED) : EVERY_ROUTE;
  return [...new Set<Code>([...codes, ...every, ...(path.includes('{') ? [E.URI_TOO_LONG] : [])])];
}

/** `{status: response}` for `codes`, the Problem schema referenced as `problemRef`. */
export function problemResponses(codes: readonly Code[], problemRef: string): Record<string, ProblemResponse> {
  const byStatus = new Map<number, Code[]>();
  for (const code of codes) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, ProblemResponse> = {};
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    out[String(status)] = {
      description: `${TITLES[status] ?? 'Error'}: ${list.map((c) => `\`${c}\``).join(', ')}. ${list.map((c) => `\`${c}\`: ${CODES[c]}`).join('; ')}`,
      content: {
        'application/json': {
          schema: { allOf: [{ $ref: problemRef }, { type: 'object', properties: { statusCode: { const: status }, code: { enum: list } } }] },
          examples: Object.fromEntries(
            list.map((code) => [code, { summary: CODES[code], value: { statusCode: status, code, message: CODES[code] } }]),
          ),
        },
      },
    };
  }
  return out;
}
