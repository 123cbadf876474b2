/**
 * Messages arrive in arbitrary pieces (CArchive has no framing; TCP keeps no boundaries): a
 * LoadBuffer fed any split of a message's bytes — two chunks split at every point, random
 * multi-chunk splits, one byte at a time — decodes the same value as the whole buffer, consumes
 * exactly the message, and before that answers "need ≥ 1 more" without consuming anything. Large
 * payloads decode in time linear in their size whatever the chunking (SPEC §7).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoadBuffer, LoadState, StoreState, TypeRegistry, type MessageCodec } from '../../src/archive/index.js';

setFlagsFromString('--expose-gc');
/** V8's collector, for the timing test (exposed at run time: the test runner's flags are not ours). */
const exposed: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
const gc = typeof exposed === 'function' ? (exposed as () => void) : () => {};

const registry = new TypeRegistry();
registry.addText(readFileSync(new URL('../../types/demo.json', import.meta.url), 'utf8'));
registry.add({
  types: {
    Str: { fields: [{ name: 's', type: 'CString' }] },
    WStr: { fields: [{ name: 's', type: 'CStringW' }] },
    // Format §4.4: class CNode { int value; CObject* next; } (cycles through back-references).
    CNode: { class: 'CNode', schema: 1, fields: [{ name: 'value', type: 'int' }, { name: 'next', type: { object: 'CNode' } }] },
    CLeaf: { class: 'CLeaf', schema: 3, versionable: true, fields: [{ name: 'tag', type: 'CString' }] },
    Graph: {
      fields: [
        { name: 'head', type: { object: 'CNode' } },
        { name: 'all', type: 'CObArray' },
        { name: 'byName', type: 'CMapStringToOb' },
        { name: 'blob', type: 'CByteArray' },
      ],
    },
    Mixed: {
      fields: [
        { name: 'when', type: 'CTime' },
        { name: 'v', type: 'COleVariant' },
        { name: 'id', type: 'GUID' },
        { name: 'rect', type: 'CRect' },
        { name: 'money', type: 'COleCurrency' },
        { name: 'dates', type: { fixed: 'COleDateTime', length: 2 } },
        { name: 'big', type: 'ULONGLONG' },
        { name: 'words', type: 'CWordArray' },
        { name: 'names', type: 'CMapStringToString' },
      ],
    },
    Ping: { fields: [] },
    // Grammar part two (SPEC §2): values read before decide what follows, so the scanner keeps them.
    Head: { fields: [{ name: 'magic', type: 'DWORD', const: 0x4e455431 }, { name: 'count', type: 'WORD' }] },
    Login: { fields: [{ name: 'user', type: 'CString' }, { name: 'session', type: 'DWORD' }] },
    Nothing: { fields: [] },
    CVersioned: { class: 'CVersioned', schema: 2, versionable: true, fields: [
      { name: 'name', type: 'CString' },
      { name: 'email', type: 'CString', when: { schema: { ge: 2 } } },
    ] },
    Packet: { fields: [
      { name: 'head', type: 'Head' },
      { name: 'seq', type: 'DWORD', byteOrder: 'big' },
      { name: 'kind', type: 'BYTE' },
      { name: 'body', type: { switch: 'kind', cases: { '1': 'Login', '2': 'CString', '3': { list: 'WORD', count: 'BYTE' } }, default: 'Nothing' } },
      { name: 'flag', type: 'bool' },
      { name: 'extra', type: 'CRect', when: { field: 'flag', eq: true } },
      { name: 'ids', type: { list: 'DWORD', countField: 'head.count' } },
      { name: 'len', type: 'int' },
      { name: 'raw', type: { bytes: { countField: 'len' } } },
      { name: 'mac', type: { bytes: 6 } },
      { name: 'owners', type: { list: { object: 'CVersioned' } } },
    ] },
  },
});

interface Sample {
  name: string;
  codec: MessageCodec;
  bytes: Buffer;
  /** The whole-buffer decode, as JSON text. */
  json: string;
}

function sample(name: string, type: string, value: unknown): Sample {
  const codec = registry.get(type);
  const bytes = codec.encode(value);
  return { name, codec, bytes, json: JSON.stringify(codec.decode(bytes)) };
}

const node = (): Record<string, unknown> => {
  const a: Record<string, unknown> = { $class: 'CNode', value: 1 };
  a.next = { $class: 'CNode', value: 2, next: a }; // A → B → A
  return a;
};
const leaf = { $class: 'CLeaf', $schema: 2, tag: 'leaf' };
const order = {
  id: 7, customer: 'ACME Trading Company', placed: '2019-10-03T14:47:55Z', total: 12.5, priority: 2, express: true,
  lines: Array.from({ length: 5 }, (_, i) => ({ sku: `SKU-000${i}`, qty: i + 1, price: 2.5 * i })),
  notes: ['deliver before 9', 'ring the bell twice'],
};

const packet = (kind: number, body: unknown, flag: boolean) => ({
  head: { magic: 0x4e455431, count: 3 }, seq: 0x01020304, kind, body, flag,
  ...(flag ? { extra: { left: 1, top: 2, right: 3, bottom: 4 } } : {}),
  ids: [1, 2, 3], len: 5, raw: 'AQIDBAU=', mac: 'AAECAwQF',
  owners: [{ $class: 'CVersioned', name: 'Ann', email: 'a@x' }, { $class: 'CVersioned', name: 'Bob', email: 'b@x' }],
});

const SAMPLES: Sample[] = [
  sample('the reference Order', 'Order', order),
  sample('part two: a login packet with every construct', 'Packet', packet(1, { user: 'bob', session: 7 }, true)),
  sample('part two: a WORD list case, no extra', 'Packet', packet(3, [1, 2], false)),
  sample('part two: the default case', 'Packet', packet(9, {}, true)),
  sample('part two: an object stored by schema 1 (no e-mail), a CString case', 'Packet', {
    ...packet(2, 'hi', false),
    owners: [{ $class: 'CVersioned', $schema: 1, name: 'Old' }, { $class: 'CVersioned', name: 'Same class: schema 1 too' }],
  }),
  ...[0, 1, 254, 255, 256, 0xfffd, 0xfffe, 0xffff].map((n) => sample(`CString of ${n}`, 'Str', { s: 'é'.repeat(n) })),
  ...[0, 254, 255, 0xfffd, 0xfffe].map((n) => sample(`CStringW of ${n}`, 'WStr', { s: '€'.repeat(n) })),
  sample('objects with back-references and a cycle', 'Graph', (() => {
    const head = node();
    return { head, all: [head.next, null, leaf, head], byName: [['a', head], ['leaf', leaf], ['none', null]], blob: 'AQID' };
  })()),
  sample('a big CByteArray in a graph', 'Graph', { head: null, all: [], byName: [], blob: randomBytes(96 * 1024).toString('base64') }),
  sample('mixed primitives', 'Mixed', {
    when: '2019-10-03T14:47:55Z', v: { vt: 'VT_BSTR', value: 'héllo' }, id: '6b29fc40-ca47-1067-b31d-00dd010662da',
    rect: { left: 1, top: 2, right: 3, bottom: 4 }, money: '-1.5', dates: ['2000-01-01T00:00:00', { status: 'null', date: 0 }],
    big: '18446744073709551615', words: [1, 2, 65535], names: [['k', 'v'], ['', 'x'.repeat(300)]],
  }),
];

/**
 * Every split point of messages up to 4 KiB; for bigger ones (each split re-decodes it whole) every
 * point in the first and last 200 bytes, where the headers and the last element are, and 63 between.
 */
function splitPoints(n: number): number[] {
  if (n <= 4096) return Array.from({ length: n + 1 }, (_, k) => k);
  const points = new Set<number>();
  for (let k = 0; k <= 200; k++) points.add(k).add(n - k);
  for (let i = 1; i < 64; i++) points.add(Math.floor((n * i) / 64));
  return [...points].sort((a, b) => a - b);
}

/** Cheap check for the hot loops (one call per byte fed): `expect` only on failure. */
function check(ok: boolean, message: () => string): void {
  if (!ok) expect.fail(message());
}

/** Pushes `chunks` in order, trying after each; checks every answer and the final value. */
function feed(s: Sample, chunks: Buffer[], state = new LoadState(), lb = new LoadBuffer()): void {
  const n = s.bytes.length;
  let pushed = 0;
  for (const chunk of chunks) {
    lb.push(chunk);
    pushed += chunk.length;
    const r = lb.tryDecode(s.codec, state);
    if (!r.done) {
      check(pushed < n, () => `${s.name}: incomplete after all ${n} bytes`);
      check(r.need >= 1, () => `${s.name}: need ${r.need} after ${pushed} of ${n} bytes`);
      check(r.need <= n - pushed, () => `${s.name}: need ${r.need} overstates the ${n - pushed} bytes missing`);
      check(lb.length === pushed, () => `${s.name}: an incomplete message consumed ${pushed - lb.length} bytes`);
      const again = lb.tryDecode(s.codec, state);
      check(!again.done && again.need === r.need && lb.length === pushed, () => `${s.name}: asking again changed the answer`);
      continue;
    }
    expect(pushed, `${s.name}: decoded before all of its bytes arrived`).toBe(n);
    expect(r.length).toBe(n);
    expect(lb.length).toBe(0);
    expect(lb.offset).toBe(n);
    expect(JSON.stringify(r.value), `${s.name}: chunked decode differs from the whole-buffer decode`).toBe(s.json);
    return;
  }
  expect.fail(`${s.name}: never decoded`);
}

describe('a message split into chunks decodes as the whole buffer does', () => {
  it('the whole-buffer decode is the value that was encoded (sanity)', () => {
    expect(JSON.parse(SAMPLES[0].json)).toStrictEqual(order);
    expect(SAMPLES.find((s) => s.name === 'CString of 255')!.bytes.subarray(0, 3).toString('hex')).toBe('ffff00');
    expect(SAMPLES.find((s) => s.name === 'CString of 65534')!.bytes.subarray(0, 7).toString('hex')).toBe('fffffffeff0000');
  });

  it.each(SAMPLES.map((s) => [s.name, s] as const))('%s: two chunks, split at every point', (_name, s) => {
    for (const k of splitPoints(s.bytes.length)) feed(s, [s.bytes.subarray(0, k), s.bytes.subarray(k)]);
  });

  it.each(SAMPLES.map((s) => [s.name, s] as const))('%s: one byte at a time', (_name, s) => {
    feed(s, Array.from({ length: s.bytes.length }, (_, i) => s.bytes.subarray(i, i + 1)));
  });

  it('random multi-chunk splits', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SAMPLES),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }),
        (s, fractions) => {
          const cuts = [...new Set(fractions.map((f) => Math.floor(f * s.bytes.length)))].sort((a, b) => a - b);
          const chunks = [...cuts, s.bytes.length].map((to, i) => s.bytes.subarray(i === 0 ? 0 : cuts[i - 1], to));
          feed(s, chunks);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a type that writes nothing is complete with no bytes at all', () => {
    const ping = sample('Ping', 'Ping', {});
    expect(ping.bytes.length).toBe(0);
    feed(ping, [Buffer.alloc(0)]);
  });
});

describe('messages back to back in one buffer', () => {
  it('Order then OrderAck, split at every point: each consumes exactly its own bytes', () => {
    const first = SAMPLES[0];
    const second = sample('OrderAck', 'OrderAck', { id: 7, status: -1, message: 'out of stock' });
    const all = Buffer.concat([first.bytes, second.bytes]);
    const [n1, n2] = [first.bytes.length, second.bytes.length];
    for (let k = 0; k <= all.length; k++) {
      const lb = new LoadBuffer();
      const state = new LoadState();
      lb.push(all.subarray(0, k));
      const early = lb.tryDecode(first.codec, state);
      if (k < n1) {
        expect(early.done).toBe(false);
        expect(lb.length).toBe(k);
      } else {
        expect(early).toMatchObject({ done: true, length: n1 });
        expect(lb.length).toBe(k - n1);
        if (k < n1 + n2) expect(lb.tryDecode(second.codec, state).done).toBe(false); // the second is not all here
      }
      lb.push(all.subarray(k));
      if (!early.done) expect(lb.tryDecode(first.codec, state)).toMatchObject({ done: true, length: n1 });
      expect(lb.length).toBe(n2);
      const r2 = lb.tryDecode(second.codec, state);
      expect(r2.done && JSON.stringify(r2.value)).toBe(second.json);
      expect(lb.length).toBe(0);
      expect(lb.offset).toBe(n1 + n2);
    }
  });

  it('a connection-long archive: the second message refers to the first one’s class and object', () => {
    const codec = registry.codecFor({ object: 'CNode' });
    const store = new StoreState();
    const a = node();
    const m1 = codec.encode(a, store);
    const m2 = codec.encode({ $class: 'CNode', value: 3, next: a }, store); // class tag 0x8001, back-reference to A
    expect(m2.subarray(0, 2).toString('hex')).toBe('0180');
    const whole = new LoadState();
    const want = [JSON.stringify(codec.decode(m1, whole)), JSON.stringify(codec.decode(m2, whole))];
    const all = Buffer.concat([m1, m2]);
    for (let k = 0; k <= all.length; k++) {
      const lb = new LoadBuffer();
      const state = new LoadState();
      const got: string[] = [];
      for (const part of [all.subarray(0, k), all.subarray(k)]) {
        lb.push(part);
        for (let r = lb.tryDecode(codec, state); r.done; r = lb.tryDecode(codec, state)) got.push(JSON.stringify(r.value));
      }
      expect(got).toStrictEqual(want);
      expect(lb.length).toBe(0);
      expect(state.count).toBe(whole.count);
    }
  });
});

describe('large payloads decode in linear time whatever the chunking', () => {
  it('a CByteArray of 8 MiB in 64 KiB chunks: time well under quadratic relative to 1 MiB, and to one chunk', () => {
    const codec = registry.codecFor('CByteArray');
    const CHUNK = 64 * 1024;
    const messages = new Map([1, 8].map((mib) => [mib, codec.encode(Buffer.alloc(mib * 1024 * 1024, 0x5a))]));
    const run = (bytes: Buffer, chunk: number): number => {
      gc(); // a collection due anyway must not land inside one run and not in another
      const started = performance.now();
      const lb = new LoadBuffer();
      const state = new LoadState();
      let done = false;
      for (let at = 0; at < bytes.length; at += chunk) {
        lb.push(bytes.subarray(at, at + chunk));
        const r = lb.tryDecode(codec, state);
        done = r.done;
        if (r.done) check((r.value as string).length === Math.ceil((bytes.length - 6) / 3) * 4, () => 'wrong value');
      }
      const took = performance.now() - started;
      expect(done).toBe(true);
      return took;
    };
    // Interleaved, after a warm-up round, each the median of 5: the machine's noise (other test
    // workers, page faults of fresh multi-MiB buffers) then weighs on every series alike.
    const series = { small: [] as number[], large: [] as number[], whole: [] as number[] };
    for (let i = 0; i < 6; i++) {
      series.small.push(run(messages.get(1)!, CHUNK));
      series.large.push(run(messages.get(8)!, CHUNK));
      series.whole.push(run(messages.get(8)!, messages.get(8)!.length));
    }
    const median = (xs: number[]) => xs.slice(1).sort((a, b) => a - b)[2];
    const [small, large, whole] = [median(series.small), median(series.large), median(series.whole)];
    const report = `1 MiB chunked: ${small.toFixed(1)} ms, 8 MiB chunked: ${large.toFixed(1)} ms, 8 MiB in one chunk: ${whole.toFixed(1)} ms`;
    // Linear is at most about 8 (fixed costs make it less); quadratic (re-reading all that arrived for
    // every chunk) is up to 64.
    expect(large / small, report).toBeLessThan(24);
    // The same 8 MiB in 128 chunks or in one: linear costs an extra copy or two (measured 3–9× on a
    // busy 2-core machine: the one-chunk run is ~1 ms, where noise weighs most); quadratic, 64 of them.
    expect(large / whole, report).toBeLessThan(16);
  });
});
