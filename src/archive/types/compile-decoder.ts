/**
 * Compiles a plan into a decoder: archive bytes → JSON value. Struct decoders are generated code
 * that builds each object with one literal (a stable shape). Counts are checked against the bytes
 * actually present before anything is allocated, so a hostile count costs nothing.
 */
import type { ArchiveReader } from '../wire/archive-reader.js';
import type { LoadState } from '../objects/archive-state.js';
import { readCount } from '../wire/count.js';
import { atPath, decodeError } from '../errors.js';
import { generate } from '../wire/generated-function.js';
import { readObjectHeader } from '../objects/object-header.js';
import { minSize, type FixedPlan, type ListPlan, type MapPlan, type ObjectPlan, type Plan, type StructPlan } from './type-plan.js';

export type Decoder = (r: ArchiveReader, s: LoadState) => unknown;
type ClassDecoder = (r: ArchiveReader, s: LoadState, id: number, cls: string) => Record<string, unknown>;

const helpers = {
  at: atPath,
  tooDeep(r: ArchiveReader, max: number): never {
    throw decodeError('limit', `the message nests deeper than ${max} levels (maxDepth)`, r.offset);
  },
  tooMany(n: number, max: number, at: number): never {
    throw decodeError('limit', `a count of ${n} exceeds maxArrayLength (${max})`, at);
  },
  tooManyEmpty(max: number, at: number): never {
    throw decodeError('limit', `more than ${max} elements that take no bytes in one message (maxMessageBytes)`, at);
  },
};

const plain = new WeakMap<Plan, Decoder>();
const asClass = new WeakMap<StructPlan, ClassDecoder>();

export function decoderFor(plan: Plan): Decoder {
  let dec = plain.get(plan);
  if (dec === undefined) {
    dec = plan.kind === 'struct' ? (structDecoder(plan, false) as Decoder) : build(plan);
    plain.set(plan, dec);
  }
  return dec;
}

function classDecoderFor(plan: StructPlan): ClassDecoder {
  let dec = asClass.get(plan);
  if (dec === undefined) {
    dec = structDecoder(plan, true) as ClassDecoder;
    asClass.set(plan, dec);
  }
  return dec;
}

function build(plan: Exclude<Plan, StructPlan>): Decoder {
  switch (plan.kind) {
    case 'prim':
      return plan.prim.read as Decoder;
    case 'fixed':
    case 'list':
    case 'map':
      return repeatDecoder(plan.kind, plan);
    case 'object':
      return objectDecoder(plan);
  }
}

function structDecoder(plan: StructPlan, forClass: boolean): Decoder | ClassDecoder {
  let impl: Decoder | ClassDecoder | undefined;
  if (plan.recursive) {
    // Recursive types reach themselves while compiling: register a trampoline first.
    const tramp = forClass
      ? (r: ArchiveReader, s: LoadState, id: number, cls: string) => (impl as ClassDecoder)(r, s, id, cls)
      : (r: ArchiveReader, s: LoadState) => (impl as Decoder)(r, s);
    if (forClass) asClass.set(plan, tramp as ClassDecoder);
    else plain.set(plan, tramp as Decoder);
  }
  const names = plan.fields.map((f) => f.name);
  const decoders = plan.fields.map((f) => decoderFor(f.plan));
  const max = plan.limits.maxDepth;
  const vars = names.map((_, i) => `f${i}`);
  const props = names.map((n, i) => `${JSON.stringify(n)}: f${i}`);
  if (forClass) props.unshift('"$class": cls', '"$id": id');
  const lines = [
    `return function decode_${plan.name.replace(/\W/g, '_')}(r, s${forClass ? ', id, cls' : ''}) {`,
    plan.recursive ? `  if (++s.depth > ${max}) H.tooDeep(r, ${max});` : '',
    `  var i = 0${vars.map((v) => `, ${v}`).join('')};`,
    '  try {',
    ...names.map((_, i) => `    f${i} = D${i}(r, s); i = ${i + 1};`),
    '  } catch (e) { throw H.at(e, N[i]); }',
    plan.recursive ? '  s.depth--;' : '',
    `  return {${props.join(', ')}};`,
    '};',
  ];
  const params: Record<string, unknown> = { H: helpers, N: names };
  decoders.forEach((d, i) => (params[`D${i}`] = d));
  impl = generate<Decoder | ClassDecoder>(params, lines);
  return plan.recursive ? (forClass ? asClass.get(plan)! : plain.get(plan)!) : impl;
}

/**
 * The element loop of fixed arrays, lists and maps. A count is refused past the caps, and the
 * bytes its elements need at least must be present before anything is allocated.
 */
function repeatDecoder(kind: 'fixed' | 'list' | 'map', plan: FixedPlan | ListPlan | MapPlan): Decoder {
  const isMap = plan.kind === 'map';
  const elemMin = isMap ? minSize(plan.key) + minSize(plan.value) : minSize(plan.elem);
  const head =
    plan.kind === 'fixed'
      ? [`  var n = ${plan.length};`]
      : [
          '  var at = r.offset;',
          `  var n = RC(r, ${plan.escape64});`,
          `  if (n > ${plan.limits.maxArrayLength}) H.tooMany(n, ${plan.limits.maxArrayLength}, at);`,
          // Elements of no bytes count as one byte each against the message cap: else a 6-byte count
          // (or nested ones) would expand to millions of values.
          elemMin === 0 ? `  if ((s.zeroSize += n) > ${plan.limits.maxMessageBytes}) H.tooManyEmpty(${plan.limits.maxMessageBytes}, at);` : '',
        ];
  const body = isMap
    ? ['      p = 0; var k = K(r, s);', '      p = 1; out[i] = [k, V(r, s)];']
    : ['      out[i] = E(r, s);'];
  const lines = [
    `return function decode_${kind}(r, s) {`,
    ...head,
    `  r.require(n * ${elemMin});`,
    '  var out = new Array(n), i = 0, p = 0;',
    '  try {',
    '    for (; i < n; i++) {',
    ...body,
    '    }',
    `  } catch (e) { throw ${isMap ? 'H.at(H.at(e, p), i)' : 'H.at(e, i)'}; }`,
    '  return out;',
    '};',
  ];
  return generate<Decoder>(
    {
      H: helpers,
      RC: readCount,
      E: isMap ? undefined : decoderFor(plan.elem),
      K: isMap ? decoderFor(plan.key) : undefined,
      V: isMap ? decoderFor(plan.value) : undefined,
    },
    lines,
  );
}

function objectDecoder(plan: ObjectPlan): Decoder {
  return (r, s) => {
    const h = readObjectHeader(r, s, plan);
    if (h.cls === undefined) return h.index < 0 ? null : { $ref: h.index };
    const info = h.cls.cls!;
    const o = classDecoderFor(h.cls)(r, s, h.index, info.name);
    if (h.schema !== info.schema) o.$schema = h.schema;
    return o;
  };
}
