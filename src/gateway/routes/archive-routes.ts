/**
 * Archives on a connected stream session (SPEC §1): store (`ar << v`), load (`ar >> v`), exchange
 * (store a request, load its answer), and raw write/read for protocols without message types.
 * On a datagram session every one answers 409 ARCHIVE_REQUIRES_STREAM (seed: CArchive does not
 * work with datagrams).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ArchwayError, type Code } from '../../core/index.js';
import { ERR_VALIDATION, fromBase64, type MessageCodec, type TypeExpr } from '../../archive/index.js';
import type { Session } from '../sessions/session.js';
import { disconnectSignal } from '../sessions/disconnect-signal.js';
import { BODY_ERRORS, E } from '../error-catalog.js';
import { waitMs, type GatewayContext } from '../gateway-context.js';
import { useJsonBodyParser } from '../plugins/json-body.js';
import { ExchangeBody, LoadBody, Loaded, ReadBody, ReadResult, StoreBody, WriteBody, Written } from '../schemas/archive-schemas.js';
import { described, FormQuery, inEitherForm, NameParams, withExamples } from '../schemas/shared-schemas.js';
import { typedExample } from '../openapi/typed-examples.js';
import { answer, answerWhenSettled, bytesAnswer, forgetIfClosed } from './answers.js';

const tags = ['archives'];
const ON_SESSION: Code[] = [...BODY_ERRORS, E.SESSION_NOT_FOUND, E.INVALID_STATE, E.ARCHIVE_REQUIRES_STREAM];
// An ad-hoc type expression nested deeper than the compiler goes is a VALIDATION of its field
// (archive/types/nesting.ts), and a session's code page is checked when it is created.
const LOADING: Code[] = [E.UNKNOWN_TYPE, E.TIMEOUT, E.PEER_CLOSED, E.ARCHIVE_DECODE, E.ARCHIVE_LIMIT, E.OVERLOADED];
const STORING: Code[] = [E.UNKNOWN_TYPE, E.PEER_CLOSED, E.SOCKET_ERROR, E.TIMEOUT, E.OVERLOADED];

/** The codec of a request's type expression; a bad one points at its place in the body. */
function codecAt(session: Session, type: unknown, path: string): MessageCodec {
  try {
    return session.codec(type as TypeExpr);
  } catch (err) {
    throw err instanceof ArchwayError ? err.with({ in: 'body', path }) : err;
  }
}

export const archiveRoutes: FastifyPluginAsync<GatewayContext> = async (plain, ctx) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { sessions, config, metrics } = ctx;
  // A large CByteArray in a typed `value` goes from the request's bytes to the archive buffer
  // without becoming a string (json-body.ts).
  useJsonBodyParser(plain, config.bodyLimit, 'value');
  // Real bodies for Swagger UI's "Try it out", from the types loaded at start.
  const ex = typedExample(ctx.types);
  const orderAck = ctx.types.has('OrderAck') ? 'OrderAck' : ex?.type;
  const storeBody = ex === undefined ? StoreBody : withExamples(StoreBody, [ex, { values: [{ type: 'DWORD', value: 7 }, { type: 'CString', value: 'hello' }] }]);
  const loadBody = ex === undefined ? LoadBody : withExamples(LoadBody, [{ type: ex.type, timeoutMs: 5000 }, { type: 'DWORD' }]);
  const exchangeBody = ex === undefined ? ExchangeBody : withExamples(ExchangeBody, [{ request: ex, response: { type: orderAck }, timeoutMs: 5000 }]);

  app.post('/sessions/:name/store', {
    schema: {
      operationId: 'store',
      tags,
      summary: 'Store values (ar << value), then flush: one message of a type, or a list of typed values',
      description: 'Values are validated against their type before a byte is sent: all of them go out, or none does.',
      params: NameParams,
      body: storeBody,
      response: { 200: described(Type.Ref('Stored'), 'the values were handed to the kernel') }, errors: [...ON_SESSION, ...STORING],
    },
  }, async (req, reply) => {
    const s = sessions.get(req.params.name);
    const ch = s.channel();
    const body = req.body;
    const several = 'values' in body;
    const list = several ? body.values : [body];
    const items = list.map((v, i) => {
      try {
        return { codec: codecAt(s, v.type, several ? `/values/${i}/type` : '/type'), value: v.value };
      } catch (err) {
        throw several && err instanceof ArchwayError ? err.with({ index: i }) : err;
      }
    });
    const options = { timeoutMs: waitMs(config, body.timeoutMs), signal: disconnectSignal(reply) };
    let bytes: number;
    try {
      // Flushed and handed to the kernel within the wait; else taken back if none of it went out.
      bytes = await ch.send((store) => store.writeMessages(items), options, 'sending the stored values to the peer');
    } catch (err) {
      await forgetIfClosed(ctx, s.name, err);
      // The path points into the request body, as for exchange: /value/… or /values/i/value/….
      if (!ERR_VALIDATION.is(err)) throw err;
      throw err.under(several ? `/values/${String(err.details.index ?? 0)}/value` : '/value', 'body');
    }
    metrics.message('store', items.length);
    return { values: items.length, bytes };
  });

  app.post('/sessions/:name/load', {
    schema: {
      operationId: 'load',
      tags,
      summary: 'Load one value (ar >> value): waits for all of its bytes, consumes them atomically',
      description: 'A load that times out or fails to decode consumes nothing: the bytes stay for the next load.',
      params: NameParams,
      body: loadBody,
      querystring: FormQuery,
      response: { 200: inEitherForm(Loaded, 'the value received') }, errors: [...ON_SESSION, ...LOADING],
    },
  }, async (req, reply) => {
    const s = sessions.get(req.params.name);
    const ch = s.channel();
    const codec = codecAt(s, req.body.type, '/type');
    const form = req.query.form ?? 'canonical';
    const value = await ch.read(codec, { timeoutMs: waitMs(config, req.body.timeoutMs), signal: disconnectSignal(reply), form });
    metrics.message('load');
    return answer(reply, codec, value, form, true);
  });

  app.post('/sessions/:name/exchange', {
    schema: {
      operationId: 'exchange',
      tags,
      summary: 'Store a request and load its answer (the RPC use)',
      description: 'Calls on one session are served first-in first-out, up to the session\'s `pipeline` in flight. The timeout covers the wait for a turn and for the answer; an answer whose caller timed out is read and discarded, never handed to the next caller. An answer that does not decode fails the exchanges after it, and later exchanges answer 409 (outOfStep) until a load or raw read consumes the stray bytes.',
      params: NameParams,
      body: exchangeBody,
      querystring: FormQuery,
      response: { 200: inEitherForm(Loaded, 'the answer received') }, errors: [...ON_SESSION, ...LOADING, ...STORING],
    },
  }, (req, reply) => {
    // Not an async function (answerWhenSettled); what throws before the exchange starts Fastify
    // answers as an error: a bad timeoutMs is not a bad request value.
    const s = sessions.get(req.params.name);
    const ch = s.channel();
    const { request, response } = req.body;
    const reqCodec = codecAt(s, request.type, '/request/type');
    const resCodec = codecAt(s, response.type, '/response/type');
    const timeoutMs = waitMs(config, req.body.timeoutMs);
    const form = req.query.form ?? 'canonical';
    const settling = ch.exchange(reqCodec, request.value, resCodec, { timeoutMs, form });
    answerWhenSettled(reply, settling, resCodec, form, true, metrics, async (err) => {
      await forgetIfClosed(ctx, s.name, err);
      return ERR_VALIDATION.is(err) ? err.under('/request/value', 'body') : err;
    });
  });

  app.post('/sessions/:name/write', {
    schema: {
      operationId: 'writeBytes',
      tags,
      summary: 'Write raw bytes (ar.Write) through the store archive, then flush',
      description: 'Raw bytes for protocols without message types; `timeoutMs` bounds the wait for the peer to take them (a timeout says what became of them in `delivery`).',
      params: NameParams,
      body: WriteBody,
      response: { 200: described(Written, 'the bytes were handed to the kernel') }, errors: [...ON_SESSION, E.PEER_CLOSED, E.SOCKET_ERROR, E.TIMEOUT, E.OVERLOADED],
    },
  }, async (req, reply) => {
    const s = sessions.get(req.params.name);
    const ch = s.channel();
    const data = fromBase64(req.body.data);
    if (data === null) throw new ERR_VALIDATION('body/data is not base64').with({ path: '/data', in: 'body' });
    const options = { timeoutMs: waitMs(config, req.body.timeoutMs), signal: disconnectSignal(reply) };
    try {
      return { bytes: await ch.send((store) => store.writeBytes(data), options, 'sending the bytes to the peer') };
    } catch (err) {
      await forgetIfClosed(ctx, s.name, err);
      throw err;
    }
  });

  app.post('/sessions/:name/read', {
    schema: {
      operationId: 'readBytes',
      tags,
      summary: 'Read raw bytes (ar.Read): exactly `bytes`, or with `partial` what is there up to `bytes`',
      description: 'Raw bytes from what the peer sent; a read that times out consumes nothing.',
      params: NameParams,
      body: ReadBody,
      response: { 200: described(ReadResult, 'the bytes received') }, errors: [...ON_SESSION, E.TIMEOUT, E.PEER_CLOSED, E.OVERLOADED],
    },
  }, async (req, reply) => {
    const ch = sessions.get(req.params.name).channel();
    const { bytes, partial } = req.body;
    if (bytes > config.maxMessageBytes) {
      throw new ERR_VALIDATION(`body/bytes ${bytes} exceeds ARCHWAY_MAX_MESSAGE_BYTES (${config.maxMessageBytes})`).with({ path: '/bytes', in: 'body' });
    }
    const options = { timeoutMs: waitMs(config, req.body.timeoutMs), signal: disconnectSignal(reply) };
    const data = await ch.readBytes(bytes, partial === true, options);
    return bytesAnswer(reply, data);
  });
};
