/**
 * `PUT /sessions/{name}`: creates a session under the name the client chose (SPEC §8). The same as
 * `POST /sessions` with `name` in the URL instead of the body — so that a balancer that hashes the
 * session name in the path (deploy/haproxy) sends the creation to the instance every later request
 * for that name goes to, and no request takes a forwarded hop. A name already taken is 409, as
 * with POST: a socket cannot be replaced.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BODY_ERRORS, E } from '../error-catalog.js';
import type { GatewayContext } from '../gateway-context.js';
import { CreateSessionBody } from '../schemas/session-schemas.js';
import { described, NameParams, withExamples } from '../schemas/shared-schemas.js';

const CreateNamedSessionBody = Type.Omit(CreateSessionBody, ['name'], { additionalProperties: false });

export const sessionPutRoute: FastifyPluginAsync<GatewayContext> = async (plain, ctx) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { sessions } = ctx;

  app.put('/sessions/:name', {
    schema: {
      operationId: 'createNamedSession',
      tags: ['sessions'],
      summary: 'Create a socket session under this name (CSocket::Create)',
      description: 'As `POST /sessions`, with the name in the path. Behind a balancer that hashes the session name (several gateways), the session is created on the instance that every later request for it reaches.',
      params: NameParams,
      body: withExamples(CreateNamedSessionBody, [{ kind: 'stream' }, { kind: 'datagram' }, { kind: 'stream', port: 9000 }]),
      response: { 201: described(Type.Ref('SessionInfo'), 'the new session') },
      errors: [...BODY_ERRORS, E.SESSION_EXISTS, E.TOO_MANY_SESSIONS, E.ADDRESS_IN_USE, E.ADDRESS_NOT_AVAILABLE, E.INVALID_ADDRESS, E.TARGET_NOT_ALLOWED, E.SHUTTING_DOWN, E.OVERLOADED],
    },
  }, async (req, reply) => {
    const s = await sessions.create({ ...req.body, name: req.params.name });
    return reply.code(201).header('location', `/sessions/${s.name}`).send(s.info());
  });
};
