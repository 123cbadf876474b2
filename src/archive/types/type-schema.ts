/**
 * JSON Schema (TypeBox) of a message type's JSON value — the same plan the encoder validates
 * against, so the two cannot drift — with an example for every type. Declared types become named
 * definitions referenced as `${refPrefix}${name}`: `#/$defs/` standalone, or
 * `#/components/schemas/` in the OpenAPI document.
 */
import { Type, type TSchema } from 'typebox';
import type { Plan, StructPlan } from './type-plan.js';

export interface TypeSchemas {
  /** The schema of the value itself (a `$ref` when the type is a declared one). */
  root: TSchema;
  /** Every declared type reachable from the root, by name. */
  defs: Record<string, TSchema>;
}

/** `{"$ref": n}`: written as a pattern property because some tools take any "$ref" key for a reference. */
const backReference = Type.Unsafe({
  type: 'object',
  description: 'a back-reference to an object written before: {"$ref": n}',
  patternProperties: { '^\\$ref$': { type: 'integer', minimum: 1 } },
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
});

export function typeSchemas(root: Plan, refPrefix = '#/$defs/'): TypeSchemas {
  const defs: Record<string, TSchema> = {};
  const ref = (s: StructPlan): TSchema => {
    if (!(s.name in defs)) {
      defs[s.name] = Type.Object({}); // placeholder: cycles refer back to it
      defs[s.name] = structSchema(s);
    }
    return Type.Unsafe({ $ref: `${refPrefix}${s.name}` });
  };
  const structSchema = (s: StructPlan): TSchema => {
    const props: Record<string, TSchema> = {};
    if (s.cls !== undefined) {
      props.$class = Type.Optional(Type.Literal(s.cls.name));
      props.$id = Type.Optional(Type.Integer({ minimum: 1, description: 'archive index of this object' }));
      if (s.cls.versionable) props.$schema = Type.Optional(Type.Integer({ minimum: 0, maximum: 0xfffe }));
    }
    for (const f of s.fields) {
      const schema = of(f.plan);
      props[f.name] = f.description === undefined ? schema : Type.Unsafe({ ...schema, description: f.description });
    }
    return Type.Object(props, {
      additionalProperties: false,
      ...(s.description === undefined ? {} : { description: s.description }),
      ...(s.cls === undefined ? {} : { 'x-mfc-class': s.cls.name, 'x-mfc-schema': s.cls.schema }),
      example: exampleOf(s),
    });
  };
  const of = (p: Plan): TSchema => {
    switch (p.kind) {
      case 'prim':
        return p.prim.schema;
      case 'struct':
        return ref(p);
      case 'fixed':
        return Type.Array(of(p.elem), { minItems: p.length, maxItems: p.length });
      case 'list':
        return Type.Array(of(p.elem), { maxItems: p.limits.maxArrayLength });
      case 'map':
        return Type.Array(
          Type.Unsafe({ type: 'array', prefixItems: [of(p.key), of(p.value)], items: false, minItems: 2, maxItems: 2 }),
          { description: '[key, value] pairs in stream order', maxItems: p.limits.maxArrayLength },
        );
      case 'object': {
        const multi = p.classes.length > 1;
        const variants = p.classes.map((c) =>
          multi ? Type.Unsafe({ allOf: [ref(c), { required: ['$class'] }] }) : ref(c),
        );
        return Type.Union([Type.Null(), ...variants, backReference], {
          description: `CObject* (${p.classes.map((c) => c.cls!.name).join(' | ') || 'no class'}), null, or {"$ref": n}`,
        });
      }
    }
  };
  return { root: of(root), defs };
}

/** An example value of a plan (objects nest at most twice, so recursive types stay finite). */
export function exampleOf(plan: Plan, depth = 0): unknown {
  switch (plan.kind) {
    case 'prim':
      return plan.prim.example;
    case 'struct': {
      const out: Record<string, unknown> = {};
      if (plan.cls !== undefined && depth > 0) out.$class = plan.cls.name;
      for (const f of plan.fields) out[f.name] = exampleOf(f.plan, depth + 1);
      return out;
    }
    case 'fixed':
      return Array.from({ length: plan.length }, () => exampleOf(plan.elem, depth + 1));
    case 'list':
      return depth > 6 ? [] : [exampleOf(plan.elem, depth + 1)];
    case 'map':
      return depth > 6 ? [] : [[exampleOf(plan.key, depth + 1), exampleOf(plan.value, depth + 1)]];
    case 'object':
      return depth > 4 || plan.classes.length === 0 ? null : exampleOf(plan.classes[0], depth + 1);
  }
}
