/**
 * The type file `import-cpp` drafts: the message-type grammar of SPEC §2 (the archive's own
 * `TypeExpr`, `ConditionDecl`, `FieldDecl` and `TypeDecl`, the `"todo"` field property included),
 * always with a profile, and the one place that fixes the order of keys in the output.
 */
import type { Profile } from '../archive/values/profile.js';
import type { ConditionDecl, FieldDecl, TypeDecl, TypeExpr } from '../archive/types/type-file.js';

export interface DraftTypeFile {
  profile: Profile;
  types: Record<string, TypeDecl>;
}

/** Rebuilds objects with their keys in the order SPEC writes them, so the output reads the same every run. */
export function orderedTypeFile(file: DraftTypeFile): DraftTypeFile {
  const types: Record<string, TypeDecl> = {};
  for (const [name, decl] of Object.entries(file.types)) {
    const out: TypeDecl = {} as TypeDecl;
    if (decl.class !== undefined) out.class = decl.class;
    if (decl.schema !== undefined) out.schema = decl.schema;
    if (decl.versionable !== undefined) out.versionable = decl.versionable;
    if (decl.extends !== undefined) out.extends = decl.extends;
    out.fields = decl.fields.map(orderedField);
    types[name] = out;
  }
  return { profile: { mfc: file.profile.mfc, unicode: file.profile.unicode, win64: file.profile.win64 }, types };
}

function orderedField(f: FieldDecl): FieldDecl {
  const out: FieldDecl = { name: f.name, type: f.type };
  if (f.const !== undefined) out.const = f.const;
  if (f.byteOrder !== undefined) out.byteOrder = f.byteOrder;
  if (f.when !== undefined) out.when = f.when;
  if (f.todo !== undefined) out.todo = f.todo;
  return out;
}

/** Field names made unique the way a reader would: the second `n` is `n2`, the third `n3`. */
export function uniqueFieldNames(fields: FieldDecl[]): FieldDecl[] {
  const seen = new Map<string, number>();
  return fields.map((f) => {
    const n = (seen.get(f.name) ?? 0) + 1;
    seen.set(f.name, n);
    return n === 1 ? f : { ...f, name: `${f.name}${n}` };
  });
}

/** Whether a type expression needs grammar part two (counts of other widths, raw blocks, switches…). */
export function usesPartTwo(t: TypeExpr): boolean {
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
export function sameType(a: TypeExpr | undefined, b: TypeExpr | undefined): boolean {
  return canonical(a) === canonical(b);
}

/** Structural equality of two conditions (key order ignored). */
export function sameCondition(a: ConditionDecl | undefined, b: ConditionDecl | undefined): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
}
