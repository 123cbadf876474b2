/**
 * Caps that keep a hostile or broken peer from making Archway allocate without bound: a length
 * prefix of 4 GiB must never allocate 4 GiB (SPEC §5). Checked before any allocation.
 */
export interface Limits {
  /** Largest message, in bytes, that will be encoded or buffered for decoding. */
  readonly maxMessageBytes: number;
  /** Longest string, in characters (narrow bytes or UTF-16 code units). */
  readonly maxStringLength: number;
  /** Most elements in one array, list or map. */
  readonly maxArrayLength: number;
  /** Most classes and objects in one archive's index map (MFC's own ceiling is 0x3FFFFFFE). */
  readonly maxObjects: number;
  /** Deepest nesting of types and objects. */
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxMessageBytes: 128 * 1024 * 1024,
  maxStringLength: 64 * 1024 * 1024,
  maxArrayLength: 16 * 1024 * 1024,
  maxObjects: 1_000_000,
  maxDepth: 256,
};

/**
 * Most elements that take no bytes (a `{"fixed": …, "length": 0}`, a struct whose fields are all
 * absent) in one message, whatever the caps: each costs memory and none costs a byte, so counts
 * nested over them would expand a few bytes into billions of values (long-fuzz finding: a map of
 * fixed arrays of empty arrays took a gateway past 4 GB). No real Serialize writes many.
 */
export const MAX_EMPTY_ELEMENTS = 65_536;

/** MFC's `nMaxMapCount` (format §4.1). */
export const MFC_MAX_MAP_COUNT = 0x3ffffffe;

export function resolveLimits(limits: Partial<Limits> = {}): Limits {
  const l = { ...DEFAULT_LIMITS, ...limits };
  for (const [key, value] of Object.entries(l)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`limit ${key} must be a positive integer, got ${String(value)}`);
    }
  }
  return { ...l, maxObjects: Math.min(l.maxObjects, MFC_MAX_MAP_COUNT) };
}
