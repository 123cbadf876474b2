/**
 * A resolved message type: the tree every codec piece walks (encoder, decoder, scanner, schema).
 * One node per construct of the message-type grammar (SPEC §2); primitives carry their bytes.
 */
import type { Limits } from '../values/limits.js';
import type { Primitive } from '../values/primitive.js';

export type Plan = PrimPlan | StructPlan | FixedPlan | ListPlan | MapPlan | ObjectPlan;

export interface PrimPlan {
  readonly kind: 'prim';
  readonly prim: Primitive;
}

export interface ClassInfo {
  /** The IMPLEMENT_SERIAL class name written in the class descriptor. */
  readonly name: string;
  readonly schema: number;
  readonly versionable: boolean;
}

export interface FieldPlan {
  readonly name: string;
  readonly plan: Plan;
  readonly description?: string;
}

/** A declared type: its fields inline, as `Serialize` writes them. */
export interface StructPlan {
  readonly kind: 'struct';
  readonly name: string;
  fields: FieldPlan[];
  readonly cls?: ClassInfo;
  readonly description?: string;
  /** Part of a cycle of types: nesting depth is counted against `maxDepth`. */
  recursive: boolean;
  readonly limits: Limits;
}

export interface FixedPlan {
  readonly kind: 'fixed';
  readonly elem: Plan;
  readonly length: number;
}

export interface ListPlan {
  readonly kind: 'list';
  readonly elem: Plan;
  readonly escape64: boolean;
  readonly limits: Limits;
}

export interface MapPlan {
  readonly kind: 'map';
  readonly key: Plan;
  readonly value: Plan;
  readonly escape64: boolean;
  readonly limits: Limits;
}

/** A `CObject*` (WriteObject/ReadObject, format §4): one of `classes`, or null. */
export interface ObjectPlan {
  readonly kind: 'object';
  readonly classes: readonly StructPlan[];
  readonly byName: ReadonlyMap<string, StructPlan>;
  readonly limits: Limits;
}

const sizes = new WeakMap<Plan, number | null>();

/** The byte size when it is the same for every value, else undefined. */
export function staticSize(plan: Plan): number | undefined {
  const known = sizes.get(plan);
  if (known !== undefined) return known ?? undefined;
  sizes.set(plan, null); // a cycle is never static
  let size: number | undefined;
  switch (plan.kind) {
    case 'prim':
      size = plan.prim.size;
      break;
    case 'struct': {
      let total = 0;
      for (const f of plan.fields) {
        const s = staticSize(f.plan);
        if (s === undefined) {
          total = -1;
          break;
        }
        total += s;
      }
      size = total < 0 ? undefined : total;
      break;
    }
    case 'fixed': {
      const s = staticSize(plan.elem);
      size = s === undefined ? undefined : s * plan.length;
      break;
    }
    default:
      size = undefined;
  }
  sizes.set(plan, size ?? null);
  return size;
}

const minimums = new WeakMap<Plan, number>();

/** The fewest bytes any value of `plan` takes: guards allocations against hostile counts. */
export function minSize(plan: Plan): number {
  const known = minimums.get(plan);
  if (known !== undefined) return known;
  minimums.set(plan, 0); // cycles contribute nothing extra
  let size: number;
  switch (plan.kind) {
    case 'prim':
      size = plan.prim.size ?? 1;
      break;
    case 'struct':
      size = plan.fields.reduce((n, f) => n + minSize(f.plan), 0);
      break;
    case 'fixed':
      size = minSize(plan.elem) * plan.length;
      break;
    default:
      size = 2; // a WORD count or a WORD object tag
  }
  minimums.set(plan, size);
  return size;
}

/** Plans directly inside `plan` (children in the type tree). */
export function children(plan: Plan): Plan[] {
  switch (plan.kind) {
    case 'prim':
      return [];
    case 'struct':
      return plan.fields.map((f) => f.plan);
    case 'fixed':
    case 'list':
      return [plan.elem];
    case 'map':
      return [plan.key, plan.value];
    case 'object':
      return [...plan.classes];
  }
}
