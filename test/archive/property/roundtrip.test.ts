/**
 * Property tests of the JSON mapping (SPEC §2) over RANDOM message types: random type files (every
 * primitive, collections, lists, fixed arrays, maps, nested structs, CObject* fields with classes,
 * schemas, back-references, cycles and null) for random peer profiles and code pages, and random
 * values for them. Encoding then decoding gives the canonical value; decoding then encoding gives
 * the same bytes; every other accepted input form gives the same bytes; and the codec's JSON Schema
 * accepts every generated and every decoded value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArchwayError, hasLongString, LoadState, StoreState, TypeRegistry, type MessageCodec } from '../../../src/archive/index.js';
import { Draw, genAdHoc, genModel, type Model, type Ty } from './arbitraries.js';
import { canonicalOf } from './canonical-model.js';
import { toInput } from './inputs.js';
import { canon, expectValid, newAjv, runs, validatorFor } from './support.js';
import { finalize, genValue } from './values.js';

const ajv = newAjv();

/** Checks one value of `ty` through `codec` in every direction, in both JSON forms; returns the bytes. */
function roundTrip(d: Draw, m: Model, codec: MessageCodec, ty: Ty, validate: ReturnType<typeof validatorFor>): Buffer {
  const expected = finalize(m, ty, genValue(d, m, ty, { left: 14 }));
  const js = d.chance(0.4);
  const input = toInput(d, m, ty, expected, { js });
  expectValid(validate, expected, 'generated');
  if (!js) expectValid(validate, input, 'alternative input');

  const bytes = codec.encode(input);
  // The canonical form and every alternative form write the very same bytes.
  expect(codec.encode(expected).toString('hex'), 'canonical and alternative inputs differ').toBe(bytes.toString('hex'));

  const decoded = codec.decode(bytes);
  expect(canon(decoded)).toBe(canon(expected));
  // The generated JSON text of a decoded value is JSON.stringify's, in both forms.
  expect(codec.json(decoded), 'JSON text, lossless').toBe(JSON.stringify(decoded));
  // With a limit, the text stops exactly when a string reaches it (the gateway then streams).
  const longest = longestString(decoded);
  for (const limit of [longest, longest + 1]) {
    expect(codec.jsonWithin(decoded, limit), `jsonWithin ${limit}`).toBe(hasLongString(decoded, limit) ? undefined : JSON.stringify(decoded));
  }
  expectValid(validate, decoded, 'decoded');
  expectValid(validatorFor(ajv, codec, 'lossless'), decoded, 'lossless');
  // Lossless: decoding and then encoding reproduces the bytes exactly.
  expect(codec.encode(decoded).toString('hex')).toBe(bytes.toString('hex'));

  // Canonical: the model's plain shapes, which fit the canonical schema and encode to bytes that
  // read back the same (a fixed point; the bytes may differ: -0, a DWORD CTime, a wide string…) —
  // unless a string the peer sent wide holds characters a narrow field's code page cannot.
  const plain = codec.decode(bytes, undefined, 'canonical');
  expect(canon(plain), 'canonical form').toBe(canon(canonicalOf(m, ty, expected)));
  expect(codec.json(plain), 'JSON text, canonical').toBe(JSON.stringify(plain));
  expectValid(validatorFor(ajv, codec, 'canonical'), plain, 'canonical');
  expectValid(validate, plain, 'canonical as input');
  const again = encodeUnlessUnrepresentable(codec, plain);
  if (again !== undefined) expect(canon(codec.decode(again, undefined, 'canonical')), 'canonical fixed point').toBe(canon(plain));

  // decodeFrom stops at the message's end, whatever follows it.
  const tail = Buffer.from([0xff, 0xfe, 0x00]);
  const from = codec.decodeFrom(Buffer.concat([Buffer.from([0xaa]), bytes, tail]), 1);
  expect(from.end).toBe(bytes.length + 1);
  expect(canon(from.value)).toBe(canon(expected));
  return bytes;
}

/** The length of the longest string anywhere in `v` (0 without any). */
function longestString(v: unknown): number {
  if (typeof v === 'string') return v.length;
  if (v === null || typeof v !== 'object') return 0;
  return Math.max(0, ...Object.values(v).map(longestString));
}

/** The bytes of `value`, or undefined when a string cannot be represented in its field's code page. */
function encodeUnlessUnrepresentable(codec: MessageCodec, value: unknown): Buffer | undefined {
  try {
    return codec.encode(value);
  } catch (err) {
    if (err instanceof ArchwayError && err.code === 'VALIDATION' && err.message.includes('cannot be represented in code page')) return undefined;
    throw err;
  }
}

/**
 * On one archive a class descriptor is written once, so every later object of the class has the
 * schema the first one gave it (format §4.3): messages drawn alone are made to agree.
 */
function sameSchemaPerClass(m: Model, messages: unknown[]): unknown[] {
  const declared = new Map([...m.types.values()].filter((t) => t.cls).map((t) => [t.cls!.name, t.cls!.schema]));
  const stored = new Map<string, number>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(walk);
    const o = v as Record<string, unknown>;
    if (typeof o.$class === 'string') {
      const schema = stored.get(o.$class) ?? (o.$schema as number | undefined) ?? declared.get(o.$class)!;
      stored.set(o.$class, schema);
      if (schema === declared.get(o.$class)) delete o.$schema;
      else o.$schema = schema;
    }
    for (const x of Object.values(o)) walk(x);
  };
  messages.forEach(walk);
  return messages;
}

describe('random message types round-trip through the JSON mapping', () => {
  it('declared types: encode → decode is the canonical value, decode → encode the same bytes, schemas agree', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const d = new Draw(g);
        const m = genModel(d);
        const reg = new TypeRegistry();
        expect(reg.add(m.file).sort()).toStrictEqual([...m.types.keys()].sort());
        const codec = reg.get(m.root);
        const validate = validatorFor(ajv, codec);
        for (let i = 0; i < 3; i++) roundTrip(d, m, codec, { k: 'struct', name: m.root }, validate);
      }),
      runs(120),
    );
  });

  it('ad-hoc expressions (registry.codecFor with the peer profile and code page) round-trip too', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const d = new Draw(g);
        const m = genModel(d);
        const reg = new TypeRegistry();
        reg.add(m.file);
        const { expr, ty } = genAdHoc(d, m);
        const codec = reg.codecFor(expr, { profile: m.flags, codePage: m.codePage });
        expect(reg.codecFor(expr, { profile: m.flags, codePage: m.codePage })).toBe(codec); // compiled once
        const validate = validatorFor(ajv, codec);
        for (let i = 0; i < 3; i++) roundTrip(d, m, codec, ty, validate);
      }),
      runs(120),
    );
  });

  it('a connection-long archive: messages decode in order with shared object indices', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const d = new Draw(g);
        const m = genModel(d);
        const reg = new TypeRegistry();
        reg.add(m.file);
        const codec = reg.get(m.root);
        const ty: Ty = { k: 'struct', name: m.root };
        // Encode several messages on one store archive; decode them on one load archive, in order.
        const store = new StoreState();
        const expected = sameSchemaPerClass(m, Array.from({ length: 3 }, () => finalize(m, ty, genValue(d, m, ty, { left: 8 }))));
        const chunks = expected.map((v) => codec.encode(toInput(d, m, ty, v, { js: true, keepIds: true }), store));
        const load = new LoadState();
        const decoded = chunks.map((b) => codec.decode(b, load));
        expect(canon(decoded[0])).toBe(canon(expected[0])); // the first message numbers from 1
        // Re-encoding the decoded values on a fresh store archive gives the same stream.
        const again = new StoreState();
        expect(Buffer.concat(decoded.map((v) => codec.encode(v, again))).toString('hex')).toBe(Buffer.concat(chunks).toString('hex'));
        expect(load.count).toBe(store.count);
      }),
      runs(60),
    );
  });
});
