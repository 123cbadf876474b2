/**
 * A hostile or broken peer (SPEC §5): decoding random bytes, and valid encodings mutated (bit flips,
 * truncation, inserted/deleted bytes, huge length prefixes), for random message types, gives a value
 * or a typed ArchwayError (ARCHIVE_DECODE / ARCHIVE_LIMIT with an offset) — never another exception,
 * never a hang, never an allocation past the caps. The whole-buffer decoder and the incremental one
 * (LoadBuffer.tryDecode, fed in random chunks) must agree, and consume nothing when they fail.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LoadBuffer, LoadState, TypeRegistry, type ArchwayError, type Limits, type MessageCodec, type TypeExpr,
} from '../../../src/archive/index.js';
import { Draw, genModel, type Ty } from './arbitraries.js';
import { canon, expectDecodeError, expectValid, newAjv, runs, validatorFor } from './support.js';
import { finalize, genValue } from './values.js';

const KiB = 1024;
const MiB = 1024 * KiB;
/** Everything small. */
const SMALL: Partial<Limits> = { maxMessageBytes: 64 * KiB, maxStringLength: 16 * KiB, maxArrayLength: 4096, maxObjects: 4096, maxDepth: 24 };
/** Only the message cap small: the other caps must not let a few bytes expand past it. */
const MESSAGE_ONLY: Partial<Limits> = { maxMessageBytes: 64 * KiB };
/** Per case, with generous slack for a loaded 2-core machine; a real hang or blow-up takes seconds. */
const CASE_MS = 1500;

const ajv = newAjv();

type Incremental = { kind: 'done'; value: unknown; length: number } | { kind: 'need'; need: number } | { kind: 'error'; err: ArchwayError };

/** Feeds `bytes` to a LoadBuffer cut at `cuts`, trying to decode after every chunk. */
function incremental(codec: MessageCodec, bytes: Buffer, cuts: number[]): Incremental {
  const lb = new LoadBuffer();
  const state = new LoadState(codec.limits);
  const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  let from = 0;
  let need = 0;
  for (const to of [...points, bytes.length]) {
    lb.push(bytes.subarray(from, to));
    from = to;
    let r;
    try {
      r = lb.tryDecode(codec, state);
    } catch (err) {
      const e = expectDecodeError(err, 'LoadBuffer.tryDecode');
      expect(lb.length, 'a failed message consumes nothing').toBe(to);
      expect(state.count, 'a failed message rolls the index map back').toBe(1);
      return { kind: 'error', err: e };
    }
    if (r.done) {
      expect(lb.length, 'a decoded message consumes exactly its length').toBe(to - r.length);
      return { kind: 'done', value: r.value, length: r.length };
    }
    expect(r.need, 'need at least one more byte').toBeGreaterThanOrEqual(1);
    expect(lb.length, 'an incomplete message consumes nothing').toBe(to);
    expect(state.count, 'an incomplete message leaves the index map as it was').toBe(1);
    need = r.need;
  }
  return { kind: 'need', need };
}

/** Decodes `bytes` every way; checks they agree and every failure is typed; returns whether a value came out. */
function checkBytes(codec: MessageCodec, bytes: Buffer, cuts: number[], file: unknown): boolean {
  try {
    return checkDecodes(codec, bytes, cuts);
  } catch (err) {
    // The case, replayable by hand: fast-check's counterexample is only the draws.
    if (err instanceof Error) err.message += `\n  type file: ${JSON.stringify(file)}\n  bytes: ${bytes.toString('hex')}\n  cuts: ${cuts.join(',')}`;
    throw err;
  }
}

function checkDecodes(codec: MessageCodec, bytes: Buffer, cuts: number[]): boolean {
  const started = performance.now();
  const validate = validatorFor(ajv, codec);
  let direct: { value: unknown; end: number } | ArchwayError;
  try {
    direct = codec.decodeFrom(bytes, 0);
  } catch (err) {
    direct = expectDecodeError(err, 'codec.decodeFrom');
  }
  const inc = incremental(codec, bytes, cuts);
  let whole: unknown;
  try {
    whole = codec.decode(bytes);
  } catch (err) {
    whole = expectDecodeError(err, 'codec.decode');
  }
  if ('end' in direct) {
    expect(inc.kind, 'the incremental decoder agrees with the whole-buffer one').toBe('done');
    if (inc.kind === 'done') {
      expect(inc.length).toBe(direct.end);
      expect(canon(inc.value)).toBe(canon(direct.value));
    }
    if (direct.end === bytes.length) expect(canon(whole)).toBe(canon(direct.value));
    else expect((whole as ArchwayError).code).toBe('ARCHIVE_DECODE'); // bytes follow the message
    // Whatever decodes is a valid value of the type, and encodes again (decode ∘ encode is stable).
    expectValid(validate, direct.value, 'decoded');
    const again = codec.encode(direct.value);
    expect(codec.encode(codec.decode(again)).toString('hex')).toBe(again.toString('hex'));
  } else {
    expect(inc.kind, `the incremental decoder accepted what decodeFrom refused (${direct.message})`).not.toBe('done');
    const cause = direct.details.archiveCause;
    if (cause !== 'endOfFile' && cause !== 'limit') {
      // A malformed message is malformed however its bytes arrive.
      expect(inc.kind, `tryDecode did not see: ${direct.message}`).toBe('error');
      if (inc.kind === 'error') expect(inc.err.details.archiveCause).toBe(cause);
    }
    expect(whole).toBeInstanceOf(Error);
  }
  expect(performance.now() - started, 'decoding one case took too long').toBeLessThan(CASE_MS);
  return 'end' in direct;
}

/** Random cut points for the incremental path. */
function genCuts(d: Draw, length: number): number[] {
  return Array.from({ length: d.int(0, 4) }, () => d.int(0, length));
}

/** 1–3 mutations: bit flip, truncation, insertion, deletion, huge length prefix, random byte. */
function mutate(d: Draw, bytes: Buffer): Buffer {
  let b = Buffer.from(bytes);
  for (let i = d.int(1, 3); i > 0; i--) {
    const at = d.int(0, b.length);
    switch (d.int(0, 6)) {
      case 0: if (b.length > 0) b[Math.min(at, b.length - 1)] ^= 1 << d.int(0, 7); break;
      case 1: b = b.subarray(0, at); break;
      case 2: b = Buffer.concat([b.subarray(0, at), Buffer.from(d.from(fc.uint8Array({ minLength: 1, maxLength: 8 }))), b.subarray(at)]); break;
      case 3: b = Buffer.concat([b.subarray(0, at), b.subarray(at + d.int(1, 8))]); break;
      case 4: {
        // Length prefixes and counts of 4 GiB, 64-bit escapes, big object tags.
        const huge = d.pick(['ffffffffff', 'ffffffffffffff', 'fffffeffffff', 'fffeffffffffff', 'ffffffffffffffffffffffffff7f', 'ff7fffffff7f', 'ffff0100ffff']);
        const h = Buffer.from(huge, 'hex');
        b = Buffer.concat([b.subarray(0, at), h, b.subarray(Math.min(b.length, at + (d.chance(0.5) ? h.length : 0)))]);
        break;
      }
      case 5: if (b.length > 0) b[Math.min(at, b.length - 1)] = d.int(0, 255); break;
      default: b = Buffer.concat([b.subarray(0, at), Buffer.alloc(d.int(1, 6), d.pick([0, 0xff, 0x80]))]);
    }
  }
  return b;
}

function codecOf(d: Draw): { codec: MessageCodec; m: ReturnType<typeof genModel> } {
  const m = genModel(d);
  const reg = new TypeRegistry(d.chance(0.5) ? SMALL : MESSAGE_ONLY);
  reg.add(m.file);
  return { codec: reg.get(m.root), m };
}

describe('hostile bytes decode to a value or a typed error', () => {
  it('random byte strings, for random message types', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const d = new Draw(g);
        const { codec, m } = codecOf(d);
        for (let i = 0; i < 4; i++) {
          const bytes = Buffer.from(
            d.chance(0.5)
              ? d.from(fc.uint8Array({ maxLength: 96 }))
              : d.from(fc.array(fc.constantFrom(0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff), { maxLength: 96 })),
          );
          checkBytes(codec, bytes, genCuts(d, bytes.length), m.file);
        }
      }),
      runs(150),
    );
  });

  it('mutated valid encodings', () => {
    let decodedSome = 0;
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const d = new Draw(g);
        const { codec, m } = codecOf(d);
        const ty: Ty = { k: 'struct', name: m.root };
        const valid = codec.encode(finalize(m, ty, genValue(d, m, ty, { left: 10 })));
        expect(checkBytes(codec, valid, genCuts(d, valid.length), m.file), 'the unmutated encoding decodes').toBe(true);
        for (let i = 0; i < 4; i++) {
          const bytes = mutate(d, valid);
          if (checkBytes(codec, bytes, genCuts(d, bytes.length), m.file)) decodedSome++;
        }
      }),
      runs(150),
    );
    expect(decodedSome, 'some mutations still decode (the test reaches the success path)').toBeGreaterThan(0);
  });

  it('every proper prefix of a valid encoding is incomplete: endOfFile, or need ≥ 1 without consuming', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const d = new Draw(g);
        const { codec, m } = codecOf(d);
        const ty: Ty = { k: 'struct', name: m.root };
        const valid = codec.encode(finalize(m, ty, genValue(d, m, ty, { left: 6 })));
        const step = Math.max(1, Math.floor(valid.length / 300));
        for (let k = 0; k < valid.length; k += step) {
          const prefix = valid.subarray(0, k);
          const err = expectDecodeError(catching(() => codec.decode(prefix)), 'decode of a prefix');
          expect(err.details.archiveCause).toBe('endOfFile');
          const lb = new LoadBuffer();
          lb.push(prefix);
          const r = lb.tryDecode(codec, new LoadState(codec.limits));
          expect(r.done).toBe(false);
          if (!r.done) {
            expect(r.need).toBeGreaterThanOrEqual(1);
            expect(r.need, 'need is a lower bound of the bytes still missing').toBeLessThanOrEqual(valid.length - k);
          }
          expect(lb.length).toBe(k);
        }
      }),
      runs(80),
    );
  });
});

describe('huge length prefixes fail fast with a typed error and allocate nothing (SPEC §5)', () => {
  // `zero`: elements of no bytes, each charged as one byte against maxMessageBytes — past the 64 KiB
  // cap, but within the default 128 MiB one (there the default maxArrayLength of 16M is what bounds them).
  // `count`: a count field before `v` (`"countField": "n"`, SPEC §2 part two), written as this type.
  const huge: { name: string; type: TypeExpr; hex: string; win64?: boolean; zero?: true; count?: Record<string, unknown> }[] = [
    { name: 'CByteArray of 0xFFFFFFFF bytes', type: 'CByteArray', hex: 'ffff ffffffff' },
    { name: 'CByteArray of 0xFFFFFFFE bytes', type: 'CByteArray', hex: 'ffff feffffff' },
    { name: 'CByteArray, Win64 QWORD count 2^40', type: 'CByteArray', hex: 'ffff ffffffff 0000000000010000', win64: true },
    { name: 'CByteArray, Win64 QWORD count 2^63', type: 'CByteArray', hex: 'ffff ffffffff 0000000000000080', win64: true },
    { name: 'CString of 0xFFFFFFFE characters', type: 'CString', hex: 'ff ffff feffffff' },
    { name: 'CStringW of 0xFFFFFFFE characters', type: 'CStringW', hex: 'ff feff ff ffff feffffff' },
    { name: 'CString, QWORD length 2^32', type: 'CString', hex: 'ff ffff ffffffff 0000000001000000' },
    { name: 'CStringArray of 0xFFFFFFFE strings', type: 'CStringArray', hex: 'ffff feffffff' },
    { name: 'list of 0xFFFFFFFE DWORDs', type: { list: 'DWORD' }, hex: 'ffff feffffff' },
    { name: 'map of 0xFFFFFFFE pairs', type: { map: ['CString', 'CByteArray'] }, hex: 'ffff feffffff' },
    { name: 'COleVariant VT_BSTR of 0xFFFFFFFE bytes', type: 'COleVariant', hex: '0800 feffffff' },
    { name: 'list of 16M-1 empty structs (6 bytes)', type: { list: 'Empty' }, hex: 'ffff ffffff00', zero: true },
    { name: 'list of lists of empty structs', type: { list: { list: 'Empty' } }, hex: `3075${'feff'.repeat(30000)}`, zero: true },
    { name: 'map of zero-length arrays', type: { map: [{ fixed: 'BYTE', length: 0 }, 'Empty'] }, hex: 'ffff ffffff00', zero: true },
    { name: 'list with a DWORD count of 0xFFFFFFFE', type: { list: 'DWORD', count: 'DWORD' }, hex: 'feffffff' },
    { name: 'list with a Win64 size_t count of 2^63 - 1', type: { list: 'CString', count: 'size_t' }, hex: 'ffffffffffffff7f', win64: true },
    { name: 'block with a DWORD count of 0xFFFFFFFE', type: { bytes: { count: 'DWORD' } }, hex: 'feffffff' },
    { name: 'list counted by a DWORD field of 0xFFFFFFFE', type: { list: 'DWORD', countField: 'n' }, hex: 'feffffff', count: { type: 'DWORD' } },
    { name: 'block counted by a big-endian DWORD field', type: { bytes: { countField: 'n' } }, hex: 'fffffffe', count: { type: 'DWORD', byteOrder: 'big' } },
    { name: 'map counted by an int field of 2^31 - 1', type: { map: ['WORD', 'WORD'], countField: 'n' }, hex: 'ffffff7f', count: { type: 'int' } },
  ];
  const filler = Buffer.alloc(MiB);

  it.each<[string, Partial<Limits>]>([['maxMessageBytes 64 KiB', MESSAGE_ONLY], ['default limits', {}]])('%s', (_name, limits) => {
    const codecs = huge.filter((c) => c.zero === undefined || limits.maxMessageBytes !== undefined).map((c) => {
      const reg = new TypeRegistry(limits);
      const fields = [...(c.count === undefined ? [] : [{ name: 'n', ...c.count }]), { name: 'v', type: c.type }];
      reg.add({ profile: { win64: c.win64 ?? false }, types: { Empty: { fields: [] }, M: { fields } } });
      return { ...c, codec: reg.get('M'), header: Buffer.from(c.hex.replace(/\s+/g, ''), 'hex') };
    });
    let grown = 0;
    for (let round = 0; round < 3; round++) {
      for (const c of codecs) {
        const before = process.memoryUsage().arrayBuffers;
        // CPU time, not wall time: what bounds the work done (the suite's other files share the cores).
        const started = process.cpuUsage();
        const direct = expectDecodeError(catching(() => c.codec.decode(Buffer.concat([c.header, filler.subarray(0, 64)]))), c.name);
        if (direct.details.archiveCause !== 'limit') expect(direct.details.archiveCause, c.name).toBe('endOfFile');
        // Incremental: the header, then 1 MiB more in 64 KiB chunks; the cap trips before any of it is kept.
        const lb = new LoadBuffer();
        lb.push(c.header);
        let err: ArchwayError | undefined;
        for (let at = 0; err === undefined && at < filler.length; at += 64 * KiB) {
          let done: boolean | undefined;
          try {
            done = lb.tryDecode(c.codec, new LoadState(c.codec.limits)).done;
          } catch (e) {
            err = expectDecodeError(e, c.name);
          }
          expect(done, c.name).not.toBe(true);
          lb.push(filler.subarray(at, at + 64 * KiB));
        }
        expect(err?.code, `${c.name}: the claimed size exceeds every cap`).toBe('ARCHIVE_LIMIT');
        const cpu = process.cpuUsage(started);
        expect((cpu.user + cpu.system) / 1000, `${c.name} fails fast (CPU ms)`).toBeLessThan(250);
        // Garbage counts too (no GC is forced), so this bounds what one attempt allocated at all.
        grown = Math.max(grown, process.memoryUsage().arrayBuffers - before);
      }
    }
    expect(grown, 'array buffers allocated by one attempt').toBeLessThan(2 * MiB);
  });

  it('a count within maxArrayLength but past the bytes present waits for them without allocating', () => {
    const reg = new TypeRegistry();
    const codec = reg.codecFor({ list: 'DWORD' });
    const header = Buffer.from('ffff' + 'ffffff00', 'hex'); // 16M - 1 DWORDs = 64 MiB, under the 128 MiB cap
    expect(expectDecodeError(catching(() => codec.decode(Buffer.concat([header, filler]))), 'decode').details.archiveCause).toBe('endOfFile');
    const before = process.memoryUsage().arrayBuffers;
    const lb = new LoadBuffer();
    lb.push(header);
    for (let at = 0; at < filler.length; at += 64 * KiB) lb.push(filler.subarray(at, at + 64 * KiB));
    const r = lb.tryDecode(codec, new LoadState());
    expect(r).toStrictEqual({ done: false, need: 0xffffff * 4 - filler.length });
    expect(lb.length).toBe(header.length + filler.length);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(4 * MiB);
  });
});

function catching(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return new Error('no error thrown');
}
