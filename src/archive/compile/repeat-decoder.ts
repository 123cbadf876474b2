/**
 * Generated decoders of sequences: fixed arrays, lists and maps (their count read as WriteCount, as
 * an integer type, or given by an earlier field), and raw byte blocks. A count is refused past the
 * caps, and the bytes its elements need at least must be present before anything is allocated: a
 * DWORD count of 4 billion costs nothing (SPEC §5). Lossless lists keep a count MFC would have
 * written shorter as `{"items": […], "countForm": …}` (SPEC §2).
 */
import { readCount, minimalCountBytes } from '../wire/count.js';
import { toBase64 } from '../wire/base64.js';
import { formOfSize } from '../wire/width-form.js';
import { generate } from '../wire/generated-function.js';
import type { JsonForm } from '../values/json-form.js';
import { readerOf } from '../values/json-form.js';
import { minSize, type BytesPlan, type CountPlan, type FixedPlan, type ListPlan, type MapPlan, type Plan } from '../types/type-plan.js';
import { decodeHelpers } from './decode-helpers.js';
import { MAX_EMPTY_ELEMENTS } from '../values/limits.js';
import type { Decoder } from './struct-decoder.js';

const helpers = {
  ...decodeHelpers,
  /** The lossless form of a list whose WriteCount took more bytes than MFC writes. */
  wrap(items: unknown[], used: number, n: number): unknown {
    return used === minimalCountBytes(n) ? items : { items, countForm: formOfSize(used) };
  },
};

/** Source lines that set `n` (and `at`, `c0`) from the count; `param` when an earlier field holds it. */
function countHead(count: CountPlan, params: Record<string, unknown>): string[] {
  switch (count.kind) {
    case 'writeCount':
      params.RC = readCount;
      return ['  var at = r.offset, c0 = r.pos;', `  var n = RC(r, ${count.escape64});`];
    case 'prim':
      params.CR = readerOf(count.prim, 'canonical');
      return ['  var at = r.offset;', '  var n = H.count(CR(r), r, "");'];
    case 'field':
      return ['  var at = r.offset;', '  var n = x;'];
  }
}

export function repeatDecoder(plan: FixedPlan | ListPlan | MapPlan, form: JsonForm, child: (p: Plan) => Decoder): Decoder {
  const isMap = plan.kind === 'map';
  const elemMin = isMap ? minSize(plan.key) + minSize(plan.value) : minSize(plan.elem);
  const params: Record<string, unknown> = { H: helpers };
  if (isMap) {
    params.K = child(plan.key);
    params.V = child(plan.value);
  } else {
    params.E = child(plan.elem);
  }
  const head = [
    ...(plan.kind === 'fixed'
      ? [`  var n = ${plan.length};`]
      : [...countHead(plan.count, params), `  if (n > ${plan.limits.maxArrayLength}) H.tooMany(n, ${plan.limits.maxArrayLength}, at);`]),
    // Elements of no bytes are counted against one cap per message: else a few bytes of counts
    // (nested, or around a fixed array) would expand to billions of values (values/limits.ts).
    elemMin === 0 ? `  if ((s.zeroSize += n) > ${MAX_EMPTY_ELEMENTS}) H.tooManyEmpty(${plan.kind === 'fixed' ? 'r.offset' : 'at'});` : '',
  ];
  const keepsForm = plan.kind !== 'fixed' && plan.count.kind === 'writeCount' && form === 'lossless';
  const body = isMap
    ? ['      p = 0; var k = K(r, s);', '      p = 1; out[i] = [k, V(r, s)];']
    : ['      out[i] = E(r, s);'];
  return generate<Decoder>(params, [
    `return function decode_${plan.kind}(r, s, x) {`,
    ...head,
    keepsForm ? '  var used = r.pos - c0;' : '',
    `  r.require(n * ${elemMin});`,
    '  var out = new Array(n), i = 0, p = 0;',
    '  try {',
    '    for (; i < n; i++) {',
    ...body,
    '    }',
    `  } catch (e) { throw ${isMap ? 'H.at(H.at(e, p), i)' : 'H.at(e, i)'}; }`,
    keepsForm ? '  return H.wrap(out, used, n);' : '  return out;',
    '};',
  ]);
}

/** A raw block: N bytes, or a count then the bytes; base64 in either JSON form. */
export function bytesDecoder(plan: BytesPlan): Decoder {
  const max = plan.limits.maxMessageBytes;
  if (plan.length !== undefined) {
    const n = plan.length;
    return (r) => toBase64(r.bytes(n));
  }
  const count = plan.count!;
  if (count.kind === 'field') {
    return (r, _s, x) => {
      const n = x as number;
      if (n > max) helpers.tooManyBytes(n, max, r.offset);
      return toBase64(r.bytes(n));
    };
  }
  const read = readerOf(count.prim, 'canonical');
  return (r) => {
    const at = r.offset;
    const n = helpers.count(read(r), r, '');
    if (n > max) helpers.tooManyBytes(n, max, at);
    return toBase64(r.bytes(n));
  };
}
