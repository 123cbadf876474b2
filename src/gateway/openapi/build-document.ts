/**
 * The OpenAPI 3.1 document as it is now: the static routes as @fastify/swagger describes them, each
 * with its error answers (route-errors.ts → error-responses.ts), plus one typed path per declared
 * operation and type (typed-paths.ts), the type components, the servers and the security scheme.
 * Built again whenever the registry changed (a type added or removed), else served from a cache.
 */
import type { FastifyInstance } from 'fastify';
import type { Code } from '../../core/index.js';
import type { TypeRegistry } from '../../archive/index.js';
import type { Config } from '../config.js';
import { documentInfo, servers, TAGS } from './document-info.js';
import { EXAMPLE_SESSION } from './typed-examples.js';
import { documentedCodes, problemResponses } from './error-responses.js';
import { typeComponents } from './type-components.js';
import { typedPaths } from './typed-paths.js';

interface Parameter {
  name: string;
  in: string;
  example?: unknown;
}
type Operation = { responses?: Record<string, { description?: string }>; security?: unknown[]; parameters?: Parameter[] } & Record<string, unknown>;

/** Path parameters with an example: the session every example uses, a loaded type. */
function withExamples(parameters: Parameter[], path: string, types: TypeRegistry): Parameter[] {
  return parameters.map((p) => {
    if (p.in !== 'path' || p.example !== undefined) return p;
    if (path.startsWith('/types/')) return { ...p, example: types.names()[0] ?? 'Order' };
    return { ...p, example: EXAMPLE_SESSION };
  });
}
type PathItem = Record<string, Operation>;

/** Routes that need no token (bearer-auth.ts leaves them open; /docs is not in the document). */
const OPEN = new Set(['get /health', 'get /openapi.json']);

export interface DocumentSource {
  app: FastifyInstance;
  config: Config;
  types: TypeRegistry;
  routeErrors: ReadonlyMap<string, readonly Code[]>;
}

export class OpenApiDocument {
  private cached: { key: string; doc: Record<string, unknown> } | undefined;

  constructor(private readonly source: DocumentSource) {}

  /** The document, with `configured` as the gateway's own address in `servers`. */
  get(configured: string): Record<string, unknown> {
    const key = `${this.source.types.version}|${configured}`;
    if (this.cached?.key !== key) this.cached = { key, doc: this.build(configured) };
    return this.cached.doc;
  }

  private build(configured: string): Record<string, unknown> {
    const { app, config, types, routeErrors } = this.source;
    const base = structuredClone(app.swagger()) as { paths?: Record<string, PathItem>; components?: { schemas?: Record<string, unknown> } };
    const paths: Record<string, unknown> = {};
    for (const [path, item] of Object.entries(base.paths ?? {})) {
      const out: PathItem = {};
      for (const [method, op] of Object.entries(item)) {
        const open = OPEN.has(`${method} ${path}`);
        const codes = documentedCodes(routeErrors.get(`${method} ${path}`) ?? [], path, open);
        out[method] = {
          ...op,
          ...(op.parameters === undefined ? {} : { parameters: withExamples(op.parameters, path, types) }),
          responses: { ...op.responses, ...problemResponses(codes, '#/components/schemas/Problem') },
          ...(open && config.token !== '' ? { security: [] } : {}),
        };
      }
      paths[path] = out;
    }
    Object.assign(paths, typedPaths(types));
    return {
      openapi: '3.1.0',
      info: documentInfo(),
      servers: servers(configured),
      tags: TAGS,
      paths,
      components: {
        schemas: { ...base.components?.schemas, ...typeComponents(types) },
        ...(config.token === '' ? {} : { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'ARCHWAY_TOKEN' } } }),
      },
      // Without a token no route asks for credentials: said explicitly, for tools that check.
      security: config.token === '' ? [] : [{ bearer: [] }],
    };
  }
}
