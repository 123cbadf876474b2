/** Service routes: health (open even with a token), Prometheus metrics, the OpenAPI document. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { GatewayContext } from '../gateway-context.js';

export const serviceRoutes: FastifyPluginAsync<GatewayContext> = async (plain, ctx) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { sessions, metrics, types } = ctx;

  app.get('/health', {
    schema: {
      operationId: 'health',
      tags: ['service'],
      summary: 'Liveness: always open, even when a token is required',
      description: 'Answers 200 while the gateway runs, with its session and type counts and the bytes it holds for peers. Never needs the token, so a load balancer can probe it.',
      response: {
        200: Type.Object({
          status: Type.Literal('ok'),
          sessions: Type.Integer(),
          types: Type.Integer(),
          uptimeSeconds: Type.Number(),
          memory: Type.Object(
            { held: Type.Integer({ description: 'bytes held for peers: received and unread, queued and unsent' }), limit: Type.Integer({ description: 'ARCHWAY_MAX_MEMORY_BYTES' }) },
            { description: 'past the limit new work is refused (503 OVERLOADED) and reading pauses' },
          ),
        }, { description: 'the gateway is up' }),
      },
    },
  }, async () => ({
    status: 'ok' as const,
    sessions: sessions.size,
    types: types.names().length,
    uptimeSeconds: Math.round(process.uptime()),
    memory: { held: sessions.budget.held, limit: sessions.budget.limit },
  }));

  app.get('/metrics', {
    schema: {
      operationId: 'metrics',
      tags: ['service'],
      summary: 'Prometheus metrics: sessions by state, bytes, messages, errors, latency',
      description: 'Prometheus text format: sessions by kind and state, bytes moved, messages and errors by kind, request latency by route.',
      // The media type on the 200 alone: errors are JSON like everywhere else.
      response: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: Type.String() } } } }, errors: [],
    },
  }, async (_req, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });

  app.get('/openapi.json', {
    schema: {
      operationId: 'openapi', tags: ['service'], summary: 'This API as an OpenAPI 3.1 document', hide: false, response: { 200: Type.Unknown({ description: 'this document' }) }, errors: [], description: 'The document as it is now: types and operations added with POST /types appear at once.' },
  }, async () => ctx.openapi());
};
