/**
 * The message-type file (SPEC §2, grammar fixed there, part two included): its shape as one
 * TypeBox schema — which validates files here, validates `POST /types` bodies in the gateway and
 * documents both — and the loader that reads JSON or YAML and reports the first problem with its
 * path. What the shape cannot say (an earlier field, one operator per condition…) the resolver checks.
 */
import { Type, type Static } from 'typebox';
import Compile from 'typebox/compile';
import { parse as parseYaml } from 'yaml';
import { ERR_TYPE_FILE, pointerSegment } from '../errors.js';
import { checkNesting } from './nesting.js';
import { OperationsSchema, type OperationDecl } from './operations.js';

const IDENTIFIER = '^[A-Za-z_][A-Za-z0-9_]*$';
/** Class names are stored as ASCII with a WORD length; MFC's reader rejects 64 or more (format §4.3). */
const CLASS_NAME = '^[A-Za-z_][A-Za-z0-9_]{0,62}$';
/** An earlier field, or a field of an earlier inline struct: `n`, `header.count`. */
const FIELD_PATH = '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$';

const fieldPath = (description: string) => Type.String({ pattern: FIELD_PATH, description });
const countWidth = Type.String({
  minLength: 1,
  description: '"WriteCount" (MFC\'s own, the default) or the integer type the count is written as: BYTE, WORD, DWORD, int, size_t…',
});

export const TypeExprSchema = Type.Cyclic(
  {
    TypeExpr: Type.Union(
      [
        Type.String({ minLength: 1, description: 'a primitive (DWORD, CString, CStringArray…) or a declared type' }),
        Type.Object(
          {
            list: Type.Ref('TypeExpr'),
            count: Type.Optional(countWidth),
            countField: Type.Optional(fieldPath('the earlier field that holds the count (nothing is written before the elements)')),
          },
          { additionalProperties: false, description: 'a count (WriteCount unless `count` or `countField` says otherwise), then the elements' },
        ),
        Type.Object(
          { fixed: Type.Ref('TypeExpr'), length: Type.Integer({ minimum: 0, maximum: 0x7fffffff }) },
          { additionalProperties: false, description: 'exactly `length` elements, no count' },
        ),
        Type.Object(
          {
            map: Type.Array(Type.Ref('TypeExpr'), { minItems: 2, maxItems: 2 }),
            count: Type.Optional(countWidth),
            countField: Type.Optional(fieldPath('the earlier field that holds the count')),
          },
          { additionalProperties: false, description: 'a count, then the key/value pairs: [keyType, valueType]' },
        ),
        Type.Object(
          {
            object: Type.Union([
              Type.String({ pattern: IDENTIFIER }),
              Type.Array(Type.String({ pattern: IDENTIFIER }), { minItems: 1 }),
            ]),
          },
          { additionalProperties: false, description: 'a CObject* written with WriteObject: one class or one of several' },
        ),
        Type.Object(
          {
            bytes: Type.Union([
              Type.Integer({ minimum: 0, maximum: 0x7fffffff, description: 'exactly N bytes: ar.Write(&s, sizeof s)' }),
              Type.Object({ count: countWidth }, { additionalProperties: false }),
              Type.Object({ countField: fieldPath('the earlier field that holds the byte count') }, { additionalProperties: false }),
            ]),
          },
          { additionalProperties: false, description: 'raw bytes written with ar.Write; base64 in JSON' },
        ),
        Type.Object(
          {
            switch: fieldPath('the earlier integer field (a kind or version) that chooses the case'),
            cases: Type.Record(Type.String({ pattern: '^-?(0|[1-9][0-9]*)$' }), Type.Ref('TypeExpr'), {
              description: 'the type that follows, by decimal value of the switch field',
            }),
            default: Type.Optional(Type.Ref('TypeExpr')),
          },
          { additionalProperties: false, description: 'a tagged union: what follows depends on an earlier field' },
        ),
      ],
      { $id: 'TypeExpr' },
    ),
  },
  'TypeExpr',
);

const conditionValue = Type.Union([Type.Integer(), Type.Boolean(), Type.String({ pattern: '^-?(0|[1-9][0-9]*)$' })]);
/** A bit mask: a number, or a decimal string for masks past 2^53 (64-bit fields). */
const bitMask = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^(0|[1-9][0-9]*)$' })]);
const comparisons = {
  eq: Type.Optional(conditionValue),
  ne: Type.Optional(conditionValue),
  lt: Type.Optional(conditionValue),
  le: Type.Optional(conditionValue),
  gt: Type.Optional(conditionValue),
  ge: Type.Optional(conditionValue),
  in: Type.Optional(Type.Array(conditionValue, { minItems: 1 })),
  allBits: Type.Optional(bitMask),
  anyBits: Type.Optional(bitMask),
};

/**
 * One level of a `"when"` condition. Nested conditions (in `all`, `any`, `not`) have the same shape;
 * the schema says so in words rather than by a recursive reference — OpenAPI tools and the
 * gateway's shared schemas resolve one cycle only (TypeExpr) — and the resolver checks each nested
 * level against this same schema (`conditionProblem`).
 */
const nested = Type.Object({}, { description: 'a condition, of the same shape as this one' });
export const ConditionSchema = Type.Union(
  [
    Type.Object({ field: fieldPath('an earlier field (integer or bool)'), ...comparisons }, { additionalProperties: false }),
    Type.Object(
      { schema: Type.Object(comparisons, { additionalProperties: false, description: 'the object\'s schema number (GetObjectSchema)' }) },
      { additionalProperties: false },
    ),
    Type.Object({ all: Type.Array(nested, { minItems: 1 }) }, { additionalProperties: false }),
    Type.Object({ any: Type.Array(nested, { minItems: 1 }) }, { additionalProperties: false }),
    Type.Object({ not: nested }, { additionalProperties: false }),
  ],
  { description: 'present only when this holds: a comparison of an earlier field or of the schema, or all/any/not of conditions' },
);

const FieldSchema = Type.Object(
  {
    name: Type.String({ pattern: IDENTIFIER, maxLength: 128 }),
    type: TypeExprSchema,
    codePage: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'ANSI code page of this field\'s strings' })),
    unicode: Type.Optional(Type.Boolean({ description: 'write this field\'s CString as Unicode' })),
    byteOrder: Type.Optional(Type.Union([Type.Literal('big'), Type.Literal('little')], { description: 'big: an integer written after htonl/htons' })),
    const: Type.Optional(Type.Union([Type.Number(), Type.String(), Type.Boolean()], { description: 'a fixed value: written on encode (the JSON may omit it), checked on decode' })),
    when: Type.Optional(ConditionSchema),
    todo: Type.Optional(Type.String({ description: 'a note left by `archway import-cpp`; the codec ignores it' })),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const TypeDeclSchema = Type.Object(
  {
    fields: Type.Array(FieldSchema, { description: 'in the order Serialize() writes them' }),
    class: Type.Optional(Type.String({ pattern: CLASS_NAME, description: 'the IMPLEMENT_SERIAL class name, for CObject* fields' })),
    schema: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xfffe, description: 'IMPLEMENT_SERIAL schema number (default 1)' })),
    versionable: Type.Optional(Type.Boolean({ description: 'VERSIONABLE_SCHEMA: other stored schema numbers are accepted' })),
    extends: Type.Optional(Type.String({ pattern: IDENTIFIER, description: 'the base type: its fields come first (Base::Serialize(ar) at the top)' })),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const ProfileSchema = Type.Object(
  {
    mfc: Type.Optional(Type.Number({ minimum: 4, maximum: 14.99, description: 'MFC version of the peer (default 14)' })),
    unicode: Type.Optional(Type.Boolean({ description: 'Unicode build: CString means CStringW (default false)' })),
    win64: Type.Optional(Type.Boolean({ description: '64-bit build: 64-bit count/length escapes, 8-byte INT_PTR/size_t (default false)' })),
  },
  { additionalProperties: false },
);

export const TypeFileSchema = Type.Object(
  {
    profile: Type.Optional(ProfileSchema),
    codePage: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'ANSI code page of narrow strings (default 1252)' })),
    types: Type.Record(Type.String({ pattern: IDENTIFIER }), TypeDeclSchema, { additionalProperties: false }),
    operations: Type.Optional(OperationsSchema),
  },
  { additionalProperties: false, $id: 'TypeFile' },
);

/** How many elements or bytes follow: "WriteCount" or an integer type name. */
export type CountWidth = string;
export type CountDecl = { count?: CountWidth; countField?: string };
export type TypeExpr =
  | string
  | ({ list: TypeExpr } & CountDecl)
  | { fixed: TypeExpr; length: number }
  | ({ map: readonly TypeExpr[] } & CountDecl)
  | { object: string | string[] }
  | { bytes: number | { count: CountWidth } | { countField: string } }
  | { switch: string; cases: Record<string, TypeExpr>; default?: TypeExpr };

export type ConditionValue = number | boolean | string;
export interface Comparisons {
  eq?: ConditionValue;
  ne?: ConditionValue;
  lt?: ConditionValue;
  le?: ConditionValue;
  gt?: ConditionValue;
  ge?: ConditionValue;
  in?: ConditionValue[];
  allBits?: number | string;
  anyBits?: number | string;
}
export type ConditionDecl =
  | ({ field: string } & Comparisons)
  | { schema: Comparisons }
  | { all: ConditionDecl[] }
  | { any: ConditionDecl[] }
  | { not: ConditionDecl };

export type FieldDecl = Omit<Static<typeof FieldSchema>, 'type' | 'when'> & { type: TypeExpr; when?: ConditionDecl };
export type TypeDecl = Omit<Static<typeof TypeDeclSchema>, 'fields'> & { fields: FieldDecl[] };
export interface TypeFile {
  profile?: Static<typeof ProfileSchema>;
  codePage?: number;
  types: Record<string, TypeDecl>;
  operations?: Record<string, OperationDecl>;
}

const checker = Compile(TypeFileSchema);
const conditionChecker = Compile(ConditionSchema);

/**
 * Errors looked at to pick the most specific. The checker's error search resolves the recursive
 * type expression afresh at every node it visits, ~0.1 ms each: a map of 200,000 types held the
 * gateway 26 s (HTTP fuzz, seed 21). So the search runs on the one field (or type) that fails,
 * found with the compiled checks first, arrays are capped before anything, and few errors are read.
 */
const ERRORS_READ = 16;

/** Elements an array of a type file may hold: a type's fields as many as a file may resolve. */
const MAX_FILE_ARRAY = 1024;
const MAX_FIELDS = 65_536;

/** Refuses, before the checker sees it, an array longer than a type file has any use for. */
function checkArrays(value: unknown): void {
  const stack: [unknown, string, number][] = [[value, '', MAX_FILE_ARRAY]];
  while (stack.length > 0) {
    const [v, path, max] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      if (v.length > max) {
        throw new ERR_TYPE_FILE(`message-type file: ${path || '(root)'} holds ${v.length} elements; a type file's arrays hold at most ${max}`).with({ path });
      }
      v.forEach((child, i) => stack.push([child, `${path}/${i}`, MAX_FILE_ARRAY]));
    } else {
      for (const [key, child] of Object.entries(v)) {
        stack.push([child, `${path}/${pointerSegment(key)}`, key === 'fields' ? MAX_FIELDS : MAX_FILE_ARRAY]);
      }
    }
  }
}

const declChecker = Compile(TypeDeclSchema);
const fieldChecker = Compile(FieldSchema);

/** The smallest part of a failing file the compiled checks can pin: a field, a type, or the file. */
function failingPart(value: unknown): { part: unknown; at: string; check: typeof checker | typeof declChecker | typeof fieldChecker } {
  const types = (value as { types?: unknown } | null)?.types;
  if (types === null || typeof types !== 'object' || Array.isArray(types)) return { part: value, at: '', check: checker };
  for (const [name, decl] of Object.entries(types)) {
    if (declChecker.Check(decl)) continue;
    const at = `/types/${pointerSegment(name)}`;
    const fields = (decl as { fields?: unknown } | null)?.fields;
    if (Array.isArray(fields)) {
      const i = fields.findIndex((f) => !fieldChecker.Check(f));
      if (i >= 0) return { part: fields[i], at: `${at}/fields/${i}`, check: fieldChecker };
    }
    return { part: decl, at, check: declChecker };
  }
  return { part: value, at: '', check: checker };
}

/** The most specific problem of a union-heavy schema: the deepest path, preferring precise keywords. */
function firstProblem(value: unknown, check: typeof checker | typeof conditionChecker | typeof declChecker | typeof fieldChecker = checker): { path: string; message: string } {
  const errors = [];
  for (const e of check.Errors(value)) if (errors.push(e) >= ERRORS_READ) break;
  const rank = (k: string) => (k === 'anyOf' || k === 'boolean' ? 2 : k === 'type' ? 1 : 0);
  errors.sort(
    (a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length || rank(a.keyword) - rank(b.keyword),
  );
  const e = errors[0];
  if (e === undefined) return { path: '', message: 'is not a valid message-type file' };
  const message = e.keyword === 'boolean' ? 'is not an allowed property here' : e.message;
  return { path: e.instancePath, message };
}

/** The first problem of a nested condition's shape (its path relative to it), or undefined. */
export function conditionProblem(value: unknown): { path: string; message: string } | undefined {
  return conditionChecker.Check(value) ? undefined : firstProblem(value, conditionChecker);
}

/** Checks the shape of a parsed type file; semantic checks happen when its types are compiled. */
export function parseTypeFile(value: unknown): TypeFile {
  checkNesting(value, 'file', 'the message-type file');
  checkArrays(value);
  if (!checker.Check(value)) {
    const { part, at, check } = failingPart(value);
    const found = firstProblem(part, check);
    const path = `${at}${found.path}`;
    const { message } = found;
    throw new ERR_TYPE_FILE(`message-type file: ${path || '(root)'} ${message}`).with({ path });
  }
  return value as TypeFile;
}

/** Reads a type file's text: JSON, or YAML of the same shape. */
export function readTypeFileText(text: string, source = 'message-type file'): TypeFile {
  let value: unknown;
  try {
    value = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ERR_TYPE_FILE(`${source} is neither valid JSON nor YAML: ${(err as Error).message}`);
  }
  return parseTypeFile(value);
}
