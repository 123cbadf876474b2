/**
 * `COleDateTime`, `COleDateTimeSpan`, `COleCurrency` (format §5.2): a LONG status, then the value.
 * Lossless JSON: a valid COleDateTime is an ISO-8601 string without zone when that string converts
 * back to the very same DATE double; anything else keeps its exact numbers as `{status, date}`.
 * Canonical JSON (SPEC §2): an ISO string (to the millisecond), a number of days, a decimal string —
 * or null when the status is not valid. Encoders take both, null writing the `null` status.
 */
import { Type } from 'typebox';
import type { ArchiveWriter } from '../wire/archive-writer.js';
import { DOUBLE, canonicalFloat } from './float-types.js';
import { expected, onlyKeys, type Primitive } from './primitive.js';
import { ownEntry } from './own-key.js';

/** COleDateTime status values (format §5.2; -1 is the ATL-era `error`). */
const STATUS_NAMES: Record<number, string> = { 0: 'valid', 1: 'invalid', 2: 'null', [-1]: 'error' };
const STATUS_VALUES: Record<string, number> = { valid: 0, invalid: 1, null: 2, error: -1 };

function statusToJson(s: number): string | number {
  return STATUS_NAMES[s] ?? s;
}

function statusFromJson(v: unknown): number {
  const named = typeof v === 'string' ? ownEntry(STATUS_VALUES, v) : undefined;
  if (named !== undefined) return named;
  if (typeof v === 'number' && v % 1 === 0 && v >= -0x80000000 && v <= 0x7fffffff) return v;
  return expected('"status" to be "valid", "invalid", "null", "error" or a LONG', v);
}

const statusSchema = Type.Union([
  Type.Union(['valid', 'invalid', 'null', 'error'].map((s) => Type.Literal(s))),
  Type.Integer({ minimum: -0x80000000, maximum: 0x7fffffff }),
]);

/** Days between the OLE epoch 1899-12-30 and 1970-01-01. */
const EPOCH_DAYS = 25569;
const DAY_MS = 86_400_000;
const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/** OLE DATE from an ISO-8601 date-time without zone; undefined when malformed or out of 100–9999. */
export function isoToOleDate(s: string): number | undefined {
  const m = ISO_LOCAL.exec(s);
  if (m === null) return undefined;
  const [y, mo, d, h = 0, mi = 0, sec = 0] = m.slice(1, 7).map((x) => (x === undefined ? 0 : Number(x)));
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  if (y < 100) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
  const back = new Date(t);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59) return undefined;
  const days = Math.floor(t / DAY_MS);
  const frac = (t - days * DAY_MS) / DAY_MS;
  const ole = days + EPOCH_DAYS;
  // Before the epoch the fraction still counts forward from midnight: -1.25 is 1899-12-29 06:00.
  return ole >= 0 ? ole + frac : ole - frac;
}

/** ISO-8601 without zone for a DATE, to the nearest millisecond; undefined outside years 100–9999. */
export function oleDateToNearestIso(date: number): string | undefined {
  if (!Number.isFinite(date) || Math.abs(date) > 3_000_000) return undefined;
  const day = Math.trunc(date);
  const frac = Math.abs(date - day);
  const t = (day - EPOCH_DAYS) * DAY_MS + Math.round(frac * DAY_MS);
  const iso = new Date(t).toISOString();
  if (iso.length !== 24 || iso < '0100') return undefined;
  return iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23);
}

/** ISO-8601 without zone for a DATE, only when it converts back to exactly the same double. */
export function oleDateToIso(date: number): string | undefined {
  const iso = oleDateToNearestIso(date);
  if (iso === undefined) return undefined;
  const back = isoToOleDate(iso);
  return back !== undefined && Object.is(back, date) ? iso : undefined;
}

/** A canonical `null`: the `null` status (2) and a zero value. */
function writeNullStatus(w: ArchiveWriter, valueBytes: 8): void {
  w.u32(2);
  for (let i = 0; i < valueBytes; i += 4) w.u32(0);
}

/** The schema of a canonical value that is null when its status is not valid (one node, two types). */
function orNull(schema: Record<string, unknown>) {
  return Type.Unsafe({ ...schema, type: [schema.type as string, 'null'] });
}

function readStatusAndDouble(r: Parameters<Primitive['read']>[0]): [number, unknown] {
  const status = r.i32();
  return [status, DOUBLE.read(r)];
}

export const COLEDATETIME: Primitive = {
  name: 'COleDateTime',
  size: 12,
  write(w, v) {
    if (v === null) return writeNullStatus(w, 8);
    if (typeof v === 'string') {
      const date = isoToOleDate(v);
      if (date === undefined) expected('an ISO-8601 date-time without zone, years 100–9999 ("2000-01-01T00:00:00")', v);
      w.u32(0);
      w.f64(date);
      return;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      return expected('an ISO-8601 string, null or {"status", "date"}', v);
    }
    onlyKeys(v, ['status', 'date'], 'a COleDateTime object form');
    const { status, date } = v as { status?: unknown; date?: unknown };
    w.u32(statusFromJson(status));
    DOUBLE.write(w, date);
  },
  read(r) {
    const [status, date] = readStatusAndDouble(r);
    if (status === 0 && typeof date === 'number') {
      const iso = oleDateToIso(date);
      if (iso !== undefined) return iso;
    }
    return { status: statusToJson(status), date };
  },
  readCanonical(r) {
    const status = r.i32();
    const date = r.f64();
    return status === 0 ? (oleDateToNearestIso(date) ?? null) : null;
  },
  schema: Type.Union([
    Type.Null({ description: 'not valid: written with the null status' }),
    Type.String({ description: 'ISO-8601 without zone', examples: ['2000-01-01T00:00:00'] }),
    Type.Object({ status: statusSchema, date: DOUBLE.schema }),
  ]),
  losslessSchema: Type.Union([
    Type.String({ description: 'ISO-8601 without zone', examples: ['2000-01-01T00:00:00'] }),
    Type.Object({ status: statusSchema, date: DOUBLE.schema }, { additionalProperties: false }),
  ]),
  canonicalSchema: orNull({ type: 'string', description: 'ISO-8601 without zone, to the millisecond; null when not valid (status, or outside years 100–9999)' }),
  example: '2000-01-01T00:00:00',
};

export const COLEDATETIMESPAN: Primitive = {
  name: 'COleDateTimeSpan',
  size: 12,
  write(w, v) {
    if (v === null) return writeNullStatus(w, 8);
    if (typeof v === 'object' && !Array.isArray(v)) {
      onlyKeys(v, ['status', 'span'], 'a COleDateTimeSpan object form');
      const { status, span } = v as { status?: unknown; span?: unknown };
      w.u32(statusFromJson(status));
      DOUBLE.write(w, span);
      return;
    }
    w.u32(0);
    DOUBLE.write(w, v);
  },
  read(r) {
    const [status, span] = readStatusAndDouble(r);
    return status === 0 ? span : { status: statusToJson(status), span };
  },
  readCanonical(r) {
    const status = r.i32();
    const span = canonicalFloat(r.f64());
    return status === 0 && typeof span === 'number' ? span : null;
  },
  schema: Type.Union([Type.Null(), DOUBLE.schema, Type.Object({ status: statusSchema, span: DOUBLE.schema })]),
  losslessSchema: Type.Union([DOUBLE.schema, Type.Object({ status: statusSchema, span: DOUBLE.schema }, { additionalProperties: false })]),
  canonicalSchema: orNull({ type: 'number', description: 'days; null when not valid' }),
  example: 1.5,
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const CURRENCY = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]{1,4}))?$/;

export function currencyToString(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  let s = (a / 10000n).toString();
  const frac = a % 10000n;
  if (frac !== 0n) s += `.${frac.toString().padStart(4, '0').replace(/0+$/, '')}`;
  return neg ? `-${s}` : s;
}

export function parseCurrency(v: unknown): bigint | undefined {
  const text = typeof v === 'number' && Number.isFinite(v) ? String(v) : v;
  if (typeof text !== 'string' || text.length > 26) return undefined;
  const m = CURRENCY.exec(text);
  if (m === null) return undefined;
  const scaled = BigInt(m[2]) * 10000n + BigInt((m[3] ?? '').padEnd(4, '0'));
  const value = m[1] === '-' ? -scaled : scaled;
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

const CURRENCY_WHAT = 'a decimal string with at most 4 decimals ("1.5") within ±922337203685477.5807';

/** COleCurrency: status, then LONG Hi, then DWORD Lo — high half first (format §5.2). */
export const COLECURRENCY: Primitive = {
  name: 'COleCurrency',
  size: 12,
  write(w, v) {
    if (v === null) return writeNullStatus(w, 8);
    let status = 0;
    let value: unknown = v;
    if (typeof v === 'object' && !Array.isArray(v)) {
      onlyKeys(v, ['status', 'value'], 'a COleCurrency object form');
      ({ value } = v as { value?: unknown });
      status = statusFromJson((v as { status?: unknown }).status);
    }
    const n = parseCurrency(value);
    if (n === undefined) return expected(CURRENCY_WHAT, value);
    const u = BigInt.asUintN(64, n);
    w.u32(status);
    w.u32(Number(u >> 32n));
    w.u32(Number(u & 0xffffffffn));
  },
  read(r) {
    const status = r.i32();
    const hi = r.i32();
    const lo = r.u32();
    const value = currencyToString((BigInt(hi) << 32n) | BigInt(lo));
    return status === 0 ? value : { status: statusToJson(status), value };
  },
  readCanonical(r) {
    const status = r.i32();
    const hi = r.i32();
    const lo = r.u32();
    return status === 0 ? currencyToString((BigInt(hi) << 32n) | BigInt(lo)) : null;
  },
  schema: Type.Union([
    Type.Null(),
    Type.String({ pattern: CURRENCY.source }),
    Type.Object({ status: statusSchema, value: Type.String({ pattern: CURRENCY.source }) }),
  ]),
  losslessSchema: Type.Union([
    Type.String({ pattern: CURRENCY.source }),
    Type.Object({ status: statusSchema, value: Type.String({ pattern: CURRENCY.source }) }, { additionalProperties: false }),
  ]),
  canonicalSchema: orNull({ type: 'string', pattern: CURRENCY.source, description: 'a decimal string; null when not valid' }),
  example: '1.5',
};
