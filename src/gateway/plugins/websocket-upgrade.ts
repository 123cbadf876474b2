/**
 * Which requests are a session WebSocket's handshake (SPEC §1 "Browser reach"): a GET of the
 * WebSocket route that Node took as an upgrade (`Connection: upgrade` as well as `Upgrade`), to
 * `websocket`. The token check refuses such a handshake after the upgrade (a browser learns only a
 * close code), and with several gateways only such a handshake is tunnelled to the session's owner;
 * any other request, with an `Upgrade` header or not, is plain HTTP to both.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERR_BAD_REQUEST } from '../errors.js';

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

/**
 * The refusal of an upgrade to anything but the WebSocket route (`Upgrade: h2c` on a POST…), or
 * undefined: answered 400 and its connection closed, since Node handed the socket over as an
 * upgrade, so no body would ever be read and the request would hang. (@fastify/websocket, which
 * answered these itself, hooks only the WebSocket route's scope: the other routes pay nothing for it.)
 */
export function upgradeRefusal(req: FastifyRequest, reply: FastifyReply): Error | undefined {
  if (!isUpgrade(req) || req.routeOptions.url === WEBSOCKET_ROUTE) return undefined;
  void reply.header('connection', 'close');
  reply.raw.once('finish', () => req.raw.socket.destroySoon());
  return new ERR_BAD_REQUEST(`an upgrade to ${JSON.stringify(String(req.headers.upgrade).slice(0, 40))} on a route that does not upgrade`);
}
