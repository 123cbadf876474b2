/**
 * `CByteArray` (format §3.2): WriteCount(n) then n raw bytes; base64 in JSON. Decoding returns a view
 * of the received bytes turned into base64 once, so a 64 MiB array costs one pass.
 */
import { Type } from 'typebox';
import { base64Length, decodeBase64Bytes, isBase64, isBase64Bytes, toBase64 } from '../wire/base64.js';
import { readCount, writeCount } from '../wire/count.js';
import { decodeError, validationError } from '../errors.js';
import { expected, type Primitive, type PrimitiveOptions } from './primitive.js';
import { Utf8Text } from '../json/utf8-text.js';

export function byteArrayType(o: PrimitiveOptions): Primitive {
  const escape64 = o.flags.escape64;
  // Bytes cost exactly their number, so the message cap bounds them; maxArrayLength is for
  // elements that become JSON values (a 64 MiB CByteArray is one base64 string).
  const max = o.limits.maxMessageBytes;
  const tooMany = (n: number) => `a CByteArray of ${n} bytes exceeds the cap of ${max} (maxMessageBytes)`;
  return {
    name: 'CByteArray',
    headerMax: 14,
    write(w, v) {
      if (typeof v === 'string') {
        // Decoded straight into the archive buffer: no intermediate copy of a large array.
        if (!isBase64(v)) return expected('base64 bytes (CByteArray)', v);
        const n = Buffer.byteLength(v, 'base64');
        if (n > max) throw validationError(tooMany(n));
        writeCount(w, n, escape64);
        w.ensure(n);
        w.pos += w.buf.write(v, w.pos, n, 'base64');
        return;
      }
      if (v instanceof Utf8Text) {
        // Base64 still in the request's bytes: decoded from them, never made one long string.
        if (!isBase64Bytes(v.bytes)) return expected('base64 bytes (CByteArray)', v);
        const n = base64Length(v.bytes);
        if (n > max) throw validationError(tooMany(n));
        writeCount(w, n, escape64);
        w.ensure(n);
        w.pos += decodeBase64Bytes(v.bytes, w.buf, w.pos);
        return;
      }
      if (!(v instanceof Uint8Array)) return expected('base64 bytes (CByteArray)', v);
      if (v.length > max) throw validationError(tooMany(v.length));
      writeCount(w, v.length, escape64);
      w.bytes(v);
    },
    read(r) {
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
    schema: Type.String({ contentEncoding: 'base64', description: 'CByteArray bytes, base64' }),
    example: 'AQID',
  };
}
