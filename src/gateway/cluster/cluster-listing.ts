/**
 * `GET /sessions` lists the whole cluster when several gateways run (SPEC §8): through a balancer
 * a client cannot choose the instance it asks, so a list of one instance would be a list of some
 * sessions. The instance asked gathers the lists of every live instance (each asked with the loop
 * guard, so it answers its own), in parallel, within one Redis call's bound plus one request's. A
 * live instance that does not answer makes the listing a 503 (SESSION_OWNER_DOWN naming it), not
 * a list that silently lacks its sessions; a dead one's sessions are not listed (they are gone).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionInfoJson } from '../sessions/session.js';
import type { SessionRegistry } from '../sessions/session-registry.js';
import { FORWARDED_TO } from './hop-headers.js';
import type { OwnerForwarder } from './owner-forwarder.js';
import type { SessionDirectory } from './session-directory.js';

/** How long one instance may take to list its sessions. */
const LIST_WITHIN_MS = 5_000;

function sessionsOf(body: unknown): SessionInfoJson[] {
  const list = (body as { sessions?: unknown } | null)?.sessions;
  return Array.isArray(list) ? (list as SessionInfoJson[]) : [];
}

export function clusterListing(app: FastifyInstance, parts: { sessions: SessionRegistry; directory: SessionDirectory; forwarder: OwnerForwarder }): void {
  const { sessions, directory, forwarder } = parts;
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'GET' || req.routeOptions.url !== '/sessions' || req.headers[FORWARDED_TO] !== undefined) return;
    const members = await directory.members();
    const headers: Record<string, string> = {};
    if (req.headers.authorization !== undefined) headers.authorization = req.headers.authorization;
    const lists = await Promise.all(
      members.map(async (m) => (m.owner === directory.id ? sessions.list() : sessionsOf(await forwarder.ask(m, '/sessions', headers, LIST_WITHIN_MS)))),
    );
    // This instance lists its own even when the directory has not seen its first heartbeat yet.
    if (!members.some((m) => m.owner === directory.id)) lists.push(sessions.list());
    const all = lists.flat().sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
    return reply.send({ sessions: all });
  });
}
