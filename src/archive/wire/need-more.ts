/**
 * Thrown (not as an Error: no stack is captured) when a decoder runs out of bytes. CArchive has no
 * framing (format §9.1 point 2), so running out is the normal way to learn a message is incomplete.
 */
export class NeedMore {
  /** At least this many more bytes are needed. */
  readonly need: number;
  /** Absolute offset where the bytes ran out. */
  readonly offset: number;
  /** JSON pointer of the value being read when the bytes ran out (filled in while unwinding). */
  path = '';

  constructor(need: number, offset: number) {
    this.need = need;
    this.offset = offset;
  }
}

export function isNeedMore(x: unknown): x is NeedMore {
  return x instanceof NeedMore;
}
