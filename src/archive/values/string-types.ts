/**
 * `CString`, `CStringA`, `CStringW` (format §2). Canonical JSON: always a plain string (narrow
 * bytes the code page does not map converted as Windows does). Lossless JSON: a plain string when
 * the stream's width is the field's declared width; otherwise `{text, unicode}` says which width
 * the peer used, narrow bytes that do not decode reversibly in the code page stay `{bytes: base64}`,
 * and a length written longer than MFC writes adds `lengthForm` — so decoding then encoding
 * reproduces the bytes exactly, as SPEC §2 promises.
 */
import { Type } from 'typebox';
import type { ArchiveReader } from '../wire/archive-reader.js';
import type { ArchiveWriter } from '../wire/archive-writer.js';
import { fromBase64, toBase64 } from '../wire/base64.js';
import type { CodePage } from './code-page.js';
import { decodeError, validationError } from '../errors.js';
import { expected, onlyKeys, type Primitive, type PrimitiveOptions } from './primitive.js';
import { SHORT_MAX, shortLatin1, shortUtf16 } from '../wire/short-string.js';
import { lengthFormOf, readStringHeader, writeStringLength, writeStringLengthAs, type StringHeader } from '../wire/string-length.js';
import { LENGTH_FORMS, widthForm, widthFormSchema, type WidthForm } from '../wire/width-form.js';
import { plainText, Utf8Text } from '../json/utf8-text.js';

const TEXT_KEYS = ['text', 'unicode', 'lengthForm'];
const BYTES_KEYS = ['bytes', 'lengthForm'];
const WHAT = 'a string, {"text": string, "unicode": boolean, "lengthForm"?} or {"bytes": base64, "lengthForm"?}';

function isAsciiOrLatin1(c: number, latin1High: boolean): boolean {
  return c < 0x80 || (latin1High && c >= 0xa0 && c <= 0xff);
}

/** The length prefix: as MFC writes it, or in the form a lossless value names. */
function writeLength(w: ArchiveWriter, n: number, wide: boolean, escape64: boolean, form: WidthForm | undefined, qword: boolean): void {
  if (form === undefined) writeStringLength(w, n, wide, escape64);
  else writeStringLengthAs(w, n, wide, form, qword);
}

/**
 * Writes `text` narrow in `cp`; the common short ASCII case never leaves this loop. `maxLength` caps
 * its bytes, as the reader does: a code page of several bytes a character (932, 65001) makes more
 * bytes than characters, and the reader would refuse what was written.
 */
function writeNarrow(w: ArchiveWriter, text: string, cp: CodePage, maxLength: number, escape64: boolean, form?: WidthForm, qword = true): void {
  const n = text.length;
  if (n < 0xff && form === undefined) {
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
      writeLength(w, n, false, escape64, form, qword);
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
  if (bytes.length > maxLength) {
    throw validationError(`the string takes ${bytes.length} bytes in code page ${cp.id}, more than ${maxLength} (maxStringLength)`);
  }
  writeLength(w, bytes.length, false, escape64, form, qword);
  w.bytes(bytes);
}

function writeWide(w: ArchiveWriter, text: string, escape64: boolean, form?: WidthForm, qword = true): void {
  const n = text.length;
  writeLength(w, n, true, escape64, form, qword);
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

/**
 * Narrow text: the bytes' own Latin-1 code points when the code page agrees (the usual case), else
 * the code page's decoding — strict for lossless JSON (null when it does not encode back to the
 * bytes), as Windows converts for canonical JSON.
 */
function readNarrow(r: ArchiveReader, n: number, cp: CodePage, table: Uint8Array, canonical = false): string | null {
  const start = r.pos;
  r.skip(n);
  const buf = r.buf;
  const end = start + n;
  // OR-reduce first: pure ASCII (the usual case) needs no per-byte branch.
  let any = 0;
  for (let i = start; i < end; i++) any |= buf[i];
  if (any >= 0x80) {
    for (let i = start; i < end; i++) {
      if (table[buf[i]] !== 0) return canonical ? cp.decodeAsWindows(buf.subarray(start, end)) : cp.decode(buf.subarray(start, end));
    }
  }
  return n <= SHORT_MAX ? shortLatin1(buf, start, n) : (buf as unknown as FastSlices).latin1Slice(start, end);
}

function readWide(r: ArchiveReader, n: number): string {
  const start = r.pos;
  r.skip(n * 2);
  return n <= SHORT_MAX ? shortUtf16(r.buf, start, n) : (r.buf as unknown as FastSlices).ucs2Slice(start, start + n * 2);
}

/** A lossless object form: `{text, unicode}` or `{bytes}`, plus `lengthForm` when the length was long. */
function losslessForm(h: StringHeader, base: Record<string, unknown>): Record<string, unknown> {
  const form = lengthFormOf(h);
  if (form !== undefined) base.lengthForm = form;
  return base;
}

function stringType(name: string, o: PrimitiveOptions, declaredWide: boolean): Primitive {
  const cp = o.codePage;
  const escape64 = o.flags.escape64;
  const qword = o.flags.mfc >= 7;
  const maxLength = o.limits.maxStringLength;
  const table = tableFor(cp);
  const tooLong = (length: number, at: number) =>
    decodeError('limit', `a string of ${length} characters exceeds maxStringLength (${maxLength})`, at, name);
  /** The header of a string that is not a short narrow one, checked against the cap. */
  const header = (r: ArchiveReader): StringHeader => {
    const at = r.offset;
    const h = readStringHeader(r, qword);
    if (h.length > maxLength) throw tooLong(h.length, at);
    return h;
  };
  const lengthSchema = widthFormSchema(LENGTH_FORMS, 'length prefix');
  const objectForms = [
    Type.Object({ text: Type.String(), unicode: Type.Optional(Type.Boolean()), lengthForm: Type.Optional(lengthSchema) }, { additionalProperties: false }),
    Type.Object({ bytes: Type.String({ contentEncoding: 'base64' }), lengthForm: Type.Optional(lengthSchema) }, { additionalProperties: false }),
  ];
  return {
    name,
    headerMax: 18,
    write(w, v) {
      let text: string;
      let wide = declaredWide;
      let form: WidthForm | undefined;
      if (typeof v === 'string') {
        text = v;
      } else if (v instanceof Utf8Text) {
        text = v.toString(); // a long string still in the request's bytes (gateway/json-body.ts)
      } else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        const given = v as { text?: unknown; unicode?: unknown; bytes?: unknown; lengthForm?: unknown };
        if (!('text' in given) && !('bytes' in given)) return expected(WHAT, v);
        onlyKeys(given, 'bytes' in given ? BYTES_KEYS : TEXT_KEYS, 'a string object form');
        if (given.lengthForm !== undefined) form = widthForm(given.lengthForm, LENGTH_FORMS, 'lengthForm');
        if (typeof given.bytes === 'string' || given.bytes instanceof Utf8Text) {
          const raw = fromBase64(given.bytes);
          if (raw === null) expected('canonical base64 in "bytes"', given.bytes);
          if (raw.length > maxLength) throw validationError(`the string exceeds ${maxLength} characters (maxStringLength)`);
          if (form === undefined) writeStringLength(w, raw.length, false, escape64);
          else writeStringLengthAs(w, raw.length, false, form, qword);
          w.bytes(raw);
          return;
        }
        const formText = plainText(given.text);
        if (typeof formText !== 'string') expected(WHAT, v);
        if (given.unicode !== undefined && typeof given.unicode !== 'boolean') expected('"unicode" to be a boolean', given.unicode);
        text = formText;
        if (given.unicode !== undefined) wide = given.unicode;
      } else {
        return expected(WHAT, v);
      }
      if (text.length > maxLength) throw validationError(`the string exceeds ${maxLength} characters (maxStringLength)`);
      if (wide) writeWide(w, text, escape64, form, qword);
      else writeNarrow(w, text, cp, maxLength, escape64, form, qword);
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
      const h = header(r);
      if (h.wide) {
        const text = readWide(r, h.length);
        if (declaredWide && lengthFormOf(h) === undefined) return text;
        return losslessForm(h, declaredWide ? { text } : { text, unicode: true });
      }
      const start = r.pos;
      const text = readNarrow(r, h.length, cp, table);
      if (text === null) return losslessForm(h, { bytes: toBase64(r.buf.subarray(start, start + h.length)) });
      if (!declaredWide && lengthFormOf(h) === undefined) return text;
      return losslessForm(h, declaredWide ? { text, unicode: false } : { text });
    },
    readCanonical(r) {
      const p = r.pos;
      const h: StringHeader | undefined = p < r.end && r.buf[p] < 0xff && r.buf[p] <= maxLength ? undefined : header(r);
      if (h === undefined) r.pos = p + 1;
      const n = h === undefined ? r.buf[p] : h.length;
      if (h !== undefined && h.wide) return readWide(r, n);
      return readNarrow(r, n, cp, table, true)!;
    },
    measure(r) {
      const start = r.pos;
      const at = r.offset;
      const h = readStringHeader(r, qword);
      if (h.length > maxLength) throw tooLong(h.length, at);
      return r.pos - start + h.length * (h.wide ? 2 : 1);
    },
    schema: Type.Union([Type.String(), ...objectForms]),
    canonicalSchema: Type.String(),
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
