/**
 * Random JSON values for a model type (see arbitraries.ts), in three steps:
 * `genValue` draws a value in canonical form (the form decoding gives) with placeholder objects;
 * `finalize` walks it in stream order and numbers the objects as MFC does (one counter from 1 shared
 * by classes and objects, pre-order: format §4.2), resolving back-references; `toInput` rewrites the
 * canonical value into the other input forms SPEC §2 accepts, which must encode to the same bytes.
 */
import fc from 'fast-check';
import { alphabet, type Draw, type Model, type Ty } from './arbitraries.js';
import { drawStruct, eachField } from './field-rules.js';

/** A new object of a declared class type, before numbering. */
export class ObjNode {
  constructor(readonly type: string, readonly fields: Record<string, unknown>, readonly schema: number | undefined) {}
}

/** A back-reference to some earlier object allowed at this place (or null if there is none). */
export class RefNode {
  constructor(readonly pick: number) {}
}

type Json = Record<string, unknown>;

const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };

/** A double as JSON: numbers, and "NaN", "Infinity", "-Infinity", "-0", "NaN:<bits>" for the rest. */
function floatJson(d: Draw, wide: boolean): number | string {
  if (d.chance(0.08)) {
    const sign = d.chance(0.5) ? 0x80000000 : 0;
    if (wide) {
      const hi = (sign | 0x7ff00000 | d.int(0, 0xfffff)) >>> 0;
      const lo = d.int(0, 0xffffffff);
      if ((hi & 0xfffff) === 0 && lo === 0) return sign ? '-Infinity' : 'Infinity';
      const hex = hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
      return hex === '7ff8000000000000' ? 'NaN' : `NaN:${hex}`;
    }
    const bits = (sign | 0x7f800000 | d.int(1, 0x7fffff)) >>> 0;
    const hex = bits.toString(16).padStart(8, '0');
    return hex === '7fc00000' ? 'NaN' : `NaN:${hex}`;
  }
  const v = d.from(wide ? fc.double() : fc.float());
  if (Number.isNaN(v)) return 'NaN';
  if (Object.is(v, -0)) return '-0';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

export function isoSeconds(s: number): string {
  return `${new Date(s * 1000).toISOString().slice(0, 19)}Z`;
}

/** A COleDateTime-style ISO string without zone, years 100–9999, sometimes with milliseconds. */
function oleIso(d: Draw): string {
  const ms = d.int(-59011459200, 253402300799) * 1000 + (d.chance(0.3) ? d.int(1, 999) : 0);
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? iso.slice(0, 19) : iso.slice(0, 23);
}

/** A DATE double that no ISO string stands for (out of ±3 million days, or special). */
function oddDate(d: Draw): number | string {
  if (d.chance(0.5)) return d.pick(['NaN', 'Infinity', '-Infinity', '-0']);
  const v = d.from(fc.double({ min: 3_000_001, max: 1e300, noNaN: true }));
  return d.chance(0.5) ? -v : v;
}

export function currencyText(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const frac = a % 10000n;
  const text = `${a / 10000n}${frac === 0n ? '' : `.${frac.toString().padStart(4, '0').replace(/0+$/, '')}`}`;
  return neg ? `-${text}` : text;
}

function status(d: Draw): string | number {
  if (d.chance(0.75)) return d.pick(['invalid', 'null', 'error']);
  const n = d.int(-0x80000000, 0x7fffffff);
  return n >= -1 && n <= 2 ? 'null' : n;
}

function narrowText(d: Draw, cp: number, n: number): string {
  return d.from(fc.array(fc.constantFrom(...alphabet(cp).chars), { minLength: n, maxLength: n })).join('');
}

function wideText(d: Draw, n: number): string {
  const units = d.from(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: n, maxLength: n }));
  return String.fromCharCode(...units);
}

function textLength(d: Draw): number {
  return d.chance(0.05) ? d.int(250, 260) : d.int(0, 12);
}

function genString(d: Draw, ty: Extract<Ty, { k: 'str' }>): unknown {
  const bad = alphabet(ty.cp).bad;
  const roll = d.int(0, 9);
  if (roll === 9 && bad.length > 0) {
    // Narrow bytes that do not decode reversibly in the code page stay {bytes} (SPEC §2: lossless).
    const bytes = d.from(fc.uint8Array({ maxLength: 8 }));
    const at = d.int(0, bytes.length);
    const raw = Buffer.concat([bytes.subarray(0, at), Buffer.from([d.pick(bad)]), bytes.subarray(at)]);
    return { bytes: raw.toString('base64') };
  }
  const n = textLength(d);
  if (roll === 8) return ty.wide ? { text: narrowText(d, ty.cp, n), unicode: false } : { text: wideText(d, n), unicode: true };
  return ty.wide ? wideText(d, n) : narrowText(d, ty.cp, n);
}

function genCTime(d: Draw, marked: boolean): unknown {
  const int32 = () => {
    const s = d.int(-0x80000000, 0x7fffffff);
    return s === 0x8000000a - 2 ** 32 ? 0 : s; // those DWORD bits are the cTime64Mark itself
  };
  if (!marked) return isoSeconds(int32());
  const roll = d.int(0, 9);
  if (roll < 6) return isoSeconds(d.int(-62135596800, 253402300799)); // years 0001–9999
  if (roll < 8) {
    const far = d.chance(0.5) ? { min: INT64.min, max: -62167219201n } : { min: 253402300800n, max: INT64.max };
    return d.from(fc.bigInt(far)).toString();
  }
  return { time: isoSeconds(int32()), form: 'dword' };
}

const VT_SIMPLE = ['VT_EMPTY', 'VT_NULL', 'VT_VARIANT', 'VT_DECIMAL', 'VT_INT', 'VT_UINT'];
const VT_EXTENDED = ['VT_I1', 'VT_UI2', 'VT_UI4', 'VT_I8', 'VT_UI8'];
const VT_ALL = [...VT_SIMPLE, ...VT_EXTENDED, 'VT_I2', 'VT_I4', 'VT_R4', 'VT_R8', 'VT_CY', 'VT_DATE', 'VT_BSTR', 'VT_ERROR', 'VT_BOOL', 'VT_UI1', 'raw'];

function genVariant(d: Draw, ext: boolean): Json {
  const vt = d.pick(VT_ALL);
  if (VT_SIMPLE.includes(vt) || (!ext && VT_EXTENDED.includes(vt))) return { vt };
  switch (vt) {
    case 'raw': return { vt: d.pick([15, 24, 30, 0x2003, 0x4003, 0x6011, 0xfff, 0xffff]) }; // arrays, by-ref, unknown
    case 'VT_I1': return { vt, value: d.int(-128, 127) };
    case 'VT_UI1': return { vt, value: d.int(0, 255) };
    case 'VT_I2': return { vt, value: d.int(-0x8000, 0x7fff) };
    case 'VT_UI2': return { vt, value: d.int(0, 0xffff) };
    case 'VT_I4': case 'VT_ERROR': return { vt, value: d.int(-0x80000000, 0x7fffffff) };
    case 'VT_UI4': return { vt, value: d.int(0, 0xffffffff) };
    case 'VT_I8': return { vt, value: d.from(fc.bigInt(INT64)).toString() };
    case 'VT_UI8': return { vt, value: d.from(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })).toString() };
    case 'VT_R4': return { vt, value: floatJson(d, false) };
    case 'VT_R8': return { vt, value: floatJson(d, true) };
    case 'VT_CY': return { vt, value: currencyText(d.from(fc.bigInt(INT64))) };
    case 'VT_DATE': return { vt, value: d.chance(0.6) ? oleIso(d).slice(0, 19) : oddDate(d) };
    case 'VT_BOOL': return { vt, value: d.chance(0.7) ? d.chance(0.5) : d.int(1, 0xfffe) };
    case 'VT_BSTR': {
      if (d.chance(0.8)) return { vt, value: wideText(d, textLength(d)) };
      const odd = 1 + 2 * d.int(0, 4); // an odd byte count is not UTF-16: it stays {bytes}
      return { vt, bytes: Buffer.from(d.from(fc.uint8Array({ minLength: odd, maxLength: odd }))).toString('base64') };
    }
  }
  throw new Error(vt);
}

/** A canonical value of `ty`; `budget` bounds the number of list/map elements and objects. */
export function genValue(d: Draw, m: Model, ty: Ty, budget: { left: number }): unknown {
  const count = () => {
    const n = budget.left > 0 ? d.int(0, 3) : 0;
    budget.left -= n;
    return n;
  };
  switch (ty.k) {
    case 'int': return d.int(ty.min, ty.max);
    case 'char': return d.int(0, 255);
    case 'i64': return d.from(fc.bigInt(ty.signed ? INT64 : { min: 0n, max: 2n ** 64n - 1n })).toString();
    case 'f32': return floatJson(d, false);
    case 'f64': return floatJson(d, true);
    case 'bool':
      if (d.chance(0.85)) return d.chance(0.5);
      return ty.size === 1 ? d.int(2, 255) : d.pick([d.int(2, 0x7fffffff), d.int(-0x80000000, -1)]);
    case 'str': return genString(d, ty);
    case 'ctime': return genCTime(d, ty.marked);
    case 'span': return d.int(-0x80000000, 0x7fffffff);
    case 'oledt': {
      const roll = d.int(0, 9);
      if (roll < 6) return oleIso(d);
      return roll < 8 ? { status: status(d), date: floatJson(d, true) } : { status: 'valid', date: oddDate(d) };
    }
    case 'oledts': return d.chance(0.7) ? floatJson(d, true) : { status: status(d), span: floatJson(d, true) };
    case 'cy': {
      const value = currencyText(d.from(fc.bigInt(INT64)));
      return d.chance(0.8) ? value : { status: status(d), value };
    }
    case 'variant': return genVariant(d, ty.ext);
    case 'guid': {
      const h = Buffer.from(d.from(fc.uint8Array({ minLength: 16, maxLength: 16 }))).toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }
    case 'bytes': return Buffer.from(d.from(fc.uint8Array({ maxLength: d.chance(0.05) ? 400 : 24 }))).toString('base64');
    case 'geo': return Object.fromEntries(ty.fields.map((f) => [f, d.int(-0x80000000, 0x7fffffff)]));
    case 'list': return Array.from({ length: count() }, () => genValue(d, m, ty.elem, budget));
    case 'fixed': return Array.from({ length: ty.n }, () => genValue(d, m, ty.elem, budget));
    case 'map': return Array.from({ length: count() }, () => [genValue(d, m, ty.key, budget), genValue(d, m, ty.value, budget)]);
    case 'struct':
      return drawStruct(m.types.get(ty.name)!.fields, (x) => genValue(d, m, x, budget), d);
    case 'object': {
      if (ty.types.length === 0 || d.chance(0.15)) return null;
      if (budget.left <= 0 || d.chance(0.25)) return d.chance(0.7) ? new RefNode(d.int(0, 1000)) : null;
      budget.left--;
      const t = m.types.get(d.pick(ty.types))!;
      const schema = t.cls!.versionable && d.chance(0.4) ? d.int(0, 0xfffe) : undefined;
      return new ObjNode(t.name, drawStruct(t.fields, (x) => genValue(d, m, x, budget), d), schema);
    }
    case 'raw': {
      const n = ty.n ?? d.int(0, 6);
      return Buffer.from(d.from(fc.uint8Array({ minLength: n, maxLength: n }))).toString('base64');
    }
    case 'switch':
      return genValue(d, m, ty.cases[0]?.ty ?? ty.fallback!, budget);
  }
}

interface Numbering {
  next: number;
  classSchema: Map<string, number>;
  objects: { id: number; type: string }[];
}

/** Numbers objects in stream order and resolves back-references: the exact JSON decoding must give. */
export function finalize(m: Model, ty: Ty, raw: unknown, st: Numbering = { next: 1, classSchema: new Map(), objects: [] }): unknown {
  switch (ty.k) {
    case 'list': case 'fixed': return (raw as unknown[]).map((e) => finalize(m, ty.elem, e, st));
    case 'map': return (raw as unknown[][]).map(([k, v]) => { const key = finalize(m, ty.key, k, st); return [key, finalize(m, ty.value, v, st)]; });
    case 'struct': {
      const out: Json = {};
      eachField(m.types.get(ty.name)!.fields, raw as Json, (f, fty) => (out[f.name] = finalize(m, fty, (raw as Json)[f.name], st)));
      return out;
    }
    case 'object': {
      if (raw instanceof RefNode) {
        const allowed = st.objects.filter((o) => ty.types.includes(o.type));
        return allowed.length === 0 ? null : { $ref: allowed[raw.pick % allowed.length].id };
      }
      if (!(raw instanceof ObjNode)) return raw;
      const t = m.types.get(raw.type)!;
      const cls = t.cls!;
      if (!st.classSchema.has(cls.name)) {
        st.next++; // the class descriptor takes an index before the object
        st.classSchema.set(cls.name, raw.schema ?? cls.schema); // later objects reuse the stored schema
      }
      const out: Json = { $class: cls.name, $id: st.next++ };
      st.objects.push({ id: out.$id as number, type: t.name });
      const stored = st.classSchema.get(cls.name)!;
      if (stored !== cls.schema) out.$schema = stored;
      eachField(t.fields, raw.fields, (f, fty) => (out[f.name] = finalize(m, fty, raw.fields[f.name], st)));
      return out;
    }
    default: return raw;
  }
}
