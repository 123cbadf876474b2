/**
 * A JSON string still held as its UTF-8 bytes. The gateway's body parser hands long string values
 * over this way (gateway/json-body.ts), so that a 64 MiB CByteArray's base64 is decoded from the
 * request's bytes straight into the archive buffer and never becomes an 85 MiB JavaScript string.
 * The primitives that take long text (CByteArray, CString, COleVariant) accept it; to any other
 * it is a wrong value, as a long string would be.
 */
export class Utf8Text {
  constructor(readonly bytes: Buffer) {}

  toString(): string {
    return this.bytes.toString('utf8');
  }

  toJSON(): string {
    return this.toString();
  }
}

/** `v`, with a Utf8Text turned into its string. */
export function plainText(v: unknown): unknown {
  return v instanceof Utf8Text ? v.toString() : v;
}
