/**
 * The JSON text of a decoded value in pieces, so that a large value (a 64 MiB CByteArray is an
 * 85 MiB base64 string) is never copied whole into one JSON string and then into one buffer: long
 * strings are escaped and emitted in slices. Slicing is safe for JSON: a surrogate pair cut in two
 * becomes two `\uXXXX` escapes, which parse back to the same pair.
 */
const SLICE = 64 * 1024;

/** True when `value` holds a string of at least `min` characters (worth streaming). */
export function hasLongString(value: unknown, min: number, depth = 0): boolean {
  if (typeof value === 'string') return value.length >= min;
  if (value === null || typeof value !== 'object' || depth > 64) return false;
  if (Array.isArray(value)) return value.some((v) => hasLongString(v, min, depth + 1));
  for (const k in value) if (hasLongString((value as Record<string, unknown>)[k], min, depth + 1)) return true;
  return false;
}

/** JSON.stringify(value) as a sequence of pieces (same text once joined). */
export function* jsonChunks(value: unknown): Generator<string> {
  if (typeof value === 'string' && value.length > SLICE) {
    yield '"';
    for (let i = 0; i < value.length; i += SLICE) yield JSON.stringify(value.slice(i, i + SLICE)).slice(1, -1);
    yield '"';
    return;
  }
  if (value === null || typeof value !== 'object' || !hasLongString(value, SLICE)) {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      const v: unknown = value[i];
      // As JSON.stringify: undefined and functions in arrays are null.
      yield* v === undefined || typeof v === 'function' ? ['null'] : jsonChunks(v);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function') continue;
    yield `${first ? '' : ','}${JSON.stringify(k)}:`;
    first = false;
    yield* jsonChunks(v);
  }
  yield '}';
}
