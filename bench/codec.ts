/**
 * `npm run bench:codec` — encode and decode of SPEC 7's reference `Order` with Archway, against
 * avsc on the equivalent Avro schema (the baseline) and msgpackr, side by side in one process.
 * Target (SPEC 7): Archway ≥ 1.0× avsc for encode and for decode.
 *
 * Options: `--seconds N` measured seconds per case (default 2.5: with 8 cases and the warm-up the
 * whole bench takes about 25 s), `--rounds N`, `--warmup N`, `--no-save`.
 *
 * What each side does per operation — no conversion runs inside a timed loop, in anyone's favour:
 *
 * - Archway encode, `codec.encode(order)`: takes the SPEC JSON mapping of the value, so `placed` is
 *   an ISO-8601 string that it parses to seconds on every call (the form the gateway receives and
 *   the form its own decode gives back); validates every field as it writes (types, ranges, no
 *   unknown keys); writes CTime in the MFC 8+ marked form (0x8000000A + __int64 = 12 bytes) and
 *   CStrings as code-page-1252 bytes behind a byte length; returns a fresh Buffer (allocUnsafe +
 *   copy from its reused writer).
 * - Archway decode, `codec.decode(bytes)`: checks every count against the bytes present and the
 *   limits, builds plain objects, formats `placed` back to an ISO-8601 string on every call, and
 *   refuses trailing bytes.
 * - avsc encode, `type.toBuffer(order)`: `placed` is already a number (epoch seconds, an Avro
 *   `long`); it writes zig-zag varints and UTF-8 strings into its shared tap and returns a fresh
 *   Buffer (alloc + copy). It does not validate beyond what writing needs (`isValid` is separate
 *   and not called), and converts no time.
 * - avsc decode, `type.fromBuffer(bytes)`: builds instances of its generated record classes, leaves
 *   `placed` as a number, and refuses truncated input and trailing bytes.
 * - msgpackr gets the avsc value (`placed` as a number). "records" is a Packr with `useRecords` and
 *   shared `structures`, learnt before timing, so every message carries a structure id instead of
 *   key names (the schema-ish setting; its decoder uses generated record readers); "plain" is the
 *   default `pack`/`unpack` with key names in every message. `pack` returns a view into msgpackr's
 *   buffer (no copy); it validates nothing.
 *
 * Before timing, every codec must round-trip the record exactly, and the avsc decode (with its
 * seconds turned into ISO) must equal Archway's: the bench stops with an error otherwise.
 */
import assert from 'node:assert/strict';
import avro from 'avsc';
import { Packr, isNativeAccelerationEnabled, pack as packPlain, unpack as unpackPlain } from 'msgpackr';
import { TypeRegistry, type TypeFile } from '../src/archive/index.js';
import { benchArgs } from './lib/args.js';
import { measureInterleaved, type BenchCase } from './lib/measure.js';
import { packageVersion, printColumns, printMachine, printTable, withRatios, writeResults, type Target } from './lib/report.js';

/** The reference types, written here as SPEC 7 gives them (the same shape as types/demo.json). */
const TYPE_FILE: TypeFile = {
  profile: { mfc: 14, unicode: false, win64: false },
  codePage: 1252,
  types: {
    Order: {
      description: 'The reference order of SPEC section 7',
      fields: [
        { name: 'id', type: 'DWORD' },
        { name: 'customer', type: 'CString' },
        { name: 'placed', type: 'CTime' },
        { name: 'total', type: 'double' },
        { name: 'priority', type: 'BYTE' },
        { name: 'express', type: 'bool' },
        { name: 'lines', type: { list: 'OrderLine' } },
        { name: 'notes', type: 'CStringArray' },
      ],
    },
    OrderLine: {
      fields: [
        { name: 'sku', type: 'CString' },
        { name: 'qty', type: 'WORD' },
        { name: 'price', type: 'double' },
      ],
    },
  },
};

/**
 * The equivalent Avro schema. DWORD → long (an Avro int is signed and would not hold every DWORD),
 * WORD and BYTE → int, CTime → long of epoch seconds, CString → string, CStringArray → array of
 * strings, `{"list": "OrderLine"}` → array of the record.
 */
const AVRO_SCHEMA = {
  type: 'record',
  name: 'Order',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'customer', type: 'string' },
    { name: 'placed', type: 'long' },
    { name: 'total', type: 'double' },
    { name: 'priority', type: 'int' },
    { name: 'express', type: 'boolean' },
    {
      name: 'lines',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'OrderLine',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'qty', type: 'int' },
            { name: 'price', type: 'double' },
          ],
        },
      },
    },
    { name: 'notes', type: { type: 'array', items: 'string' } },
  ],
};

interface OrderLine { sku: string; qty: number; price: number }
interface Order<T> {
  id: number;
  customer: string;
  placed: T;
  total: number;
  priority: number;
  express: boolean;
  lines: OrderLine[];
  notes: string[];
}

const PLACED_ISO = '2019-10-03T14:47:55Z';
const PLACED_SECONDS = Date.parse(PLACED_ISO) / 1000;

/** SPEC 7: a 20-character customer, 5 lines with 8-character SKUs, and 2 notes of 16 characters. */
const LINES: OrderLine[] = [
  { sku: 'AB-10001', qty: 2, price: 19.99 },
  { sku: 'AB-10002', qty: 1, price: 249.5 },
  { sku: 'CX-20417', qty: 12, price: 3.75 },
  { sku: 'DZ-33090', qty: 5, price: 12.4 },
  { sku: 'EF-40815', qty: 40, price: 0.89 },
];
const ARCHWAY_ORDER: Order<string> = {
  id: 1234567,
  customer: 'Globex Industrial Co',
  placed: PLACED_ISO,
  total: LINES.reduce((sum, l) => sum + l.qty * l.price, 0),
  priority: 3,
  express: true,
  lines: LINES,
  notes: ['Leave at dock 7.', 'Call before 9 am'],
};
const AVRO_ORDER: Order<number> = { ...ARCHWAY_ORDER, placed: PLACED_SECONDS };

function checkReferenceShape(o: Order<unknown>): void {
  assert.equal(o.customer.length, 20, 'the customer has 20 characters');
  assert.equal(o.lines.length, 5, 'there are 5 lines');
  for (const l of o.lines) assert.equal(l.sku.length, 8, `SKU ${l.sku} has 8 characters`);
  assert.equal(o.notes.length, 2, 'there are 2 notes');
  for (const n of o.notes) assert.equal(n.length, 16, `note ${JSON.stringify(n)} has 16 characters`);
}

/** Plain data (drops avsc's record classes) with every number kept exactly. */
function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v));
}

function isoOf(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function main(): void {
  const args = benchArgs({ seconds: 2.5, rounds: 10, warmupSeconds: 0.5 });
  checkReferenceShape(ARCHWAY_ORDER);

  const registry = new TypeRegistry();
  registry.add(TYPE_FILE, 'bench/codec.ts');
  const archway = registry.get('Order');
  const avsc = avro.Type.forSchema(AVRO_SCHEMA as avro.Schema);
  const records = new Packr({ useRecords: true, structures: [] });

  // Encoded forms (msgpackr records: the second pack, once the structures are learnt).
  const archwayBytes = archway.encode(ARCHWAY_ORDER);
  const avscBytes = avsc.toBuffer(AVRO_ORDER);
  records.pack(AVRO_ORDER);
  const recordBytes = Buffer.from(records.pack(AVRO_ORDER));
  const plainBytes = Buffer.from(packPlain(AVRO_ORDER));

  // Verify before timing: exact round trips, and the same record on both sides of the baseline.
  assert.equal(archwayBytes.length, 180, 'Archway: 4+21+12+8+1+1 + 2+5×19 + 2+2×17 bytes');
  assert.deepStrictEqual(archway.decode(archwayBytes), ARCHWAY_ORDER, 'Archway round trip');
  assert.ok(avsc.isValid(AVRO_ORDER), 'the value is valid for the Avro schema');
  const avscDecoded = plain(avsc.fromBuffer(avscBytes));
  assert.deepStrictEqual(avscDecoded, AVRO_ORDER, 'avsc round trip');
  assert.deepStrictEqual({ ...(avscDecoded as Order<number>), placed: isoOf(PLACED_SECONDS) }, archway.decode(archwayBytes), 'avsc and Archway decode the same record');
  assert.deepStrictEqual(records.unpack(recordBytes), AVRO_ORDER, 'msgpackr records round trip');
  assert.deepStrictEqual(unpackPlain(plainBytes), AVRO_ORDER, 'msgpackr plain round trip');
  assert.ok(recordBytes.length < plainBytes.length, 'msgpackr records carry a structure id, not key names');

  const cases: BenchCase[] = [
    { group: 'encode', name: 'archway', fn: () => archway.encode(ARCHWAY_ORDER) },
    { group: 'encode', name: 'avsc', fn: () => avsc.toBuffer(AVRO_ORDER) },
    { group: 'encode', name: 'msgpackr records', fn: () => records.pack(AVRO_ORDER) },
    { group: 'encode', name: 'msgpackr plain', fn: () => packPlain(AVRO_ORDER) },
    { group: 'decode', name: 'archway', fn: () => archway.decode(archwayBytes) },
    { group: 'decode', name: 'avsc', fn: () => avsc.fromBuffer(avscBytes) },
    { group: 'decode', name: 'msgpackr records', fn: () => records.unpack(recordBytes) },
    { group: 'decode', name: 'msgpackr plain', fn: () => unpackPlain(plainBytes) },
  ];
  const targets: Target[] = [
    { group: 'encode', name: 'archway', minRatio: 1.0 },
    { group: 'decode', name: 'archway', minRatio: 1.0 },
  ];
  const versions = {
    avsc: packageVersion('avsc'),
    msgpackr: packageVersion('msgpackr'),
    msgpackrNativeAcceleration: isNativeAccelerationEnabled,
  };

  console.log('Codec bench: SPEC 7 reference Order, ratios to avsc (per-round ratios, median)');
  printMachine();
  console.log(
    `avsc ${versions.avsc}, msgpackr ${versions.msgpackr} (native acceleration ${versions.msgpackrNativeAcceleration ? 'on' : 'off'}); ` +
      `${args.seconds} s per case in ${args.rounds} interleaved rounds after ${args.warmupSeconds} s warm-up, ${cases.length} cases`,
  );
  const results = measureInterleaved(cases, {
    seconds: args.seconds,
    rounds: args.rounds,
    warmupSeconds: args.warmupSeconds,
    onRound: process.stderr.isTTY ? (r, n) => process.stderr.write(r === n ? '\r\x1b[K' : `\rround ${r}/${n}`) : undefined,
  });
  const rows = withRatios(results, 'avsc', targets);
  printTable(rows, 'ops/s (median of rounds), ±mad = median absolute deviation, range = per-round ratio min–max');

  const sizes = [
    { codec: 'archway', bytes: archwayBytes.length },
    { codec: 'avsc', bytes: avscBytes.length },
    { codec: 'msgpackr records', bytes: recordBytes.length },
    { codec: 'msgpackr plain', bytes: plainBytes.length },
  ];
  console.log('\nencoded size');
  printColumns(
    ['codec', 'bytes', '× avsc'],
    sizes.map((s) => [s.codec, String(s.bytes), `${(s.bytes / avscBytes.length).toFixed(2)}×`]),
    new Set([1, 2]),
  );

  const missed = rows.filter((r) => r.target !== undefined && !r.target.pass);
  console.log(
    missed.length === 0
      ? '\nSPEC 7 codec target met: archway ≥ 1.0× avsc for encode and decode'
      : `\nSPEC 7 codec target MISSED for: ${missed.map((r) => `${r.group} (${r.ratio?.median.toFixed(2)}×)`).join(', ')}`,
  );
  if (args.save) {
    const file = writeResults('codec', { config: args, versions, sizes, rows });
    console.log(`results: ${file}`);
  }
}

main();
