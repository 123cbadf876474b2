/**
 * The message-type file (SPEC §2, grammar fixed there): its shape as one TypeBox schema — which
 * validates files here, validates `POST /types` bodies in the gateway and documents both — and the
 * loader that reads JSON or YAML and reports the first problem with its path.
 */
import { Type, type Static } from 'typebox';
import Compile from 'typebox/compile';
import { parse as parseYaml } from 'yaml';
import { ERR_TYPE_FILE } from '../errors.js';
import { checkNesting } from './nesting.js';
import { OperationsSchema, type OperationDecl } from './operations.js';

export const IDENTIFIER = '^[A-Za-z_][A-Za-z0-9_]*$';
/** Class names are stored as ASCII with a WORD length; MFC's reader rejects 64 or more (format §4.3). */
export const CLASS_NAME = '^[A-Za-z_][A-Za-z0-9_]{0,62}$';

export const TypeExprSchema = Type.Cyclic(
  {
    TypeExpr: Type.Union(
      [
        Type.String({ minLength: 1, description: 'a primitive (DWORD, CString, CStringArray…) or a declared type' }),
        Type.Object({ list: Type.Ref('TypeExpr') }, { additionalProperties: false, description: 'WriteCount(n), then n elements' }),
        Type.Object(
          { fixed: Type.Ref('TypeExpr'), length: Type.Integer({ minimum: 0, maximum: 0x7fffffff }) },
          { additionalProperties: false, description: 'exactly `length` elements, no count' },
        ),
        Type.Object(
          { map: Type.Array(Type.Ref('TypeExpr'), { minItems: 2, maxItems: 2 }) },
          { additionalProperties: false, description: 'WriteCount(n), then n key/value pairs: [keyType, valueType]' },
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
      ],
      { $id: 'TypeExpr' },
    ),
  },
  'TypeExpr',
);

export const FieldSchema = Type.Object(
  {
    name: Type.String({ pattern: IDENTIFIER, maxLength: 128 }),
    type: TypeExprSchema,
    codePage: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'ANSI code page of this field\'s strings' })),
    unicode: Type.Optional(Type.Boolean({ description: 'write this field\'s CString as Unicode' })),
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
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const ProfileSchema = Type.Object(
  {
    mfc: Type.Optional(Type.Number({ minimum: 4, maximum: 14.99, description: 'MFC version of the peer (default 14)' })),
    unicode: Type.Optional(Type.Boolean({ description: 'Unicode build: CString means CStringW (default false)' })),
    win64: Type.Optional(Type.Boolean({ description: '64-bit build: 64-bit count/length escapes (default false)' })),
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

export type TypeExpr =
  | string
  | { list: TypeExpr }
  | { fixed: TypeExpr; length: number }
  | { map: TypeExpr[] }
  | { object: string | string[] };
export type FieldDecl = Omit<Static<typeof FieldSchema>, 'type'> & { type: TypeExpr };
export type TypeDecl = Omit<Static<typeof TypeDeclSchema>, 'fields'> & { fields: FieldDecl[] };
export interface TypeFile {
  profile?: Static<typeof ProfileSchema>;
  codePage?: number;
  types: Record<string, TypeDecl>;
  operations?: Record<string, OperationDecl>;
}

const checker = Compile(TypeFileSchema);

/** The most specific problem of a union-heavy schema: the deepest path, preferring precise keywords. */
function firstProblem(value: unknown): { path: string; message: string } {
  const errors = [...checker.Errors(value)];
  const rank = (k: string) => (k === 'anyOf' || k === 'boolean' ? 2 : k === 'type' ? 1 : 0);
  errors.sort(
    (a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length || rank(a.keyword) - rank(b.keyword),
  );
  const e = errors[0];
  if (e === undefined) return { path: '', message: 'is not a valid message-type file' };
  const message = e.keyword === 'boolean' ? 'is not an allowed property here' : e.message;
  return { path: e.instancePath, message };
}

/** Checks the shape of a parsed type file; semantic checks happen when its types are compiled. */
export function parseTypeFile(value: unknown): TypeFile {
  checkNesting(value, 'file', 'the message-type file');
  if (!checker.Check(value)) {
    const { path, message } = firstProblem(value);
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
