/**
 * Every failure becomes problem-style JSON (SPEC §4): `{statusCode, code, message}` plus the
 * error's details (`path`, `offset`, `wsa`…, all declared in core's ErrorDetailsSchema). Fastify's
 * own errors (validation, body parsing, body size, URL and parameter checks) are mapped to codes
 * of the one table; anything unexpected is `INTERNAL` and logged, and no stack trace ever reaches
 * a client. What a message or a detail quotes of the request is cut short: a 1 MB name in a body
 * must not come back in the answer.
 */
import type { FastifyError } from 'fastify';
import { ArchwayError, ERR_INTERNAL, type Code, type ErrorDetails } from '../../core/index.js';
import { ERR_VALIDATION } from '../../archive/index.js';
import { E } from '../error-catalog.js';
import { ERR_BAD_URL, ERR_MALFORMED_JSON, ERR_PAYLOAD_TOO_LARGE, ERR_UNSUPPORTED_MEDIA_TYPE, ERR_URI_TOO_LONG } from '../errors.js';
import { statusOf } from '../http-status.js';

export interface ProblemJson extends ErrorDetails {
  statusCode: number;
  code: Code;
  message: string;
}

const MESSAGE_MAX = 1000;
const DETAIL_MAX = 200;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function problemOf(err: ArchwayError): ProblemJson {
  return { ...bareProblem(err), statusCode: statusOf(err.code) };
}

/** The problem without its HTTP status: what a WebSocket's error frame or an event stream's `problem` event carries. */
export function bareProblem(err: ArchwayError): Omit<ProblemJson, 'statusCode'> {
  const details: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err.details)) {
    if (v !== undefined) details[k] = typeof v === 'string' ? clip(v, DETAIL_MAX) : v;
  }
  return { ...(details as ErrorDetails), code: err.code, message: clip(err.message, MESSAGE_MAX) };
}

interface ValidationEntry {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Fastify's (ajv's) first validation problem as VALIDATION with the path and where it is. */
function fromValidation(v: ValidationEntry, where: string): ArchwayError {
  let path = v.instancePath ?? '';
  let message = v.message ?? 'is not valid';
  const params = v.params;
  if (v.keyword === 'additionalProperties' && typeof params?.additionalProperty === 'string') {
    path = `${path}/${clip(params.additionalProperty, 64)}`;
    message = 'is not a property of this request (unknown properties are refused, not ignored)';
  } else if (v.keyword === 'enum' && Array.isArray(params?.allowedValues)) {
    message = `must be one of ${params.allowedValues.map((a) => JSON.stringify(a)).join(', ')}`;
  } else if (v.keyword === 'required' && typeof params?.missingProperty === 'string') {
    path = `${path}/${params.missingProperty}`;
    message = 'is required';
  }
  const inWhat = where === 'querystring' ? 'query' : where;
  return new ERR_VALIDATION(`${where}${path} ${message}`).with({
    path,
    in: inWhat === 'params' || inWhat === 'query' || inWhat === 'headers' ? inWhat : 'body',
  });
}

/** Fastify's own errors as codes of the table; undefined for what is not one of them. */
function fromFastify(fe: Partial<FastifyError> & { validationContext?: string }, bodyLimit: number, contentType: string | undefined, url: string): ArchwayError | undefined {
  if (Array.isArray(fe.validation) && fe.validation.length > 0) return fromValidation(fe.validation[0] as ValidationEntry, fe.validationContext ?? 'body');
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ERR_PAYLOAD_TOO_LARGE(bodyLimit).with({ limit: bodyLimit });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ERR_UNSUPPORTED_MEDIA_TYPE(contentType === undefined || contentType === '' ? '(none)' : contentType);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ERR_MALFORMED_JSON('the body is empty but the content type says JSON');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ERR_MALFORMED_JSON(fe.message ?? '');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ERR_MALFORMED_JSON('the body does not have the length its Content-Length header says');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ERR_URI_TOO_LONG(100);
    case 'FST_ERR_BAD_URL':
      return new ERR_BAD_URL(url);
    default:
  }
  if (fe instanceof SyntaxError) return new ERR_MALFORMED_JSON(fe.message);
  // A client that aborts mid-body: the parser says 400 (json-body.ts), never a 500.
  if (fe.statusCode === 400) return new ERR_MALFORMED_JSON(`the body could not be read (${fe.message ?? 'aborted'})`);
  if (fe.statusCode === 413) return new ERR_PAYLOAD_TOO_LARGE(bodyLimit).with({ limit: bodyLimit });
  if (fe.statusCode === 415) return new ERR_UNSUPPORTED_MEDIA_TYPE(contentType ?? '(none)');
  return undefined;
}

/**
 * Any thrown value as an error of the table: Fastify's own mapped, anything unknown INTERNAL (to
 * be logged). `contentType` and `url` are the request's (Fastify's own errors do not carry them).
 */
export function asArchwayError(err: unknown, bodyLimit: number, contentType?: string, url = ''): ArchwayError {
  if (err instanceof ArchwayError) return err;
  const mapped = err !== null && typeof err === 'object' ? fromFastify(err as Partial<FastifyError>, bodyLimit, contentType, url) : undefined;
  return mapped ?? new ERR_INTERNAL();
}

/** Maps any thrown value to the problem JSON; `internal` tells the caller to log it. */
export function toProblem(err: unknown, bodyLimit: number, contentType?: string, url = ''): { problem: ProblemJson; internal: boolean } {
  const e = asArchwayError(err, bodyLimit, contentType, url);
  return { problem: problemOf(e), internal: e.code === E.INTERNAL };
}
