/**
 * `POST /tickets` names its session in the body, not in the path (SPEC §1 "Browser reach"): with
 * several gateways, the ticket must be issued by the session's owner, the instance where the
 * `…/events` or `…/ws` that presents it is served (the balancer's hash on the name, or the routing
 * hook, takes it there). So once the body is read, a ticket for another instance's session is
 * forwarded to its owner, as the session routes are (cluster-routing.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionRegistry } from '../sessions/session-registry.js';
import { ERR_SESSION_OWNER_DOWN } from './cluster-errors.js';
import { FORWARDED_TO } from './hop-headers.js';
import type { OwnerForwarder } from './owner-forwarder.js';
import type { SessionDirectory } from './session-directory.js';

export function ticketRouting(app: FastifyInstance, parts: { sessions: SessionRegistry; directory: SessionDirectory; forwarder: OwnerForwarder }): void {
  const { sessions, directory, forwarder } = parts;
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'POST' || req.routeOptions.url !== '/tickets' || req.headers[FORWARDED_TO] !== undefined) return;
    const name = (req.body as { session?: unknown } | null)?.session;
    if (typeof name !== 'string' || sessions.has(name)) return;
    const owner = await directory.lookup(name);
    if (owner.kind === 'none' || owner.owner === directory.id) return;
    if (owner.kind === 'down') throw new ERR_SESSION_OWNER_DOWN(name, owner.owner).with({ session: name });
    await forwarder.forward(req, reply, owner, name, req.body);
  });
}
