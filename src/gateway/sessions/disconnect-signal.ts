/**
 * An AbortSignal that fires when the HTTP client goes away before its answer: a long-poll (accept,
 * load, receive) then stops waiting, and nothing is consumed on behalf of nobody.
 */
import type { FastifyReply } from 'fastify';

export function disconnectSignal(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  // 'close' on the response comes after it was sent, or earlier when the connection dropped.
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  return ac.signal;
}
