/**
 * References from a field to values read before it (SPEC §2, grammar part two): the `countField` of
 * a list or block, the field a `switch` dispatches on, the subjects of `when` conditions. Each is
 * resolved once, when the file loads, to field indices — or refused with the type, the field and
 * the reason: a later or missing field, a path through something that is not an inline struct, a
 * count or tag that may be absent, a value of the wrong kind.
 */
import type { ValueKind } from '../values/primitive.js';
import type { FieldPlan, FieldRef, Plan, StructPlan } from './type-plan.js';

/** Where a reference is written, for its error messages; and how to reach structs not resolved yet. */
export interface RefContext {
  readonly typeName: string;
  /** The field that refers (its name and its JSON pointer in the file). */
  readonly fieldName: string;
  readonly at: string;
  /** Fields before this one, resolved (a base type's first). */
  readonly earlier: readonly FieldPlan[];
  /** The index of each of `earlier` by name (a struct of 20,000 fields scanned per reference was quadratic). */
  readonly earlierIndex: ReadonlyMap<string, number>;
  /** Names of this field and those after it, for "comes later" messages (built only for one). */
  later(): readonly string[];
  /** Resolves a struct of the file being loaded whose fields a path goes through. */
  ensure(s: StructPlan): void;
  fail(message: string, at: string): never;
}

type RefPurpose = 'count' | 'tag' | 'condition';

const WHAT: Record<RefPurpose, string> = { count: 'count', tag: 'switch tag', condition: 'condition subject' };

/** The leaf's kind, when a path may end there (integers and booleans only). */
function leafKind(plan: Plan): ValueKind | undefined {
  return plan.kind === 'prim' ? plan.prim.valueKind : undefined;
}

/**
 * Resolves `path` (dotted) against the earlier fields of `ctx`. Counts and tags must always be
 * present and integers; conditions may read booleans and fields that are themselves conditional
 * (an absent field makes every comparison false).
 */
export function resolveRef(path: string, purpose: RefPurpose, ctx: RefContext, at: string): FieldRef {
  const names = path.split('.');
  const steps: { index: number; name: string }[] = [];
  let fields: readonly FieldPlan[] = ctx.earlier;
  let indexOf = ctx.earlierIndex;
  let plan: Plan | undefined;
  for (const [depth, name] of names.entries()) {
    const index = indexOf.get(name) ?? -1;
    if (index < 0) {
      if (depth === 0 && ctx.later().includes(name)) {
        ctx.fail(`${WHAT[purpose]} "${path}" names field '${name}', which ${name === ctx.fieldName ? 'is this very field' : 'comes after this one'}: it must be written before`, at);
      }
      const where = depth === 0 ? `an earlier field of '${ctx.typeName}'` : `a field of '${names.slice(0, depth).join('.')}'`;
      ctx.fail(`${WHAT[purpose]} "${path}": '${name}' is not ${where}`, at);
    }
    const field = fields[index]!;
    if (field.when !== undefined && purpose !== 'condition') {
      ctx.fail(`${WHAT[purpose]} "${path}" goes through '${name}', which has a "when": a ${WHAT[purpose]} must always be present`, at);
    }
    steps.push({ index, name });
    plan = field.plan;
    if (depth < names.length - 1) {
      if (plan.kind !== 'struct') {
        ctx.fail(`${WHAT[purpose]} "${path}": '${names.slice(0, depth + 1).join('.')}' is not an inline struct, so it has no field '${names[depth + 1]}'`, at);
      }
      ctx.ensure(plan);
      fields = plan.fields;
      indexOf = fieldIndex(plan);
    }
  }
  const last = fields[steps[steps.length - 1]!.index]!;
  const kind = leafKind(last.plan);
  if (kind === undefined || (purpose !== 'condition' && kind === 'bool')) {
    const wanted = purpose === 'condition' ? 'an integer or bool field' : 'an integer field';
    ctx.fail(`${WHAT[purpose]} "${path}" must name ${wanted}, not ${describePlan(last.plan)}`, at);
  }
  return { path, steps, value: kind, ...(last.constant === undefined ? {} : { constant: last.constant.json }) };
}

const indices = new WeakMap<StructPlan, ReadonlyMap<string, number>>();

/** The index of each field of a resolved struct, by name. */
function fieldIndex(plan: StructPlan): ReadonlyMap<string, number> {
  let index = indices.get(plan);
  if (index === undefined) {
    index = new Map(plan.fields.map((f, i) => [f.name, i]));
    indices.set(plan, index);
  }
  return index;
}

function describePlan(plan: Plan): string {
  switch (plan.kind) {
    case 'prim':
      return `a ${plan.prim.name}`;
    case 'struct':
      return `the struct '${plan.name}'`;
    default:
      return `a ${plan.kind}`;
  }
}

/** Names of the fields of a type declaration, for `RefContext.later`. */
export function laterNames(fields: readonly { name: string }[], from: number): string[] {
  return fields.slice(from).map((f) => f.name);
}
