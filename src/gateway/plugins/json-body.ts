/**
 * The gateway's JSON body parser. Fastify's collects a body's chunks, joins them, decodes the join
 * and parses the text: for a 64 MiB CByteArray that is 85 MiB four times over, all alive at once
 * (bench:large). Here a large body of declared length is read into one buffer of that size as it
 * arrives and parsed with its long strings cut out (large-json.ts); small bodies, the hot path, go
 * to Fastify's own parser as one string. Limits, errors and prototype-poisoning checks are Fastify's.
 */
import { isUtf8 } from 'node:buffer';
import { errorCodes, type FastifyInstance } from 'fastify';
import { ERR_MALFORMED_JSON, ERR_UNSUPPORTED_MEDIA_TYPE } from '../errors.js';
import { MAX_JSON_DEPTH, tooDeepAt } from './json-depth.js';
import type { IncomingMessage } from 'node:http';
import { parseLargeJson } from './large-json.js';

/** Bodies from this size on are read into one buffer and parsed with long strings cut out. */
const LARGE_BODY = 1024 * 1024;
/** Strings from this size on are decoded from the body's bytes, not parsed out of its text. */
const LONG_STRING = 64 * 1024;

type Done = (err: Error | null, body?: unknown) => void;

const EMPTY = Buffer.alloc(0);

/** A `charset` parameter other than UTF-8's names (quoted or not, any case). */
const OTHER_CHARSET = /;\s*charset\s*=\s*(?!"?utf-?8"?\s*(?:;|$))/i;

/**
 * Replaces Fastify's JSON parser in `app`'s scope. With `textUnder`, long strings under properties
 * of that name reach the handlers as Utf8Text (the archive routes' typed `value`s).
 */
export function useJsonBodyParser(app: FastifyInstance, bodyLimit: number, textUnder?: string): void {
  const { onProtoPoisoning = 'error', onConstructorPoisoning = 'error' } = app.initialConfig;
  const parseDefault = app.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning);
  const parseText = (text: string): unknown => {
    let failure: Error | null = null;
    let value: unknown;
    parseDefault(undefined as never, text, (err, v: unknown) => {
      failure = err;
      value = v;
    });
    if (failure !== null) throw failure;
    return value;
  };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', (req, payload, done: Done) => {
    // JSON is UTF-8 (RFC 8259 §8.1): a body declared in another charset would be read wrong.
    const type = req.headers['content-type'];
    if (type !== undefined && OTHER_CHARSET.test(type)) return done(new ERR_UNSUPPORTED_MEDIA_TYPE(`${type}; JSON bodies are UTF-8: send charset=utf-8 or no charset`));
    readBody(payload, req.headers['content-length'], bodyLimit, (err, body) => {
      if (err !== null) return done(err);
      // JSON is UTF-8 (RFC 8259 §8.1): invalid bytes are refused, not turned into U+FFFD.
      if (!isUtf8(body)) return done(new ERR_MALFORMED_JSON('the body is not valid UTF-8'));
      const deep = tooDeepAt(body);
      if (deep >= 0) return done(new ERR_MALFORMED_JSON(`the body nests deeper than ${MAX_JSON_DEPTH} levels (at byte ${deep})`));
      try {
        done(null, body.length < LARGE_BODY ? parseText(body.toString('utf8')) : parseLargeJson(body, { minLength: LONG_STRING, parseText, textUnder }));
      } catch (parseErr) {
        done(parseErr as Error);
      }
    });
  });
}

/** The body's bytes, with Fastify's checks: the limit (413) and the declared length (400). */
function readBody(payload: IncomingMessage, lengthHeader: string | undefined, limit: number, cb: (err: Error | null, body: Buffer) => void): void {
  const declared = lengthHeader === undefined ? Number.NaN : Number(lengthHeader);
  if (declared > limit) return cb(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), EMPTY);
  // Filled in place as chunks arrive: no list of chunks joined into a second copy at the end.
  const whole = declared >= LARGE_BODY ? Buffer.allocUnsafe(declared) : undefined;
  const chunks: Buffer[] = [];
  let received = 0;
  const finish = (err: Error | null, body: Buffer = EMPTY): void => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onEnd);
    cb(err, body);
  };
  function onData(data: Buffer | string): void {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    if (received + chunk.length > limit) return finish(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    if (whole !== undefined) {
      if (received + chunk.length > whole.length) return finish(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      chunk.copy(whole, received);
    } else {
      chunks.push(chunk);
    }
    received += chunk.length;
  }
  function onEnd(err?: Error & { statusCode?: number }): void {
    if (err !== undefined) {
      // A client that aborts mid-body: a 400 as Fastify gives, never a 500.
      if (!(typeof err.statusCode === 'number' && err.statusCode >= 400)) err.statusCode = 400;
      return finish(err);
    }
    if (!Number.isNaN(declared) && received !== declared) return finish(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
    finish(null, whole ?? (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)));
  }
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  payload.resume();
}
