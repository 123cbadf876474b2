/**
 * `CString`, `CStringA`, `CStringW` (format §2). The JSON value is a plain string when the stream's
 * width is the field's declared width; otherwise `{text, unicode}` says which width the peer used,
 * and narrow bytes that do not decode reversibly in the code page stay `{bytes: base64}` — so
 * decoding then encoding reproduces the bytes exactly, as SPEC §2 promises.
 */
import { Type } from 'typebox';
import type { ArchiveReader } from '../wire/archive-reader.js';
import type { ArchiveWriter } from '../wire/archive-writer.js';
import { fromBase64, toBase64 } from '../wire/base64.js';
import type { CodePage } from './code-page.js';
import { decodeError, validationError } from '../errors.js';
import { expected, type Primitive, type PrimitiveOptions } from './primitive.js';
import { SHORT_MAX, shortLatin1, shortUtf16 } from '../wire/short-string.js';
import { readStringHeader, writeStringLength } from '../wire/string-length.js';
import { plainText, Utf8Text } from '../json/utf8-text.js';

const WHAT = 'a string, {"text": string, "unicode": boolean} or {"bytes": base64}';

function isAsciiOrLatin1(c: number, latin1High: boolean): boolean {
  return c < 0x80 || (latin1High && c >= 0xa0 && c <= 0xff);
}

/** Writes `text` narrow in `cp`; the common short ASCII case never leaves this loop. */
function writeNarrow(w: ArchiveWriter, text: string, cp: CodePage, escape64: boolean): void {
  const n = text.length;
  if (n < 0xff) {
    w.ensure(n + 1);
    const b = w.buf;
    const start = w.pos;
    let p = start + 1;
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (!isAsciiOrLatin1(c, cp.latin1High)) break;
      b[p++] = c;
    }
    if (i === n) {
      b[start] = n;
      w.pos = p;
      return;
    }
  } else {
    let i = 0;
    while (i < n && isAsciiOrLatin1(text.charCodeAt(i), cp.latin1High)) i++;
    if (i === n) {
      writeStringLength(w, n, false, escape64);
      w.ensure(n);
      w.pos += w.buf.write(text, w.pos, n, 'latin1');
      return;
    }
  }
  const bytes = cp.encode(text);
  if (bytes === null) {
    throw validationError(
      `the string cannot be represented in code page ${cp.id}; declare the field "unicode": true or set its "codePage"`,
    );
  }
  writeStringLength(w, bytes.length, false, escape64);
  w.bytes(bytes);
}

function writeWide(w: ArchiveWriter, text: string, escape64: boolean): void {
  const n = text.length;
  writeStringLength(w, n, true, escape64);
  w.ensure(n * 2);
  const b = w.buf;
  let p = w.pos;
  if (n < 64) {
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      b[p++] = c;
      b[p++] = c >>> 8;
    }
    w.pos = p;
  } else {
    w.pos += b.write(text, p, n * 2, 'utf16le');
  }
}

/** Node's own slicers, without `toString`'s argument checks (these ran once per string). */
interface FastSlices {
  latin1Slice(start: number, end: number): string;
  ucs2Slice(start: number, end: number): string;
}

/** Per code page: 1 for the bytes that are not their own Latin-1 code point. */
const tables = new WeakMap<CodePage, Uint8Array>();
function tableFor(cp: CodePage): Uint8Array {
  let t = tables.get(cp);
  if (t === undefined) {
    t = new Uint8Array(256);
    for (let c = 0x80; c < 256; c++) t[c] = isAsciiOrLatin1(c, cp.latin1High) ? 0 : 1;
    tables.set(cp, t);
  }
  return t;
}

function readNarrow(r: ArchiveReader, n: number, cp: CodePage, table: Uint8Array): string | null {
  const start = r.pos;
  r.skip(n);
  const buf = r.buf;
  const end = start + n;
  // OR-reduce first: pure ASCII (the usual case) needs no per-byte branch.
  let any = 0;
  for (let i = start; i < end; i++) any |= buf[i];
  if (any >= 0x80) {
    for (let i = start; i < end; i++) {
      if (table[buf[i]] !== 0) return cp.decode(buf.subarray(start, end));
    }
  }
  return n <= SHORT_MAX ? shortLatin1(buf, start, n) : (buf as unknown as FastSlices).latin1Slice(start, end);
}

function readWide(r: ArchiveReader, n: number): string {
  const start = r.pos;
  r.skip(n * 2);
  return n <= SHORT_MAX ? shortUtf16(r.buf, start, n) : (r.buf as unknown as FastSlices).ucs2Slice(start, start + n * 2);
}

function stringType(name: string, o: PrimitiveOptions, declaredWide: boolean): Primitive {
  const cp = o.codePage;
  const escape64 = o.flags.escape64;
  const qword = o.flags.mfc >= 7;
  const maxLength = o.limits.maxStringLength;
  const table = tableFor(cp);
  return {
    name,
    headerMax: 18,
    write(w, v) {
      let text: string;
      let wide = declaredWide;
      if (typeof v === 'string') {
        text = v;
      } else if (v instanceof Utf8Text) {
        text = v.toString(); // a long string still in the request's bytes (gateway/json-body.ts)
      } else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        const form = v as { text?: unknown; unicode?: unknown; bytes?: unknown };
        if (typeof form.bytes === 'string' || form.bytes instanceof Utf8Text) {
          const raw = fromBase64(form.bytes);
          if (raw === null) expected('canonical base64 in "bytes"', form.bytes);
          if (raw.length > maxLength) throw validationError(`the string exceeds ${maxLength} characters (maxStringLength)`);
          writeStringLength(w, raw.length, false, escape64);
          w.bytes(raw);
          return;
        }
        const formText = plainText(form.text);
        if (typeof formText !== 'string') expected(WHAT, v);
        if (form.unicode !== undefined && typeof form.unicode !== 'boolean') expected('"unicode" to be a boolean', form.unicode);
        text = formText;
        if (form.unicode !== undefined) wide = form.unicode;
      } else {
        return expected(WHAT, v);
      }
      if (text.length > maxLength) throw validationError(`the string exceeds ${maxLength} characters (maxStringLength)`);
      if (wide) writeWide(w, text, escape64);
      else writeNarrow(w, text, cp, escape64);
    },
    read(r) {
      // Fast path: a narrow string shorter than 255 has a 1-byte length.
      const p = r.pos;
      if (p < r.end && !declaredWide) {
        const n = r.buf[p];
        if (n < 0xff && n <= maxLength) {
          r.pos = p + 1;
          const text = readNarrow(r, n, cp, table);
          return text === null ? { bytes: toBase64(r.buf.subarray(p + 1, p + 1 + n)) } : text;
        }
      }
      const at = r.offset;
      const h = readStringHeader(r, qword);
      if (h.length > maxLength) {
        throw decodeError('limit', `a string of ${h.length} characters exceeds maxStringLength (${maxLength})`, at, name);
      }
      if (h.wide) {
        const text = readWide(r, h.length);
        return declaredWide ? text : { text, unicode: true };
      }
      const start = r.pos;
      const text = readNarrow(r, h.length, cp, table);
      if (text === null) return { bytes: toBase64(r.buf.subarray(start, start + h.length)) };
      return declaredWide ? { text, unicode: false } : text;
    },
    measure(r) {
      const start = r.pos;
      const h = readStringHeader(r, qword);
      if (h.length > maxLength) {
        throw decodeError('limit', `a string of ${h.length} characters exceeds maxStringLength (${maxLength})`, r.base + start, name);
      }
      return r.pos - start + h.length * (h.wide ? 2 : 1);
    },
    schema: Type.Union([
      Type.String(),
      Type.Object({ text: Type.String(), unicode: Type.Optional(Type.Boolean()) }),
      Type.Object({ bytes: Type.String({ contentEncoding: 'base64' }) }),
    ]),
    example: 'text',
  };
}

/** Plain `CString`: wide in Unicode builds or when the field says so (SPEC §2). */
export function cstringType(o: PrimitiveOptions): Primitive {
  return stringType('CString', o, o.wide);
}
export function cstringAType(o: PrimitiveOptions): Primitive {
  return stringType('CStringA', o, false);
}
export function cstringWType(o: PrimitiveOptions): Primitive {
  return stringType('CStringW', o, true);
}
