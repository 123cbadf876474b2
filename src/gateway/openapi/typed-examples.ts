/**
 * Request examples that follow the configuration and the types loaded at start, so the bodies
 * Swagger UI offers work as shown: the demo service's real port, a declared type's value.
 */
import type { TypeRegistry } from '../../archive/index.js';
import type { Config } from '../config.js';

/** A typed value for the generic archive routes, from the first declared type that has fields. */
export function typedExample(types: TypeRegistry): { type: string; value: unknown } | undefined {
  for (const name of types.names()) {
    const codec = types.get(name);
    const plan = codec.plan;
    if (plan.kind === 'struct' && plan.fields.length > 0 && plan.cls === undefined && codec.example !== undefined) return { type: name, value: codec.example };
  }
  return undefined;
}

/** Where the connect example points: the embedded demo service, on the port it really has. */
export function connectExample(config: Config): { host: string; port: number } {
  return { host: '127.0.0.1', port: config.demoPort === 0 ? 7000 : config.demoPort };
}

/** The session name every example uses, so a person types it once (in POST /sessions). */
export const EXAMPLE_SESSION = 'shop';
