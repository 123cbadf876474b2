/**
 * Compiles a plan into an encoder: JSON value → archive bytes, validating as it goes (the path of a
 * bad value is added while the error unwinds, so the success path pays nothing for it). Encoders
 * take both JSON forms, canonical and lossless (SPEC §2). Structs and sequences are generated code
 * (struct-encoder, repeat-encoder) — fixed property access is what makes schema-compiled codecs fast;
 * switches dispatch with a generated `switch`; objects are written as WriteObject writes them.
 */
import { atPath, validationError } from '../errors.js';
import { generate } from '../wire/generated-function.js';
import { writeClassRef, writeNewClass, writeObjectRef } from '../objects/object-tags.js';
import type { StoreState } from '../objects/archive-state.js';
import { expected } from '../values/primitive.js';
import type { ObjectPlan, Plan, StructPlan, SwitchPlan } from '../types/type-plan.js';
import { encodeHelpers } from './encode-helpers.js';
import { bytesEncoder, repeatEncoder } from './repeat-encoder.js';
import { structEncoder, type Encoder } from './struct-encoder.js';

export type { Encoder } from './struct-encoder.js';

const memo = new WeakMap<Plan, Encoder>();

export function encoderFor(plan: Plan): Encoder {
  let enc = memo.get(plan);
  if (enc === undefined) {
    enc = plan.kind === 'struct' ? struct(plan) : build(plan);
    memo.set(plan, enc);
  }
  return enc;
}

function build(plan: Exclude<Plan, StructPlan>): Encoder {
  switch (plan.kind) {
    case 'prim':
      return plan.prim.write as Encoder;
    case 'fixed':
    case 'list':
    case 'map':
      return repeatEncoder(plan, encoderFor);
    case 'bytes':
      return bytesEncoder(plan);
    case 'switch':
      return switchEncoder(plan);
    case 'object':
      return objectEncoder(plan);
  }
}

/** Class types accept `$class`, `$id`, `$schema` beside their fields (used inline they are ignored). */
function struct(plan: StructPlan): Encoder {
  if (!plan.recursive) return structEncoder(plan, encoderFor);
  // Recursive types reach themselves while compiling: register a trampoline first.
  let impl: Encoder | undefined;
  const tramp: Encoder = (w, v, s, sc) => impl!(w, v, s, sc);
  memo.set(plan, tramp);
  impl = structEncoder(plan, encoderFor);
  return tramp;
}

/** The case the tag written before chooses (`switch (nKind)`); its JSON is that case's value. */
function switchEncoder(plan: SwitchPlan): Encoder {
  const params: Record<string, unknown> = { H: encodeHelpers, F: plan.fallback === undefined ? undefined : encoderFor(plan.fallback) };
  const cases = plan.cases.map((c, i) => {
    params[`C${i}`] = encoderFor(c.plan);
    return `    case ${JSON.stringify(c.tag)}: C${i}(w, v, s); return;`;
  });
  const known = JSON.stringify(plan.cases.map((c) => String(c.tag)).join(', ') || 'none');
  // A 64-bit tag may be given as a number or a decimal string; its cases are decimal strings.
  const key = plan.tag.value === 'int64' ? '(typeof t === "number" ? String(t) : t)' : 't';
  return generate<Encoder>(params, [
    'return function encode_switch(w, v, s, t) {',
    `  switch (${key}) {`,
    ...cases,
    '  }',
    plan.fallback === undefined ? `  H.noCase(t, ${JSON.stringify(plan.tag.path)}, ${known});` : '  F(w, v, s);',
    '};',
  ]);
}

const OBJECT_WHAT = 'an object with "$class", {"$ref": n} or null';

function objectEncoder(plan: ObjectPlan): Encoder {
  const names = plan.classes.map((c) => c.cls!.name);
  const allowed = names.length > 0 ? names.join(', ') : 'none (no class is declared)';
  return (w, v, s) => {
    if (v === null) {
      w.u16(0);
      return;
    }
    if (typeof v !== 'object' || Array.isArray(v)) return expected(OBJECT_WHAT, v);
    const o = v as Record<string, unknown>;
    if (o.$ref !== undefined) {
      writeObjectRef(w, resolveRef(o.$ref, s, plan, allowed));
      return;
    }
    const seen = s.objects.get(o);
    if (seen !== undefined) {
      checkRefClass(s.objectClass[seen]!, plan, allowed);
      writeObjectRef(w, seen);
      return;
    }
    let cls: StructPlan | undefined;
    if (o.$class !== undefined) {
      cls = typeof o.$class === 'string' ? plan.byName.get(o.$class) : undefined;
      if (cls === undefined) throw atPath(validationError(`class ${JSON.stringify(o.$class)} is not allowed here; allowed: ${allowed}`), '$class');
    } else if (plan.classes.length === 1) {
      cls = plan.classes[0];
    } else {
      throw validationError(`"$class" is required to choose the class: one of ${allowed}`);
    }
    const info = cls.cls!;
    let schema = info.schema;
    if (o.$schema !== undefined) {
      if (!info.versionable || typeof o.$schema !== 'number' || o.$schema % 1 !== 0 || o.$schema < 0 || o.$schema > 0xfffe) {
        throw atPath(validationError(`"$schema" needs a versionable class and a WORD below 0xFFFF`), '$schema');
      }
      schema = o.$schema;
    }
    const classIndex = s.classes.get(info.name);
    if (classIndex === undefined) {
      writeNewClass(w, info, schema);
      s.addClass(info.name, schema);
    } else {
      // The descriptor is written once per archive: every later object of the class has its schema.
      const stored = s.classSchemas.get(info.name)!;
      if (o.$schema !== undefined && o.$schema !== stored) {
        throw atPath(validationError(`class ${info.name} was written with schema ${stored} earlier in this archive; its objects all have that schema`), '$schema');
      }
      schema = stored;
      writeClassRef(w, classIndex);
    }
    const index = s.addObject(o, info.name);
    if (o.$id !== undefined) {
      s.labels ??= new Map();
      if (s.labels.has(o.$id)) throw atPath(validationError(`"$id" ${JSON.stringify(o.$id)} labels two objects`), '$id');
      s.labels.set(o.$id, index);
    }
    encoderFor(cls)(w, o, s, schema);
  };
}

function checkRefClass(className: string, plan: ObjectPlan, allowed: string): void {
  if (!plan.byName.has(className)) {
    throw validationError(`the referenced object is a ${className}; allowed here: ${allowed}`);
  }
}

/** `$ref` names a `$id` of this message, else an object index written earlier on this archive. */
function resolveRef(ref: unknown, s: StoreState, plan: ObjectPlan, allowed: string): number {
  let index = s.labels?.get(ref);
  if (index === undefined && typeof ref === 'number' && Number.isInteger(ref) && ref >= 1 && ref < s.count) {
    if (s.objectClass[ref] !== undefined) index = ref;
  }
  if (index === undefined) {
    throw atPath(
      validationError(`{"$ref": ${JSON.stringify(ref)}} names no object written before it (objects are written in order; the first occurrence must be the object itself)`),
      '$ref',
    );
  }
  checkRefClass(s.objectClass[index]!, plan, allowed);
  return index;
}
