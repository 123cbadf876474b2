/**
 * Values that a JSON Schema accepts, drawn from a seeded Rng: `$ref` (within a given root), enum,
 * const, allOf/anyOf/oneOf, types, string lengths, patterns and formats, numeric bounds (biased to
 * the bounds), arrays, objects with required, optional and additional properties. A hook sees each
 * (schema, path) first and may answer with a value of its own (hosts from the loopback pool, live
 * session names, message types and their values…).
 */
import type { Rng } from './prng.js';
import { stringForPattern } from './regex-gen.js';
import { asArray, asNumber, asObject, asSchema, isObject, isSchema, strings, type Json, type JsonObject, type Schema } from './json.js';
import { pointerGet } from './openapi-model.js';

export type Path = (string | number)[];

export interface Hook {
  (schema: JsonObject, path: Path, gen: Generator): { value: unknown } | undefined;
}

export interface GenOptions {
  /** Document that `#/…` references point into. */
  root: unknown;
  hook?: Hook;
  /** Past this depth, recursive choices take their shortest branch. */
  maxDepth?: number;
}

const FORMAT_SAMPLES: Record<string, (rng: Rng) => string> = {
  'date-time': (r) => new Date(Date.UTC(r.int(1971, 2037), r.int(0, 11), r.int(1, 28), r.int(0, 23), r.int(0, 59), r.int(0, 59))).toISOString().replace('.000', ''),
  date: (r) => `${r.int(1971, 2037)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`,
  time: (r) => `${String(r.int(0, 23)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}:00Z`,
  byte: (r) => r.bytes(r.weighted([[6, r.int(0, 16)], [2, r.int(17, 300)], [1, 0]])).toString('base64'),
  binary: (r) => r.bytes(r.int(0, 16)).toString('latin1'),
  uuid: (r) => [8, 4, 4, 4, 12].map((n) => r.bytes(n).toString('hex').slice(0, n)).join('-'),
  email: (r) => `u${r.int(0, 999)}@example.invalid`,
  uri: (r) => `http://example.invalid/${r.int(0, 999)}`,
  'uri-reference': (r) => `/x/${r.int(0, 999)}`,
  hostname: () => 'localhost',
  ipv4: () => '127.0.0.1',
  ipv6: () => '::1',
  duration: (r) => `PT${r.int(0, 99)}S`,
  regex: () => '^a+$',
};

const TEXT_POOLS: readonly string[] = [
  'abcdefghijklmnopqrstuvwxyz',
  'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ' -_.~!$&\'()*+,;=:@/?#[]{}"\\',
  'éèàçøß€£¥©®™°±µ¶·¼½¾',
  '日本語中文한국어',
  '😀🎉👍🏽',
];

export class Generator {
  readonly maxDepth: number;
  constructor(readonly rng: Rng, readonly options: GenOptions) {
    this.maxDepth = options.maxDepth ?? 6;
  }

  resolve(schema: Schema): Schema {
    let cur = schema;
    for (let i = 0; i < 32 && typeof cur === 'object'; i++) {
      const { $ref, ...rest } = cur;
      if (typeof $ref !== 'string' || !$ref.startsWith('#')) break;
      const target = pointerGet(this.options.root, $ref);
      if (!isSchema(target)) return rest;
      cur = Object.keys(rest).filter((k) => k !== 'description').length > 0 && typeof target === 'object' ? { ...target, ...rest } : target;
    }
    return cur;
  }

  /** A value `schema` accepts (most of the time: the caller validates and draws again if not). */
  value(schema: Schema | undefined, path: Path = []): unknown {
    if (schema === undefined || schema === true) return this.anyJson(path.length);
    if (schema === false) return undefined;
    const hooked = this.options.hook?.(schema, path, this);
    if (hooked !== undefined) return hooked.value;
    const s = this.resolve(schema);
    if (typeof s === 'boolean') return this.value(s, path);
    if (s !== schema && this.options.hook !== undefined) {
      const again = this.options.hook(s, path, this);
      if (again !== undefined) return again.value;
    }
    if ('const' in s) return s.const;
    const values = asArray(s.enum);
    if (values !== undefined) return this.rng.pick(values);
    const allOf = asArray(s.allOf);
    if (allOf !== undefined) {
      const merged = this.mergeAll([omit(s, 'allOf'), ...allOf.filter(isSchema).map((x) => this.resolve(x))]);
      return this.value(merged, path);
    }
    for (const k of ['anyOf', 'oneOf'] as const) {
      const branches = asArray(s[k])?.filter(isSchema) ?? [];
      if (branches.length > 0) {
        let branch = this.rng.pick(branches);
        if (path.length >= this.maxDepth) branch = this.shortest(branches);
        const rest = omit(s, k);
        const b = this.resolve(branch);
        return this.value(typeof b === 'object' && Object.keys(rest).some((x) => !['description', 'title', 'examples', 'example', 'default'].includes(x)) ? { ...rest, ...b } : b, path);
      }
    }
    let type = s.type;
    if (Array.isArray(type)) type = this.rng.pick(type);
    if (type === undefined) type = inferType(s);
    switch (type) {
      case 'string':
        return this.string(s);
      case 'integer':
        return this.number(s, true);
      case 'number':
        return this.number(s, false);
      case 'boolean':
        return this.rng.chance(0.5);
      case 'null':
        return null;
      case 'array':
        return this.array(s, path);
      case 'object':
        return this.object(s, path);
      default:
        return this.anyJson(path.length);
    }
  }

  private shortest(branches: Schema[]): Schema {
    // A branch that is a plain string or number ends the recursion.
    const flat = branches.find((b) => {
      const r = this.resolve(b);
      return typeof r === 'object' && typeof r.type === 'string' && ['string', 'integer', 'number', 'boolean'].includes(r.type);
    });
    return flat ?? branches[0]!;
  }

  private mergeAll(list: Schema[]): Schema {
    const out: JsonObject = {};
    for (const s of list) {
      if (typeof s !== 'object') continue;
      for (const [k, v] of Object.entries(s)) {
        if (k === 'properties') out.properties = { ...asObject(out.properties), ...asObject(v) };
        else if (k === 'required') out.required = [...new Set([...(asArray(out.required) ?? []), ...(asArray(v) ?? [])])];
        else out[k] = v;
      }
    }
    return out;
  }

  string(s: JsonObject): string {
    if (s.contentEncoding === 'base64' && s.pattern === undefined) return this.rng.bytes(this.rng.weighted([[6, this.rng.int(0, 16)], [1, this.rng.int(17, 600)]])).toString('base64');
    const min = asNumber(s.minLength) ?? 0;
    const max = asNumber(s.maxLength) ?? Math.max(min, 24);
    if (typeof s.format === 'string' && FORMAT_SAMPLES[s.format] !== undefined && s.pattern === undefined) return FORMAT_SAMPLES[s.format]!(this.rng);
    if (typeof s.pattern === 'string') {
      for (let i = 0; i < 8; i++) {
        const v = stringForPattern(this.rng, s.pattern, Math.min(max, 256));
        if (v !== null && v.length >= min && v.length <= max) return v;
      }
    }
    if (typeof s.format === 'string' && FORMAT_SAMPLES[s.format] !== undefined) return FORMAT_SAMPLES[s.format]!(this.rng);
    const len = this.rng.weighted([[5, this.rng.int(min, Math.min(max, min + 12))], [1, min], [1, Math.min(max, Math.max(min, 200))], [1, max === Infinity ? min + 64 : Math.min(max, 4096)]]);
    return this.text(len);
  }

  /** `n` characters from a mixed pool (ASCII mostly, some accented, CJK, astral). */
  text(n: number): string {
    const pool = this.rng.weighted([[6, TEXT_POOLS[0]!], [2, TEXT_POOLS[1]!], [1, TEXT_POOLS[2]!], [1, TEXT_POOLS[3]!], [1, TEXT_POOLS[4]!], [1, TEXT_POOLS[5]!]]);
    const chars = [...pool];
    let out = '';
    for (let i = 0; [...out].length < n && i < n * 2; i++) out += this.rng.pick(chars);
    return [...out].slice(0, n).join('');
  }

  number(s: JsonObject, integer: boolean): number {
    let lo = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + (integer ? 1 : 1e-9) : undefined;
    let hi = typeof s.maximum === 'number' ? s.maximum : typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum - (integer ? 1 : 1e-9) : undefined;
    if (integer) {
      if (lo !== undefined) lo = Math.ceil(lo);
      if (hi !== undefined) hi = Math.floor(hi);
    }
    const L = lo ?? (hi !== undefined ? Math.min(hi, 0) - 1000 : -1000);
    const H = hi ?? (lo !== undefined ? Math.max(lo, 0) + 1000 : 1000);
    const candidates: [number, number][] = [[6, integer ? this.rng.int(L, H) : L + this.rng.float() * (H - L)]];
    if (lo !== undefined) candidates.push([1, lo]);
    if (hi !== undefined) candidates.push([1, hi]);
    if (L <= 0 && H >= 0) candidates.push([1, 0]);
    if (lo === undefined || hi === undefined) candidates.push([1, integer ? this.rng.pick([2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1, 2 ** 53 - 1, -(2 ** 53 - 1)]) : this.rng.pick([1e300, -1e-300, 3.4028234663852886e38])]);
    let v = this.rng.weighted(candidates);
    if (lo !== undefined && v < lo) v = lo;
    if (hi !== undefined && v > hi) v = hi;
    if (typeof s.multipleOf === 'number' && s.multipleOf > 0) v = Math.round(v / s.multipleOf) * s.multipleOf;
    return v;
  }

  private array(s: JsonObject, path: Path): unknown[] {
    const min = asNumber(s.minItems) ?? 0;
    const max = asNumber(s.maxItems) ?? min + 4;
    const deep = path.length >= this.maxDepth;
    const n = deep ? min : this.rng.weighted([[6, this.rng.int(min, Math.min(max, min + 3))], [1, min], [1, Math.min(max, min + 8)]]);
    const out: unknown[] = [];
    const prefix = asArray(s.prefixItems) ?? [];
    for (let i = 0; i < n; i++) out.push(this.value(asSchema(i < prefix.length ? prefix[i] : s.items), [...path, i]));
    return out;
  }

  private object(s: JsonObject, path: Path): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const props = asObject(s.properties);
    const required = new Set(strings(asArray(s.required) ?? []));
    const deep = path.length >= this.maxDepth;
    for (const [k, ps] of Object.entries(props)) {
      if (required.has(k) || (!deep && this.rng.chance(0.5))) {
        const v = this.value(asSchema(ps), [...path, k]);
        if (v !== undefined) out[k] = v;
      }
    }
    for (const k of required) if (!(k in out) && !(k in props)) out[k] = this.anyJson(path.length + 1);
    const extra = s.additionalProperties;
    if (extra !== undefined && extra !== false && !deep) {
      const n = this.rng.weighted([[3, 1], [2, 2], [1, 0], [1, 3]]);
      for (let i = 0; i < n; i++) {
        const name = isObject(s.propertyNames) ? this.string(asObject(this.resolve(s.propertyNames))) : this.identifier();
        if (name in out) continue;
        const v = this.value(extra === true ? undefined : asSchema(extra), [...path, name]);
        if (v !== undefined) out[name] = v;
      }
    }
    const patterns = Object.entries(asObject(s.patternProperties));
    const minP = asNumber(s.minProperties) ?? 0;
    for (let i = 0; Object.keys(out).length < minP && i < 16; i++) {
      if (patterns.length > 0) {
        const [pattern, ps] = this.rng.pick(patterns);
        const name = stringForPattern(this.rng, pattern, 16) ?? this.identifier();
        out[name] = this.value(asSchema(ps), [...path, name]);
      } else out[this.identifier()] = this.anyJson(path.length + 1);
    }
    return out;
  }

  identifier(): string {
    const first = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_';
    const rest = `${first}0123456789`;
    let out = first[this.rng.int(0, first.length - 1)]!;
    const n = this.rng.int(2, 12);
    for (let i = 0; i < n; i++) out += rest[this.rng.int(0, rest.length - 1)];
    return out;
  }

  anyJson(depth = 0): Json {
    const kind = this.rng.int(0, depth > 3 ? 4 : 6);
    switch (kind) {
      case 0: return null;
      case 1: return this.rng.chance(0.5);
      case 2: return this.rng.int(-1000, 1000);
      case 3: return this.rng.float() * 1e6 - 5e5;
      case 4: return this.text(this.rng.int(0, 12));
      case 5: return Array.from({ length: this.rng.int(0, 3) }, () => this.anyJson(depth + 1));
      default: {
        const o: Record<string, Json> = {};
        for (let i = this.rng.int(0, 3); i > 0; i--) o[this.identifier()] = this.anyJson(depth + 1);
        return o;
      }
    }
  }
}

function omit(s: JsonObject, key: string): JsonObject {
  const { [key]: _drop, ...rest } = s;
  return rest;
}

function inferType(s: JsonObject): string | undefined {
  if (s.properties !== undefined || s.required !== undefined || s.additionalProperties !== undefined) return 'object';
  if (s.items !== undefined || s.prefixItems !== undefined || s.minItems !== undefined) return 'array';
  if (s.pattern !== undefined || s.minLength !== undefined || s.maxLength !== undefined || s.format !== undefined) return 'string';
  if (s.minimum !== undefined || s.maximum !== undefined) return 'number';
  return undefined;
}
