/**
 * Type expressions to plans (SPEC §2): names (primitives, collections, geometry, declared types),
 * lists and maps with their counts, fixed arrays, objects, raw blocks and switches. A count from a
 * field or a switch reads an earlier field, so it may only be a field's own type (`refs` given);
 * everywhere else the expression stands alone.
 */
import type { CodePage } from '../values/code-page.js';
import { ERR_TYPE_FILE } from '../errors.js';
import { LONG, isIntegerName, integerType } from '../values/integer-types.js';
import type { Limits } from '../values/limits.js';
import { DEFAULT_LIMITS } from '../values/limits.js';
import { ANY_CLASS, GEOMETRY, collectionExpr, primitive, refusedReason } from '../values/primitive-table.js';
import type { ProfileFlags } from '../values/profile.js';
import { ArchiveWriter } from '../wire/archive-writer.js';
import { resolveRef, type RefContext } from './field-refs.js';
import type { CountDecl, TypeExpr } from './type-file.js';
import { STATIC_LAYOUT, type CountPlan, type ObjectPlan, type Plan, type StructPlan, type SwitchCase } from './type-plan.js';

export interface Scope {
  /** How errors name what is being resolved. */
  readonly source: string;
  readonly flags: ProfileFlags;
  readonly codePage: CodePage;
  readonly wide: boolean;
  readonly limits: Limits;
  readonly structs: ReadonlyMap<string, StructPlan>;
}

export function fail(message: string, path: string, source = 'message-type file'): never {
  throw new ERR_TYPE_FILE(`${source}: ${path || '(root)'} ${message}`).with({ path });
}

const geometry = new Map<string, StructPlan>(
  Object.entries(GEOMETRY).map(([name, fields]) => [
    name,
    {
      kind: 'struct',
      name,
      fields: fields.map((f) => ({ name: f, plan: { kind: 'prim', prim: LONG } })),
      recursive: false,
      limits: DEFAULT_LIMITS,
      layout: STATIC_LAYOUT,
    },
  ]),
);

/**
 * Resolves `expr`. `refs` is given only for a field's own type: there a count may come from an
 * earlier field and a switch may dispatch on one.
 */
export function resolveExpr(expr: TypeExpr, scope: Scope, path: string, refs?: RefContext): Plan {
  if (typeof expr === 'string') return resolveName(expr, scope, path);
  if ('list' in expr) {
    const elem = resolveExpr(expr.list, scope, `${path}/list`);
    return { kind: 'list', elem, count: resolveCount(expr, scope, path, refs), limits: scope.limits };
  }
  if ('fixed' in expr) {
    if (expr.length > scope.limits.maxArrayLength) fail(`length ${expr.length} exceeds maxArrayLength`, `${path}/length`, scope.source);
    return { kind: 'fixed', elem: resolveExpr(expr.fixed, scope, `${path}/fixed`), length: expr.length };
  }
  if ('map' in expr) {
    return {
      kind: 'map',
      key: resolveExpr(expr.map[0]!, scope, `${path}/map/0`),
      value: resolveExpr(expr.map[1]!, scope, `${path}/map/1`),
      count: resolveCount(expr, scope, path, refs),
      limits: scope.limits,
    };
  }
  if ('bytes' in expr) return resolveBytes(expr.bytes, scope, `${path}/bytes`, refs);
  if ('switch' in expr) return resolveSwitch(expr, scope, path, refs);
  return resolveObject(Array.isArray(expr.object) ? expr.object : [expr.object], scope, `${path}/object`);
}

function resolveName(name: string, scope: Scope, path: string): Plan {
  const refused = refusedReason(name);
  if (refused !== undefined) fail(`'${name}' ${refused}`, path, scope.source);
  const prim = primitive(name, { flags: scope.flags, codePage: scope.codePage, wide: scope.wide, limits: scope.limits });
  if (prim !== undefined) return { kind: 'prim', prim };
  const collection = collectionExpr(name);
  if (collection !== undefined) return resolveExpr(collection, scope, path);
  const geo = geometry.get(name);
  if (geo !== undefined) return geo;
  const s = scope.structs.get(name);
  if (s === undefined) fail(`'${name}' is neither a primitive nor a declared type`, path, scope.source);
  return s;
}

function resolveObject(names: readonly string[], scope: Scope, path: string): ObjectPlan {
  const classes: StructPlan[] = [];
  for (const [i, name] of names.entries()) {
    if (name === ANY_CLASS) {
      for (const s of scope.structs.values()) if (s.cls !== undefined) classes.push(s);
      continue;
    }
    const s = scope.structs.get(name);
    const at = names.length > 1 ? `${path}/${i}` : path;
    if (s === undefined) fail(`names '${name}', which is not a declared type`, at, scope.source);
    if (s.cls === undefined) fail(`names '${name}', which has no "class": only IMPLEMENT_SERIAL classes can be written with WriteObject`, at, scope.source);
    classes.push(s);
  }
  const unique = [...new Set(classes)];
  return { kind: 'object', classes: unique, byName: new Map(unique.map((s) => [s.cls!.name, s])), limits: scope.limits };
}

/** `count` (an integer type or "WriteCount") or `countField` of a list or map. */
function resolveCount(decl: CountDecl, scope: Scope, path: string, refs: RefContext | undefined): CountPlan {
  if (decl.count !== undefined && decl.countField !== undefined) {
    fail('has both "count" and "countField": the count is either written here or held by an earlier field', path, scope.source);
  }
  if (decl.countField !== undefined) return { kind: 'field', ref: fieldRef(decl.countField, 'count', scope, `${path}/countField`, refs) };
  if (decl.count === undefined || decl.count === 'WriteCount') return { kind: 'writeCount', escape64: scope.flags.escape64 };
  return { kind: 'prim', prim: countWidth(decl.count, scope, `${path}/count`) };
}

function countWidth(name: string, scope: Scope, path: string) {
  const prim = isIntegerName(name) ? integerType(name, scope.flags.win64) : undefined;
  if (prim === undefined) {
    fail(`"${name}" is not a count type: use "WriteCount" or an integer type (BYTE, WORD, DWORD, int, UINT, LONG, size_t, INT_PTR…)`, path, scope.source);
  }
  return prim;
}

function fieldRef(text: string, purpose: 'count' | 'tag', scope: Scope, path: string, refs: RefContext | undefined) {
  if (refs === undefined) {
    const what = purpose === 'count' ? 'a "countField"' : 'a "switch"';
    fail(`${what} reads an earlier field of the same struct, so it must be a field's own type (not inside a list, map, fixed array or switch case)`, path, scope.source);
  }
  return resolveRef(text, purpose, refs, path);
}

function resolveBytes(decl: Extract<TypeExpr, { bytes: unknown }>['bytes'], scope: Scope, path: string, refs: RefContext | undefined): Plan {
  if (typeof decl === 'number') {
    if (decl > scope.limits.maxMessageBytes) fail(`${decl} bytes exceed maxMessageBytes`, path, scope.source);
    return { kind: 'bytes', length: decl, limits: scope.limits };
  }
  if ('countField' in decl) {
    return { kind: 'bytes', count: { kind: 'field', ref: fieldRef(decl.countField, 'count', scope, `${path}/countField`, refs) }, limits: scope.limits };
  }
  // A WriteCount then the bytes is exactly CByteArray (format §3.2).
  if (decl.count === 'WriteCount') return resolveName('CByteArray', scope, path);
  return { kind: 'bytes', count: { kind: 'prim', prim: countWidth(decl.count, scope, `${path}/count`) }, limits: scope.limits };
}

/**
 * Cases a switch may have: a kind is a BYTE or a WORD, and real services tell tens of messages apart.
 * Each case compiles into the codecs and the schemas (a switch of 300,000 cases overflowed the stack).
 */
export const MAX_SWITCH_CASES = 1024;

function resolveSwitch(decl: Extract<TypeExpr, { switch: string }>, scope: Scope, path: string, refs: RefContext | undefined): Plan {
  const count = Object.keys(decl.cases).length;
  if (count > MAX_SWITCH_CASES) fail(`has ${count} cases; a switch may have ${MAX_SWITCH_CASES} at most`, `${path}/cases`, scope.source);
  const tag = fieldRef(decl.switch, 'tag', scope, `${path}/switch`, refs);
  const leaf = refs!.earlier.length > 0 ? tagPrimitive(tag, refs!) : undefined;
  const cases: SwitchCase[] = [];
  const keys = new Map<number | string, string>();
  for (const [key, expr] of Object.entries(decl.cases)) {
    const at = `${path}/cases/${key}`;
    if (leaf !== undefined) {
      try {
        leaf.write(new ArchiveWriter(16), tag.value === 'int64' ? key : Number(key));
      } catch {
        fail(`case ${key} is not a value the switch field "${tag.path}" (${leaf.name}) can hold`, at, scope.source);
      }
    }
    const value = tag.value === 'int64' ? BigInt(key).toString() : Number(key);
    // "-0" and "0" are one value: the second case could never be chosen.
    const same = keys.get(value);
    if (same !== undefined) fail(`case "${key}" is the value of case "${same}" again`, at, scope.source);
    keys.set(value, key);
    cases.push({ tag: value, plan: resolveExpr(expr, scope, at) });
  }
  const fallback = decl.default === undefined ? undefined : resolveExpr(decl.default, scope, `${path}/default`);
  return { kind: 'switch', tag, cases, ...(fallback === undefined ? {} : { fallback }) };
}

/** The primitive a resolved tag path ends at (to check case values against its range). */
function tagPrimitive(ref: { steps: readonly { index: number }[] }, refs: RefContext) {
  let fields = refs.earlier;
  let plan: Plan | undefined;
  for (const step of ref.steps) {
    plan = fields[step.index]!.plan;
    if (plan.kind === 'struct') fields = plan.fields;
  }
  return plan?.kind === 'prim' ? plan.prim : undefined;
}
