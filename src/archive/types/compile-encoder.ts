/**
 * Compiles a plan into an encoder: JSON value → archive bytes, validating as it goes (the path of a
 * bad value is added while the error unwinds, so the success path pays nothing for it). Struct
 * encoders are generated once per type with `new Function` — field names enter the code only as
 * JSON string literals — because fixed property access is what makes schema-compiled codecs fast.
 */
import type { ArchiveWriter } from '../wire/archive-writer.js';
import type { StoreState } from '../objects/archive-state.js';
import { writeCount } from '../wire/count.js';
import { atPath, validationError } from '../errors.js';
import { generate } from '../wire/generated-function.js';
import { writeClassRef, writeNewClass, writeObjectRef } from '../objects/object-tags.js';
import { expected } from '../values/primitive.js';
import type { ListPlan, MapPlan, FixedPlan, ObjectPlan, Plan, StructPlan } from './type-plan.js';

export type Encoder = (w: ArchiveWriter, value: unknown, s: StoreState) => void;

const META_KEYS = ['$class', '$id', '$schema'];

const helpers = {
  at: atPath,
  notObject(v: unknown, name: string): never {
    return expected(`an object (${name})`, v);
  },
  notArray(v: unknown, what: string): never {
    return expected(what, v);
  },
  tooMany(n: number, max: number): never {
    throw validationError(`${n} elements exceed maxArrayLength (${max})`);
  },
  tooDeep(max: number): never {
    throw validationError(`the value nests deeper than ${max} levels (maxDepth)`);
  },
  /** Called when the key count differs from the field count: refuses unknown keys by name. */
  extra(v: Record<string, unknown>, names: readonly string[], allowMeta: boolean): void {
    for (const key of Object.keys(v)) {
      if (names.includes(key) || (allowMeta && META_KEYS.includes(key))) continue;
      throw atPath(validationError(`unknown field; expected only ${names.join(', ') || 'no fields'}`), key);
    }
  },
};

const memo = new WeakMap<Plan, Encoder>();

export function encoderFor(plan: Plan): Encoder {
  let enc = memo.get(plan);
  if (enc === undefined) {
    enc = plan.kind === 'struct' ? structEncoder(plan) : build(plan);
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
      return repeatEncoder(plan);
    case 'object':
      return objectEncoder(plan);
  }
}

/** Class types accept `$class`, `$id`, `$schema` beside their fields (used inline they are ignored). */
function structEncoder(plan: StructPlan): Encoder {
  const allowMeta = plan.cls !== undefined;
  // Recursive types reach themselves while compiling: register a trampoline first.
  let impl: Encoder | undefined;
  if (plan.recursive) memo.set(plan, (w, v, s) => impl!(w, v, s));
  const names = plan.fields.map((f) => f.name);
  const fieldEncoders = plan.fields.map((f) => encoderFor(f.plan));
  const max = plan.limits.maxDepth;
  const lines = [
    `return function encode_${plan.name.replace(/\W/g, '_')}(w, v, s) {`,
    `  if (typeof v !== "object" || v === null || Array.isArray(v)) H.notObject(v, ${JSON.stringify(plan.name)});`,
    plan.recursive ? `  if (++s.depth > ${max}) H.tooDeep(${max});` : '',
    '  var i = 0;',
    '  try {',
    ...names.map((n, i) => `    E${i}(w, v[${JSON.stringify(n)}], s); i = ${i + 1};`),
    '  } catch (e) { throw H.at(e, N[i]); }',
    plan.recursive ? '  s.depth--;' : '',
    `  if (Object.keys(v).length !== ${names.length}) H.extra(v, N, ${allowMeta});`,
    '};',
  ];
  const params: Record<string, unknown> = { H: helpers, N: names };
  fieldEncoders.forEach((e, i) => (params[`E${i}`] = e));
  impl = generate<Encoder>(params, lines);
  if (!plan.recursive) memo.set(plan, impl);
  return plan.recursive ? memo.get(plan)! : impl;
}

/** The element loop of fixed arrays, lists (WriteCount first) and maps (arrays of [key, value]). */
function repeatEncoder(plan: FixedPlan | ListPlan | MapPlan): Encoder {
  const isMap = plan.kind === 'map';
  const head =
    plan.kind === 'fixed'
      ? [
          `  if (!Array.isArray(v) || v.length !== ${plan.length}) H.notArray(v, "an array of exactly ${plan.length} elements");`,
          '  var n = v.length;',
        ]
      : [
          `  if (!Array.isArray(v)) H.notArray(v, ${JSON.stringify(isMap ? 'an array of [key, value] pairs' : 'an array')});`,
          '  var n = v.length;',
          `  if (n > ${plan.limits.maxArrayLength}) H.tooMany(n, ${plan.limits.maxArrayLength});`,
          `  WC(w, n, ${plan.escape64});`,
        ];
  const body = isMap
    ? [
        '      var e = v[i];',
        '      if (!Array.isArray(e) || e.length !== 2) H.notArray(e, "a [key, value] pair");',
        '      p = 0; K(w, e[0], s);',
        '      p = 1; V(w, e[1], s);',
      ]
    : ['      E(w, v[i], s);'];
  return generate<Encoder>(
    {
      H: helpers,
      WC: writeCount,
      E: isMap ? undefined : encoderFor(plan.elem),
      K: isMap ? encoderFor(plan.key) : undefined,
      V: isMap ? encoderFor(plan.value) : undefined,
    },
    [
      `return function encode_${plan.kind}(w, v, s) {`,
      ...head,
      '  var i = 0, p = -1;',
      '  try {',
      '    for (; i < n; i++) {',
      ...body,
      '    }',
      `  } catch (e) { throw p < 0 ? H.at(e, i) : H.at(H.at(e, p), i); }`,
      '};',
    ],
  );
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
      s.addClass(info.name);
    } else {
      writeClassRef(w, classIndex);
    }
    const index = s.addObject(o, info.name);
    if (o.$id !== undefined) {
      s.labels ??= new Map();
      if (s.labels.has(o.$id)) throw atPath(validationError(`"$id" ${JSON.stringify(o.$id)} labels two objects`), '$id');
      s.labels.set(o.$id, index);
    }
    encoderFor(cls)(w, o, s);
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
