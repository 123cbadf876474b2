/**
 * Which requests are a session WebSocket's handshake (SPEC §1 "Browser reach"): a GET of the
 * WebSocket route that Node took as an upgrade (`Connection: upgrade` as well as `Upgrade`), to
 * `websocket`. The token check refuses such a handshake after the upgrade (a browser learns only a
 * close code), and with several gateways only such a handshake is tunnelled to the session's owner;
 * any other request, with an `Upgrade` header or not, is plain HTTP to both.
 */
import type { FastifyRequest } from 'fastify';

declare module 'http' {
  interface IncomingMessage {
    /** Set by Node's parser on a request it hands to 'upgrade' listeners (not in @types/node). */
    upgrade?: boolean;
  }
}

/** The route of a session's WebSocket. */
export const WEBSOCKET_ROUTE = '/sessions/:name/ws';

/** Node took the request as an upgrade: it came to the 'upgrade' listeners, not as HTTP. */
export function isUpgrade(req: FastifyRequest): boolean {
  return req.raw.upgrade === true;
}

export function isWebSocketUpgrade(req: FastifyRequest): boolean {
  return req.routeOptions.url === WEBSOCKET_ROUTE && isUpgrade(req) && req.headers.upgrade?.toLowerCase() === 'websocket';
}
