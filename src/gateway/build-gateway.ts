/**
 * Builds one gateway instance: a Fastify app with its own session registry, message types, policy
 * and metrics (nothing global: SPEC §8). Route plugins receive the shared context as options, in
 * the way Fastify's own plugins are encapsulated. `listen` is the caller's business.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import addFormats from 'ajv-formats';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { TypeRegistry, type TypeFile } from '../archive/index.js';
import type { Config } from './config.js';
import { bearerAuth } from './plugins/bearer-auth.js';
import { useCors } from './plugins/cors.js';
import { guardRequests } from './plugins/request-guard.js';
import { loggerSettings } from './plugins/lazy-logger.js';
import { TicketBook } from './plugins/ticket-book.js';
import { useWebSockets } from './plugins/websockets.js';
import { CODES } from '../core/index.js';
import type { GatewayContext } from './gateway-context.js';
import { GatewayMetrics } from './plugins/gateway-metrics.js';
import { useJsonBodyParser } from './plugins/json-body.js';
import { OpenApiDocument } from './openapi/build-document.js';
import { documentInfo } from './openapi/document-info.js';
import { collectRoutes, TYPED_ROUTE_ID } from './openapi/route-errors.js';
import { typedRoutes } from './routes/typed-routes.js';
import { errorAnswers } from './plugins/error-handler.js';
import { clientErrorHandler } from './plugins/client-errors.js';
import { toProblem } from './plugins/problem.js';
import { GracefulClose } from './plugins/graceful-close.js';
import { archiveRoutes } from './routes/archive-routes.js';
import { datagramRoutes } from './routes/datagram-routes.js';
import { eventRoutes } from './routes/event-routes.js';
import { playgroundRoutes } from './routes/playground-routes.js';
import { ticketRoutes } from './routes/ticket-routes.js';
import { websocketRoutes } from './routes/websocket-routes.js';
import { serviceRoutes } from './routes/service-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { sessionPutRoute } from './routes/session-put-route.js';
import { documentClusterCodes } from './cluster/cluster-codes.js';
import { sessionDirectory, useCluster } from './cluster/use-cluster.js';
import { ANSWERED_BY } from './cluster/hop-headers.js';
import { typeRoutes } from './routes/type-routes.js';
import { SHARED_SCHEMAS } from './schemas/shared-schemas.js';
import { SessionRegistry } from './sessions/session-registry.js';
import { TargetPolicy } from './sessions/target-policy.js';
import { SessionStreams } from './streams/session-streams.js';
import { selfUrl } from './self-url.js';

// ajv-formats is CommonJS: its default export arrives as `default` under some loaders.
const formatsPlugin = ((addFormats as unknown as { default?: unknown }).default ?? addFormats) as (ajv: unknown) => unknown;

export interface GatewayOptions {
  /** Type files (already parsed) to load besides `config.types`, e.g. the demo types. */
  typeFiles?: { file: TypeFile | unknown; source: string }[];
  /** Fastify's logger option (default: pino at `config.logLevel`). */
  logger?: FastifyServerOptions['logger'];
}

export interface Gateway {
  app: FastifyInstance;
  ctx: GatewayContext;
}

/** A registry with the configured limits and every configured type file (a bad file stops start-up). */
export async function loadTypes(config: Config, extra: GatewayOptions['typeFiles'] = []): Promise<TypeRegistry> {
  const types = new TypeRegistry({
    maxMessageBytes: config.maxMessageBytes,
    maxStringLength: config.maxStringLength,
    maxArrayLength: config.maxArrayLength,
  }, { maxTypes: config.maxTypes });
  for (const { file, source } of extra) types.add(file, source);
  for (const path of config.types) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new Error(`--types ${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    types.addText(text, path);
  }
  return types;
}

export async function buildGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  const types = await loadTypes(config, options.typeFiles);
  const policy = new TargetPolicy(config);
  const metrics = new GatewayMetrics();
  // Several gateways: names are claimed in the session directory (Redis) before sockets are made.
  const directory = sessionDirectory(config);
  const streams = new SessionStreams(config.eventReplayBytes);
  const sessions = new SessionRegistry(config, policy, types, { counter: metrics.bytes, claims: directory, heldOpen: (s) => streams.isHeld(s) });
  metrics.watch(sessions);
  const tickets = new TicketBook(config.ticketTtlMs);
  const ctx: GatewayContext = { config, sessions, types, policy, metrics, streams, tickets, openapi: () => ({}) };

  const requestLines = ['debug', 'trace'].includes(config.logLevel);
  const closing = new GracefulClose();
  const serverOptions: FastifyServerOptions = {
    ...loggerSettings(options.logger ?? { level: config.logLevel }, requestLines),
    bodyLimit: config.bodyLimit,
    // A client must send its whole request (headers and body) within requestTimeoutMs: a body
    // trickled a byte at a time cannot hold a connection (a long-poll's wait is not counted).
    // A malformed URL (`%zz`) or an over-long path parameter never reaches a route: answered here
    // with the same problem JSON as every other error.
    frameworkErrors: (err, req, reply) => {
      const { problem } = toProblem(err, config.bodyLimit, req.headers['content-type'], req.url);
      metrics.errors.inc({ code: problem.code });
      void (reply as FastifyReply).code(problem.statusCode).send(problem);
    },
    clientErrorHandler: clientErrorHandler(config.requestTimeoutMs),
    serverFactory: (handler) =>
      createServer(
        { requestTimeout: config.requestTimeoutMs, headersTimeout: config.requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs) },
        closing.wrap(handler),
      ),
    // Per-request log lines cost more than an exchange; they are there at debug level. Without
    // them most requests never log: their loggers are made on first use (loggerSettings).
    logController: new LogController({ disableRequestLogging: !requestLines }),
    forceCloseConnections: 'idle',
    ajv: {
      // Unknown properties are refused, never silently dropped; no type coercion of JSON bodies.
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } as Record<string, unknown>,
      plugins: [formatsPlugin as never],
    },
  };
  const app: FastifyInstance = Fastify(serverOptions);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  // Bodies are JSON (YAML too on POST /types): a text/plain body is a 415, not a string that then
  // fails validation as "body must be object".
  app.removeContentTypeParser('text/plain');
  useJsonBodyParser(app, config.bodyLimit);

  errorAnswers(app, config.bodyLimit, metrics);
  metrics.timeRoutes(app);

  // Routes list their error codes; the document turns them into responses (openapi/).
  documentClusterCodes(app);
  const routes = collectRoutes(app);
  await app.register(swagger, {
    openapi: { openapi: '3.1.0', info: documentInfo() },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  const document = new OpenApiDocument({ app, config, types, routeErrors: routes.errors });
  ctx.openapi = () => document.get(selfUrl(app, config));
  if (config.docs) {
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { tryItOutEnabled: true, displayRequestDuration: true, defaultModelsExpandDepth: 0 },
      transformSpecification: () => ctx.openapi(),
      transformSpecificationClone: false,
    });
  }

  // A foreign Host or a stray upgrade is refused before anything else runs; CORS answers a
  // preflight before the token is checked (a browser sends none on a preflight).
  guardRequests(app, config.host, directory === undefined ? {} : { [ANSWERED_BY]: directory.id });
  await useCors(app, config.corsOrigins);
  bearerAuth(app, config.token, tickets, directory === undefined ? undefined : (name) => !sessions.has(name));
  if (directory !== undefined) await useCluster(app, { config, sessions, metrics, directory });
  // At shutdown every stream ends first (WebSockets with 1001), before the WebSocket server closes
  // (its hook, registered after this one, waits for their closes) and before the sessions do.
  app.addHook('preClose', async () => streams.shutdown());
  await app.register(serviceRoutes, ctx);
  await app.register(typeRoutes, ctx);
  await app.register(sessionRoutes, ctx);
  await app.register(sessionPutRoute, ctx);
  await app.register(archiveRoutes, ctx);
  await app.register(typedRoutes, ctx);
  await app.register(datagramRoutes, ctx);
  await app.register(eventRoutes, ctx);
  // @fastify/websocket hooks every route of its scope (a handler wrapper, onRequest and onResponse
  // hooks): in a scope of its own with the one WebSocket route, the other routes pay nothing for it.
  await app.register(async (scope) => {
    await useWebSockets(scope, config);
    await scope.register(websocketRoutes, ctx);
    // The ws server stays reachable from the instance the caller holds (tests, shutdown).
    app.decorate('websocketServer', scope.websocketServer);
  });
  await app.register(ticketRoutes, ctx);
  await app.register(playgroundRoutes, ctx);

  // A declared operation becomes an operationId: it must not take one of the gateway's own.
  const reserved = (name: string) => routes.operationIds.has(name) || TYPED_ROUTE_ID.test(name);
  const clash = types.operations().find((op) => reserved(op.name));
  if (clash !== undefined) throw new Error(`${clash.source}: operation '${clash.name}' is a name the gateway uses for a route of its own: choose another`);
  types.reserve(reserved);
  closing.attach(app);
  app.addHook('onClose', async () => {
    await sessions.closeAll();
    await directory?.stop();
  });
  app.log.debug({ types: types.names(), codes: Object.keys(CODES).length }, 'gateway built');
  return { app, ctx };
}
