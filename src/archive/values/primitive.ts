/**
 * A primitive is one MFC type with a fixed byte form: how to write a JSON value as MFC does, how to
 * read it back in each JSON form (SPEC §2 "Canonical and lossless JSON"), its size (fixed, or
 * measured from a header), its JSON Schemas and an example. Every leaf of a message type is one of
 * these; structures are built from them in `type-plan.ts`.
 */
import type { TSchema } from 'typebox';
import type { ArchiveReader } from '../wire/archive-reader.js';
import type { ArchiveWriter } from '../wire/archive-writer.js';
import type { CodePage } from './code-page.js';
import { describe, pointerSegment, validationError } from '../errors.js';
import type { Limits } from './limits.js';
import type { ProfileFlags } from './profile.js';

/** What a value decides when later fields read it (a count, a tag, a condition). */
export type ValueKind = 'int' | 'int64' | 'bool';

export interface Primitive {
  readonly name: string;
  /** Integers and booleans: what their JSON is when a count, a switch or a condition reads it. */
  readonly valueKind?: ValueKind;
  /** Byte size when it never varies. */
  readonly size?: number;
  /** Most bytes `measure` may look at (the header), when the size varies. */
  readonly headerMax?: number;
  /** Writes `value` (a JSON value) or throws a VALIDATION error without a path. */
  write(w: ArchiveWriter, value: unknown): void;
  /**
   * Reads one value as lossless JSON (encoding it again gives the same bytes); throws NeedMore when
   * short, ARCHIVE_DECODE when the bytes are wrong.
   */
  read(r: ArchiveReader): unknown;
  /** Reads one value as canonical JSON (one shape per MFC type), when that differs from `read`. */
  readCanonical?(r: ArchiveReader): unknown;
  /** Total byte size from the header at `r.pos` (variable-size primitives only). */
  measure?(r: ArchiveReader): number;
  /** What `write` accepts: both JSON forms. */
  readonly schema: TSchema;
  /** What `read` gives, when narrower than `schema`. */
  readonly losslessSchema?: TSchema;
  /** What `readCanonical` (else `read`) gives, when narrower than the lossless schema. */
  readonly canonicalSchema?: TSchema;
  /** An example in canonical form. */
  readonly example: unknown;
}

/** What a primitive's bytes depend on: the peer's build, the code page, the declared width, the caps. */
export interface PrimitiveOptions {
  readonly flags: ProfileFlags;
  readonly codePage: CodePage;
  /** Plain `CString` is written wide (Unicode build, or the field says `"unicode": true`). */
  readonly wide: boolean;
  readonly limits: Limits;
}

export function expected(what: string, value: unknown): never {
  throw validationError(`expected ${what}, got ${describe(value)}`);
}

/**
 * Refuses a property that `allowed` does not name: an object form is exact, as its schema says
 * (`additionalProperties: false`), so a misspelt key is an error, never silently ignored.
 */
export function onlyKeys(v: object, allowed: readonly string[], what: string): void {
  for (const k in v) {
    if (!allowed.includes(k)) throw validationError(`unexpected property ${describe(k)} in ${what} (it may have: ${allowed.join(', ')})`, `/${pointerSegment(k)}`);
  }
}
