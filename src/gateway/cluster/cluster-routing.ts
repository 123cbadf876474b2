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
 * A WebSocket handshake for another instance's session is tunnelled to its owner (upgrade-forwarder.ts);
 * only that (plugins/websocket-upgrade.ts): a request with an `Upgrade` header Node did not take as
 * an upgrade is forwarded as plain HTTP. Whatever is served here, a stream ticket the token check
 * let through for the owner to redeem is refused here (401, or 4401 after the upgrade).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionRegistry } from '../sessions/session-registry.js';
import { SESSION_NAME_PATTERN } from '../schemas/shared-schemas.js';
import { ERR_DIRECTORY_UNAVAILABLE, ERR_SESSION_OWNER_DOWN } from './cluster-errors.js';
import { authRefusal, refuseCredentials, ticketDeferred } from '../plugins/bearer-auth.js';
import { isUpgrade, isWebSocketUpgrade } from '../plugins/websocket-upgrade.js';
import type { UpgradeForwarder } from './upgrade-forwarder.js';
import { ANSWERED_BY, FORWARDED_TO } from './hop-headers.js';
import type { OwnerForwarder } from './owner-forwarder.js';
import type { SessionDirectory } from './session-directory.js';

/** Session names as the routes accept them (SessionName's pattern): anything else is theirs to refuse. */
const NAME = new RegExp(SESSION_NAME_PATTERN);
const ON_SESSION = '/sessions/:name';

export interface RoutingParts {
  sessions: SessionRegistry;
  directory: SessionDirectory;
  forwarder: OwnerForwarder;
  upgrades: UpgradeForwarder;
}

export function clusterRouting(app: FastifyInstance, { sessions, directory, forwarder, upgrades }: RoutingParts): void {
  const noLease = () => new ERR_DIRECTORY_UNAVAILABLE("this instance's lease in the directory ran out; it serves its sessions again once a heartbeat reaches Redis");

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    void reply.header(ANSWERED_BY, directory.id);
    const route = req.routeOptions.url;
    if (route === undefined || !route.startsWith(ON_SESSION)) return;
    if (req.method === 'PUT' && route === ON_SESSION) return;
    // Served here, by this instance's routes: a ticket let through for the owner to redeem (the
    // session was not here) is refused as any bad credential is — whoever set the loop guard.
    const here = () => {
      if (ticketDeferred(req)) refuseCredentials(req, reply);
    };
    const name = (req.params as { name?: string }).name;
    if (name === undefined || !NAME.test(name)) return here();
    const guard = req.headers[FORWARDED_TO];
    if (guard !== undefined) {
      if (guard !== directory.id) throw new ERR_SESSION_OWNER_DOWN(name, String(guard)).with({ session: name });
      if (!directory.holdsLease) throw noLease();
      return here();
    }
    if (sessions.has(name)) {
      if (!directory.holdsLease) throw noLease();
      return here();
    }
    const upgrade = isWebSocketUpgrade(req);
    // Any other upgrade reaches no route's handler (the WebSocket layer refuses it): answered here, as one gateway answers it.
    if (isUpgrade(req) && !upgrade) return here();
    const owner = await directory.lookup(name);
    // Nobody holds the session, or a ticket is for one no live instance holds: served (or refused) here.
    if (owner.kind === 'none' || owner.owner === directory.id || (owner.kind === 'down' && ticketDeferred(req))) return here();
    if (owner.kind === 'down') throw new ERR_SESSION_OWNER_DOWN(name, owner.owner).with({ session: name });
    // An upgrade whose credentials were already refused here is refused here (after the upgrade).
    if (upgrade && authRefusal(req) !== undefined) return;
    await (upgrade ? upgrades.forward(req, reply, owner, name) : forwarder.forward(req, reply, owner, name));
  });
}
