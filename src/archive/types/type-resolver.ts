/**
 * Turns a parsed message-type file into plans: every name resolved, every MFC rule the grammar
 * cannot express checked (refused collection classes, class names, inline cycles, base classes,
 * fields read before they are written), each problem reported with its path in the file and, for a
 * field, the type and field it concerns.
 */
import { codePage, codePageProblem } from '../values/code-page.js';
import { ERR_TYPE_EXISTS } from '../errors.js';
import { integerType, isIntegerName } from '../values/integer-types.js';
import type { Limits } from '../values/limits.js';
import { isBuiltinName, refusedReason } from '../values/primitive-table.js';
import { isObjectBuiltin } from '../values/own-key.js';
import { profileFlags } from '../values/profile.js';
import { conditionHeads, readsSchema, resolveCondition } from './condition-resolver.js';
import { resolveConst } from './const-resolver.js';
import { fail, resolveExpr, type Scope } from './expression-resolver.js';
import { laterNames, type RefContext } from './field-refs.js';
import { onCycles, strongComponents } from './strong-components.js';
import { MAX_NESTING_DEPTH, baseDepths, keepDepths, measureNesting } from './type-depth.js';
import type { FieldDecl, TypeDecl, TypeExpr, TypeFile } from './type-file.js';
import { STATIC_LAYOUT, children, countOf, type CountFill, type FieldPlan, type Plan, type StructLayout, type StructPlan } from './type-plan.js';

/** Marks types that reach themselves; refuses those that contain themselves inline (infinite size). */
function checkCycles(structs: readonly StructPlan[], source: string): void {
  const added = new Set<Plan>(structs);
  // Types loaded before never reach these ones: the walks stop at them.
  const any = (p: Plan): readonly Plan[] => (p.kind === 'struct' && !added.has(p) ? [] : children(p));
  const inline = (p: Plan): readonly Plan[] => {
    // Behind a count, a pointer, a condition or a case, a type may recur: some value ends it.
    if (p.kind === 'struct') return added.has(p) ? p.fields.filter((f) => f.when === undefined).map((f) => f.plan) : [];
    return p.kind === 'fixed' && p.length > 0 ? [p.elem] : [];
  };
  const infinite = onCycles(strongComponents(structs, inline), inline);
  const first = structs.find((s) => infinite.has(s));
  if (first !== undefined) {
    fail(`contains itself inline, so its size would be infinite: go through a list, a map, an object field, a "when" or a "switch"`, `/types/${first.name}`, source);
  }
  const recursive = onCycles(strongComponents(structs, any), any);
  for (const s of structs) s.recursive = recursive.has(s);
}

/** What the fields' layout depends on, for the compilers and the scanner. */
function layoutOf(fields: readonly FieldPlan[]): StructLayout {
  const heads = new Set<number>();
  const fills: CountFill[] = [];
  let dynamic = false;
  let usesSchema = false;
  let hasOptional = false;
  fields.forEach((f, i) => {
    if (f.when !== undefined) {
      dynamic = hasOptional = true;
      conditionHeads(f.when, heads);
      usesSchema ||= readsSchema(f.when);
    }
    if (f.constant !== undefined) dynamic = hasOptional = true;
    const p = f.plan;
    if (p.kind === 'switch') {
      dynamic = true;
      heads.add(p.tag.steps[0]!.index);
    }
    const count = countOf(p);
    if (count?.kind === 'field') {
      dynamic = hasOptional = true;
      heads.add(count.ref.steps[0]!.index);
      fills.push({ ref: count.ref, from: i });
    }
  });
  if (!dynamic && !hasOptional) return STATIC_LAYOUT;
  return { dynamic, refHeads: heads, fills, usesSchema, hasOptional };
}

/**
 * Fields resolved per file at most, inherited ones counted in each type that has them: each is
 * compiled into its type's encoder and decoders, so a chain of 1,000 types each extending the one
 * before (66 KB) made half a million and took 2 s and 150 MB; 4,000 took 45 s and 2.2 GB.
 */
export const MAX_RESOLVED_FIELDS = 65_536;

interface Loading {
  readonly file: TypeFile;
  readonly added: Map<string, StructPlan>;
  readonly base: Scope;
  readonly state: Map<string, 'resolving' | 'done'>;
  /** Types being resolved, outermost first: a cycle is reported as this chain. */
  readonly chain: string[];
  readonly source: string;
  /** Fields resolved so far (against MAX_RESOLVED_FIELDS). */
  resolved: number;
}

/** Resolves the fields of `name` (a type of the file being loaded), its base's first. */
function ensure(load: Loading, name: string): void {
  const plan = load.added.get(name);
  const status = load.state.get(name);
  if (plan === undefined || status === 'done') return;
  if (status === 'resolving') {
    const cycle = [...load.chain.slice(load.chain.indexOf(name)), name].join(' → ');
    fail(`is part of a cycle of "extends" (or of field paths into each other's types): ${cycle}`, `/types/${name}`, load.source);
  }
  // Resolution recurses along bases and field paths into inline structs: bounded like nesting.
  if (load.chain.length >= MAX_NESTING_DEPTH) {
    fail(`is reached through more than ${MAX_NESTING_DEPTH} types resolved one inside the other (bases, and field paths into inline structs)`, `/types/${name}`, load.source);
  }
  load.state.set(name, 'resolving');
  load.chain.push(name);
  const decl = load.file.types[name]!;
  let inherited: readonly FieldPlan[] = [];
  if (decl.extends !== undefined) {
    const at = `/types/${name}/extends`;
    if (decl.extends === name) fail(`extends itself`, at, load.source);
    const baseType = load.base.structs.get(decl.extends);
    if (baseType === undefined) fail(`names '${decl.extends}', which is not a declared type`, at, load.source);
    ensure(load, decl.extends);
    inherited = baseType.fields;
  }
  load.resolved += inherited.length + decl.fields.length;
  if (load.resolved > MAX_RESOLVED_FIELDS) {
    fail(`takes the file past ${MAX_RESOLVED_FIELDS} fields (each type's own and inherited ones): split the file or shorten its "extends" chains`, `/types/${name}`, load.source);
  }
  const fields = inherited.slice();
  const index = new Map(fields.map((f, i) => [f.name, i]));
  decl.fields.forEach((f, i) => {
    const path = `/types/${name}/fields/${i}`;
    if (index.has(f.name)) {
      fail(`repeats the field name '${f.name}'${decl.extends !== undefined ? ` (its own or its base's)` : ''}`, `${path}/name`, load.source);
    }
    if (f.name === '__proto__') fail(`'__proto__' cannot be a field name`, `${path}/name`, load.source);
    fields.push(resolveField(load, name, decl, f, i, fields, index, path));
    index.set(f.name, fields.length - 1);
  });
  plan.fields = fields;
  plan.layout = layoutOf(fields);
  load.state.set(name, 'done');
  load.chain.pop();
}

/** `earlier` and its index: the fields before this one, not copied (this one is appended afterwards). */
function resolveField(
  load: Loading, typeName: string, decl: TypeDecl, f: FieldDecl, i: number,
  earlier: readonly FieldPlan[], earlierIndex: ReadonlyMap<string, number>, path: string,
): FieldPlan {
  const cpProblem = f.codePage === undefined ? undefined : codePageProblem(f.codePage);
  if (cpProblem !== undefined) fail(`code page ${f.codePage} ${cpProblem}`, `${path}/codePage`, load.source);
  const scope: Scope = {
    ...load.base,
    codePage: f.codePage === undefined ? load.base.codePage : codePage(f.codePage),
    wide: f.unicode ?? load.base.wide,
  };
  const refs: RefContext = {
    typeName,
    fieldName: f.name,
    at: path,
    earlier,
    earlierIndex,
    later: () => laterNames(decl.fields, i),
    ensure: (s) => ensure(load, s.name),
    fail: (message, at) => fail(`(type '${typeName}', field '${f.name}'): ${message}`, at, load.source),
  };
  const plan = f.byteOrder === 'big' ? bigEndian(f.type, scope, `${path}/type`, refs) : resolveExpr(f.type, scope, `${path}/type`, refs);
  const when = f.when === undefined ? undefined : resolveCondition(f.when, refs, `${path}/when`);
  const constant = f.const === undefined ? undefined : resolveConst(f.const, plan, refs, `${path}/const`);
  return {
    name: f.name,
    plan,
    ...(f.description === undefined ? {} : { description: f.description }),
    ...(when === undefined ? {} : { when }),
    ...(constant === undefined ? {} : { constant }),
    ...(f.todo === undefined ? {} : { todo: f.todo }),
  };
}

/** `"byteOrder": "big"`: an integer of 2 bytes or more, in network order (written after htonl). */
function bigEndian(type: TypeExpr, scope: Scope, path: string, refs: RefContext): Plan {
  const prim = typeof type === 'string' && isIntegerName(type) ? integerType(type, scope.flags.win64, 'big') : undefined;
  if (prim === undefined) refs.fail(`"byteOrder" applies to integer types (WORD, DWORD, int, size_t…), not ${JSON.stringify(type)}`, path);
  if (prim.size === 1) refs.fail(`"byteOrder" means nothing for the 1-byte ${prim.name}`, path);
  return { kind: 'prim', prim };
}

/** A `{"schema": …}` condition needs an object whose class tag carries a schema (format §4.3). */
function checkSchemaConditions(file: TypeFile, added: ReadonlyMap<string, StructPlan>, source: string): void {
  const classBearing = new Set<string>();
  const mark = (name: string): void => {
    if (classBearing.has(name)) return;
    classBearing.add(name);
    const base = file.types[name]?.extends;
    if (base !== undefined) mark(base);
  };
  for (const [name, decl] of Object.entries(file.types)) if (decl.class !== undefined) mark(name);
  for (const [name, decl] of Object.entries(file.types)) {
    if (classBearing.has(name)) continue;
    // A type's own fields are the last of its resolved ones (its base's come first).
    const resolved = added.get(name)!.fields;
    const first = resolved.length - decl.fields.length;
    const i = decl.fields.findIndex((_, j) => {
      const own = resolved[first + j]!;
      return own.when !== undefined && readsSchema(own.when);
    });
    if (i >= 0) {
      fail(
        `(type '${name}', field '${decl.fields[i]!.name}'): a "schema" condition reads GetObjectSchema(), which only an object type has: give '${name}' a "class" (or make it the base of one)`,
        `/types/${name}/fields/${i}/when`,
        source,
      );
    }
  }
}

/**
 * Resolves every type of `file`. `known` holds the types loaded before (a file may use them); the
 * result holds only the new ones.
 */
export function resolveTypeFile(file: TypeFile, known: ReadonlyMap<string, StructPlan>, limits: Limits): Map<string, StructPlan> {
  const source = 'message-type file';
  const flags = profileFlags(file.profile);
  const cpId = file.codePage ?? 1252;
  const cpProblem = codePageProblem(cpId);
  if (cpProblem !== undefined) fail(`code page ${cpId} ${cpProblem}`, '/codePage', source);
  const added = new Map<string, StructPlan>();
  const classNames = new Map([...known.values()].filter((s) => s.cls).map((s) => [s.cls!.name, s.name]));
  for (const [name, decl] of Object.entries(file.types)) {
    const path = `/types/${name}`;
    if (isBuiltinName(name)) fail(`'${name}' ${refusedReason(name) ?? 'is a built-in type name'}`, path, source);
    // Type names key plain objects (schema definitions, OpenAPI components): keep off their own names.
    if (isObjectBuiltin(name)) fail(`'${name}' is a property every JavaScript object has, so it cannot name a type`, path, source);
    if (known.has(name)) throw new ERR_TYPE_EXISTS(name).with({ path });
    if (decl.class !== undefined) {
      const other = classNames.get(decl.class);
      if (other !== undefined) fail(`names the class '${decl.class}', which type '${other}' already has (a class name belongs to one type)`, `${path}/class`, source);
      classNames.set(decl.class, name);
    } else if (decl.schema !== undefined || decl.versionable !== undefined) {
      fail('has "schema" or "versionable" but no "class"', path, source);
    }
    added.set(name, {
      kind: 'struct',
      name,
      fields: [],
      cls: decl.class === undefined ? undefined : { name: decl.class, schema: decl.schema ?? 1, versionable: decl.versionable ?? false },
      description: decl.description,
      recursive: false,
      limits,
      layout: STATIC_LAYOUT,
    });
  }
  const structs = new Map([...known, ...added]);
  const load: Loading = {
    file,
    added,
    base: { source, flags, codePage: codePage(cpId), wide: flags.unicode, limits, structs },
    state: new Map(),
    chain: [],
    source,
    resolved: 0,
  };
  const refuse = (message: string, path: string): never => fail(message, path, source);
  const bases = baseDepths(file, known, refuse);
  const nesting = measureNesting(file, known, bases, refuse);
  // Shallow types first: whatever a type's field paths go through is then resolved already, so
  // resolution recurses little whatever order the file lists its types in (stable for ties).
  for (const name of [...added.keys()].sort((a, b) => nesting.get(a)! - nesting.get(b)!)) ensure(load, name);
  checkSchemaConditions(file, added, source);
  checkCycles([...added.values()], source);
  keepDepths(added, bases, nesting);
  return added;
}

/** Resolves a type expression outside any file (ad-hoc `{"type": …}` values) against `known` types. */
export function resolveExpression(
  expr: TypeExpr,
  known: ReadonlyMap<string, StructPlan>,
  options: Omit<Scope, 'structs' | 'source'>,
): Plan {
  return resolveExpr(expr, { ...options, source: 'type', structs: known }, '');
}
