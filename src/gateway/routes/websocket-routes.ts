/**
 * `GET /sessions/{name}/ws` (SPEC §1 "Browser reach"): a WebSocket bound to a connected stream
 * session, with @fastify/websocket — JSON mode (streams/json-relay.ts) or binary mode
 * (streams/binary-relay.ts). A plain GET (no upgrade) answers 426. A handshake from a page whose
 * origin ARCHWAY_CORS_ORIGINS does not allow is refused before the upgrade (403): no cross-site
 * page may drive a session. Every other refusal comes after the upgrade, since a browser learns
 * nothing of a refused handshake: an error frame (JSON mode), then close code 4000 + the status.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import type { WebSocket } from 'ws';
import { ArchwayError } from '../../core/index.js';
import type { MessageCodec } from '../../archive/index.js';
import { ERR_VALIDATION } from '../../archive/index.js';
import { E } from '../error-catalog.js';
import { ERR_SHUTTING_DOWN, ERR_UPGRADE_REQUIRED } from '../errors.js';
import type { GatewayContext } from '../gateway-context.js';
import { authRefusal } from '../plugins/bearer-auth.js';
import { allowedOriginsOnly } from '../plugins/cors-origins.js';
import { WEBSOCKET_ROUTE } from '../plugins/websocket-upgrade.js';
import { asArchwayError } from '../plugins/problem.js';
import { NameParams } from '../schemas/shared-schemas.js';
import { WebSocketQuery } from '../schemas/stream-schemas.js';
import type { Session } from '../sessions/session.js';
import { BinaryRelay } from '../streams/binary-relay.js';
import { CLOSE, CLOSE_TABLE, refusalClose } from '../streams/close-codes.js';
import { errorFrame } from '../streams/json-frames.js';
import { JsonRelay } from '../streams/json-relay.js';
import { claimReader, type ReaderClaim } from '../streams/reader-claim.js';

type Query = Static<typeof WebSocketQuery>;

const DESCRIPTION = [
  'Upgrades to a WebSocket bound to the session\'s socket (a connected stream session). One WebSocket per session at a time; browsers give a ticket (`POST /tickets`) as `?ticket=`, other clients may send the Authorization header.',
  '',
  '**JSON mode** (`?mode=json`, the default): a text frame `{"type": T, "value": v}` — or with `?send=T` the bare value — is stored as one message, all or nothing. A frame that is not right gets an error frame `{"error": {code, message, path…}, "frame": n}` (`path` points into the frame, `n` counts frames from 1) and the WebSocket stays open. With `?receive=T` every message from the peer is decoded as T and pushed as `{"type": T, "value": v}`, the JSON the REST answers carry; while it reads, REST loads and exchanges on the session are refused (409: one reader per session), stores are not.',
  '',
  '**Binary mode** (`?mode=binary`): binary frames are written to the peer as they are, bytes from the peer are pushed as binary frames (websockify-compatible; its `binary` subprotocol is accepted).',
  '',
  'Backpressure both ways: past ARCHWAY_STREAM_WINDOW_BYTES on their way to the browser the session\'s socket is no longer read (the peer slows down), past as many stored and not yet sent the WebSocket\'s frames are no longer read (the browser slows down). Frames over ARCHWAY_WS_MAX_FRAME_BYTES close it with 1009. Closing the WebSocket leaves the session open; what the peer sent and nothing read stays there.',
  '',
  'Close codes:',
  '',
  '| code | when |',
  '|---|---|',
  ...CLOSE_TABLE.map(([code, when]) => `| ${code} | ${when} |`),
].join('\n');

export const websocketRoutes: FastifyPluginAsync<GatewayContext> = async (plain, ctx) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { sessions, streams, config, metrics } = ctx;

  app.route({
    method: 'GET',
    url: WEBSOCKET_ROUTE,
    schema: {
      operationId: 'sessionWebSocket',
      tags: ['sessions'],
      summary: 'A WebSocket on the session: JSON messages or raw bytes both ways',
      description: DESCRIPTION,
      params: NameParams,
      querystring: WebSocketQuery,
      response: { 101: { description: 'Switching Protocols: the WebSocket is open (see the close codes above for how it ends)' } },
      errors: [E.VALIDATION, E.ORIGIN_NOT_ALLOWED, E.UPGRADE_REQUIRED],
    },
    // Refusals of a handshake are told over the WebSocket (wsHandler below), validation's too.
    attachValidation: true,
    // A HEAD would take the route's GET without an upgrade: none is offered.
    exposeHeadRoute: false,
    onRequest: allowedOriginsOnly(config.corsOrigins),
    handler: async (req) => {
      if (req.validationError !== undefined) throw req.validationError;
      throw new ERR_UPGRADE_REQUIRED();
    },
    wsHandler: (ws, req) => {
      const query = req.query as Query;
      // An error frame (JSON mode), then the refusal's close code.
      const refuse = (err: ArchwayError) => {
        if (query.mode !== 'binary') ws.send(errorFrame(err));
        const { code, reason } = refusalClose(err);
        ws.close(code, reason);
      };
      const refused = authRefusal(req) ?? req.validationError;
      if (refused !== undefined) return refuse(asArchwayError(refused, config.bodyLimit));
      try {
        open(ws, req, query);
      } catch (err) {
        const e = asArchwayError(err, config.bodyLimit);
        if (e.code === E.INTERNAL) req.log.error({ err }, 'WebSocket open failed');
        refuse(e);
      }
    },
  });

  /** Binds the WebSocket to the session, or throws why it cannot be. */
  function open(ws: WebSocket, req: FastifyRequest, query: Query): void {
    if (streams.isClosing) throw new ERR_SHUTTING_DOWN();
    const s = sessions.get((req.params as { name: string }).name);
    const binary = query.mode === 'binary';
    if (binary) {
      const extra = (['receive', 'send', 'form'] as const).find((k) => query[k] !== undefined);
      if (extra !== undefined) throw new ERR_VALIDATION(`querystring/${extra} applies to mode=json only`).with({ path: `/${extra}`, in: 'query' });
    }
    const receive = codecOf(s, query.receive, '/receive');
    const send = codecOf(s, query.send, '/send');
    const channel = s.channel();
    const releaseWs = streams.claimWebSocket(s);
    let reader: ReaderClaim | undefined;
    try {
      reader = binary || receive !== undefined ? claimReader(channel, 'WebSocket') : undefined;
    } catch (err) {
      releaseWs();
      throw err;
    }
    let release = () => undefined as void;
    const relayOptions = {
      ws,
      session: s,
      channel,
      reader,
      window: config.streamWindowBytes,
      metrics,
      log: req.log,
      onEnd: () => {
        release();
        releaseWs();
      },
    };
    const relay = binary ? new BinaryRelay(relayOptions) : new JsonRelay({ ...relayOptions, receive, send, form: query.form ?? 'canonical' });
    release = streams.hold(s, () => relay.close({ code: CLOSE.GOING_AWAY, reason: 'SHUTTING_DOWN' }));
    relay.start();
  }
};

/** The codec of a type named in the query (UNKNOWN_TYPE pointing at the parameter). */
function codecOf(s: Session, name: string | undefined, path: string): MessageCodec | undefined {
  if (name === undefined) return undefined;
  try {
    return s.codec(name);
  } catch (err) {
    throw err instanceof ArchwayError ? err.with({ path, in: 'query' }) : err;
  }
}
