/**
 * `POST /tickets` (SPEC §1 "Browser reach"): a short-lived, single-use ticket that opens one
 * session's event stream or WebSocket, for browsers — EventSource and WebSocket cannot send the
 * Authorization header, and the token must never be put in a URL. Needs the token like every
 * route; without a token configured a ticket is issued all the same (and not needed), so that a
 * page works the same against either gateway.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { BODY_ERRORS, E } from '../error-catalog.js';
import type { GatewayContext } from '../gateway-context.js';
import { EXAMPLE_SESSION } from '../openapi/typed-examples.js';
import { TicketBody, TicketIssued } from '../schemas/stream-schemas.js';
import { described, withExamples } from '../schemas/shared-schemas.js';

export const ticketRoutes: FastifyPluginAsync<GatewayContext> = async (plain, ctx) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { sessions, tickets, config } = ctx;

  app.post('/tickets', {
    schema: {
      operationId: 'issueTicket',
      tags: ['sessions'],
      summary: 'A stream ticket for a browser: opens one session\'s event stream or WebSocket once',
      description: `Give it as \`?ticket=\` on \`GET /sessions/{session}/events\` or \`GET /sessions/{session}/ws\`, which accept it instead of the Authorization header: it is good for one use, for that session, for ${config.ticketTtlMs} ms (ARCHWAY_TICKET_TTL_MS). An expired or used ticket is refused (401 UNAUTHORIZED; on a WebSocket, close code 4401). The token itself is never accepted in a URL.`,
      body: withExamples(TicketBody, [{ session: EXAMPLE_SESSION }]),
      response: { 201: described(TicketIssued, 'the ticket') },
      errors: [...BODY_ERRORS, E.SESSION_NOT_FOUND, E.OVERLOADED],
    },
  }, async (req, reply) => {
    const s = sessions.get(req.body.session);
    return reply.code(201).send(tickets.issue(s.name));
  });
};
