/**
 * `COleVariant` (format §5.3): WORD `vt`, then a payload whose form depends on `vt` and on the MFC
 * version (VT_I1, VT_UI2, VT_UI4, VT_I8, VT_UI8 from MFC 9). Types MFC does not serialize — by-ref,
 * arrays, unknown tags, and the extended types before MFC 9 — carry only the `vt` WORD, so their
 * JSON has no `value`. VT_DISPATCH and VT_UNKNOWN are followed by an object stream with no length,
 * which no reader can skip: they are refused both ways. Canonical JSON stays `{vt, value}` (SPEC
 * §2) with `vt` always a string (`"VT_8195"` for a type without a name) and the value canonical.
 */
import { Type } from 'typebox';
import type { ArchiveReader } from '../wire/archive-reader.js';
import type { ArchiveWriter } from '../wire/archive-writer.js';
import { fromBase64, toBase64 } from '../wire/base64.js';
import { decodeError, validationError } from '../errors.js';
import { DOUBLE, FLOAT, canonicalFloat } from './float-types.js';
import { BYTE, DWORD, LONG, LONGLONG, SHORT, ULONGLONG, WORD } from './integer-types.js';
import { currencyToString, isoToOleDate, oleDateToIso, oleDateToNearestIso, parseCurrency } from './ole-types.js';
import { readerOf } from './json-form.js';
import { expected, onlyKeys, type Primitive, type PrimitiveOptions } from './primitive.js';
import { plainText } from '../json/utf8-text.js';
import { ownEntry } from './own-key.js';

interface VariantPayload {
  /** Fixed payload size; undefined for BSTR (length-prefixed). */
  size?: number;
  write(w: ArchiveWriter, value: unknown): void;
  read(r: ArchiveReader): unknown;
  /** The canonical value, when it differs from `read`'s. */
  canonical?(r: ArchiveReader): unknown;
}

const VT: Record<string, number> = {
  VT_EMPTY: 0, VT_NULL: 1, VT_I2: 2, VT_I4: 3, VT_R4: 4, VT_R8: 5, VT_CY: 6, VT_DATE: 7, VT_BSTR: 8,
  VT_DISPATCH: 9, VT_ERROR: 10, VT_BOOL: 11, VT_VARIANT: 12, VT_UNKNOWN: 13, VT_DECIMAL: 14,
  VT_I1: 16, VT_UI1: 17, VT_UI2: 18, VT_UI4: 19, VT_I8: 20, VT_UI8: 21, VT_INT: 22, VT_UINT: 23,
};
const VT_NAMES: Record<number, string> = Object.fromEntries(Object.entries(VT).map(([k, v]) => [v, k]));
const VT_DISPATCH = 9;
const VT_UNKNOWN = 13;

const fromPrimitive = (p: Primitive): VariantPayload => ({ size: p.size, write: p.write, read: p.read, canonical: readerOf(p, 'canonical') });

/** `VT_I4` for a named type, `VT_<n>` for any other (a canonical `vt` is always a string). */
function vtName(vt: number): string {
  return VT_NAMES[vt] ?? `VT_${vt}`;
}

/** A `vt` given as a name (`VT_I4`, `VT_8195`) or a number. */
function vtFrom(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const named = ownEntry(VT, v);
  if (named !== undefined) return named;
  const m = /^VT_(0|[1-9][0-9]{0,4})$/.exec(v);
  return m === null ? undefined : Number(m[1]);
}

const NONE: VariantPayload = { size: 0, write() {}, read: () => undefined };

const CY: VariantPayload = {
  size: 8,
  write(w, v) {
    const n = parseCurrency(v);
    if (n === undefined) return expected('a decimal string with at most 4 decimals (VT_CY)', v);
    w.u64(n);
  },
  read: (r) => currencyToString(r.i64()),
};

const DATE: VariantPayload = {
  size: 8,
  write(w, v) {
    if (typeof v === 'string' && !/^(NaN|Infinity|-Infinity|-0|NaN:.*)$/.test(v)) {
      const d = isoToOleDate(v);
      if (d === undefined) return expected('an ISO-8601 date-time without zone or a DATE number (VT_DATE)', v);
      w.f64(d);
    } else DOUBLE.write(w, v);
  },
  read(r) {
    const d = DOUBLE.read(r);
    return (typeof d === 'number' && oleDateToIso(d)) || d;
  },
  canonical(r) {
    const d = r.f64();
    return oleDateToNearestIso(d) ?? canonicalFloat(d);
  },
};

const VBOOL: VariantPayload = {
  size: 2,
  write(w, v) {
    if (v === true) w.u16(0xffff);
    else if (v === false) w.u16(0);
    else WORD.write(w, v);
  },
  read(r) {
    const v = r.u16();
    return v === 0xffff ? true : v === 0 ? false : v;
  },
  canonical: (r) => r.u16() !== 0,
};

const I1: VariantPayload = {
  size: 1,
  write(w, v) {
    if (typeof v !== 'number' || !(v >= -128 && v <= 127) || v % 1 !== 0) expected('an integer from -128 to 127 (VT_I1)', v);
    w.u8(v);
  },
  read: (r) => r.i8(),
};

function payloads(extended: boolean): Map<number, VariantPayload> {
  const m = new Map<number, VariantPayload>([
    [0, NONE], [1, NONE], [2, fromPrimitive(SHORT)], [3, fromPrimitive(LONG)], [4, fromPrimitive(FLOAT)],
    [5, fromPrimitive(DOUBLE)], [6, CY], [7, DATE], [10, fromPrimitive(LONG)], [11, VBOOL], [17, fromPrimitive(BYTE)],
  ]);
  if (extended) {
    m.set(16, I1).set(18, fromPrimitive(WORD)).set(19, fromPrimitive(DWORD));
    m.set(20, fromPrimitive(LONGLONG)).set(21, fromPrimitive(ULONGLONG));
  }
  return m;
}

const WHAT = '{"vt": "VT_…" or a number, "value": …}';

export function variantType(o: PrimitiveOptions): Primitive {
  const table = payloads(o.flags.variantExtended);
  const maxBytes = o.limits.maxStringLength * 2;
  const refuse = (vt: number) =>
    `${VT_NAMES[vt]} cannot be carried: MFC follows it with the object's own stream and no length (format §5.3)`;
  const read = (r: ArchiveReader, canonical: boolean): unknown => {
    const at = r.offset;
    const vt = r.u16();
    const name = canonical ? vtName(vt) : (VT_NAMES[vt] ?? vt);
    if (vt === VT_DISPATCH || vt === VT_UNKNOWN) throw decodeError('generic', refuse(vt), at, 'a COleVariant');
    if (vt === 8) {
      const n = r.u32();
      if (n > maxBytes) throw decodeError('limit', `a VT_BSTR of ${n} bytes exceeds maxStringLength`, at, 'COleVariant');
      const start = r.pos;
      r.skip(n);
      // An odd byte count is not UTF-16: lossless JSON keeps the bytes; canonical, the whole characters.
      return n % 2 === 0 || canonical
        ? { vt: name, value: r.buf.toString('utf16le', start, start + n - (n % 2)) }
        : { vt: name, bytes: toBase64(r.buf.subarray(start, start + n)) };
    }
    const payload = table.get(vt);
    if (payload === undefined || payload === NONE) return { vt: name };
    return { vt: name, value: canonical && payload.canonical !== undefined ? payload.canonical(r) : payload.read(r) };
  };
  return {
    name: 'COleVariant',
    headerMax: 6,
    write(w, v) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return expected(WHAT, v);
      const form = v as { vt?: unknown; value?: unknown; bytes?: unknown };
      onlyKeys(form, ['vt', 'value', 'bytes'], 'a COleVariant');
      const vtIn = form.vt;
      const value = plainText(form.value);
      const bytes = plainText(form.bytes);
      const vt = vtFrom(vtIn);
      if (typeof vt !== 'number' || vt % 1 !== 0 || vt < 0 || vt > 0xffff) return expected(`"vt" to be a VT_ name or a WORD`, vtIn);
      if (vt === VT_DISPATCH || vt === VT_UNKNOWN) throw validationError(refuse(vt));
      // "bytes" is the lossless form of a VT_BSTR alone: anywhere else one of the two would be lost.
      if (bytes !== undefined && (vt !== 8 || value !== undefined)) {
        const why = vt === 8 ? 'a VT_BSTR takes "value" (text) or "bytes" (base64), not both' : `"bytes" holds a VT_BSTR's raw bytes; ${vtName(vt)} takes "value"`;
        throw validationError(why, '/bytes');
      }
      w.u16(vt);
      if (vt === 8) {
        const raw = typeof bytes === 'string' ? fromBase64(bytes) : typeof value === 'string' ? Buffer.from(value, 'utf16le') : null;
        if (raw === null) return expected('"value" to be a string (or "bytes" base64) for VT_BSTR', value ?? bytes);
        w.u32(raw.length);
        w.bytes(raw);
        return;
      }
      const payload = table.get(vt);
      if (payload === undefined || payload === NONE) {
        // MFC writes nothing after vt for these; a value would be lost silently, so refuse it.
        if (value !== undefined) {
          throw validationError(`${VT_NAMES[vt] ?? `vt ${vt}`} carries no value in this MFC version's COleVariant; remove "value"`);
        }
        return;
      }
      payload.write(w, value);
    },
    read: (r) => read(r, false),
    readCanonical: (r) => read(r, true),
    measure(r) {
      const at = r.offset;
      const vt = r.u16();
      if (vt === VT_DISPATCH || vt === VT_UNKNOWN) throw decodeError('generic', refuse(vt), at, 'a COleVariant');
      if (vt === 8) {
        const n = r.u32();
        if (n > maxBytes) throw decodeError('limit', `a VT_BSTR of ${n} bytes exceeds maxStringLength`, at, 'COleVariant');
        return 6 + n;
      }
      return 2 + (table.get(vt)?.size ?? 0);
    },
    schema: Type.Object(
      {
        vt: Type.Union([Type.String({ pattern: '^VT_[A-Z0-9]+$' }), Type.Integer({ minimum: 0, maximum: 0xffff })]),
        value: Type.Optional(Type.Unknown()),
        bytes: Type.Optional(Type.String({ contentEncoding: 'base64' })),
      },
      { additionalProperties: false, description: 'COleVariant: {"vt": "VT_I4", "value": 42}' },
    ),
    canonicalSchema: Type.Object(
      { vt: Type.String({ pattern: '^VT_[A-Z0-9]+$' }), value: Type.Optional(Type.Unknown()) },
      { additionalProperties: false, description: 'COleVariant: {"vt": "VT_I4", "value": 42}; "vt" is "VT_<n>" for a type without a name' },
    ),
    example: { vt: 'VT_I4', value: 42 },
  };
}
