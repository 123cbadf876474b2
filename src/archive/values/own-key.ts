/**
 * Name tables keyed by input (type names, `vt` names, status names) are plain objects, so a lookup
 * must not reach what every object inherits: `"toString" in PRIMITIVES` is true and
 * `PRIMITIVES.toString` a function, which made a sizeless "integer" of `{"count": "toString"}`.
 */

/** `table[key]` when `key` is one of the table's own keys, else undefined. */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** True when every plain object already has `key` (`constructor`, `toString`, `__proto__`…). */
export function isObjectBuiltin(key: string): boolean {
  return key in Object.prototype;
}
