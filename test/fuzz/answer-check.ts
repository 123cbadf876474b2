/**
 * The checks of one answer against the gateway's OpenAPI document: documented status, media type
 * and schema, problem bodies with documented codes, no 500, no stack trace, no oversized error, no
 * invalid request accepted, no hang. Apart from the driver so that what counts as a failure reads
 * in one place; a failure is recorded as a finding, a valid request refused as a note.
 */
import { signature, type LoggedError } from './gateway.js';
import type { Answer } from './http-client.js';
import { labelClass, type Findings } from './findings.js';
import type { ApiModel } from './openapi-model.js';
import { invalidByDocument, type FuzzRequest } from './requests.js';

/** An error body larger than this quotes the input. */
const ERROR_BODY_MAX = 16 * 1024;
/** What an error body must never show: a stack trace or a source location. */
const INTERNALS = /"stack"|\n\s+at |\.(ts|js|mjs|cjs):\d+|node_modules|node:internal/;

export interface CheckContext {
  model: ApiModel;
  /** An answer later than this is a hang. */
  hangMs: number;
  /** The gateway's body limit, for what the document calls too large. */
  bodyLimit: number;
  /** The gateway's logged errors: a 500 claims the one logged while it was open. */
  gatewayErrors: LoggedError[];
  findings: Findings;
  notes: Findings;
}

/** Every check of an answer against the document, as one function of a request and its answer. */
export function answerChecker({ model, hangMs, bodyLimit, gatewayErrors, findings, notes }: CheckContext): (req: FuzzRequest, a: Answer) => void {
  return (req0, a) => {
    // A path made hostile may reach another route (GET /sessions/ is GET /sessions/{name} with an
    // empty name) or none: it is judged against what it reaches.
    const reached = req0.routed ? req0.op : model.match(req0.method, req0.path);
    const req = reached === undefined || reached === req0.op ? req0 : { ...req0, op: reached, label: `${req0.label} (reaches ${reached.key})` };
    const op = req.op;
    const fail = (kind: string, detail: string, code?: string) => findings.record(kind, req, a, detail, code);
    if (a.error !== undefined) {
      if (/timeout|aborted/i.test(a.error) && a.ms >= hangMs - 50) fail('hang', `no answer within ${hangMs} ms (the request asked to wait ${req.waitMs} ms)`);
      else fail('no-answer', a.error.replace(/\d+/g, 'N').slice(0, 120));
      return;
    }
    const text = a.body.toString('utf8');
    if (a.status === 500) {
      // The gateway logged the cause: the first unclaimed error line while this request was open.
      const logged = gatewayErrors.find((e) => !e.claimed && e.time >= (a.sentAt ?? 0) - 1 && e.time <= (a.doneAt ?? Date.now()) + 1);
      if (logged !== undefined) logged.claimed = true;
      fail('500', logged === undefined ? `(nothing logged) ${labelClass(req.label)}` : `logged ${signature(logged)}`);
    }
    if (req.badAuth && op.answers.has('401') && a.status !== 401) fail('auth', `a request with ${req.label} answered ${a.status}, not 401`);
    let documented = reached === undefined ? undefined : model.answerFor(op, a.status);
    if (reached === undefined) {
      // No route has this path: only ROUTE_NOT_FOUND (404) is right.
      if (a.status === 404) documented = { status: '404', description: '', media: new Map([['application/json', undefined]]), codes: ['ROUTE_NOT_FOUND'], codesFrom: 'none' };
    }
    if (documented === undefined) {
      let code = '';
      try {
        code = String(JSON.parse(text).code ?? '');
      } catch {
        // not JSON
      }
      if (a.status !== 500) {
        const where = reached === undefined ? 'a path that matches no route of the document (only 404 ROUTE_NOT_FOUND fits)' : `this operation (documented: ${[...op.answers.keys()].join(', ')})`;
        fail('undocumented-status', `status ${a.status}${code === '' ? '' : ` (${code})`} is not documented for ${where}`, code);
      }
      return;
    }
    if (a.status >= 200 && a.status < 300 && !req.valid && !req.badAuth) {
      const why = invalidByDocument(req, { model, bodyLimit });
      if (why !== undefined) fail('accepted-invalid', `a request the document calls invalid was answered ${a.status}: ${why.replace(/\d{2,}/g, 'N')}`);
    }
    const ct = String(a.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (documented.media.size > 0 && !documented.media.has(ct) && !documented.media.has('*/*')) {
      fail('media-type', `content type ${JSON.stringify(ct)} is not documented for ${a.status} (documented: ${[...documented.media.keys()].join(', ')})`);
      return;
    }
    const schemaPointer = documented.media.get(ct);
    const isJson = ct === 'application/json' || ct.endsWith('+json');
    let body: unknown = text;
    if (isJson && !a.truncated) {
      try {
        body = JSON.parse(text);
      } catch {
        fail('not-json', `a ${a.status} ${ct} body that does not parse`);
        return;
      }
      if (schemaPointer !== undefined) {
        const v = model.validator(schemaPointer);
        let fits = true;
        try {
          fits = v(body) as boolean;
        } catch (err) {
          fail('schema', `the body could not be validated: ${(err as Error).message}`);
        }
        if (!fits) {
          const e = v.errors![0]!;
          const where = e.instancePath.replace(/\/\d+(?=\/|$)/g, '/i');
          fail('schema', `body${where} ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}`);
        }
      }
    }
    if (a.status >= 400) {
      if (INTERNALS.test(text)) fail('internals', 'the error body shows a stack trace or a source location');
      if (a.body.length > ERROR_BODY_MAX) {
        let code = '';
        try {
          code = String(JSON.parse(text).code);
        } catch {
          // not JSON
        }
        fail('oversized-error', `${a.status} ${code} error bodies over ${ERROR_BODY_MAX / 1024} KiB: the message quotes the input`, code);
      }
      const p = body as Record<string, unknown>;
      if (p === null || typeof p !== 'object') fail('problem', `a ${a.status} error body that is not a problem object`);
      else {
        if (p.statusCode !== a.status) fail('problem', `statusCode ${JSON.stringify(p.statusCode)} differs from the HTTP status`);
        if (typeof p.code !== 'string' || typeof p.message !== 'string' || p.message === '') fail('problem', 'an error body without a code or a message');
        else if (documented.codes !== undefined && !documented.codes.includes(p.code)) {
          fail('undocumented-code', `code ${p.code} is not among the ${a.status} codes documented for this operation (${documented.codes.join(', ')}; from ${documented.codesFrom})`, p.code);
        }
        if (req.valid && req.typedFit === true && a.status === 400 && p.code === 'VALIDATION' && /value/.test(String(p.path ?? ''))) {
          const what = String(p.message).replace(/"[^"]*"/g, '"…"').replace(/-?\d[\d.e+-]*/g, 'N').slice(0, 110);
          notes.record('type-schema', req, a, `a value that fits its type's published schema (GET /types/{name}) refused: ${what}`, 'VALIDATION');
        } else if (req.valid && [400, 413, 415].includes(a.status) && ['VALIDATION', 'MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE'].includes(String(p.code))) {
          const where = String(p.path ?? '').replace(/\/\d+(?=\/|$)/g, '/i');
          notes.record('valid-refused', req, a, `${String(p.code)}${p.in === undefined ? '' : ` in ${String(p.in)}`} at ${where === '' ? '(root)' : where}`, String(p.code));
        }
      }
    }
  };
}
