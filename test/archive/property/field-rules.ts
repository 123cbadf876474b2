/**
 * The model's own reading of grammar part two (SPEC §2), shared by value generation, numbering and
 * input rewriting: whether a `when` holds for the values before it (MFC's bool: any non-zero value
 * is true), which case a switch takes, and how a struct's fields are walked with those rules.
 */
import type { ModelCond, ModelField, Ty } from './arbitraries.js';

type Json = Record<string, unknown>;

function truthy(v: unknown): boolean {
  return v !== false && v !== 0;
}

export function holds(c: ModelCond, values: Json): boolean {
  if ('not' in c) return !holds(c.not, values);
  if (!(c.field in values)) return false;
  const v = values[c.field];
  if (typeof c.value === 'boolean') return c.op === 'eq' ? truthy(v) === c.value : truthy(v) !== c.value;
  const x = v as number;
  switch (c.op) {
    case 'eq': return x === c.value;
    case 'ne': return x !== c.value;
    case 'lt': return x < (c.value as number);
    case 'ge': return x >= (c.value as number);
    case 'in': return (c.value as readonly number[]).includes(x);
    case 'anyBits': return (x & (c.value as number)) !== 0;
    case 'allBits': return (x & (c.value as number)) === c.value;
  }
}

/** The type a switch field holds for its tag's value (undefined: no case and no default). */
export function caseOf(ty: Extract<Ty, { k: 'switch' }>, tag: unknown): Ty | undefined {
  return ty.cases.find((c) => c.tag === tag)?.ty ?? ty.fallback;
}

/**
 * Walks the fields of a struct value in stream order: `visit` gets each field present (its
 * condition held) with the type its value has (a switch resolved by its tag), and the values so far.
 */
export function eachField(fields: readonly ModelField[], value: Json, visit: (f: ModelField, ty: Ty) => void): void {
  for (const f of fields) {
    if (!(f.name in value)) continue;
    const ty = f.ty.k === 'switch' ? caseOf(f.ty, value[f.ty.tag])! : f.ty;
    visit(f, ty);
  }
}

/**
 * Draws a struct's value field by field: absent when its condition fails, its const, a count the
 * length of the list it counts (drawn first), a tag one of its switch's cases (or, with a default,
 * sometimes another value).
 */
export function drawStruct(
  fields: readonly ModelField[],
  draw: (ty: Ty) => unknown,
  pick: { int(min: number, max: number): number; chance(p: number): boolean },
): Json {
  const out: Json = {};
  const early = new Map<string, unknown>();
  for (const f of fields) {
    if (f.when !== undefined && !holds(f.when, out)) continue;
    if (f.constant !== undefined) {
      out[f.name] = f.constant;
    } else if (f.countOf !== undefined) {
      const target = fields.find((x) => x.name === f.countOf)!;
      const v = draw(target.ty);
      early.set(target.name, v);
      out[f.name] = Array.isArray(v) ? v.length : Buffer.from(v as string, 'base64').length;
    } else if (f.tagOf !== undefined) {
      const sw = fields.find((x) => x.name === f.tagOf)!.ty as Extract<Ty, { k: 'switch' }>;
      const other = [5, 6, 200].find((t) => !sw.cases.some((c) => c.tag === t))!;
      out[f.name] = sw.fallback !== undefined && (sw.cases.length === 0 || pick.chance(0.3)) ? other : sw.cases[pick.int(0, sw.cases.length - 1)]!.tag;
    } else if (f.ty.k === 'switch') {
      out[f.name] = draw(caseOf(f.ty, out[f.ty.tag])!);
    } else {
      out[f.name] = early.has(f.name) ? early.get(f.name) : draw(f.ty);
    }
  }
  return out;
}
