/**
 * The storing and loading branches of one `Serialize`, compared field by field. Where they agree the
 * storing branch's names are kept (a loading branch often reads into locals). A field only the
 * loading branch reads, under a condition that is false for what the storing branch writes (a
 * field of older schemas), is kept with its condition. Every other difference — order, width,
 * a field one side lacks — stays in the draft with a todo naming both lines.
 */
import type { Entry } from './translation-scope.js';
import type { Comparisons, ConditionDecl, ConditionValue, FieldDecl, TypeExpr } from '../archive/types/type-file.js';
import { sameCondition, sameType } from './draft-type-file.js';
import type { SourceFile } from './source-set.js';

export interface Merged {
  fields: FieldDecl[];
  /** One line per difference, for the report. */
  differences: string[];
}

export function mergeDirections(store: Entry[], load: Entry[], file: SourceFile, schema: number | undefined): Merged {
  const fields: FieldDecl[] = [];
  const differences: string[] = [];
  const renames = new Map<string, string>();
  const consts = new Map<string, number | boolean>();
  const diff = (field: FieldDecl, why: string) => {
    differences.push(why);
    if (field.todo === undefined) field.todo = why;
  };
  let i = 0;
  let j = 0;
  while (i < store.length || j < load.length) {
    const s = store[i];
    const l = load[j] === undefined ? undefined : renamed(load[j]!.field, renames);
    if (s !== undefined && l !== undefined && sameType(s.field.type, l.type)) {
      const field: FieldDecl = { ...s.field };
      if (l.todo !== undefined && field.todo === undefined) field.todo = l.todo;
      if (!sameCondition(s.field.when, l.when)) {
        const storeHolds = l.when === undefined ? undefined : holds(l.when, schema, consts);
        if (s.field.when === undefined && storeHolds === true) field.when = l.when;
        else diff(field, file.note(`loading reads it ${describe(l.when)} but storing writes it ${describe(s.field.when)}`, load[j]!.node));
      }
      renames.set(load[j]!.field.name, field.name);
      if (typeof field.const === 'number' || typeof field.const === 'boolean') consts.set(field.name, field.const);
      fields.push(field);
      i++;
      j++;
      continue;
    }
    if (l !== undefined && l.when !== undefined && holds(l.when, schema, consts) === false) {
      // Read only from archives of other versions than the one this code writes.
      fields.push({ ...l });
      j++;
      continue;
    }
    if (s !== undefined && l !== undefined) {
      const field: FieldDecl = { ...s.field };
      diff(field, file.note(`storing writes ${show(s.field.type)} but loading reads ${show(l.type)} at ${file.where(load[j]!.node)}`, s.node));
      renames.set(load[j]!.field.name, field.name);
      fields.push(field);
      i++;
      j++;
    } else if (s !== undefined) {
      const field: FieldDecl = { ...s.field };
      diff(field, file.note('storing writes it but loading reads nothing here', s.node));
      fields.push(field);
      i++;
    } else {
      const field: FieldDecl = { ...l! };
      diff(field, file.note('loading reads it but storing writes nothing here', load[j]!.node));
      fields.push(field);
      j++;
    }
  }
  return { fields, differences };
}

function show(t: TypeExpr): string {
  return typeof t === 'string' ? t : JSON.stringify(t);
}

function describe(c: ConditionDecl | undefined): string {
  return c === undefined ? 'always' : `when ${JSON.stringify(c)}`;
}

/** The loading branch's field with references to earlier fields renamed to the storing branch's names. */
function renamed(f: FieldDecl, renames: ReadonlyMap<string, string>): FieldDecl {
  const out: FieldDecl = { ...f, type: renameType(f.type, renames) };
  if (f.when !== undefined) out.when = renameCondition(f.when, renames);
  return out;
}

function renameType(t: TypeExpr, r: ReadonlyMap<string, string>): TypeExpr {
  if (typeof t === 'string') return t;
  if ('list' in t) return t.countField === undefined ? { ...t, list: renameType(t.list, r) } : { ...t, list: renameType(t.list, r), countField: r.get(t.countField) ?? t.countField };
  if ('bytes' in t && typeof t.bytes === 'object' && 'countField' in t.bytes) return { bytes: { countField: r.get(t.bytes.countField) ?? t.bytes.countField } };
  if ('switch' in t) return { ...t, switch: r.get(t.switch) ?? t.switch };
  return t;
}

function renameCondition(c: ConditionDecl, r: ReadonlyMap<string, string>): ConditionDecl {
  if ('field' in c) return { ...c, field: r.get(c.field) ?? c.field };
  if ('all' in c) return { all: c.all.map((x) => renameCondition(x, r)) };
  if ('any' in c) return { any: c.any.map((x) => renameCondition(x, r)) };
  if ('not' in c) return { not: renameCondition(c.not, r) };
  return c;
}

/** Whether a condition holds for what the storing branch writes: its class schema and its constants. */
export function holds(c: ConditionDecl, schema: number | undefined, consts: ReadonlyMap<string, number | boolean>): boolean | undefined {
  if ('all' in c) {
    const v = c.all.map((x) => holds(x, schema, consts));
    return v.includes(false) ? false : v.includes(undefined) ? undefined : true;
  }
  if ('any' in c) {
    const v = c.any.map((x) => holds(x, schema, consts));
    return v.includes(true) ? true : v.includes(undefined) ? undefined : false;
  }
  if ('not' in c) {
    const v = holds(c.not, schema, consts);
    return v === undefined ? undefined : !v;
  }
  const [value, tests]: [number | boolean | undefined, Comparisons] = 'schema' in c ? [schema, c.schema] : [consts.get(c.field), c];
  if (value === undefined) return undefined;
  for (const key of Object.keys(tests)) {
    if (key === 'field') continue;
    const op = key as keyof Comparisons;
    const y = tests[op];
    if (y !== undefined && !passes(op, Number(value), y)) return false;
  }
  return true;
}

/** One comparison of a known value; booleans count as 0 and 1, decimal strings as their numbers. */
function passes(op: keyof Comparisons, x: number, y: ConditionValue | ConditionValue[]): boolean {
  if (Array.isArray(y)) return y.some((v) => x === Number(v));
  const n = Number(y);
  switch (op) {
    case 'eq': case 'in': return x === n;
    case 'ne': return x !== n;
    case 'lt': return x < n;
    case 'le': return x <= n;
    case 'gt': return x > n;
    case 'ge': return x >= n;
    // `>>> 0`: `&` gives a signed 32-bit result, negative for masks with bit 31.
    case 'allBits': return ((x & n) >>> 0) === n;
    case 'anyBits': return (x & n) !== 0;
  }
}
