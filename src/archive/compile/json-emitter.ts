/**
 * The JSON text of a decoded message, from code generated per declared type: the same text as
 * `JSON.stringify(value)`, which in this V8 walks every object through its generic path (a `toJSON`
 * lookup per object, a property iteration) and took 1.5 µs of the gateway's typed answer for the
 * reference Order; the generated code writes the known keys in order, a struct whose fields are all
 * there in one expression (0.6 µs with the flattening).
 * Only the layout is taken from the plan: every value is written by what it is at run time, and
 * anything but a scalar, an array or a struct's own object goes through `JSON.stringify` itself,
 * so a lossless form (`{text, unicode}`, `{items, countForm}`…) or an unexpected shape gives the
 * same text as before.
 */
import { generate } from '../wire/generated-function.js';
import type { Plan, StructPlan } from '../types/type-plan.js';
import { hasLongString } from '../json/json-chunks.js';

export type JsonEmitter = (value: unknown) => string;

/** Characters a JSON string cannot hold as they are (JSON.stringify escapes lone surrogates too). */
// oxlint-disable-next-line no-control-regex -- control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Strings from this length on stop the text being built (see `jsonWithin`): set for one synchronous
 * call, so that the emitters check a length rather than the caller walking the value beforehand.
 */
const stringLimit = { chars: Infinity };
/** Thrown through the emitters when a string reaches `stringLimit`; caught by `jsonWithin` alone. */
const TOO_LONG = new Error('a string reached the limit of jsonWithin');

/** A value of any kind, as JSON.stringify writes it (`undefined` where it would leave it out). */
function scalarJson(v: unknown): string {
  switch (typeof v) {
    case 'string':
      if (v.length >= stringLimit.chars) throw TOO_LONG;
      return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`;
    case 'number':
      // Number-to-string is JSON's own for finite numbers (-0 included); the rest are `null`.
      return Number.isFinite(v) ? `${v}` : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      // A shape of its own (a lossless form, a map's pairs…) is checked whole before it is written.
      if (stringLimit.chars !== Infinity && hasLongString(v, stringLimit.chars)) throw TOO_LONG;
      return JSON.stringify(v);
  }
}

/**
 * `emit(value)`, or undefined as soon as a string of `maxString` characters or more is met — before
 * any text holding it is built (a large CByteArray's base64 is streamed in slices instead).
 */
export function jsonWithin(emit: JsonEmitter, value: unknown, maxString: number): string | undefined {
  stringLimit.chars = maxString;
  try {
    return emit(value);
  } catch (err) {
    if (err === TOO_LONG) return undefined;
    throw err;
  } finally {
    stringLimit.chars = Infinity;
  }
}

const emitters = new WeakMap<Plan, JsonEmitter>();

/**
 * The emitter of values `plan`'s decoders give (either form): the text is JSON.stringify's for
 * those values, whose objects hold exactly their fields, in field order (struct-decoder.ts).
 */
export function emitterFor(plan: Plan): JsonEmitter {
  let e = emitters.get(plan);
  if (e !== undefined) return e;
  if (plan.kind === 'struct' && plan.recursive) {
    // A recursive type reaches itself while its emitter is built: a trampoline stands in first.
    let impl: JsonEmitter | undefined;
    emitters.set(plan, (v) => impl!(v));
    impl = build(plan);
    return emitters.get(plan)!;
  }
  e = build(plan);
  emitters.set(plan, e);
  return e;
}

function build(plan: Plan): JsonEmitter {
  switch (plan.kind) {
    case 'struct':
      return structEmitter(plan);
    case 'list':
    case 'fixed':
      return arrayEmitter(plan.elem);
    default:
      // Scalars, and shapes with keys of their own ($class, $ref, a map's pairs, a switch's case).
      return scalarJson;
  }
}

function arrayEmitter(elem: Plan): JsonEmitter {
  const item = emitterFor(elem);
  return (v) => {
    if (!Array.isArray(v)) return scalarJson(v);
    let s = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) s += ',';
      // As JSON.stringify: what it would leave out of an object is null in an array.
      s += item(v[i]) ?? 'null';
    }
    return s + ']';
  };
}

/** An array index as a key: objects list these first, in numeric order, not in field order. */
const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/;

/** The JSON type of a primitive's canonical values ('string', 'number'…), when it has one. */
function jsonType(plan: Plan): unknown {
  if (plan.kind !== 'prim') return undefined;
  return ((plan.prim.canonicalSchema ?? plan.prim.losslessSchema ?? plan.prim.schema) as { type?: unknown }).type;
}

/** Structs of up to this many fields get the one-expression text. */
const WHOLE_MAX = 32;

function structEmitter(plan: StructPlan): JsonEmitter {
  const fields = plan.fields;
  if (fields.length === 0 || fields.some((f) => INDEX_KEY.test(f.name))) return scalarJson;
  const params: Record<string, unknown> = { S: scalarJson };
  const reads = fields.map((f, i) => {
    params[`E${i}`] = emitterFor(f.plan);
    return `x${i} = v[${JSON.stringify(f.name)}]`;
  });
  // Every field there (the usual case): one expression, so the text has fewer pieces to join; a
  // field whose canonical JSON is a string or a number is joined as it is, its quotes in the text
  // around it, when it is a string needing no escape or a finite number (a type of hundreds of
  // fields keeps to the field-by-field form below).
  params.R = NEEDS_ESCAPE;
  params.L = stringLimit;
  params.F = Number.isFinite;
  const parts: string[] = [];
  const checks: string[] = [];
  let text = '{';
  fields.forEach((f, i) => {
    text += `${i === 0 ? '' : ','}${JSON.stringify(f.name)}:`;
    const type = jsonType(f.plan);
    if (type === 'string') {
      checks.push(`typeof x${i} === "string" && x${i}.length < L.chars && !R.test(x${i})`);
      parts.push(JSON.stringify(`${text}"`), `x${i}`);
      text = '"';
    } else if (type === 'number' || type === 'integer') {
      checks.push(`typeof x${i} === "number" && F(x${i})`);
      parts.push(JSON.stringify(text), `x${i}`);
      text = '';
    } else {
      checks.push(`x${i} !== undefined`);
      parts.push(JSON.stringify(text), `E${i}(x${i})`);
      text = '';
    }
  });
  // The first part is a non-empty literal: every `+` after it joins text, never adds numbers.
  const whole = [...parts, JSON.stringify(`${text}}`)].filter((p) => p !== '""').join(' + ');
  const allThere = fields.length <= WHOLE_MAX ? [`  if (${checks.join(' && ')}) return ${whole};`] : [];
  // A key whose value is undefined is left out, as JSON.stringify does (an absent `when` field).
  const some = fields.map((_, i) => `  if (x${i} !== undefined) { s += (n++ > 0 ? "," : "") + ${JSON.stringify(`${JSON.stringify(fields[i]!.name)}:`)} + E${i}(x${i}); }`);
  return generate<JsonEmitter>(params, [
    `return function json_${plan.name.replace(/\W/g, '_')}(v) {`,
    '  if (typeof v !== "object" || v === null || Array.isArray(v)) return S(v);',
    `  var ${reads.join(', ')};`,
    ...allThere,
    '  var s = "{", n = 0;',
    ...some,
    '  return s + "}";',
    '};',
  ]);
}
