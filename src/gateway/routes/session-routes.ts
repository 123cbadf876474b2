/**
 * Sessions (SPEC §1, §3): create (`CSocket::Create`), list, get, listen, connect, accept, close.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BODY_ERRORS, E } from '../error-catalog.js';
import { waitMs, type GatewayContext } from '../gateway-context.js';
import { disconnectSignal } from '../sessions/disconnect-signal.js';
import { AcceptBody, Closed, ConnectBody, CreateSessionBody, ListenBody, SessionList } from '../schemas/session-schemas.js';
import { described, NameParams, withExamples } from '../schemas/shared-schemas.js';
import { connectExample, EXAMPLE_SESSION } from '../openapi/typed-examples.js';

const Info = Type.Ref('SessionInfo');
const tags = ['sessions'];

/** `listen` and `accept` need no body (`POST …/listen` alone is Listen(5)): none counts as `{}`. */
async function noBodyIsEmpty(req: FastifyRequest): Promise<void> {
  if (req.body === undefined) req.body = {};
}

export const sessionRoutes: FastifyPluginAsync<GatewayContext> = async (plain, ctx) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { sessions, policy, config } = ctx;

  app.post('/sessions', {
    schema: {
      operationId: 'createSession',
      tags,
      summary: 'Create a socket session (CSocket::Create)',
      description: 'A stream (TCP) or datagram (UDP) socket, bound to `port` (any free port when 0 or omitted). Listening sessions bind to the first ARCHWAY_ALLOW_BIND address unless `address` says otherwise.',
      body: withExamples(CreateSessionBody, [{ kind: 'stream', name: EXAMPLE_SESSION }, { kind: 'datagram', name: 'udp' }, { kind: 'stream', name: 'server', port: 9000 }]),
      response: {
        201: described(Info, 'the new session')
      }, errors: [...BODY_ERRORS, E.SESSION_EXISTS, E.TOO_MANY_SESSIONS, E.ADDRESS_IN_USE, E.ADDRESS_NOT_AVAILABLE, E.INVALID_ADDRESS, E.TARGET_NOT_ALLOWED, E.SHUTTING_DOWN, E.OVERLOADED],
    },
  }, async (req, reply) => {
    const s = await sessions.create(req.body);
    return reply.code(201).header('location', `/sessions/${s.name}`).send(s.info());
  });

  app.get('/sessions', {
    schema: {
      operationId: 'listSessions', tags, summary: 'List the sessions', response: { 200: described(SessionList, 'every session of this gateway, or of every gateway of a cluster') }, errors: [], description: 'Every session with its state and counters. With several gateways (ARCHWAY_REDIS_URL), every session of every live instance, whichever instance is asked.' },
  }, async () => ({ sessions: sessions.list() }));

  app.get('/sessions/:name', {
    schema: {
      operationId: 'getSession',
      tags,
      summary: 'A session: kind, state, addresses, bytes in/out, bytes buffered',
      description: 'Kind, state, local and remote address, bytes in and out, bytes received and not read yet.',
      params: NameParams,
      response: { 200: described(Info, 'the session') }, errors: [E.VALIDATION, E.SESSION_NOT_FOUND],
    },
  }, async (req) => sessions.get(req.params.name).info());

  app.delete('/sessions/:name', {
    schema: {
      operationId: 'closeSession',
      tags,
      summary: 'Close a session (flushes its store archive first)',
      description: 'Flushes the store archive, then closes the socket, within ARCHWAY_CLOSE_TIMEOUT_MS: past it the connection is dropped and `unsentBytes` says how much did not go out. Waiting requests on the session fail.',
      params: NameParams,
      // A body is not expected; one sent anyway is parsed (and refused) like any JSON body.
      response: { 200: described(Closed, 'the session is closed; what could not be sent is counted') }, errors: [...BODY_ERRORS, E.SESSION_NOT_FOUND],
    },
  }, async (req) => {
    const { session: s, result } = await sessions.remove(req.params.name);
    return { name: s.name, closed: true as const, bytesIn: s.socket.bytesIn, bytesOut: s.socket.bytesOut, flushed: result.flushed, unsentBytes: result.unsentBytes };
  });

  app.post('/sessions/:name/listen', {
    schema: {
      operationId: 'listen',
      tags,
      summary: 'Listen for connections (CSocket::Listen, backlog 5)',
      description: 'A created stream session starts listening on its port (any free port when it was created without one); `local` in the answer has the port.',
      params: NameParams,
      body: Type.Optional(ListenBody),
      response: { 200: described(Info, 'the session, now listening') }, errors: [...BODY_ERRORS, E.SESSION_NOT_FOUND, E.INVALID_STATE, E.ADDRESS_IN_USE, E.ADDRESS_NOT_AVAILABLE],
    },
    preValidation: noBodyIsEmpty,
  }, async (req) => {
    const s = sessions.get(req.params.name);
    await s.stream('listen').listen(req.body?.backlog ?? 5);
    return s.info();
  });

  app.post('/sessions/:name/connect', {
    schema: {
      operationId: 'connect',
      tags,
      summary: 'Connect to a host and port (CSocket::Connect; on a datagram session, sets the default peer)',
      description: 'A dotted address is used as is; anything else is resolved as a host name. The resolved address must be allowed by ARCHWAY_ALLOW_TARGETS.',
      params: NameParams,
      // The demo service where it really listens (--demo-port), so the example works as shown.
      body: withExamples(ConnectBody, [connectExample(config)]),
      response: {
        200: described(Info, 'the session, now connected')
      }, errors: [...BODY_ERRORS, E.SESSION_NOT_FOUND, E.INVALID_STATE, E.TARGET_NOT_ALLOWED, E.CONNECTION_REFUSED, E.HOST_NOT_FOUND, E.INVALID_ADDRESS, E.TIMEOUT, E.SOCKET_ERROR],
    },
  }, async (req) => {
    const s = sessions.get(req.params.name);
    const { host, port } = req.body;
    const resolve = { guard: policy, lookup: policy.lookup };
    if (s.socket.kind === 'stream') {
      const timeoutMs = Math.min(waitMs(config, req.body.timeoutMs), config.connectTimeoutMs);
      await s.socket.connect(host, port, { timeoutMs, ...resolve });
      s.channel(); // the peer's bytes are read, counted and notified from now on
    } else {
      await s.socket.connect(host, port, resolve);
    }
    return s.info();
  });

  app.post('/sessions/:name/accept', {
    schema: {
      operationId: 'accept',
      tags,
      summary: 'Accept a connection (CSocket::Accept): long-polls, then answers 201 with the new connected session',
      description: 'Waits (up to `timeoutMs`) for a connection, then registers it as a new connected session named `as` (or a generated name). A wait that times out accepts nothing.',
      params: NameParams,
      body: Type.Optional(AcceptBody),
      response: {
        201: described(Info, 'the accepted connection, a new connected session')
      }, errors: [...BODY_ERRORS, E.SESSION_NOT_FOUND, E.SESSION_EXISTS, E.INVALID_STATE, E.TOO_MANY_SESSIONS, E.TIMEOUT, E.OVERLOADED, E.SHUTTING_DOWN],
    },
    preValidation: noBodyIsEmpty,
  }, async (req, reply) => {
    const listener = sessions.get(req.params.name);
    const socket = listener.stream('accept');
    const body = req.body ?? {};
    const timeoutMs = waitMs(config, body.timeoutMs);
    const signal = disconnectSignal(reply);
    const overrides = {
      ...(body.pipeline === undefined ? {} : { pipeline: body.pipeline }),
      ...(body.archiveLifetime === undefined ? {} : { archiveLifetime: body.archiveLifetime }),
    };
    // The name is reserved (and the cap counted) while waiting; a timeout leaves the queue as it was.
    const s = await sessions.register(body.as, async (name) => {
      const accepted = await socket.accept({ timeoutMs, signal });
      return sessions.accepted(name, accepted, listener, overrides);
    });
    return reply.code(201).header('location', `/sessions/${s.name}`).send(s.info());
  });
};
