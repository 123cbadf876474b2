/**
 * The optional bearer token (SPEC §5, §1 "Browser reach"): when ARCHWAY_TOKEN is set, every route
 * needs `Authorization: Bearer <token>` but the open ones — `/health`, the API's description
 * (`/openapi.json`, Swagger UI at `/docs` with its assets and `/docs/json`: a person opens the page,
 * then authorises with the token and tries every route) and the static `/playground`. A session's
 * event stream and WebSocket also take a stream ticket as `?ticket=` (ticket-book.ts), since
 * EventSource and WebSocket cannot send headers; the token itself is never read from a URL.
 * Compared in constant time, so response timing tells nothing.
 *
 * A WebSocket handshake that fails here is let through to its route, marked: a browser sees
 * nothing of an HTTP refusal but a close code, so the route upgrades and closes with 4401.
 *
 * With several gateways a ticket lives on the instance that holds its session (it issued it), so a
 * session's event stream or WebSocket asked of another instance with a ticket is let through,
 * marked, to be forwarded to the owner, which redeems it; the routing refuses it (401, or 4401
 * after the upgrade) if no live instance holds the session.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ArchwayError } from '../../core/index.js';
import { ERR_UNAUTHORIZED } from '../errors.js';
import type { TicketBook } from './ticket-book.js';
import { isWebSocketUpgrade, WEBSOCKET_ROUTE } from './websocket-upgrade.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Routes open without a token: exact, or (ending in `/`) every route under them. Matched against
 * the route a request found, never its raw URL (`/docs/../sessions` finds no route: it is not open).
 */
const OPEN_PATHS: readonly string[] = ['/health', '/openapi.json', '/docs', '/docs/', '/playground', '/playground/'];

/** Routes that take `?ticket=`: a session's streams. */
const TICKET_ROUTES: readonly string[] = ['/sessions/:name/events', WEBSOCKET_ROUTE];

const refusals = new WeakMap<FastifyRequest, ArchwayError>();
const deferred = new WeakSet<FastifyRequest>();

/** True for a request let through with a ticket this instance cannot redeem (see above). */
export function ticketDeferred(req: FastifyRequest): boolean {
  return deferred.has(req);
}

/** Why a WebSocket handshake let through is not authorised (undefined: it is). */
export function authRefusal(req: FastifyRequest): ArchwayError | undefined {
  return refusals.get(req);
}

/**
 * Refuses a request's credentials: a WebSocket handshake is marked, to be refused by its route
 * after the upgrade (close code 4401); anything else is a 401 with the challenge.
 */
export function refuseCredentials(req: FastifyRequest, reply: FastifyReply, err: ArchwayError = new ERR_UNAUTHORIZED()): void {
  if (isWebSocketUpgrade(req)) {
    refusals.set(req, err);
    return;
  }
  void reply.header('www-authenticate', 'Bearer realm="archway"');
  throw err;
}

function isOpenRoute(route: string | undefined): boolean {
  return route !== undefined && OPEN_PATHS.some((p) => (p.endsWith('/') ? route.startsWith(p) : route === p));
}

/** `heldElsewhere(name)`: with several gateways, true when this instance does not hold the session. */
export function bearerAuth(app: FastifyInstance, token: string, tickets: TicketBook, heldElsewhere?: (name: string) => boolean): void {
  if (token === '') return;
  const want = digest(token);
  app.addHook('onRequest', async (req, reply) => {
    const route = req.routeOptions.url;
    if (isOpenRoute(route)) return;
    const header = req.headers.authorization;
    const given = header !== undefined && /^Bearer /i.test(header) ? header.slice(7).trim() : undefined;
    if (given !== undefined && timingSafeEqual(digest(given), want)) return;
    let err: ArchwayError = new ERR_UNAUTHORIZED();
    const ticket = (req.query as { ticket?: unknown } | undefined)?.ticket;
    if (given === undefined && typeof ticket === 'string' && route !== undefined && TICKET_ROUTES.includes(route)) {
      const name = (req.params as { name?: string }).name;
      if (name !== undefined && heldElsewhere?.(name) === true) {
        deferred.add(req);
        return;
      }
      const refused = tickets.redeem(ticket, name);
      if (refused === undefined) return;
      err = refused;
    }
    refuseCredentials(req, reply, err);
  });
}
