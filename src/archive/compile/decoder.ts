/**
 * Compiles a plan into a decoder — archive bytes → JSON value — once per JSON form (SPEC §2
 * "Canonical and lossless JSON"): `lossless` (decoding then encoding reproduces the bytes) and
 * `canonical` (one shape per MFC type). Structs and sequences are generated code (struct-decoder,
 * repeat-decoder); switches dispatch with a generated `switch`; objects go through ReadObject's checks.
 */
import type { ArchiveReader } from '../wire/archive-reader.js';
import type { LoadState } from '../objects/archive-state.js';
import { generate } from '../wire/generated-function.js';
import { readObjectHeader } from '../objects/object-header.js';
import { readerOf, type JsonForm } from '../values/json-form.js';
import type { ObjectPlan, Plan, StructPlan, SwitchPlan } from '../types/type-plan.js';
import { decodeHelpers } from './decode-helpers.js';
import { bytesDecoder, repeatDecoder } from './repeat-decoder.js';
import { structDecoder, type ClassDecoder, type Decoder } from './struct-decoder.js';

export type { Decoder } from './struct-decoder.js';

const plain: Record<JsonForm, WeakMap<Plan, Decoder>> = { canonical: new WeakMap(), lossless: new WeakMap() };
const asClass: Record<JsonForm, WeakMap<StructPlan, ClassDecoder>> = { canonical: new WeakMap(), lossless: new WeakMap() };

export function decoderFor(plan: Plan, form: JsonForm = 'lossless'): Decoder {
  let dec = plain[form].get(plan);
  if (dec === undefined) {
    dec = plan.kind === 'struct' ? (struct(plan, form, false) as Decoder) : build(plan, form);
    plain[form].set(plan, dec);
  }
  return dec;
}

function classDecoderFor(plan: StructPlan, form: JsonForm): ClassDecoder {
  let dec = asClass[form].get(plan);
  if (dec === undefined) {
    dec = struct(plan, form, true) as ClassDecoder;
    asClass[form].set(plan, dec);
  }
  return dec;
}

function build(plan: Exclude<Plan, StructPlan>, form: JsonForm): Decoder {
  switch (plan.kind) {
    case 'prim':
      return readerOf(plan.prim, form) as Decoder;
    case 'fixed':
    case 'list':
    case 'map':
      return repeatDecoder(plan, form, (p) => decoderFor(p, form));
    case 'bytes':
      return bytesDecoder(plan);
    case 'switch':
      return switchDecoder(plan, form);
    case 'object':
      return objectDecoder(plan, form);
  }
}

function struct(plan: StructPlan, form: JsonForm, forClass: boolean): Decoder | ClassDecoder {
  if (!plan.recursive) return structDecoder(plan, form, forClass, (f, fieldForm) => decoderFor(f.plan, fieldForm));
  // Recursive types reach themselves while compiling: register a trampoline first.
  let impl: Decoder | ClassDecoder | undefined;
  const tramp = forClass
    ? (r: ArchiveReader, s: LoadState, id: number, cls: string, sc: number) => (impl as ClassDecoder)(r, s, id, cls, sc)
    : (r: ArchiveReader, s: LoadState) => (impl as Decoder)(r, s);
  if (forClass) asClass[form].set(plan, tramp as ClassDecoder);
  else plain[form].set(plan, tramp as Decoder);
  impl = structDecoder(plan, form, forClass, (f, fieldForm) => decoderFor(f.plan, fieldForm));
  return tramp;
}

/** What follows depends on a tag read before (`switch (nKind)`): one generated `switch`. */
function switchDecoder(plan: SwitchPlan, form: JsonForm): Decoder {
  const params: Record<string, unknown> = { H: decodeHelpers, F: plan.fallback === undefined ? undefined : decoderFor(plan.fallback, form) };
  const cases = plan.cases.map((c, i) => {
    params[`C${i}`] = decoderFor(c.plan, form);
    return `    case ${JSON.stringify(c.tag)}: return C${i}(r, s);`;
  });
  const known = JSON.stringify(plan.cases.map((c) => String(c.tag)).join(', ') || 'none');
  return generate<Decoder>(params, [
    'return function decode_switch(r, s, t) {',
    '  switch (t) {',
    ...cases,
    '  }',
    plan.fallback === undefined ? `  return H.noCase(r, t, ${JSON.stringify(plan.tag.path)}, ${known});` : '  return F(r, s);',
    '};',
  ]);
}

function objectDecoder(plan: ObjectPlan, form: JsonForm): Decoder {
  return (r, s) => {
    const h = readObjectHeader(r, s, plan);
    if (h.cls === undefined) return h.index < 0 ? null : { $ref: h.index };
    const info = h.cls.cls!;
    const o = classDecoderFor(h.cls, form)(r, s, h.index, info.name, h.schema);
    if (h.schema !== info.schema) o.$schema = h.schema;
    return o;
  };
}
