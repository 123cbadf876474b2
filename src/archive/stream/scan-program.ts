/**
 * What the scanner needs to walk a struct whose layout depends on values read before (SPEC §2
 * part two: `when`, `countField`, `switch`), compiled once per struct: each field's condition, the
 * source of its count or tag, and whether its value must be kept for the fields after it. The
 * scanner keeps those values in a frame per struct instance (an array by field index; an inline
 * struct read through becomes an object by field name, as the decoders see it), so the same
 * generated conditions serve the scanner and the decoders.
 */
import { generate } from '../wire/generated-function.js';
import { toBase64 } from '../wire/base64.js';
import type { ArchiveReader } from '../wire/archive-reader.js';
import { readerOf } from '../values/json-form.js';
import type { Primitive } from '../values/primitive.js';
import { conditionSource, refAccess } from '../compile/condition-source.js';
import { decodeHelpers } from '../compile/decode-helpers.js';
import { STATIC_LAYOUT, countOf, type FieldPlan, type MapPlan, type Plan, type StructPlan } from '../types/type-plan.js';

type Values = unknown[];
type Read = (v: Values, sc: number) => unknown;

/** A const the bytes must match, checked as soon as they are there (as the decoder would). */
export interface ConstStep {
  /** Its size when fixed; else `measure` gives it from the header. */
  readonly size?: number;
  readonly measure?: (r: ArchiveReader) => number;
  readonly headerMax: number;
  /** Bytes past which the value cannot be the const (a wide form, a long length escape at most). */
  readonly bound: number;
  readonly read: (r: ArchiveReader) => unknown;
  readonly want: unknown;
}

export interface FieldStep {
  /** Present only when this holds. */
  readonly when?: Read;
  /** The count (number) or tag of the field, from earlier values. */
  readonly arg?: Read;
  /** Where the count comes from, for messages. */
  readonly argPath?: string;
  /** The fields after this one read its value. */
  readonly keep: boolean;
  /** When kept and a primitive: the one to read its value with. */
  readonly prim?: Primitive;
  readonly constant?: ConstStep;
}

function constStep(f: FieldPlan): ConstStep | undefined {
  const c = f.constant;
  if (c === undefined) return undefined;
  const bound = 2 * c.bytes + 32;
  if (f.plan.kind === 'bytes') {
    const n = f.plan.length!;
    return { size: n, headerMax: n, bound, read: (r) => toBase64(r.bytes(n)), want: c.canonical };
  }
  const prim = (f.plan as Extract<Plan, { kind: 'prim' }>).prim;
  return {
    ...(prim.size === undefined ? { measure: prim.measure!.bind(prim) } : { size: prim.size }),
    headerMax: prim.size ?? prim.headerMax ?? 18,
    bound,
    read: readerOf(prim, 'canonical'),
    want: c.canonical,
  };
}

/** A kept value: the frame's slot of its first step, then the path below it. */
const access = refAccess((step) => `v[${step.index}]`);

function compile(source: string): Read {
  return generate<Read>({ H: decodeHelpers }, [`return function (v, sc) { return ${source}; };`]);
}

/** A value later fields can read: an integer or bool primitive, or an inline struct to read through. */
function keepable(plan: Plan): Primitive | 'struct' | undefined {
  if (plan.kind === 'struct') return 'struct';
  return plan.kind === 'prim' && plan.prim.valueKind !== undefined ? plan.prim : undefined;
}

function stepOf(f: FieldPlan, keepAll: boolean, heads: ReadonlySet<number>, i: number): FieldStep {
  const p = f.plan;
  const count = countOf(p);
  const ref = p.kind === 'switch' ? p.tag : count?.kind === 'field' ? count.ref : undefined;
  const kind = keepable(p);
  const keep = kind !== undefined && (keepAll || heads.has(i));
  return {
    ...(f.when === undefined ? {} : { when: compile(conditionSource(f.when, access)) }),
    ...(ref === undefined ? {} : { arg: compile(access(ref)), argPath: ref.path }),
    keep,
    ...(keep && kind !== 'struct' && kind !== undefined ? { prim: kind } : {}),
    ...(f.constant === undefined ? {} : { constant: constStep(f)! }),
  };
}

const programs = [new WeakMap<StructPlan, FieldStep[]>(), new WeakMap<StructPlan, FieldStep[]>()];

/**
 * The steps of `plan`'s fields. `keepAll`: the struct is read through by a path of the struct
 * around it, so every value a path may name is kept; otherwise only those its own fields read.
 */
export function scanProgram(plan: StructPlan, keepAll: boolean): FieldStep[] {
  const memo = programs[keepAll ? 1 : 0]!;
  let steps = memo.get(plan);
  if (steps === undefined) {
    steps = plan.fields.map((f, i) => stepOf(f, keepAll, plan.layout.refHeads, i));
    memo.set(plan, steps);
  }
  return steps;
}

const pairs = new WeakMap<MapPlan, StructPlan>();

/** A map entry as a two-field struct, so pairs scan like any sequence. */
export function pairOf(plan: MapPlan): StructPlan {
  let p = pairs.get(plan);
  if (p === undefined) {
    p = {
      kind: 'struct',
      name: 'pair',
      fields: [{ name: '0', plan: plan.key }, { name: '1', plan: plan.value }],
      recursive: false,
      limits: plan.limits,
      layout: STATIC_LAYOUT,
    };
    pairs.set(plan, p);
  }
  return p;
}
