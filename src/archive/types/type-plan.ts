/**
 * A resolved message type: the tree every codec piece walks (encoders, decoders, scanner, schemas).
 * One node per construct of the message-type grammar (SPEC §2, parts one and two); primitives carry
 * their bytes. Values that decide the layout (counts, tags, conditions) point back at earlier
 * fields through `FieldRef`s, resolved and checked once, when the file loads.
 */
import type { Limits } from '../values/limits.js';
import type { Primitive, ValueKind } from '../values/primitive.js';

/** `GetObjectSchema()` of a struct not read through ReadObject: (UINT)-1 (format §4.3, KB118612). */
export const NO_SCHEMA = 0xffffffff;

export type Plan = PrimPlan | StructPlan | FixedPlan | ListPlan | MapPlan | ObjectPlan | BytesPlan | SwitchPlan;

interface PrimPlan {
  readonly kind: 'prim';
  readonly prim: Primitive;
}

export interface ClassInfo {
  /** The IMPLEMENT_SERIAL class name written in the class descriptor. */
  readonly name: string;
  readonly schema: number;
  readonly versionable: boolean;
}

/** An earlier field of the same struct, or a field of an earlier inline struct (`header.count`). */
export interface FieldRef {
  /** As the type file writes it (dotted). */
  readonly path: string;
  /** Field index and name at each level, outermost first. */
  readonly steps: readonly { readonly index: number; readonly name: string }[];
  /** What the leaf holds: a number (`int`), a decimal string (`int64`) or a boolean. */
  readonly value: ValueKind;
  /** The leaf's `const`, which stands in for it when the JSON to encode leaves it out. */
  readonly constant?: unknown;
}

/** Where a count of elements or bytes comes from. */
export type CountPlan =
  /** `CArchive::WriteCount` (format §3.1): WORD, escapes to DWORD (and QWORD on Win64). */
  | { readonly kind: 'writeCount'; readonly escape64: boolean }
  /** `ar << (WORD)n`: an integer of that type just before the elements. */
  | { readonly kind: 'prim'; readonly prim: Primitive }
  /** An earlier field holds it; nothing is written before the elements. */
  | { readonly kind: 'field'; readonly ref: FieldRef };

export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'in' | 'allBits' | 'anyBits';
/** A condition's operand, normalised to the subject's kind (bigint for 64-bit fields). */
export type Operand = number | bigint | boolean;

export type Condition =
  | {
      readonly kind: 'compare';
      /** A field, or the object's schema number as read from its class tag (`GetObjectSchema()`). */
      readonly subject: FieldRef | 'schema';
      readonly op: CompareOp;
      readonly operand: Operand | readonly Operand[];
    }
  | { readonly kind: 'all' | 'any'; readonly of: readonly Condition[] }
  | { readonly kind: 'not'; readonly of: Condition };

/** A field's `const`: its JSON as the file gives it, and the canonical JSON and size of its bytes. */
export interface ConstPlan {
  readonly json: unknown;
  readonly canonical: unknown;
  readonly bytes: number;
}

export interface FieldPlan {
  readonly name: string;
  readonly plan: Plan;
  readonly description?: string;
  /** Present only when this holds (SPEC §2 "Conditional fields"). */
  readonly when?: Condition;
  readonly constant?: ConstPlan;
  /** A note from `archway import-cpp`; the codec ignores it. */
  readonly todo?: string;
}

/** A count field the encoder fills in from the length of a later list (`countField`). */
export interface CountFill {
  readonly ref: FieldRef;
  /** The field (of the same struct) whose length it holds. */
  readonly from: number;
}

/** A declared type: its fields inline, as `Serialize` writes them (a base's first: `extends`). */
export interface StructPlan {
  readonly kind: 'struct';
  readonly name: string;
  fields: FieldPlan[];
  readonly cls?: ClassInfo;
  readonly description?: string;
  /** Part of a cycle of types: nesting depth is counted against `maxDepth`. */
  recursive: boolean;
  readonly limits: Limits;
  /** What the fields' layout depends on (empty for a part-one struct). */
  layout: StructLayout;
}

export interface StructLayout {
  /**
   * Some field's presence, count or case depends on an earlier value, or a field is a const the
   * bytes must match: the scanner walks it field by field.
   */
  readonly dynamic: boolean;
  /** Fields whose values later fields read (first steps of every FieldRef of this struct). */
  readonly refHeads: ReadonlySet<number>;
  readonly fills: readonly CountFill[];
  /** A condition reads the object's schema. */
  readonly usesSchema: boolean;
  /** A field may be left out of the JSON to encode (a `when`, a `const`, a count that is filled in). */
  readonly hasOptional: boolean;
}

export const STATIC_LAYOUT: StructLayout = { dynamic: false, refHeads: new Set(), fills: [], usesSchema: false, hasOptional: false };

export interface FixedPlan {
  readonly kind: 'fixed';
  readonly elem: Plan;
  readonly length: number;
}

export interface ListPlan {
  readonly kind: 'list';
  readonly elem: Plan;
  readonly count: CountPlan;
  readonly limits: Limits;
}

export interface MapPlan {
  readonly kind: 'map';
  readonly key: Plan;
  readonly value: Plan;
  readonly count: CountPlan;
  readonly limits: Limits;
}

/** A `CObject*` (WriteObject/ReadObject, format §4): one of `classes`, or null. */
export interface ObjectPlan {
  readonly kind: 'object';
  readonly classes: readonly StructPlan[];
  readonly byName: ReadonlyMap<string, StructPlan>;
  readonly limits: Limits;
}

/** Raw bytes (`ar.Write`): a fixed number, or a count of an integer type or from a field. */
export interface BytesPlan {
  readonly kind: 'bytes';
  /** Exactly this many bytes, no count. */
  readonly length?: number;
  /** Otherwise: a count written as an integer type, or held by an earlier field. */
  readonly count?: Exclude<CountPlan, { kind: 'writeCount' }>;
  readonly limits: Limits;
}

export interface SwitchCase {
  /** The tag value: a number, or a decimal string for a 64-bit tag field (as its JSON is). */
  readonly tag: number | string;
  readonly plan: Plan;
}

/** A tagged union: what follows depends on a kind read before (`ar >> nKind; switch (nKind)`). */
export interface SwitchPlan {
  readonly kind: 'switch';
  readonly tag: FieldRef;
  readonly cases: readonly SwitchCase[];
  readonly fallback?: Plan;
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
      // A struct walked field by field (its consts checked as they come) is never skipped whole.
      let total = 0;
      for (const f of plan.fields) {
        const s = plan.layout.dynamic ? undefined : staticSize(f.plan);
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
    case 'bytes':
      size = plan.length;
      break;
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
      size = plan.fields.reduce((n, f) => n + (f.when === undefined ? minSize(f.plan) : 0), 0);
      break;
    case 'fixed':
      size = minSize(plan.elem) * plan.length;
      break;
    case 'list':
    case 'map':
      size = countSize(plan.count);
      break;
    case 'bytes':
      size = plan.length ?? (plan.count === undefined ? 0 : countSize(plan.count));
      break;
    case 'switch': {
      const all = children(plan);
      size = all.length === 0 ? 0 : Number.POSITIVE_INFINITY;
      for (const p of all) size = Math.min(size, minSize(p));
      break;
    }
    default:
      size = 2; // a WORD object tag
  }
  minimums.set(plan, size);
  return size;
}

/** Where the count of a list, map or counted block comes from (undefined for any other plan). */
export function countOf(plan: Plan): CountPlan | undefined {
  return plan.kind === 'list' || plan.kind === 'map' || plan.kind === 'bytes' ? plan.count : undefined;
}

/** Bytes a count takes before its elements, at least. */
function countSize(count: CountPlan): number {
  return count.kind === 'writeCount' ? 2 : count.kind === 'prim' ? count.prim.size! : 0;
}

/** Plans directly inside `plan` (children in the type tree). */
export function children(plan: Plan): Plan[] {
  switch (plan.kind) {
    case 'prim':
    case 'bytes':
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
    case 'switch':
      return [...plan.cases.map((c) => c.plan), ...(plan.fallback === undefined ? [] : [plan.fallback])];
  }
}
