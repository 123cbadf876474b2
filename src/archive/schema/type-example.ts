/**
 * An example value of a plan, in canonical form (it fits the canonical schema, and encoders take
 * it): what Swagger UI offers as a request body and `GET /types/{name}` shows. Objects nest at most
 * twice, so recursive types stay finite. Part-two fields get values that encode: a const its
 * value, a count field the length of its example list, a switch its first case (and its tag that
 * case's value), and a conditional field only when its condition holds for the example.
 */
import { generate } from '../wire/generated-function.js';
import { NO_SCHEMA, type Condition, type FieldRef, type Plan, type StructPlan } from '../types/type-plan.js';
import { conditionSource, refAccess } from '../compile/condition-source.js';
import { encodeHelpers } from '../compile/encode-helpers.js';

type Json = Record<string, unknown>;

const holds = new WeakMap<Condition, (o: Json, sc: number) => boolean>();

/** Whether `c` holds for the fields of `o` (the compiled condition, on the example object). */
function conditionHolds(c: Condition, o: Json, schema: number): boolean {
  let test = holds.get(c);
  if (test === undefined) {
    const access = refAccess((step) => `o[${JSON.stringify(step.name)}]`);
    test = generate<(o: Json, sc: number) => boolean>({ H: encodeHelpers }, [`return function (o, sc) { return ${conditionSource(c, access)}; };`]);
    holds.set(c, test);
  }
  return test(o, schema);
}

/** Sets the value at a field path of `o` (example objects are fresh: they may be changed). */
function setAt(o: Json, ref: FieldRef, value: unknown): void {
  let x = o;
  for (const step of ref.steps.slice(0, -1)) {
    const next = x[step.name];
    if (typeof next !== 'object' || next === null) return;
    x = next as Json;
  }
  x[ref.steps[ref.steps.length - 1]!.name] = value;
}

function lengthOf(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  return typeof v === 'string' ? Buffer.byteLength(v, 'base64') : 0;
}

function structExample(plan: StructPlan, depth: number): Json {
  const out: Json = {};
  if (plan.cls !== undefined && depth > 0) out.$class = plan.cls.name;
  const schema = plan.cls !== undefined && depth > 0 ? plan.cls.schema : NO_SCHEMA;
  for (const f of plan.fields) {
    if (f.when !== undefined && !conditionHolds(f.when, out, schema)) continue;
    if (f.constant !== undefined) {
      out[f.name] = f.constant.canonical;
      continue;
    }
    const p = f.plan;
    if (p.kind === 'switch') {
      const first = p.cases[0];
      out[f.name] = exampleOf(first?.plan ?? p.fallback!, depth + 1);
      if (first !== undefined && p.tag.constant === undefined) setAt(out, p.tag, first.tag);
      continue;
    }
    out[f.name] = exampleOf(p, depth + 1);
  }
  for (const fill of plan.layout.fills) setAt(out, fill.ref, lengthOf(out[plan.fields[fill.from]!.name]));
  return out;
}

export function exampleOf(plan: Plan, depth = 0): unknown {
  switch (plan.kind) {
    case 'prim':
      return plan.prim.example;
    case 'struct':
      return structExample(plan, depth);
    case 'fixed':
      return Array.from({ length: plan.length }, () => exampleOf(plan.elem, depth + 1));
    case 'list':
      return depth > 6 ? [] : [exampleOf(plan.elem, depth + 1)];
    case 'map':
      return depth > 6 ? [] : [[exampleOf(plan.key, depth + 1), exampleOf(plan.value, depth + 1)]];
    case 'bytes':
      return Buffer.alloc(plan.length ?? 3, 0x2a).toString('base64');
    case 'switch':
      return exampleOf(plan.cases[0]?.plan ?? plan.fallback!, depth + 1);
    case 'object':
      return depth > 4 || plan.classes.length === 0 ? null : exampleOf(plan.classes[0]!, depth + 1);
  }
}
