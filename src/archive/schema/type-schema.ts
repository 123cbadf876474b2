/**
 * JSON Schemas (TypeBox) of a message type's values, from the same plan the codec compiles — so the
 * two cannot drift — in three flavours (SPEC §2 "Canonical and lossless JSON"): `canonical` (what
 * decoding gives by default: one shape per MFC type, no unions but a double's specials and the
 * nullable OLE values), `lossless` (what `form=lossless` gives) and `input` (what encoders accept:
 * either). Declared types become named definitions referenced as `${refPrefix}${name}`: `Name`
 * (canonical), `NameLossless`, `NameInput` — `#/$defs/` standalone, `#/components/schemas/` in
 * the OpenAPI document.
 */
import { createHash } from 'node:crypto';
import { Type, type TSchema } from 'typebox';
import { schemaOf, type SchemaFlavor } from '../values/json-form.js';
import { COUNT_FORMS, widthFormSchema } from '../wire/width-form.js';
import type { CountPlan, FieldPlan, Plan, StructPlan } from '../types/type-plan.js';
import { exampleOf, exampleOption } from './type-example.js';
import { switchSchema } from './switch-schema.js';

export { exampleOf } from './type-example.js';

export interface TypeSchemas {
  /** The schema of the value itself (a `$ref` when the type is a declared one). */
  root: TSchema;
  /** Every declared type reachable from the root, by definition name. */
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

/** A sequence's array schema from this size on (JSON characters) is shared by reference, not copied. */
const SHARE_FROM = 1024;

const SUFFIX: Record<SchemaFlavor, string> = { canonical: '', lossless: 'Lossless', input: 'Input' };

/** The definition name of a declared type in a flavour (`undefined`: the input shapes under plain names). */
export function definitionName(type: string, flavor: SchemaFlavor | undefined): string {
  return flavor === undefined ? type : `${type}${SUFFIX[flavor]}`;
}

/**
 * The schemas of `root`'s values. Without a flavour: the input shapes under the plain type names,
 * as before the forms existed (callers that predate them keep their component names).
 */
export function typeSchemas(root: Plan, refPrefix = '#/$defs/', flavor?: SchemaFlavor): TypeSchemas {
  const shapes: SchemaFlavor = flavor ?? 'input';
  const output = shapes !== 'input';
  const defs: Record<string, TSchema> = {};
  const ref = (s: StructPlan): TSchema => {
    const name = definitionName(s.name, flavor);
    if (!Object.hasOwn(defs, name)) {
      defs[name] = Type.Object({}); // placeholder: cycles refer back to it
      defs[name] = structSchema(s);
    }
    return Type.Unsafe({ $ref: `${refPrefix}${name}` });
  };
  const fieldSchema = (f: FieldPlan, filled: ReadonlySet<number>, i: number): TSchema => {
    let schema = of(f.plan);
    const notes: Record<string, unknown> = {};
    if (f.description !== undefined) notes.description = f.description;
    if (f.todo !== undefined) notes['x-archway-todo'] = f.todo;
    if (f.constant !== undefined && shapes === 'canonical') notes.const = f.constant.canonical;
    if (Object.keys(notes).length > 0) schema = Type.Unsafe({ ...schema, ...notes });
    // Present only when its condition holds; on input a const or a filled-in count may be left out.
    const optional = f.when !== undefined || (!output && (f.constant !== undefined || filled.has(i)));
    return optional ? Type.Optional(schema) : schema;
  };
  const structSchema = (s: StructPlan): TSchema => {
    const props: Record<string, TSchema> = {};
    if (s.cls !== undefined) {
      props.$class = Type.Optional(Type.Literal(s.cls.name));
      props.$id = Type.Optional(Type.Integer({ minimum: 1, description: 'archive index of this object' }));
      if (s.cls.versionable) props.$schema = Type.Optional(Type.Integer({ minimum: 0, maximum: 0xfffe }));
    }
    const filled = new Set(s.layout.fills.filter((f) => f.ref.steps.length === 1).map((f) => f.ref.steps[0]!.index));
    s.fields.forEach((f, i) => (props[f.name] = fieldSchema(f, filled, i)));
    return Type.Object(props, {
      additionalProperties: false,
      ...(s.description === undefined ? {} : { description: s.description }),
      ...(s.cls === undefined ? {} : { 'x-mfc-class': s.cls.name, 'x-mfc-schema': s.cls.schema }),
      ...exampleOption(exampleOf(s)),
    });
  };
  /** A list or map: its array, and on lossless/input also the form that keeps a long WriteCount. */
  const sequence = (array: TSchema, count: CountPlan): TSchema => {
    if (shapes === 'canonical' || count.kind !== 'writeCount') return array;
    // The array stands twice, bare and as the object form's items: inline, a list of lists would
    // double the schema at every level (a list 138 deep never finished GET /openapi.json). A large
    // one is written once, as a definition named by its content, and referenced from both places
    // (`Sequence.<hash>`: a dot, which no type name has, so it cannot take a declared type's name).
    const items = shared(array);
    return Type.Union([
      items,
      Type.Object({ items, countForm: widthFormSchema(COUNT_FORMS, 'count') }, { additionalProperties: false }),
    ]);
  };
  const shared = (schema: TSchema): TSchema => {
    const text = JSON.stringify(schema);
    if (text.length < SHARE_FROM) return schema;
    const name = `Sequence.${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    defs[name] ??= schema;
    return Type.Unsafe({ $ref: `${refPrefix}${name}` });
  };
  const of = (p: Plan): TSchema => {
    switch (p.kind) {
      case 'prim':
        return schemaOf(p.prim, shapes);
      case 'struct':
        return ref(p);
      case 'fixed':
        return Type.Array(of(p.elem), { minItems: p.length, maxItems: p.length });
      case 'list':
        return sequence(Type.Array(of(p.elem), { maxItems: p.limits.maxArrayLength }), p.count);
      case 'map':
        return sequence(
          Type.Array(
            Type.Unsafe({ type: 'array', prefixItems: [of(p.key), of(p.value)], items: false, minItems: 2, maxItems: 2 }),
            { description: '[key, value] pairs in stream order', maxItems: p.limits.maxArrayLength },
          ),
          p.count,
        );
      case 'bytes': {
        // Base64 of exactly N bytes is exactly 4·⌈N/3⌉ characters.
        const exact = p.length === undefined ? {} : { minLength: 4 * Math.ceil(p.length / 3), maxLength: 4 * Math.ceil(p.length / 3) };
        return Type.String({ contentEncoding: 'base64', description: 'raw bytes, base64', ...exact });
      }
      case 'switch':
        return switchSchema(p, of, shapes);
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
