/**
 * The type file `import-cpp` drafts: the message-type grammar of SPEC §2, part one and part two,
 * plus the `"todo"` field property that marks what the importer could not translate. These are the
 * importer's own declarations of that grammar's JSON shape (the codec's `TypeExpr` knows part one
 * only while part two is being built), and the one place that fixes the order of keys in the output.
 */

/** How many elements or bytes follow: `"WriteCount"` (MFC's own) or an integer type written before them. */
export type CountWidth = string;

export type DraftType =
  | string
  | { list: DraftType; count?: CountWidth; countField?: string }
  | { fixed: DraftType; length: number }
  | { map: [DraftType, DraftType] }
  | { object: string | string[] }
  | { bytes: number | { count: CountWidth } | { countField: string } }
  | { switch: string; cases: Record<string, DraftType>; default?: DraftType };

export const COMPARE_OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'allBits', 'anyBits'] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];
export type ConditionValue = number | boolean | number[];

export type Condition =
  | ({ field: string } & { [K in CompareOp]?: ConditionValue })
  | { schema: { [K in CompareOp]?: ConditionValue } }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export interface DraftField {
  name: string;
  type: DraftType;
  const?: number | string | boolean;
  byteOrder?: 'big';
  when?: Condition;
  /** What could not be translated: `<why> — <C++ line> (file:line)`. */
  todo?: string;
}

export interface DraftTypeDecl {
  class?: string;
  schema?: number;
  versionable?: boolean;
  extends?: string;
  fields: DraftField[];
}

export interface DraftProfile {
  mfc: number;
  unicode: boolean;
  win64: boolean;
}

export interface DraftTypeFile {
  profile: DraftProfile;
  types: Record<string, DraftTypeDecl>;
}

/** Rebuilds objects with their keys in the order SPEC writes them, so the output reads the same every run. */
export function orderedTypeFile(file: DraftTypeFile): DraftTypeFile {
  const types: Record<string, DraftTypeDecl> = {};
  for (const [name, decl] of Object.entries(file.types)) {
    const out: DraftTypeDecl = {} as DraftTypeDecl;
    if (decl.class !== undefined) out.class = decl.class;
    if (decl.schema !== undefined) out.schema = decl.schema;
    if (decl.versionable !== undefined) out.versionable = decl.versionable;
    if (decl.extends !== undefined) out.extends = decl.extends;
    out.fields = decl.fields.map(orderedField);
    types[name] = out;
  }
  return { profile: { mfc: file.profile.mfc, unicode: file.profile.unicode, win64: file.profile.win64 }, types };
}

function orderedField(f: DraftField): DraftField {
  const out: DraftField = { name: f.name, type: f.type };
  if (f.const !== undefined) out.const = f.const;
  if (f.byteOrder !== undefined) out.byteOrder = f.byteOrder;
  if (f.when !== undefined) out.when = f.when;
  if (f.todo !== undefined) out.todo = f.todo;
  return out;
}

/** Whether a type expression needs grammar part two (counts of other widths, raw blocks, switches…). */
export function usesPartTwo(t: DraftType): boolean {
  if (typeof t === 'string') return PART_TWO_NAMES.has(t);
  if ('list' in t) return t.count !== undefined || t.countField !== undefined || usesPartTwo(t.list);
  if ('fixed' in t) return usesPartTwo(t.fixed);
  if ('map' in t) return usesPartTwo(t.map[0]) || usesPartTwo(t.map[1]);
  if ('object' in t) return false;
  return true;
}

/** The pointer-sized integers of part two. */
export const PART_TWO_NAMES: ReadonlySet<string> = new Set(['INT_PTR', 'UINT_PTR', 'LONG_PTR', 'ULONG_PTR', 'DWORD_PTR', 'size_t', 'SSIZE_T']);

/** Structural equality of two type expressions (key order ignored). */
export function sameType(a: DraftType | undefined, b: DraftType | undefined): boolean {
  return canonical(a) === canonical(b);
}

/** Structural equality of two conditions (key order ignored). */
export function sameCondition(a: Condition | undefined, b: Condition | undefined): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
}
