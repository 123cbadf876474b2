/**
 * An example value of a plan, in canonical form (it fits the canonical schema, and encoders take
 * it): what Swagger UI offers as a request body and `GET /types/{name}` shows. Objects nest at most
 * twice, so recursive types stay finite. Part-two fields get values that encode: a const its
 * value, a count field the length of its example list, a switch its first case (and its tag that
 * case's value), and a conditional field only when its condition holds for the example.
 *
 * An example is small or there is none: a type of fixed arrays of fixed arrays (3,000 × 3,000
 * BYTEs is a 9 MB message, within every cap) would otherwise have a 36 MB example, built for every
 * GET /openapi.json — a request that could take the gateway's memory (fuzz finding). Past
 * MAX_EXAMPLE_VALUES values (a struct counts as one) or MAX_EXAMPLE_BYTES of a raw block, or deeper
 * than any type may nest, `exampleOf` gives `undefined`: a type that recurses through a `when` that
 * holds for its example (`next: M when more == true`) or a switch whose first case is itself has no
 * finite example, and recursed until the stack ran out (GET /types and /openapi.json answered 500).
 */
import { generate } from '../wire/generated-function.js';
import { NO_SCHEMA, type Condition, type FieldRef, type Plan, type StructPlan } from '../types/type-plan.js';
import { conditionSource, refAccess } from '../compile/condition-source.js';
import { encodeHelpers, lengthOf } from '../compile/encode-helpers.js';
import { MAX_NESTING_DEPTH } from '../types/type-depth.js';

type Json = Record<string, unknown>;

/** The most scalar values (and array elements) an example may hold. */
export const MAX_EXAMPLE_VALUES = 4096;
/** The largest raw block an example spells out. */
const MAX_EXAMPLE_BYTES = 4096;

/** Thrown (and caught below) when an example would pass its budget. */
const TOO_LARGE = Symbol('example too large');

class Budget {
  left = MAX_EXAMPLE_VALUES;
  take(n: number): void {
    this.left -= n;
    if (this.left < 0) throw TOO_LARGE;
  }
}

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

function structExample(plan: StructPlan, depth: number, budget: Budget): Json {
  budget.take(1);
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
      out[f.name] = example(first?.plan ?? p.fallback!, depth + 1, budget);
      if (first !== undefined && p.tag.constant === undefined) setAt(out, p.tag, first.tag);
      continue;
    }
    out[f.name] = example(p, depth + 1, budget);
  }
  for (const fill of plan.layout.fills) setAt(out, fill.ref, lengthOf(out[plan.fields[fill.from]!.name]) ?? 0);
  return out;
}

/** `{example}` for a schema or a media type, or nothing when there is none (too large to show). */
export function exampleOption(example: unknown): { example?: unknown } {
  return example === undefined ? {} : { example };
}

/** An example of `plan` (see above), or `undefined` when it would not be small. */
export function exampleOf(plan: Plan): unknown {
  try {
    return example(plan, 0, new Budget());
  } catch (err) {
    if (err === TOO_LARGE) return undefined;
    throw err;
  }
}

function example(plan: Plan, depth: number, budget: Budget): unknown {
  // Deeper than a type may nest is a recursion no value of the example ends.
  if (depth > MAX_NESTING_DEPTH) throw TOO_LARGE;
  switch (plan.kind) {
    case 'prim':
      budget.take(1);
      return plan.prim.example;
    case 'struct':
      return structExample(plan, depth, budget);
    case 'fixed':
      budget.take(plan.length);
      return Array.from({ length: plan.length }, () => example(plan.elem, depth + 1, budget));
    case 'list':
      return depth > 6 ? [] : [example(plan.elem, depth + 1, budget)];
    case 'map':
      return depth > 6 ? [] : [[example(plan.key, depth + 1, budget), example(plan.value, depth + 1, budget)]];
    case 'bytes': {
      const n = plan.length ?? 3;
      if (n > MAX_EXAMPLE_BYTES) throw TOO_LARGE;
      budget.take(1);
      return Buffer.alloc(n, 0x2a).toString('base64');
    }
    case 'switch':
      return example(plan.cases[0]?.plan ?? plan.fallback!, depth + 1, budget);
    case 'object':
      return depth > 4 || plan.classes.length === 0 ? null : example(plan.classes[0]!, depth + 1, budget);
  }
}
