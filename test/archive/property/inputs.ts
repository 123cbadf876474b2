/**
 * The other input forms SPEC §2 accepts beside the canonical one: 64-bit integers as safe numbers,
 * `char` as a signed value, booleans as 0/1, `{text, unicode}` strings, CTime as seconds or with a
 * zone offset, statuses as numbers, `vt` as a number, BSTR as bytes, upper-case or braced GUIDs,
 * byte arrays as Uint8Array, objects without `$id`/`$class`, back-references by label or by identity
 * (MFC keys objects by address). Every rewrite must encode to the same bytes as the canonical value.
 */
import type { Draw, Model, Ty } from './arbitraries.js';
import { eachField } from './field-rules.js';

type Json = Record<string, unknown>;

const STATUS: Record<string, number> = { valid: 0, invalid: 1, null: 2, error: -1 };
export const VT: Record<string, number> = {
  VT_EMPTY: 0, VT_NULL: 1, VT_I2: 2, VT_I4: 3, VT_R4: 4, VT_R8: 5, VT_CY: 6, VT_DATE: 7, VT_BSTR: 8,
  VT_ERROR: 10, VT_BOOL: 11, VT_VARIANT: 12, VT_DECIMAL: 14, VT_I1: 16, VT_UI1: 17, VT_UI2: 18, VT_UI4: 19,
  VT_I8: 20, VT_UI8: 21, VT_INT: 22, VT_UINT: 23,
};

export interface InputOptions {
  /** Also use forms that are valid JavaScript input but not JSON-Schema-valid JSON. */
  js: boolean;
  /** Keep every `$id` (messages after the first on a connection-long archive: indices are not local). */
  keepIds?: boolean;
}

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** The same instant as `iso` (UTC, whole seconds): as seconds, with "+00:00", ".000Z" or a zone offset. */
function altTime(d: Draw, t: unknown): unknown {
  if (typeof t === 'string' && /^-?\d+$/.test(t)) return Number.isSafeInteger(Number(t)) && d.chance(0.5) ? Number(t) : t;
  if (typeof t !== 'string' || !ISO_Z.test(t)) return t;
  const s = Date.parse(t) / 1000;
  switch (d.int(0, 5)) {
    case 0: return s;
    case 1: return t.replace('Z', '+00:00');
    case 2: return t.replace('Z', '.000Z');
    case 3: {
      const off = d.int(-48, 56) * 15; // minutes east of UTC
      const local = new Date((s + off * 60) * 1000).toISOString().slice(0, 19);
      const year = Number(local.slice(0, 4));
      if (year < 1000 || year > 9998 || local.startsWith('-') || local.startsWith('+')) return t;
      const a = Math.abs(off);
      return `${local}${off < 0 ? '-' : '+'}${two(Math.floor(a / 60))}:${two(a % 60)}`;
    }
    default: return t;
  }
}

function altCurrency(d: Draw, v: unknown): unknown {
  if (typeof v !== 'string' || !d.chance(0.3)) return v;
  const decimals = v.includes('.') ? v.length - v.indexOf('.') - 1 : 0;
  if (decimals === 0) return `${v}.0`;
  return decimals < 4 ? `${v}0` : v;
}

function altStatus(d: Draw, o: Json): Json {
  return typeof o.status === 'string' && d.chance(0.5) ? { ...o, status: STATUS[o.status] } : o;
}

export function toInput(d: Draw, m: Model, ty: Ty, value: unknown, opts: InputOptions): unknown {
  const byClass = new Map([...m.types.values()].filter((t) => t.cls).map((t) => [t.cls!.name, t]));
  const objects = new Map<number, Json>();
  const labels = new Map<number, unknown>();
  const stringLabels = opts.js && d.chance(0.3);

  const walk = (ty: Ty, v: unknown): unknown => {
    switch (ty.k) {
      case 'char': return (v as number) >= 128 && d.chance(0.3) ? (v as number) - 256 : v;
      case 'i64': return Number.isSafeInteger(Number(v)) && d.chance(0.3) ? Number(v) : v;
      case 'bool': return typeof v === 'boolean' && d.chance(0.2) ? Number(v) : v;
      case 'str':
        if (typeof v !== 'string') return v;
        return d.pick([v, v, { text: v }, { text: v, unicode: ty.wide }]);
      case 'ctime':
        if (typeof v === 'object' && v !== null) return { ...(v as Json), time: altTime(d, (v as Json).time) };
        return altTime(d, v);
      case 'span': return opts.js && d.chance(0.3) ? String(v) : v;
      case 'oledt':
        if (typeof v === 'object') return altStatus(d, v as Json);
        if ((v as string).endsWith('T00:00:00') && d.chance(0.3)) return (v as string).slice(0, 10);
        if (/T\d\d:\d\d:00$/.test(v as string) && d.chance(0.3)) return (v as string).slice(0, 16);
        return v;
      case 'oledts':
        if (typeof v === 'object' && v !== null) return altStatus(d, v as Json);
        return d.chance(0.2) ? { status: 'valid', span: v } : v;
      case 'cy':
        if (typeof v === 'object' && v !== null) return altStatus(d, { ...(v as Json), value: altCurrency(d, (v as Json).value) });
        return d.chance(0.2) ? { status: 'valid', value: v } : altCurrency(d, v);
      case 'variant': {
        const o = { ...(v as Json) };
        if (o.vt === 'VT_BSTR' && typeof o.value === 'string' && d.chance(0.3)) {
          o.bytes = Buffer.from(o.value, 'utf16le').toString('base64');
          delete o.value;
        }
        if (o.vt === 'VT_CY') o.value = altCurrency(d, o.value);
        if (typeof o.vt === 'string' && d.chance(0.3)) o.vt = VT[o.vt];
        return o;
      }
      case 'guid': {
        let g = v as string;
        if (d.chance(0.3)) g = g.toUpperCase();
        return d.chance(0.2) ? `{${g}}` : g;
      }
      case 'bytes': return opts.js && d.chance(0.3) ? new Uint8Array(Buffer.from(v as string, 'base64')) : v;
      case 'list': case 'fixed': return (v as unknown[]).map((e) => walk(ty.elem, e));
      case 'map': return (v as unknown[][]).map(([k, x]) => { const key = walk(ty.key, k); return [key, walk(ty.value, x)]; });
      case 'struct':
        return fields(m.types.get(ty.name)!.fields, v as Json, {});
      case 'object': {
        if (v === null) return null;
        const o = v as Json;
        if ('$ref' in o) {
          const id = o.$ref as number;
          if (opts.js && d.chance(0.4)) return objects.get(id)!; // the same object again, as MFC keys by address
          return { $ref: labels.has(id) ? labels.get(id) : id }; // by label, else by archive index
        }
        const id = o.$id as number;
        const out: Json = {};
        if (ty.types.length > 1 || d.chance(0.5)) out.$class = o.$class;
        if (opts.keepIds === true || d.chance(0.7)) {
          const label = stringLabels ? `obj-${id}` : id;
          out.$id = label;
          labels.set(id, label);
        }
        if ('$schema' in o) out.$schema = o.$schema;
        objects.set(id, out);
        return fields(byClass.get(o.$class as string)!.fields, o, out);
      }
      case 'raw': return opts.js && d.chance(0.3) ? new Uint8Array(Buffer.from(v as string, 'base64')) : v;
      default: return v;
    }
  };
  /** A struct's fields, each rewritten; a const or a count field the encoder fills in sometimes left out. */
  const fields = (list: Parameters<typeof eachField>[0], v: Json, out: Json): Json => {
    eachField(list, v, (f, fty) => {
      if ((f.constant !== undefined || f.countOf !== undefined) && d.chance(0.4)) return;
      out[f.name] = walk(fty, v[f.name]);
    });
    return out;
  };
  return walk(ty, value);
}
