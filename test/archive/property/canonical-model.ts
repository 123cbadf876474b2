/**
 * The model's canonical JSON (SPEC §2 "Canonical and lossless JSON"), computed from the lossless
 * value a random message decodes to: one plain shape per MFC type — strings as Windows converts
 * them, booleans, ISO times, plain numbers (-0 as 0, every NaN "NaN"), null for OLE values whose
 * status is not valid, `vt` names. Written from SPEC §2 and the format document, not from the codec.
 */
import { codePage } from '../../../src/archive/index.js';
import type { Model, Ty } from './arbitraries.js';
import { eachField } from './field-rules.js';
import { VT } from './inputs.js';

type Json = Record<string, unknown>;

const VT_NAME = new Map(Object.entries(VT).map(([k, v]) => [v, k]));

function float(v: unknown): unknown {
  if (v === '-0') return 0;
  return typeof v === 'string' && v.startsWith('NaN') ? 'NaN' : v;
}

/** OLE DATE → ISO without zone, to the millisecond; null outside years 100–9999 or when special. */
function oleIso(date: unknown): string | null {
  if (typeof date !== 'number' || Math.abs(date) > 3_000_000) return null;
  const day = Math.trunc(date);
  // The fraction is the time of day, counted forward from midnight even before 1899-12-30.
  const t = (day - 25569) * 86_400_000 + Math.round(Math.abs(date - day) * 86_400_000);
  const iso = new Date(t).toISOString();
  if (iso.length !== 24 || iso < '0100') return null;
  return iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23);
}

function valid(o: Json): boolean {
  return o.status === 'valid' || o.status === 0;
}

function narrowText(cp: number, text: string): string {
  return codePage(cp).decodeAsWindows(codePage(cp).encode(text)!);
}

function variant(v: Json): Json {
  const vt = typeof v.vt === 'number' ? (VT_NAME.get(v.vt) ?? `VT_${v.vt}`) : (v.vt as string);
  if (!('value' in v) && !('bytes' in v)) return { vt };
  if ('bytes' in v) {
    const raw = Buffer.from(v.bytes as string, 'base64');
    return { vt, value: raw.toString('utf16le', 0, raw.length - (raw.length % 2)) };
  }
  const x = v.value;
  switch (vt) {
    case 'VT_BOOL': return { vt, value: x !== false && x !== 0 };
    case 'VT_R4': case 'VT_R8': return { vt, value: float(x) };
    case 'VT_DATE': return { vt, value: typeof x === 'string' && !/^(NaN|-?Infinity|-0)/.test(x) ? x : (oleIso(float(x)) ?? float(x)) };
    default: return { vt, value: x };
  }
}

export function canonicalOf(m: Model, ty: Ty, v: unknown): unknown {
  switch (ty.k) {
    case 'f32': case 'f64': return float(v);
    case 'bool': return v !== false && v !== 0;
    case 'str': {
      if (typeof v === 'string') return ty.wide ? v : narrowText(ty.cp, v);
      const o = v as Json;
      if ('bytes' in o) return codePage(ty.cp).decodeAsWindows(Buffer.from(o.bytes as string, 'base64'));
      return o.unicode === false ? narrowText(ty.cp, o.text as string) : o.text;
    }
    case 'ctime': return typeof v === 'string' ? v : (v as Json).time;
    case 'oledt': return typeof v === 'string' ? v : valid(v as Json) ? oleIso(float((v as Json).date)) : null;
    case 'oledts': {
      const span = typeof v === 'object' && v !== null ? (valid(v as Json) ? (v as Json).span : null) : v;
      const f = float(span);
      return typeof f === 'number' ? f : null;
    }
    case 'cy': return typeof v === 'string' ? v : valid(v as Json) ? (v as Json).value : null;
    case 'variant': return variant(v as Json);
    case 'list': case 'fixed': return (v as unknown[]).map((e) => canonicalOf(m, ty.elem, e));
    case 'map': return (v as unknown[][]).map(([k, x]) => [canonicalOf(m, ty.key, k), canonicalOf(m, ty.value, x)]);
    case 'struct': return fields(m, m.types.get(ty.name)!.fields, v as Json, {});
    case 'object': {
      if (v === null || '$ref' in (v as Json)) return v;
      const o = v as Json;
      const t = [...m.types.values()].find((x) => x.cls?.name === o.$class)!;
      const out: Json = { $class: o.$class, $id: o.$id };
      if ('$schema' in o) out.$schema = o.$schema;
      return fields(m, t.fields, o, out);
    }
    default: return v;
  }
}

function fields(m: Model, list: Parameters<typeof eachField>[0], v: Json, out: Json): Json {
  eachField(list, v, (f, ty) => (out[f.name] = canonicalOf(m, ty, v[f.name])));
  return out;
}
