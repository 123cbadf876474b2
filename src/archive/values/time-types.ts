/**
 * `CTime` and `CTimeSpan` (format §5.1). CTime is a DWORD `time_t` before MFC 8 and the 12-byte
 * marked form (`0x8000000A` + `__int64`) from MFC 8; an MFC 8+ reader accepts both. Canonical JSON:
 * an ISO-8601 UTC string with whole seconds (decimal seconds outside years 0000–9999). Lossless: a
 * value in the other form than the profile writes is `{"time": iso, "form": "dword" | "int64"}` so
 * re-encoding reproduces its bytes.
 */
import { Type } from 'typebox';
import type { ArchiveWriter } from '../wire/archive-writer.js';
import { expected, onlyKeys, type Primitive, type PrimitiveOptions } from './primitive.js';
import { validationError } from '../errors.js';
import { toBigInt } from './integer-types.js';

/** `cTime64Mark` = INT_MIN + 10 (format §5.1). */
const TIME64_MARK = 0x8000000a;
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.0+)?(Z|[+-]\d{2}:\d{2})$/;

const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
/** Seconds from 1970-01-01 to 0000-03-01 and to 10000-01-01: the years ISO's 4 digits can show. */
const MIN_ISO_SECONDS = -62162035200;
const MAX_ISO_SECONDS = 253402300800;

/**
 * Seconds since 1970 as ISO-8601 (`2019-10-03T14:47:55Z`), or a decimal string outside years
 * 0000–9999. Hand-formatted (days → civil date, H. Hinnant's algorithm): Date#toISOString was a
 * fifth of the whole decode time of a typical message.
 */
function secondsToIso(seconds: number | bigint): string {
  const s = Number(seconds);
  if (!(s >= MIN_ISO_SECONDS && s < MAX_ISO_SECONDS)) return seconds.toString();
  const days = Math.floor(s / 86400);
  let rem = s - days * 86400;
  const hh = Math.floor(rem / 3600);
  rem -= hh * 3600;
  const mm = Math.floor(rem / 60);
  const ss = rem - mm * 60;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const year = y >= 1000 ? String(y) : String(y).padStart(4, '0');
  return `${year}-${TWO[m]}-${TWO[d]}T${TWO[hh]}:${TWO[mm]}:${TWO[ss]}Z`;
}

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(v: string, at: number, n: number): number {
  let x = 0;
  for (let i = at; i < at + n; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    x = x * 10 + c;
  }
  return x;
}

/** `YYYY-MM-DDTHH:MM:SSZ` exactly (what decoding produces), parsed by hand; -Infinity if not that form. */
function fastIsoSeconds(v: string): number {
  if (v.length !== 20 || v.charCodeAt(19) !== 90 /* Z */ || v[4] !== '-' || v[7] !== '-' || v[10] !== 'T' || v[13] !== ':' || v[16] !== ':') {
    return -Infinity;
  }
  const y = digits(v, 0, 4);
  const m = digits(v, 5, 2);
  const d = digits(v, 8, 2);
  const hh = digits(v, 11, 2);
  const mm = digits(v, 14, 2);
  const ss = digits(v, 17, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > DAYS_IN_MONTH[m] || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) {
    return -Infinity;
  }
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (m === 2 && d === 29 && !leap) return -Infinity;
  // Days from civil (H. Hinnant), the inverse of secondsToIso.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return days * 86400 + hh * 3600 + mm * 60 + ss;
}

/** Seconds since 1970 from an ISO-8601 string with a zone, or integer seconds (number or string). */
function isoToSeconds(v: unknown): bigint | number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const fast = fastIsoSeconds(v);
  if (fast !== -Infinity) return fast;
  if (/^-?(0|[1-9][0-9]{0,18})$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : BigInt(v);
  }
  const m = ISO_UTC.exec(v);
  if (m === null) return undefined;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse accepts day 31 of a 30-day month; require the fields to survive the round trip.
  const back = new Date(ms + (m[7] === 'Z' ? 0 : offsetMs(m[7]))).toISOString();
  if (back.slice(0, 19) !== `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`) return undefined;
  return ms / 1000;
}

function offsetMs(zone: string): number {
  const sign = zone[0] === '-' ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
}

const TIME_WHAT = 'an ISO-8601 UTC time with whole seconds ("2019-10-03T14:47:55Z") or integer seconds since 1970';
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function writeDwordTime(w: ArchiveWriter, s: number | bigint, v: unknown, markedReader: boolean): void {
  if (s < INT32_MIN || s > INT32_MAX) {
    expected(`${TIME_WHAT}, within the 32-bit time_t of a DWORD CTime (1901-12-13 to 2038-01-19)`, v);
  }
  // An MFC 8+ reader would take this one DWORD value for the mark and read 8 more bytes.
  if (markedReader && Number(s) === TIME64_MARK - 2 ** 32) {
    expected(`${TIME_WHAT}, other than ${secondsToIso(TIME64_MARK - 2 ** 32)} (its bits are the CTime mark)`, v);
  }
  w.u32(Number(s));
}

function writeMarkedTime(w: ArchiveWriter, s: number | bigint): void {
  w.u32(TIME64_MARK);
  if (typeof s === 'number') {
    const hi = Math.floor(s / 0x100000000);
    w.u32(s - hi * 0x100000000);
    w.u32(hi);
  } else {
    w.u64(s);
  }
}

/** What decoding gives: ISO-8601 UTC, or decimal seconds outside the years ISO's 4 digits show. */
const TIME_TEXT = Type.String({
  pattern: '^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z|-?\\d+)$',
  description: 'ISO-8601 UTC, whole seconds (decimal seconds outside years 0000–9999)',
  examples: ['2019-10-03T14:47:55Z'],
});

export function ctimeType(o: PrimitiveOptions): Primitive {
  const marked = o.flags.ctime64;
  const schemaTime = Type.Union([
    Type.String({ description: 'ISO-8601 UTC, whole seconds', examples: ['2019-10-03T14:47:55Z'] }),
    Type.Integer(),
  ]);
  return {
    name: 'CTime',
    headerMax: 4,
    write(w, v) {
      let form: unknown;
      let time = v;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        onlyKeys(v, ['time', 'form'], 'a CTime object form');
        ({ time, form } = v as { time?: unknown; form?: unknown });
        if (form !== 'dword' && form !== 'int64') expected('"form" to be "dword" or "int64"', form);
        // A reader before MFC 8 takes the mark for a DWORD time and the rest as the next values.
        if (form === 'int64' && !marked) throw validationError('the int64 CTime form needs a peer of MFC 8 or later (profile.mfc)');
      }
      const s = isoToSeconds(time);
      if (s === undefined || s < INT64_MIN || s > INT64_MAX) return expected(TIME_WHAT, time);
      const useMark = form === undefined ? marked : form === 'int64';
      if (useMark) writeMarkedTime(w, s);
      else writeDwordTime(w, s, time, marked);
    },
    read(r) {
      const d = r.u32();
      if (marked && d === TIME64_MARK) return secondsToIso(r.i64n());
      // A legacy DWORD is a 32-bit time_t: signed (format §5.1).
      const iso = secondsToIso(d | 0);
      return marked ? { time: iso, form: 'dword' } : iso;
    },
    readCanonical(r) {
      const d = r.u32();
      return secondsToIso(marked && d === TIME64_MARK ? r.i64n() : d | 0);
    },
    measure(r) {
      return marked && r.u32() === TIME64_MARK ? 12 : 4;
    },
    schema: Type.Union([
      schemaTime,
      Type.Object({ time: schemaTime, form: Type.Union([Type.Literal('dword'), Type.Literal('int64')]) }),
    ]),
    losslessSchema: marked
      ? Type.Union([TIME_TEXT, Type.Object({ time: TIME_TEXT, form: Type.Literal('dword') }, { additionalProperties: false })])
      : TIME_TEXT,
    canonicalSchema: TIME_TEXT,
    example: '2019-10-03T14:47:55Z',
  };
}

/** `CTimeSpan`: seconds in a DWORD in every version, read back signed by MFC 9+ (format §5.1). */
export const CTIMESPAN: Primitive = {
  name: 'CTimeSpan',
  size: 4,
  write(w, v) {
    w.u32(Number(toBigInt(v, BigInt(INT32_MIN), BigInt(INT32_MAX), 'CTimeSpan seconds')));
  },
  read(r) {
    return r.i32();
  },
  schema: Type.Integer({ minimum: -0x80000000, maximum: 0x7fffffff, description: 'seconds' }),
  example: 86400,
};
