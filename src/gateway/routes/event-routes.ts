/**
 * `GET /sessions/{name}/events`: the session as Server-Sent Events (SPEC §1) — the CAsyncSocket
 * notifications `accept` (OnAccept), `receive` (OnReceive), `connect` (OnConnect), `close`
 * (OnClose, with the reason), and with `?receive=T` the messages the peer sends, decoded, as
 * `message` events. Every event but the first (`session`, the state now) has an id that counts per
 * session (streams/event-journal.ts): a reconnect with `Last-Event-ID` (or `?lastEventId=`, which a
 * new EventSource can set) gets what it missed, within ARCHWAY_EVENT_REPLAY_BYTES, and a `gap`
 * event for what it cannot. A reconnect to a session that is gone gets 204, which stops an
 * EventSource for good instead of letting it retry forever. The stream ends when the session
 * closes, when the client leaves, or when it falls further behind than the gateway keeps for it.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ArchwayError } from '../../core/index.js';
import { ERR_VALIDATION, type MessageCodec } from '../../archive/index.js';
import { E } from '../error-catalog.js';
import { ERR_SESSION_NOT_FOUND, ERR_SHUTTING_DOWN } from '../errors.js';
import type { GatewayContext } from '../gateway-context.js';
import { NameParams } from '../schemas/shared-schemas.js';
import { EventsQuery } from '../schemas/stream-schemas.js';
import { claimReader, type ReaderClaim } from '../streams/reader-claim.js';
import { EventStream } from '../streams/event-stream.js';
import { allowedOriginsOnly } from '../plugins/cors-origins.js';

export const eventRoutes: FastifyPluginAsync<GatewayContext> = async (plain, ctx) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { sessions, streams, config, metrics } = ctx;

  app.get('/sessions/:name/events', {
    schema: {
      operationId: 'sessionEvents',
      tags: ['sessions'],
      summary: 'The session as Server-Sent Events: socket notifications, and with ?receive=T its messages',
      description: [
        'Events: `session` (the state now, first, without an id), `accept` {pendingConnections}, `receive` {bytes, buffered}, `connect` {remote} or {error}, `close` {reason, wsa?}; with `?receive=T` also `message` {type, value} for every message the peer sends, decoded as T, and `problem` {code, message…} when one does not decode (reading stops; its bytes stay in the session).',
        '',
        'Event ids count per session. Reconnecting with `Last-Event-ID` (or `?lastEventId=`) replays the events after it that are still kept (ARCHWAY_EVENT_REPLAY_BYTES); a `gap` event {from, to} names those that are not. A reconnect to a session that is gone answers 204 (an EventSource then stops).',
        '',
        'One reader per session: an event stream with `receive` takes every message, so loads and exchanges on the session are refused while it is open (409), and a second reading stream is refused — but a reconnect (Last-Event-ID) takes the reader over from an earlier event stream. Every stream of the session sees the `message` events. Browsers give a ticket (`POST /tickets`) as `?ticket=`; a comment line is sent every 15 s to keep proxies from closing the stream.',
      ].join('\n'),
      params: NameParams,
      querystring: EventsQuery,
      // The media type on the 200 alone: errors (before the stream starts) are JSON.
      response: {
        200: { description: 'the event stream: each event is a `SessionEvent` (`event:` its name, `data:` its JSON)', content: { 'text/event-stream': { schema: Type.Ref('SessionEvent') } } },
        204: Type.Null({ description: 'a reconnect (Last-Event-ID) to a session that is gone: nothing more will come' }),
      },
      errors: [E.VALIDATION, E.ORIGIN_NOT_ALLOWED, E.SESSION_NOT_FOUND, E.UNKNOWN_TYPE, E.INVALID_STATE, E.ARCHIVE_REQUIRES_STREAM, E.SHUTTING_DOWN],
    },
    // An EventSource sends no preflight: a page elsewhere must not take the session's messages.
    onRequest: allowedOriginsOnly(config.corsOrigins),
    // A HEAD would hold the session's reader and never end (its headers go out with the first event).
    exposeHeadRoute: false,
  }, async (req, reply) => {
    const resumeAfter = lastEventId(req.headers['last-event-id'], req.query.lastEventId);
    let s;
    try {
      s = sessions.get(req.params.name);
    } catch (err) {
      if (resumeAfter !== undefined && ERR_SESSION_NOT_FOUND.is(err)) return reply.code(204).send(null);
      throw err;
    }
    if (streams.isClosing) throw new ERR_SHUTTING_DOWN();
    let receive: { codec: MessageCodec; claim: ReaderClaim } | undefined;
    let stream: EventStream | undefined;
    if (req.query.receive !== undefined) {
      let codec: MessageCodec;
      try {
        codec = s.codec(req.query.receive);
      } catch (err) {
        throw err instanceof ArchwayError ? err.with({ path: '/receive', in: 'query' }) : err;
      }
      // A reconnect takes the reader over: the earlier stream's connection may be gone unnoticed.
      const claim = claimReader(s.channel(), 'event stream', { takeOver: resumeAfter !== undefined, onTakenOver: () => stream?.stopReading() });
      receive = { codec, claim };
    }
    const journal = streams.journal(s);
    // Hijacked, the reply writes nothing itself: the headers it gathered (CORS's) go with ours.
    const headers = reply.getHeaders();
    reply.hijack();
    stream = new EventStream(reply.raw, journal, { window: config.streamWindowBytes, replayBytes: config.eventReplayBytes, metrics });
    const release = streams.hold(s, () => stream?.close());
    stream.onEnd(release);
    stream.start(s.info(), resumeAfter, headers as OutgoingHttpHeaders);
    if (receive !== undefined) stream.read(receive.claim, receive.codec, req.query.form ?? 'canonical');
  });
};

/** The id to resume after: the header an EventSource sends when it reconnects, or the query's. */
function lastEventId(header: string | string[] | undefined, query: string | undefined): number | undefined {
  const text = typeof header === 'string' ? header.trim() : query;
  if (text === undefined || text === '') return undefined;
  if (!/^[0-9]{1,15}$/.test(text)) throw new ERR_VALIDATION('headers/last-event-id must be an event id this gateway sent (digits)').with({ path: '/last-event-id', in: 'headers' });
  return Number(text);
}
