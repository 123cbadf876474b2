/**
 * Generated encoders of sequences: fixed arrays, lists (their count first: WriteCount, an integer
 * type, or nothing when an earlier field holds it — then the length must equal that field) and maps
 * (arrays of [key, value]); raw byte blocks. Lists and maps also take the lossless form
 * `{"items": […], "countForm": …}` of a WriteCount written longer than MFC writes (SPEC §2).
 */
import { writeCount, writeCountAs } from '../wire/count.js';
import { COUNT_FORMS, widthForm } from '../wire/width-form.js';
import { fromBase64 } from '../wire/base64.js';
import { generate } from '../wire/generated-function.js';
import { validationError } from '../errors.js';
import { expected, onlyKeys } from '../values/primitive.js';
import { Utf8Text } from '../json/utf8-text.js';
import type { BytesPlan, FixedPlan, ListPlan, MapPlan, Plan } from '../types/type-plan.js';
import { encodeHelpers } from './encode-helpers.js';
import type { Encoder } from './struct-encoder.js';

const helpers = {
  ...encodeHelpers,
  /** `{"items": […], "countForm": …}`: the items, with the form checked. */
  unwrap(v: unknown, what: string): { items: unknown[]; form: ReturnType<typeof widthForm> } {
    const o = (typeof v === 'object' && v !== null ? v : {}) as { items?: unknown; countForm?: unknown };
    if (!Array.isArray(o.items)) return expected(`${what}, or {"items": […], "countForm": …}`, v);
    onlyKeys(o, ['items', 'countForm'], 'a list object form');
    return { items: o.items, form: widthForm(o.countForm, COUNT_FORMS, 'countForm') };
  },
  countTooBig(n: number, name: string): never {
    throw validationError(`${n} elements do not fit the ${name} count written before them`);
  },
};

export function repeatEncoder(plan: FixedPlan | ListPlan | MapPlan, child: (p: Plan) => Encoder): Encoder {
  const isMap = plan.kind === 'map';
  const what = JSON.stringify(isMap ? 'an array of [key, value] pairs' : 'an array');
  const params: Record<string, unknown> = { H: helpers, WC: writeCount, WCA: writeCountAs };
  if (isMap) {
    params.K = child(plan.key);
    params.V = child(plan.value);
  } else {
    params.E = child(plan.elem);
  }
  let head: string[];
  if (plan.kind === 'fixed') {
    head = [
      `  if (!Array.isArray(v) || v.length !== ${plan.length}) H.notArray(v, "an array of exactly ${plan.length} elements");`,
      '  var n = v.length;',
    ];
  } else {
    const cap = `  if (n > ${plan.limits.maxArrayLength}) H.tooMany(n, ${plan.limits.maxArrayLength});`;
    const count = plan.count;
    if (count.kind === 'writeCount') {
      head = [
        '  var form;',
        `  if (!Array.isArray(v)) { var u = H.unwrap(v, ${what}); v = u.items; form = u.form; }`,
        '  var n = v.length;',
        cap,
        `  if (form === undefined) WC(w, n, ${count.escape64}); else WCA(w, n, form, ${count.escape64});`,
      ];
    } else if (count.kind === 'prim') {
      params.CW = count.prim.write;
      head = [
        `  if (!Array.isArray(v)) H.notArray(v, ${what});`,
        '  var n = v.length;',
        cap,
        `  try { CW(w, n); } catch (e) { H.countTooBig(n, ${JSON.stringify(count.prim.name)}); }`,
      ];
    } else {
      head = [
        `  if (!Array.isArray(v)) H.notArray(v, ${what});`,
        '  var n = v.length;',
        cap,
        `  if (n !== x) H.countMismatch(n, x, ${JSON.stringify(count.ref.path)});`,
      ];
    }
  }
  const body = isMap
    ? [
        '      var e = v[i];',
        '      if (!Array.isArray(e) || e.length !== 2) H.notArray(e, "a [key, value] pair");',
        '      p = 0; K(w, e[0], s);',
        '      p = 1; V(w, e[1], s);',
      ]
    : ['      E(w, v[i], s);'];
  return generate<Encoder>(params, [
    `return function encode_${plan.kind}(w, v, s, x) {`,
    ...head,
    '  var i = 0, p = -1;',
    '  try {',
    '    for (; i < n; i++) {',
    ...body,
    '    }',
    `  } catch (e) { throw p < 0 ? H.at(e, i) : H.at(H.at(e, p), i); }`,
    '};',
  ]);
}

/** The bytes of a block value: base64 (or, from JavaScript, a Uint8Array). */
function blockBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  const raw = typeof v === 'string' || v instanceof Utf8Text ? fromBase64(v) : null;
  if (raw === null) return expected('base64 bytes', v);
  return raw;
}

export function bytesEncoder(plan: BytesPlan): Encoder {
  if (plan.length !== undefined) {
    const n = plan.length;
    return (w, v) => {
      const raw = blockBytes(v);
      if (raw.length !== n) throw validationError(`expected exactly ${n} bytes, got ${raw.length}`);
      w.bytes(raw);
    };
  }
  const count = plan.count!;
  if (count.kind === 'field') {
    const path = count.ref.path;
    return (w, v, _s, x) => {
      const raw = blockBytes(v);
      if (raw.length !== x) encodeHelpers.countMismatch(raw.length, x as number, path, 'byte(s)');
      w.bytes(raw);
    };
  }
  const prim = count.prim;
  const max = plan.limits.maxMessageBytes;
  return (w, v) => {
    const raw = blockBytes(v);
    if (raw.length > max) throw validationError(`${raw.length} bytes exceed maxMessageBytes (${max})`);
    try {
      prim.write(w, raw.length);
    } catch {
      throw validationError(`${raw.length} bytes do not fit the ${prim.name} count written before them`);
    }
    w.bytes(raw);
  };
}
