/**
 * One path per declared operation and per declared type, built from the registry each time the
 * document is asked for (types added with POST /types appear at once, SPEC §1): the routes behind
 * them are parametric (routes/typed-routes.ts), the document is not — so a client generated from it
 * sees `placeOrder(Order): OrderAck`, not `value: unknown`.
 */
import type { Code } from '../../core/index.js';
import { exampleOption, JSON_FORMS, type Operation, type SchemaFlavor, type TypeRegistry } from '../../archive/index.js';
import { ON_NAMED_SESSION } from '../cluster/cluster-codes.js';
import { E } from '../error-catalog.js';
import { documentedCodes, problemResponses } from './error-responses.js';
import { componentName } from './type-components.js';
import { EXAMPLE_SESSION } from './typed-examples.js';
import { FORM_DESCRIPTION, LOSSLESS_MEDIA_TYPE } from '../schemas/shared-schemas.js';

const PREFIX = '#/components/schemas/';
const PROBLEM = `${PREFIX}Problem`;

const ON_SESSION: Code[] = [E.VALIDATION, E.MALFORMED_JSON, E.UNSUPPORTED_MEDIA_TYPE, E.PAYLOAD_TOO_LARGE, E.SESSION_NOT_FOUND, E.INVALID_STATE, E.ARCHIVE_REQUIRES_STREAM, E.OVERLOADED, ...ON_NAMED_SESSION];
const RECEIVING: Code[] = [E.TIMEOUT, E.PEER_CLOSED, E.ARCHIVE_DECODE, E.ARCHIVE_LIMIT];
const SENDING: Code[] = [E.PEER_CLOSED, E.SOCKET_ERROR, E.TIMEOUT];

/** The errors each typed route documents (typed-routes.ts answers no other). */
export const TYPED_ERRORS = {
  ops: [...ON_SESSION, E.UNKNOWN_OPERATION, ...RECEIVING, ...SENDING],
  store: [...ON_SESSION, E.UNKNOWN_TYPE, ...SENDING],
  load: [...ON_SESSION, E.UNKNOWN_TYPE, ...RECEIVING],
} satisfies Record<string, Code[]>;

const ref = (name: string, flavor: SchemaFlavor) => ({ $ref: PREFIX + componentName(name, flavor) });

function parameters(answers: boolean) {
  return [
    { name: 'name', in: 'path', required: true, description: 'the session', schema: { type: 'string', pattern: '^(?!\\.\\.?$)[A-Za-z0-9._~-]{1,64}$' }, example: EXAMPLE_SESSION },
    { name: 'timeoutMs', in: 'query', required: false, description: 'how long to wait, in ms (default ARCHWAY_DEFAULT_TIMEOUT_MS)', schema: { type: 'integer', minimum: 1 } },
    ...(answers
      ? [{ name: 'form', in: 'query', required: false, description: FORM_DESCRIPTION, schema: { type: 'string', enum: [...JSON_FORMS], default: 'canonical' } }]
      : []),
  ];
}

function errors(codes: readonly Code[], path: string) {
  return problemResponses(documentedCodes(codes, path), PROBLEM);
}

function answer(type: string, description: string) {
  return {
    description,
    content: { 'application/json': { schema: ref(type, 'canonical') }, [LOSSLESS_MEDIA_TYPE]: { schema: ref(type, 'lossless') } },
  };
}

function operationPath(op: Operation, types: TypeRegistry) {
  const path = `/sessions/{name}/ops/${op.name}`;
  return [path, {
    post: {
      operationId: op.name,
      tags: ['operations'],
      summary: op.description ?? `${op.request} → ${op.response}`,
      description: `Stores a \`${op.request}\` and loads the \`${op.response}\` the service answers with (an exchange: FIFO per session, up to its pipeline in flight). Declared in ${op.source}.`,
      parameters: parameters(true),
      requestBody: { required: true, content: { 'application/json': { schema: ref(op.request, 'input'), ...exampleOption(types.get(op.request).example) } } },
      responses: { 200: answer(op.response, `the \`${op.response}\` the service answered with`), ...errors(TYPED_ERRORS.ops, path) },
    },
  }] as const;
}

function typePaths(name: string, types: TypeRegistry) {
  const store = `/sessions/{name}/store/${name}`;
  const load = `/sessions/{name}/load/${name}`;
  return [
    [store, {
      post: {
        operationId: `store${name}`,
        tags: ['typed archives'],
        summary: `Store one ${name} (ar << value), then flush`,
        description: `The body is the ${name} itself, validated against its type before a byte is sent; \`timeoutMs\` bounds the wait for the peer to take it (a timeout says what became of it in \`delivery\`).`,
        parameters: parameters(false),
        requestBody: { required: true, content: { 'application/json': { schema: ref(name, 'input'), ...exampleOption(types.get(name).example) } } },
        responses: {
          200: {
            description: 'handed to the kernel whole',
            content: { 'application/json': { schema: { $ref: `${PREFIX}Stored` } } },
          },
          ...errors(TYPED_ERRORS.store, store),
        },
      },
    }],
    [load, {
      post: {
        operationId: `load${name}`,
        tags: ['typed archives'],
        summary: `Load one ${name} (ar >> value): waits for all of its bytes, consumes them atomically`,
        description: `Answers the ${name} itself; a load that times out or does not decode consumes nothing.`,
        parameters: parameters(true),
        responses: { 200: answer(name, `the ${name} received`), ...errors(TYPED_ERRORS.load, load) },
      },
    }],
  ] as const;
}

/** Every typed path of the types and operations loaded now. */
export function typedPaths(types: TypeRegistry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const op of types.operations()) {
    const [path, item] = operationPath(op, types);
    out[path] = item;
  }
  for (const name of types.names()) for (const [path, item] of typePaths(name, types)) out[path] = item;
  return out;
}
