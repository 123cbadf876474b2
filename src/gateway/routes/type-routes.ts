/**
 * Message types (SPEC §2): list them, show one with its JSON Schema and an example, add a file at
 * run time (JSON or YAML). Types never change once added, so codecs in use stay valid.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parse as parseYaml } from 'yaml';
import { ERR_TYPE_FILE, exampleOption, type TypeRegistry } from '../../archive/index.js';
import { ERR_MALFORMED_JSON } from '../errors.js';
import { BODY_ERRORS, E } from '../error-catalog.js';
import type { GatewayContext } from '../gateway-context.js';
import { TypeDetail, TypeList, TypeNameParams, TypeRemoved, TypesAdded } from '../schemas/type-schemas.js';
import { described } from '../schemas/shared-schemas.js';

const tags = ['types'];

function summaries(types: TypeRegistry) {
  return types.files().flatMap((f) =>
    f.types.map((name) => {
      const plan = types.get(name).plan;
      const description = plan.kind === 'struct' ? plan.description : undefined;
      return { name, source: f.source, profile: f.profile, codePage: f.codePage, ...(description === undefined ? {} : { description }) };
    }),
  );
}

export const typeRoutes: FastifyPluginAsync<GatewayContext> = async (plain, ctx) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { types } = ctx;

  // A YAML type file is as welcome as a JSON one (the CLI reads both).
  app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseYaml(body as string));
    } catch (err) {
      done(new ERR_MALFORMED_JSON(`the YAML body does not parse: ${(err as Error).message}`), undefined);
    }
  });

  app.get('/types', {
    schema: {
      operationId: 'listTypes', tags, summary: 'The message types loaded', response: { 200: described(TypeList, 'the message types loaded') }, errors: [], description: 'Every declared type with the file it came from, the peer profile and the code page it is written for.' },
  }, async () => ({ types: summaries(types) }));

  app.get('/types/:name', {
    schema: {
      operationId: 'getType',
      tags,
      summary: 'One message type: its JSON Schema and an example value',
      description: "The type's JSON Schema (declared types under `$defs`) and an example value a request may send.",
      params: TypeNameParams,
      response: { 200: described(TypeDetail, 'the JSON Schema of the type and an example value') }, errors: [E.VALIDATION, E.UNKNOWN_TYPE],
    },
  }, async (req) => {
    const codec = types.get(req.params.name);
    const { root, defs } = codec.schemas('#/$defs/');
    const source = types.files().find((f) => f.types.includes(req.params.name))?.source ?? 'inline';
    return { name: req.params.name, source, schema: { ...root, $defs: defs }, ...exampleOption(codec.example) };
  });

  app.post('/types', {
    schema: {
      operationId: 'addTypes',
      tags,
      summary: 'Add a message-type file at run time (JSON, or YAML with Content-Type application/yaml)',
      description: 'All of its types are added, or none. A bad file is a 400 TYPE_FILE whose `path` points at the problem.',
      body: Type.Unsafe({ $ref: 'TypeFile#' }),
      consumes: ['application/json', 'application/yaml'],
      response: { 201: described(TypesAdded, 'the names of the types added') }, errors: [...BODY_ERRORS, E.TYPE_FILE, E.TYPE_EXISTS, E.UNKNOWN_TYPE, E.TOO_MANY_TYPES],
    },
    // The registry checks the file against the same TypeBox schema, with messages that say where.
    validatorCompiler: () => () => true,
  }, async (req, reply) => {
    if (req.body === null || typeof req.body !== 'object') throw new ERR_TYPE_FILE('the body must be a message-type file (an object with "types")').with({ path: '' });
    const added = types.add(req.body, `POST /types at ${new Date().toISOString()}`);
    return reply.code(201).send({ added });
  });

  app.delete('/types/:name', {
    schema: {
      operationId: 'removeType',
      tags,
      summary: 'Remove a message type (when no other type uses it)',
      description: 'Sessions that use it keep their compiled codec until they close; the name is free again at once.',
      params: TypeNameParams,
      // A body is not expected; one sent anyway is parsed (and refused) like any JSON body.
      response: { 200: described(TypeRemoved, 'the type is removed') }, errors: [...BODY_ERRORS, E.UNKNOWN_TYPE, E.TYPE_IN_USE],
    },
  }, async (req) => {
    types.remove(req.params.name);
    return { removed: req.params.name };
  });
};
