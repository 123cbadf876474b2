/**
 * A primitive is one MFC type with a fixed byte form: how to write a JSON value as MFC does, how to
 * read it back, its size (fixed, or measured from a header), its JSON Schema and an example. Every
 * leaf of a message type is one of these; structures are built from them in `type-plan.ts`.
 */
import type { TSchema } from 'typebox';
import type { ArchiveReader } from '../wire/archive-reader.js';
import type { ArchiveWriter } from '../wire/archive-writer.js';
import type { CodePage } from './code-page.js';
import { describe, validationError } from '../errors.js';
import type { Limits } from './limits.js';
import type { ProfileFlags } from './profile.js';

export interface Primitive {
  readonly name: string;
  /** Byte size when it never varies. */
  readonly size?: number;
  /** Most bytes `measure` may look at (the header), when the size varies. */
  readonly headerMax?: number;
  /** Writes `value` (a JSON value) or throws a VALIDATION error without a path. */
  write(w: ArchiveWriter, value: unknown): void;
  /** Reads one value as JSON; throws NeedMore when short, ARCHIVE_DECODE when the bytes are wrong. */
  read(r: ArchiveReader): unknown;
  /** Total byte size from the header at `r.pos` (variable-size primitives only). */
  measure?(r: ArchiveReader): number;
  readonly schema: TSchema;
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
