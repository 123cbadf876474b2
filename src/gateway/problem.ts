/**
 * Every failure becomes problem-style JSON (SPEC §4): `{statusCode, code, message}` plus the
 * error's details (`path`, `offset`, `wsa`…). Fastify's own errors (validation, body parsing, body
 * size) are mapped to the documented codes; anything unexpected is `INTERNAL` and logged, and no
 * stack trace ever reaches a client.
 */
import type { FastifyError } from 'fastify';
import { ArchwayError } from '../archive/index.js';
import { E } from './error-catalog.js';
import { ERR_INTERNAL, ERR_MALFORMED_JSON, ERR_PAYLOAD_TOO_LARGE, ERR_UNSUPPORTED_MEDIA_TYPE } from './errors.js';

export interface ProblemJson {
  statusCode: number;
  code: string;
  message: string;
  [detail: string]: unknown;
}

/** Details that describe the request, never internals. */
function publicDetails(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (v === undefined || k === 'statusCode' || k === 'code' || k === 'message') continue;
    out[k] = v;
  }
  return out;
}

function fromArchway(err: ArchwayError): ProblemJson {
  return { statusCode: err.statusCode, code: err.code, message: err.message, ...publicDetails(err.details) };
}

/**
 * Maps any thrown value to the problem JSON; `internal` tells the caller to log it. `contentType`
 * is the request's, named by UNSUPPORTED_MEDIA_TYPE (Fastify's own error does not carry it).
 */
export function toProblem(err: unknown, bodyLimit: number, contentType?: string): { problem: ProblemJson; internal: boolean } {
  if (err instanceof ArchwayError) return { problem: fromArchway(err), internal: false };
  const fe = err as Partial<FastifyError> & { validationContext?: string };
  if (Array.isArray(fe.validation) && fe.validation.length > 0) {
    const v = fe.validation[0]!;
    const where = fe.validationContext ?? 'body';
    let path = v.instancePath ?? '';
    let message = v.message ?? 'is not valid';
    const params = v.params as Record<string, unknown> | undefined;
    if (v.keyword === 'additionalProperties' && typeof params?.additionalProperty === 'string') {
      path = `${path}/${params.additionalProperty}`;
      message = 'is not a property of this request (unknown properties are refused, not ignored)';
    } else if (v.keyword === 'enum' && Array.isArray(params?.allowedValues)) {
      message = `must be one of ${params.allowedValues.map((a) => JSON.stringify(a)).join(', ')}`;
    } else if (v.keyword === 'required' && typeof params?.missingProperty === 'string') {
      path = `${path}/${params.missingProperty}`;
      message = 'is required';
    }
    const problem: ProblemJson = {
      statusCode: 400,
      code: E.VALIDATION,
      message: `${where}${path} ${message}`,
      path,
      in: where,
    };
    return { problem, internal: false };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { problem: fromArchway(new ERR_PAYLOAD_TOO_LARGE(bodyLimit).with({ limit: bodyLimit })), internal: false };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { problem: fromArchway(new ERR_UNSUPPORTED_MEDIA_TYPE(contentType === undefined || contentType === '' ? '(none)' : contentType.slice(0, 100))), internal: false };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { problem: fromArchway(new ERR_MALFORMED_JSON('the body is empty but the content type says JSON')), internal: false };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { problem: fromArchway(new ERR_MALFORMED_JSON(fe.message ?? '')), internal: false };
    default:
  }
  if (err instanceof SyntaxError && fe.statusCode === 400) {
    return { problem: fromArchway(new ERR_MALFORMED_JSON(err.message)), internal: false };
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status < 500 && typeof fe.code === 'string') {
    return { problem: { statusCode: status, code: fe.code.replace(/^FST_ERR_/, ''), message: fe.message ?? 'bad request' }, internal: false };
  }
  return { problem: fromArchway(new ERR_INTERNAL()), internal: true };
}
