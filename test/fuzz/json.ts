/**
 * Types and narrowing helpers for the JSON the fuzz walks (the OpenAPI document, JSON Schemas, the
 * gateway's answers): values arrive as `unknown` and are narrowed where they are read.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
/** A JSON object whose members are narrowed where they are read. */
export type JsonObject = Record<string, unknown>;
/** A JSON Schema: an object, or `true` / `false`. */
export type Schema = JsonObject | boolean;

/** A JSON object: not null, not an array. */
export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function isSchema(v: unknown): v is Schema {
  return typeof v === 'boolean' || isObject(v);
}

/** `v` when it is a schema, else undefined (absent, or not a schema). */
export function asSchema(v: unknown): Schema | undefined {
  return isSchema(v) ? v : undefined;
}

/** `v` when it is an object, else an empty one (a member the document may leave out). */
export function asObject(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

/** `v` when it is an array, else undefined. */
export function asArray(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** The member `key` of `v` when `v` is an object, else undefined. */
export function field(v: unknown, key: string): unknown {
  return isObject(v) ? v[key] : undefined;
}

export function asNumber(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** The strings of a list (other values dropped). */
export function strings(list: readonly unknown[]): string[] {
  return list.filter((x): x is string => typeof x === 'string');
}
