/**
 * The answers several gateways add to the session routes (SPEC §8), in every route's documented
 * codes, so that the one OpenAPI document is true of a single gateway and of a cluster alike: a
 * request for a named session may find its owner down or the directory unreachable; a creation may
 * find the directory unreachable. (PUT creates where it lands: it is never forwarded.)
 */
import type { FastifyInstance } from 'fastify';
import type { Code } from '../../core/index.js';
import { E } from '../error-catalog.js';

/** Codes a route on a named session can answer with in a cluster. */
export const ON_NAMED_SESSION: readonly Code[] = [E.SESSION_OWNER_DOWN, E.DIRECTORY_UNAVAILABLE];

/** The cluster's codes of a route, by method and Fastify path. */
function clusterCodes(method: string, url: string): readonly Code[] {
  if (url === '/sessions') return [E.DIRECTORY_UNAVAILABLE, ...(method === 'GET' ? [E.SESSION_OWNER_DOWN] : [])];
  if (method === 'PUT' && url === '/sessions/:name') return [E.DIRECTORY_UNAVAILABLE];
  // A ticket is issued by its session's owner (ticket-routing.ts).
  if (url === '/tickets') return ON_NAMED_SESSION;
  if (url.startsWith('/sessions/:name')) return ON_NAMED_SESSION;
  return [];
}

/** Adds them to routes as they register (before the OpenAPI catalogue collects each route's codes). */
export function documentClusterCodes(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const codes = route.schema?.errors;
    if (route.schema === undefined || codes === undefined) return;
    const extra = [route.method].flat().flatMap((m) => clusterCodes(m.toUpperCase(), route.url));
    if (extra.length > 0) route.schema.errors = [...new Set([...codes, ...extra])];
  });
}
