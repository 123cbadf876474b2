/**
 * `CByteArray` (format §3.2): WriteCount(n) then n raw bytes; base64 in JSON. Decoding returns a view
 * of the received bytes turned into base64 once, so a 64 MiB array costs one pass. A count written
 * longer than MFC writes is kept in lossless JSON as `{"bytes": base64, "countForm": "dword"}`.
 */
import { Type } from 'typebox';
import { base64Length, decodeBase64Strict, isBase64, toBase64 } from '../wire/base64.js';
import { minimalCountBytes, readCount, writeCount, writeCountAs } from '../wire/count.js';
import { COUNT_FORMS, formOfSize, widthForm, widthFormSchema, type WidthForm } from '../wire/width-form.js';
import { decodeError, validationError } from '../errors.js';
import { expected, onlyKeys, type Primitive, type PrimitiveOptions } from './primitive.js';
import { Utf8Text } from '../json/utf8-text.js';

const BASE64 = Type.String({ contentEncoding: 'base64', description: 'CByteArray bytes, base64' });
const WITH_FORM = Type.Object(
  { bytes: BASE64, countForm: widthFormSchema(COUNT_FORMS, 'count') },
  { additionalProperties: false, description: 'bytes whose count was written longer than MFC writes' },
);

export function byteArrayType(o: PrimitiveOptions): Primitive {
  const escape64 = o.flags.escape64;
  // Bytes cost exactly their number, so the message cap bounds them; maxArrayLength is for
  // elements that become JSON values (a 64 MiB CByteArray is one base64 string).
  const max = o.limits.maxMessageBytes;
  const tooMany = (n: number) => `a CByteArray of ${n} bytes exceeds the cap of ${max} (maxMessageBytes)`;
  return {
    name: 'CByteArray',
    headerMax: 14,
    write(w, given) {
      let v = given;
      let form: WidthForm | undefined;
      if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !(v instanceof Utf8Text)) {
        const o = v as { bytes?: unknown; countForm?: unknown };
        onlyKeys(o, ['bytes', 'countForm'], 'a CByteArray object form');
        if (o.countForm !== undefined) form = widthForm(o.countForm, COUNT_FORMS, 'countForm');
        v = o.bytes;
      }
      const count = (n: number) => (form === undefined ? writeCount(w, n, escape64) : writeCountAs(w, n, form, escape64));
      if (typeof v === 'string') {
        // Decoded straight into the archive buffer: no intermediate copy of a large array.
        if (!isBase64(v)) return expected('base64 bytes (CByteArray)', v);
        const n = Buffer.byteLength(v, 'base64');
        if (n > max) throw validationError(tooMany(n));
        count(n);
        w.ensure(n);
        w.pos += w.buf.write(v, w.pos, n, 'base64');
        return;
      }
      if (v instanceof Utf8Text) {
        // Base64 still in the request's bytes: decoded from them, never made one long string.
        // Checked by the decoder as it writes (base64.ts): a bad one takes back what it wrote.
        if (v.bytes.length % 4 !== 0) return expected('base64 bytes (CByteArray)', v);
        const n = base64Length(v.bytes);
        if (n > max) throw validationError(tooMany(n));
        const start = w.pos;
        count(n);
        w.ensure(n);
        const written = decodeBase64Strict(v.bytes, w.buf, w.pos);
        if (written < 0) {
          w.pos = start;
          return expected('base64 bytes (CByteArray)', v);
        }
        w.pos += written;
        return;
      }
      if (!(v instanceof Uint8Array)) return expected('base64 bytes (CByteArray)', v);
      if (v.length > max) throw validationError(tooMany(v.length));
      count(v.length);
      w.bytes(v);
    },
    read(r) {
      const start = r.pos;
      const at = r.offset;
      const n = readCount(r, escape64);
      if (n > max) throw decodeError('limit', tooMany(n), at, 'CByteArray');
      const bytes = toBase64(r.bytes(n));
      const used = r.pos - n - start;
      return used === minimalCountBytes(n) ? bytes : { bytes, countForm: formOfSize(used) };
    },
    readCanonical(r) {
      const at = r.offset;
      const n = readCount(r, escape64);
      if (n > max) throw decodeError('limit', tooMany(n), at, 'CByteArray');
      return toBase64(r.bytes(n));
    },
    measure(r) {
      const at = r.offset;
      const start = r.pos;
      const n = readCount(r, escape64);
      if (n > max) throw decodeError('limit', tooMany(n), at, 'CByteArray');
      return r.pos - start + n;
    },
    schema: Type.Union([BASE64, WITH_FORM]),
    canonicalSchema: BASE64,
    example: 'AQID',
  };
}
