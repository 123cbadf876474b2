/**
 * The typed routes (SPEC §1 "Typed operations"): `POST /sessions/{name}/ops/{operation}`,
 * `…/store/{Type}` and `…/load/{Type}`, where the body is the message itself and the answer is the
 * message itself. Fastify cannot add routes after `listen`, and types arrive at run time, so each is
 * one parametric route; its value is validated by the type's compiled encoder (exact, with the JSON
 * pointer of a bad field) rather than by a second schema pass, and the OpenAPI document gets one
 * path per operation and type (openapi/typed-paths.ts).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ERR_VALIDATION } from '../../archive/index.js';
import { ERR_ROUTE_NOT_FOUND } from '../errors.js';
import { waitMs, type GatewayContext } from '../gateway-context.js';
import { useJsonBodyParser } from '../plugins/json-body.js';
import { TYPED_ERRORS } from '../openapi/typed-paths.js';
import { disconnectSignal } from '../sessions/disconnect-signal.js';
import { JsonFormSchema, SessionName } from '../schemas/shared-schemas.js';
import { answer, answerWhenSettled, forgetIfClosed } from './answers.js';

/** A failed message's error as the route answers it: a bad value is the body's, at its JSON pointer. */
async function bodyError(ctx: GatewayContext, session: string, err: unknown): Promise<unknown> {
  await forgetIfClosed(ctx, session, err);
  return ERR_VALIDATION.is(err) ? err.with({ in: 'body', path: err.details.path ?? '' }) : err;
}

const Query = Type.Object(
  {
    // Query values are text: digits here, a number for the wait (documented as an integer).
    timeoutMs: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,8}$' })),
    form: Type.Optional(JsonFormSchema),
  },
  { additionalProperties: false },
);
const TypeName = Type.String({ maxLength: 128 });

export const typedRoutes: FastifyPluginAsync<GatewayContext> = async (plain, ctx) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { sessions, config, metrics, types } = ctx;
  // The whole body is the value: a large CByteArray in it stays bytes until the codec (json-body.ts).
  useJsonBodyParser(plain, config.bodyLimit, '*');
  // `…/load/` (a trailing slash) names no type: no route, as the document says.
  const typedCodec = (method: string, url: string, name: string) => {
    if (name === '') throw new ERR_ROUTE_NOT_FOUND(method, url.split('?')[0]!);
    return types.get(name);
  };
  const wait = (q: { timeoutMs?: string }) => waitMs(config, q.timeoutMs === undefined ? undefined : Number(q.timeoutMs), '/timeoutMs', 'query');

  app.post('/sessions/:name/ops/:operation', {
    schema: { hide: true, params: Type.Object({ name: SessionName, operation: Type.String({ maxLength: 64 }) }), querystring: Query, errors: TYPED_ERRORS.ops },
  }, (req, reply) => {
    // Not an async function (answerWhenSettled); what throws before the exchange starts Fastify
    // answers as an error.
    if (req.params.operation === '') throw new ERR_ROUTE_NOT_FOUND(req.method, req.url.split('?')[0]!);
    const op = types.operation(req.params.operation);
    const s = sessions.get(req.params.name);
    const ch = s.channel();
    const form = req.query.form ?? 'canonical';
    const timeoutMs = wait(req.query); // a bad wait is not a bad body
    const response = types.get(op.response);
    const settling = ch.exchange(types.get(op.request), req.body, response, { timeoutMs, form });
    answerWhenSettled(reply, settling, response, form, false, metrics, (err) => bodyError(ctx, s.name, err));
  });

  app.post('/sessions/:name/store/:type', {
    schema: { hide: true, params: Type.Object({ name: SessionName, type: TypeName }), querystring: Query, errors: TYPED_ERRORS.store },
  }, async (req, reply) => {
    const codec = typedCodec(req.method, req.url, req.params.type);
    const s = sessions.get(req.params.name);
    const ch = s.channel();
    const options = { timeoutMs: wait(req.query), signal: disconnectSignal(reply) };
    let bytes: number;
    try {
      bytes = await ch.send((store) => store.writeMessage(codec, req.body), options, `sending the ${codec.name} to the peer`);
    } catch (err) {
      throw await bodyError(ctx, s.name, err);
    }
    metrics.message('store');
    return { values: 1, bytes };
  });

  app.post('/sessions/:name/load/:type', {
    schema: { hide: true, params: Type.Object({ name: SessionName, type: TypeName }), querystring: Query, errors: TYPED_ERRORS.load },
  }, async (req, reply) => {
    const codec = typedCodec(req.method, req.url, req.params.type);
    const ch = sessions.get(req.params.name).channel();
    const form = req.query.form ?? 'canonical';
    const value = await ch.read(codec, { timeoutMs: wait(req.query), signal: disconnectSignal(reply), form });
    metrics.message('load');
    return answer(reply, codec, value, form);
  });
};
