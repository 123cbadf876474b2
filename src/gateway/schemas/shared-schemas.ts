/**
 * Schemas shared by many routes, registered once with `app.addSchema` and referenced as
 * `{"$ref": "Name#"}`: they become named components of the OpenAPI document. The message-type
 * grammar comes from the archive layer (its single source); its cyclic form is rewritten here into
 * one shared `TypeExpr` schema so validators and OpenAPI tools resolve the recursion by name.
 */
import { Type, type TSchema } from 'typebox';
import { ErrorDetailsSchema, type Code } from '../../core/index.js';
import { JSON_FORMS, TypeExprSchema, TypeFileSchema } from '../../archive/index.js';
import { allCodes } from '../error-catalog.js';
import { SessionEvent } from './event-schemas.js';

/** Replaces the cyclic TypeExpr (`{$defs:{TypeExpr}, $ref:"TypeExpr"}`) by a reference to the shared one. */
function shareTypeExpr(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shareTypeExpr);
  if (node === null || typeof node !== 'object') return node;
  const obj = node as Record<string, unknown>;
  if (obj.$defs !== undefined && obj.$ref === 'TypeExpr') return { $ref: 'TypeExpr#' };
  if (obj.$ref === 'TypeExpr') return { $ref: 'TypeExpr#' };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== '$id') out[k] = shareTypeExpr(v);
  return out;
}

const typeExprBody = (TypeExprSchema as unknown as { $defs: { TypeExpr: unknown } }).$defs.TypeExpr;

export const TypeExprShared = {
  $id: 'TypeExpr',
  ...(shareTypeExpr(typeExprBody) as object),
  description: 'a message type: a declared type name, a primitive such as DWORD or CString, or {list|fixed|map|object}',
};

export const TypeFileShared = {
  $id: 'TypeFile',
  ...(shareTypeExpr(TypeFileSchema) as object),
  description: 'a message-type file (SPEC §2): profile, codePage and types',
};

/** Problem JSON (SPEC §4): every field an error body can carry is declared; `code` is the closed catalogue. */
export const Problem = Type.Object(
  {
    statusCode: Type.Integer({ minimum: 400, maximum: 599 }),
    code: Type.Unsafe<Code>({ type: 'string', enum: allCodes().filter((c) => c.http).map((c) => c.code), description: 'stable error code (SPEC §4): see the table in the API description' }),
    message: Type.String({ description: 'what went wrong and what to do' }),
    ...ErrorDetailsSchema.properties,
  },
  { $id: 'Problem', additionalProperties: false, description: 'problem-style error' },
);

export const Endpoint = Type.Object(
  { address: Type.String(), port: Type.Integer({ minimum: 0, maximum: 65535 }) },
  { $id: 'Endpoint', additionalProperties: false },
);

export const SessionInfo = Type.Object(
  {
    name: Type.String(),
    kind: Type.Union([Type.Literal('stream'), Type.Literal('datagram')]),
    state: Type.Union([Type.Literal('created'), Type.Literal('listening'), Type.Literal('connecting'), Type.Literal('connected'), Type.Literal('closed')]),
    local: Type.Optional(Type.Ref('Endpoint')),
    remote: Type.Optional(Type.Ref('Endpoint')),
    pipeline: Type.Integer(),
    archiveLifetime: Type.Union([Type.Literal('connection'), Type.Literal('message')]),
    bytesIn: Type.Integer(),
    bytesOut: Type.Integer(),
    buffered: Type.Integer({ description: 'bytes received and not read yet (stream) or queued datagram bytes' }),
    messagesIn: Type.Integer(),
    messagesOut: Type.Integer(),
    pendingConnections: Type.Optional(Type.Integer({ description: 'connections waiting for accept (listening sessions)' })),
    dropped: Type.Optional(Type.Integer({ description: 'datagrams dropped because the receive queue was full' })),
    peerClosed: Type.Optional(
      Type.Object({
        reason: Type.Union([Type.Literal('graceful'), Type.Literal('reset')]),
        wsa: Type.Optional(Type.String()),
      }),
    ),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'SessionInfo', additionalProperties: false },
);

/** What a store answers, shared by the generic and the typed store routes. */
export const Stored = Type.Object({
  values: Type.Integer({ description: 'values written' }),
  bytes: Type.Integer({ description: 'bytes of this request, handed to the kernel' }),
});
const StoredShared = { ...Stored, $id: 'Stored' };

export const SHARED_SCHEMAS: TSchema[] = [TypeExprShared as TSchema, TypeFileShared as TSchema, Problem, Endpoint, SessionInfo, StoredShared, SessionEvent];

export const Base64 = Type.String({
  contentEncoding: 'base64',
  pattern: '^[A-Za-z0-9+/]*={0,2}$',
  description: 'bytes, base64',
});

export const TimeoutMs = Type.Integer({ minimum: 1, description: 'how long to wait, in ms (default ARCHWAY_DEFAULT_TIMEOUT_MS)' });

/** URL-safe; `.` and `..` are refused (a client resolving `/sessions/..` would reach `/`). */
export const SESSION_NAME_PATTERN = '^(?!\\.\\.?$)[A-Za-z0-9._~-]{1,64}$';
export const SessionName = Type.String({ pattern: SESSION_NAME_PATTERN, description: 'URL-safe session name (not . or ..)' });

export const NameParams = Type.Object({ name: SessionName });

/** The same schema with the description of the answer it is (the OpenAPI response's description). */
export function described<T extends TSchema>(schema: T, description: string): T {
  return { ...schema, description } as T;
}

/** The same schema with `examples` (documentation only: validation ignores them). */
export function withExamples<T extends TSchema>(schema: T, examples: unknown[]): T {
  return { ...schema, examples } as T;
}

/** The JSON form of the values in an answer (SPEC §2 "Canonical and lossless JSON"). */
export const FORM_DESCRIPTION = 'the JSON form of the answer: canonical (default, one shape per MFC type) or lossless (the forms that reproduce unusual wire bytes)';
export const JsonFormSchema = Type.Enum([...JSON_FORMS], { default: 'canonical', description: FORM_DESCRIPTION });

/** `?form=` on the routes that answer values. */
export const FormQuery = Type.Object({ form: Type.Optional(JsonFormSchema) }, { additionalProperties: false });

/** The media type of answers in the lossless form (`?form=lossless`). */
export const LOSSLESS_MEDIA_TYPE = 'application/vnd.archway.lossless+json';

/** A 200 answer in either form: the same schema under both media types (ad-hoc values are any JSON). */
export function inEitherForm(schema: TSchema, description: string): { description: string; content: Record<string, { schema: TSchema }> } {
  return { description, content: { 'application/json': { schema }, [LOSSLESS_MEDIA_TYPE]: { schema } } };
}
