/**
 * What the archive routes share when they answer: values streamed in slices when they hold a long
 * string, the media type of the form asked for, and a session forgotten when a failed request had
 * to close it (a partial message was cut off, SPEC §5).
 */
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { ArchwayError } from '../../core/index.js';
import { jsonChunks, type JsonForm, type MessageCodec } from '../../archive/index.js';
import type { GatewayContext } from '../gateway-context.js';
import type { GatewayMetrics } from '../plugins/gateway-metrics.js';
import { LOSSLESS_MEDIA_TYPE } from '../schemas/shared-schemas.js';

/** Strings past this length are sent in slices rather than serialized whole (bench:large). */
const STREAM_FROM = 1024 * 1024;

/**
 * A message `codec` decoded as the answer — the value itself, or `{"value": …}` when `wrapped` —
 * in the media type of its form. The JSON text is the codec's (generated for the type: faster than
 * the JSON.stringify a serializer would call for a value of any shape), or streamed in pieces when
 * it holds a long string (a large CByteArray's base64).
 */
export function answer(reply: FastifyReply, codec: MessageCodec, value: unknown, form: JsonForm, wrapped = false): FastifyReply {
  void reply.type(form === 'lossless' ? LOSSLESS_MEDIA_TYPE : 'application/json; charset=utf-8');
  const text = codec.jsonWithin(value, STREAM_FROM);
  if (text === undefined) return reply.send(Readable.from(jsonChunks(wrapped ? { value } : value)));
  return reply.send(wrapped ? `{"value":${text}}` : text);
}

/**
 * Sends the answer of an exchange once it settles: the value (counted as an `exchange` message) in
 * its form, or the error `failure` makes of a rejection. For handlers that are not async functions:
 * an async handler keeps a generator, an await and Fastify's promise wrapper per request while the
 * request waits its session's turn — 2.5k of the typed operation's 180k instructions, and objects
 * that young collections copy. Nothing here may reject unhandled (the process stops on one).
 */
export function answerWhenSettled(
  reply: FastifyReply,
  settling: Promise<unknown>,
  codec: MessageCodec,
  form: JsonForm,
  wrapped: boolean,
  metrics: GatewayMetrics,
  failure: (err: unknown) => Promise<unknown>,
): void {
  settling.then(
    (value) => {
      metrics.message('exchange');
      try {
        answer(reply, codec, value, form, wrapped);
      } catch (err) {
        reply.send(err);
      }
    },
    (err: unknown) => {
      // An Error, whatever was thrown (Fastify sends anything else as a 200 payload), and sent
      // whether `failure` resolves or itself rejects.
      const send = (e: unknown) => void reply.send(e instanceof Error ? e : new Error(String(e)));
      failure(err).then(send, send);
    },
  );
}

/** A multiple of 3 bytes: each slice encodes to base64 alone, without padding. */
const BASE64_SLICE = 48 * 1024;

/**
 * `{"data": base64, "bytes": n}` for raw bytes: a large block goes out base64-encoded a slice at a
 * time, never as one string (64 MiB would be an 85 MB string built while the loop waits).
 */
export function bytesAnswer(reply: FastifyReply, data: Buffer): { data: string; bytes: number } | FastifyReply {
  if (data.length < STREAM_FROM) return { data: data.toString('base64'), bytes: data.length };
  function* pieces(): Generator<string> {
    yield '{"data":"';
    for (let i = 0; i < data.length; i += BASE64_SLICE) yield data.toString('base64', i, Math.min(i + BASE64_SLICE, data.length));
    yield `","bytes":${data.length}}`;
  }
  return reply.type('application/json; charset=utf-8').send(Readable.from(pieces()));
}

/** A request that failed and closed its session takes the session out of the list. */
export async function forgetIfClosed(ctx: GatewayContext, name: string, err: unknown): Promise<void> {
  if (err instanceof ArchwayError && err.details.sessionClosed === true) await ctx.sessions.remove(name).catch(() => undefined);
}
