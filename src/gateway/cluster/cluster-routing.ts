/**
 * Where a request for a session is answered when several gateways run (SPEC §8). An `onRequest`
 * hook, before any body is read, on every `/sessions/{name}…` route:
 * - a session held here is served here (while this instance's lease holds, else 503);
 * - a request already forwarded (the loop guard) is served here, never sent on again — and if it
 *   was meant for another run of this address (the owner died and a new gateway took its port), it
 *   is SESSION_OWNER_DOWN, not this run's session of the same name;
 * - otherwise the directory says who holds the name: another live instance (forwarded, streamed),
 *   a dead one (SESSION_OWNER_DOWN), or nobody (served here: SESSION_NOT_FOUND, as with one gateway);
 * - `PUT /sessions/{name}` creates here: its name is claimed in the directory, so a balancer that
 *   hashes names routes the creation and every later request to the same instance.
 * WebSocket upgrades are served where the balancer sent them (its hash on the name picks the owner
 * of a session made with PUT); they are not forwarded.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionRegistry } from '../sessions/session-registry.js';
import { ERR_DIRECTORY_UNAVAILABLE, ERR_SESSION_OWNER_DOWN } from './cluster-errors.js';
import { ERR_UNAUTHORIZED } from '../errors.js';
import { ticketDeferred } from '../plugins/bearer-auth.js';
import { ANSWERED_BY, FORWARDED_TO } from './hop-headers.js';
import type { OwnerForwarder } from './owner-forwarder.js';
import type { SessionDirectory } from './session-directory.js';

/** Session names as the routes accept them (shared-schemas SessionName): anything else is theirs to refuse. */
const NAME = /^(?!\.\.?$)[A-Za-z0-9._~-]{1,64}$/;
const ON_SESSION = '/sessions/:name';

export interface RoutingParts {
  sessions: SessionRegistry;
  directory: SessionDirectory;
  forwarder: OwnerForwarder;
}

export function clusterRouting(app: FastifyInstance, { sessions, directory, forwarder }: RoutingParts): void {
  const noLease = () => new ERR_DIRECTORY_UNAVAILABLE("this instance's lease in the directory ran out; it serves its sessions again once a heartbeat reaches Redis");

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    void reply.header(ANSWERED_BY, directory.id);
    const route = req.routeOptions.url;
    if (route === undefined || !route.startsWith(ON_SESSION)) return;
    if (req.method === 'PUT' && route === ON_SESSION) return;
    const name = (req.params as { name?: string }).name;
    if (name === undefined || !NAME.test(name)) return;
    const guard = req.headers[FORWARDED_TO];
    if (guard !== undefined) {
      if (guard !== directory.id) throw new ERR_SESSION_OWNER_DOWN(name, String(guard)).with({ session: name });
      if (!directory.holdsLease) throw noLease();
      return;
    }
    if (sessions.has(name)) {
      if (!directory.holdsLease) throw noLease();
      return;
    }
    if (req.headers.upgrade !== undefined) return;
    const owner = await directory.lookup(name);
    if (owner.kind === 'none' || owner.owner === directory.id) {
      // A ticket let through for the owner to redeem, and no other instance holds the session.
      if (ticketDeferred(req)) throw new ERR_UNAUTHORIZED();
      return;
    }
    if (owner.kind === 'down') throw ticketDeferred(req) ? new ERR_UNAUTHORIZED() : new ERR_SESSION_OWNER_DOWN(name, owner.owner).with({ session: name });
    await forwarder.forward(req, reply, owner, name);
  });
}
