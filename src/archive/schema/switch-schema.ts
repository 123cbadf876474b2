/**
 * The schema of a `switch` field (SPEC §2 "Tagged unions"). Its JSON is the chosen case's value; the
 * tag that chose it is another field. Where the cases' JSON cannot be confused — different JSON
 * types, or objects each with a required key the others lack — the schema is a `oneOf`, so a
 * client can tell the cases apart from the value alone. Where it cannot (two cases that are both
 * numbers, say), it is an `anyOf` whose description says which field decides.
 */
import { Type, type TSchema } from 'typebox';
import type { SchemaFlavor } from '../values/json-form.js';
import { schemaOf } from '../values/json-form.js';
import type { Plan, SwitchPlan } from '../types/type-plan.js';

/** What a value of `plan` can look like, as far as telling cases apart goes. */
interface Shape {
  types: Set<string>;
  /** For a declared type: its keys, and the keys it always has. */
  keys?: Set<string>;
  required?: Set<string>;
}

function schemaTypes(s: Record<string, unknown>, into: Set<string>): void {
  const t = s.type;
  if (typeof t === 'string') into.add(t === 'integer' ? 'number' : t);
  else if (Array.isArray(t)) for (const x of t) into.add(x === 'integer' ? 'number' : String(x));
  for (const key of ['anyOf', 'oneOf']) {
    const list = s[key];
    if (Array.isArray(list)) for (const x of list) schemaTypes(x as Record<string, unknown>, into);
  }
  if (t === undefined && s.anyOf === undefined && s.oneOf === undefined) for (const x of ['string', 'number', 'boolean', 'object', 'array', 'null']) into.add(x);
}

function shapeOf(plan: Plan, flavor: SchemaFlavor): Shape {
  switch (plan.kind) {
    case 'prim': {
      const types = new Set<string>();
      schemaTypes(schemaOf(plan.prim, flavor) as unknown as Record<string, unknown>, types);
      return { types };
    }
    case 'struct': {
      const keys = new Set(plan.fields.map((f) => f.name));
      if (plan.cls !== undefined) for (const k of ['$class', '$id', '$schema']) keys.add(k);
      const required = new Set(plan.fields.filter((f) => f.when === undefined && (flavor !== 'input' || f.constant === undefined)).map((f) => f.name));
      if (flavor === 'input') for (const fill of plan.layout.fills) required.delete(fill.ref.steps[0]!.name);
      return { types: new Set(['object']), keys, required };
    }
    case 'fixed':
      return { types: new Set(['array']) };
    case 'list':
    case 'map':
      return { types: new Set(flavor === 'canonical' || plan.count.kind !== 'writeCount' ? ['array'] : ['array', 'object']) };
    case 'bytes':
      return { types: new Set(['string']) };
    case 'object':
      return { types: new Set(['null', 'object']) };
    case 'switch': {
      const types = new Set<string>();
      for (const c of [...plan.cases.map((x) => x.plan), ...(plan.fallback ? [plan.fallback] : [])]) for (const t of shapeOf(c, flavor).types) types.add(t);
      return { types };
    }
  }
}

/** True when no JSON value can be a value of both shapes. */
function disjoint(a: Shape, b: Shape): boolean {
  const shared = [...a.types].filter((t) => b.types.has(t));
  if (shared.length === 0) return true;
  if (shared.length > 1 || shared[0] !== 'object' || a.keys === undefined || b.keys === undefined) return false;
  const needsOther = (x: Shape, y: Shape) => [...x.required!].some((k) => !y.keys!.has(k));
  return needsOther(a, b) || needsOther(b, a);
}

export function switchSchema(plan: SwitchPlan, of: (p: Plan) => TSchema, flavor: SchemaFlavor): TSchema {
  // Cases of one type (one primitive, one declared type) are one variant.
  const byType = new Map<unknown, { plan: Plan; tags: string[] }>();
  const add = (p: Plan, tag: string) => {
    const key = p.kind === 'prim' ? p.prim : p;
    const entry = byType.get(key) ?? { plan: p, tags: [] };
    entry.tags.push(tag);
    byType.set(key, entry);
  };
  for (const c of plan.cases) add(c.plan, String(c.tag));
  if (plan.fallback !== undefined) add(plan.fallback, 'default');
  const plans = [...byType.values()].map((e) => e.plan);
  const mapping = [...byType.values()].map((e) => `${e.tags.join(', ')} → ${describe(e.plan)}`).join('; ');
  const description = `chosen by "${plan.tag.path}": ${mapping}`;
  if (plans.length === 0) return Type.Never({ description });
  if (plans.length === 1) return Type.Unsafe({ ...of(plans[0]!), description });
  const shapes = plans.map((p) => shapeOf(p, flavor));
  const distinct = shapes.every((a, i) => shapes.every((b, j) => i === j || disjoint(a, b)));
  const variants = plans.map(of);
  return distinct
    ? Type.Unsafe({ oneOf: variants, description })
    : Type.Unsafe({ anyOf: variants, description: `${description} (the value alone does not say which: read "${plan.tag.path}")` });
}

function describe(plan: Plan): string {
  if (plan.kind === 'struct') return plan.name;
  if (plan.kind === 'prim') return plan.prim.name;
  return plan.kind;
}
