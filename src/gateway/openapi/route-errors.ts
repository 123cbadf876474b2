/**
 * Which error codes each route answers with. Routes list them in their schema (`errors: […]`):
 * that list is documentation, turned into the OpenAPI responses of the route (error-responses.ts),
 * never into a runtime serializer. Collected once as routes are registered.
 */
import type { FastifyInstance } from 'fastify';
import type { Code } from '../../core/index.js';

declare module 'fastify' {
  interface FastifySchema {
    /** The error codes this route can answer with (documentation only). */
    errors?: readonly Code[];
    /** The stable operationId generated clients name the call after. */
    operationId?: string;
  }
}

/** `/sessions/:name/store` → `/sessions/{name}/store`, as OpenAPI writes paths. */
export function openapiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export interface RouteCatalogue {
  /** `post /sessions/{name}/store` → the codes that route documents. */
  readonly errors: Map<string, readonly Code[]>;
  /** The operationIds of the gateway's own routes (no declared operation may take one). */
  readonly operationIds: Set<string>;
}

/** Filled by an onRoute hook as routes register. */
export function collectRoutes(app: FastifyInstance): RouteCatalogue {
  const catalogue: RouteCatalogue = { errors: new Map(), operationIds: new Set() };
  app.addHook('onRoute', (route) => {
    if (route.schema?.operationId !== undefined) catalogue.operationIds.add(route.schema.operationId);
    const codes = route.schema?.errors;
    if (codes === undefined) return;
    for (const method of [route.method].flat()) catalogue.errors.set(`${method.toLowerCase()} ${openapiPath(route.url)}`, codes);
  });
  return catalogue;
}

/** Names of the typed store/load routes' operationIds (`storeOrder`): reserved for them. */
export const TYPED_ROUTE_ID = /^(store|load)[A-Z_]/;
