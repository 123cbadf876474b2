/**
 * The optional bearer token (SPEC §5): when ARCHWAY_TOKEN is set, every route but `/health` needs
 * `Authorization: Bearer <token>`. Compared in constant time, so response timing tells nothing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ERR_UNAUTHORIZED } from '../errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function bearerAuth(app: FastifyInstance, token: string, open: readonly string[] = ['/health']): void {
  if (token === '') return;
  const want = digest(token);
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0]!;
    if (open.includes(path)) return;
    const header = req.headers.authorization;
    const given = header !== undefined && /^Bearer /i.test(header) ? header.slice(7).trim() : undefined;
    if (given === undefined || !timingSafeEqual(digest(given), want)) {
      void reply.header('www-authenticate', 'Bearer realm="archway"');
      throw new ERR_UNAUTHORIZED();
    }
  });
}
