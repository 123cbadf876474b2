/**
 * Which pages may use the gateway (SPEC §1 "Browser reach"): ARCHWAY_CORS_ORIGINS lists origins, or
 * `*` for any. The list answers two questions: whether CORS lets a page read an answer (cors.ts), and
 * whether a page may open a session's WebSocket or event stream — a browser sends no preflight for
 * either, so without the check any site open in the user's browser could drive (or take over the
 * reading of) a session of a gateway that has no token.
 */
import type { FastifyRequest } from 'fastify';
import { ERR_ORIGIN_NOT_ALLOWED } from '../errors.js';

/** Throws with the reason when `entry` is neither `*` nor an origin as a browser sends it. */
export function checkCorsOrigin(entry: string): void {
  if (entry === '*') return;
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new Error(`'${entry}' is not an origin: write scheme://host[:port], e.g. http://localhost:5173, or * for any`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`'${entry}' is not an http or https origin`);
  // Browsers send the origin normalised (lower case, no default port, no path): compared as text.
  if (url.origin !== entry) throw new Error(`'${entry}' is not an origin as browsers send it: write ${url.origin}`);
}

/**
 * Whether a request with this `Origin` header may go on: no Origin (not a page: curl, a Node
 * client), a listed origin, any with `*`, or the gateway's own (the page's host is the Host the
 * request was sent to: /playground and /docs are served from here).
 */
export function originAllowed(origin: string | undefined, allowed: readonly string[], host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * A route's onRequest hook refusing pages whose origin is not allowed (403 ORIGIN_NOT_ALLOWED).
 * The gateway's own origin is trusted by its Host, which host-guard.ts holds to loopback names on
 * a loopback gateway (a rebound name cannot pass as the gateway's own).
 */
export function allowedOriginsOnly(allowed: readonly string[]): (req: FastifyRequest) => Promise<void> {
  return async (req) => {
    const origin = req.headers.origin;
    if (!originAllowed(origin, allowed, req.headers.host)) throw new ERR_ORIGIN_NOT_ALLOWED(origin ?? '');
  };
}
