/**
 * Turns a parsed message-type file into plans: every name resolved, every MFC rule the grammar
 * cannot express checked (refused collection classes, class names, inline cycles), each problem
 * reported with its path in the file.
 */
import { codePage, codePageExists, type CodePage } from '../values/code-page.js';
import { ERR_TYPE_EXISTS, ERR_TYPE_FILE } from '../errors.js';
import { LONG } from '../values/integer-types.js';
import type { Limits } from '../values/limits.js';
import { ANY_CLASS, COLLECTIONS, GEOMETRY, PRIMITIVES, REFUSED, isBuiltinName, primitive } from '../values/primitive-table.js';
import { profileFlags, type ProfileFlags } from '../values/profile.js';
import type { TypeExpr, TypeFile } from './type-file.js';
import { DEFAULT_LIMITS } from '../values/limits.js';
import { children, type ObjectPlan, type Plan, type StructPlan } from './type-plan.js';

interface Scope {
  /** How errors name what is being resolved. */
  readonly source: string;
  readonly flags: ProfileFlags;
  readonly codePage: CodePage;
  readonly wide: boolean;
  readonly limits: Limits;
  readonly structs: ReadonlyMap<string, StructPlan>;
}

function fail(message: string, path: string, source = 'message-type file'): never {
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
    },
  ]),
);

function resolveExpr(expr: TypeExpr, scope: Scope, path: string): Plan {
  if (typeof expr === 'string') return resolveName(expr, scope, path);
  if ('list' in expr) {
    return { kind: 'list', elem: resolveExpr(expr.list, scope, `${path}/list`), escape64: scope.flags.escape64, limits: scope.limits };
  }
  if ('fixed' in expr) {
    if (expr.length > scope.limits.maxArrayLength) fail(`length ${expr.length} exceeds maxArrayLength`, `${path}/length`, scope.source);
    return { kind: 'fixed', elem: resolveExpr(expr.fixed, scope, `${path}/fixed`), length: expr.length };
  }
  if ('map' in expr) {
    return {
      kind: 'map',
      key: resolveExpr(expr.map[0], scope, `${path}/map/0`),
      value: resolveExpr(expr.map[1], scope, `${path}/map/1`),
      escape64: scope.flags.escape64,
      limits: scope.limits,
    };
  }
  return resolveObject(Array.isArray(expr.object) ? expr.object : [expr.object], scope, `${path}/object`);
}

function resolveObject(names: readonly string[], scope: Scope, path: string): ObjectPlan {
  const classes: StructPlan[] = [];
  for (const [i, name] of names.entries()) {
    if (name === ANY_CLASS) {
      classes.push(...[...scope.structs.values()].filter((s) => s.cls !== undefined));
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

function resolveName(name: string, scope: Scope, path: string): Plan {
  const refused = REFUSED[name];
  if (refused !== undefined) fail(`'${name}' ${refused}`, path, scope.source);
  if (name in PRIMITIVES) {
    return { kind: 'prim', prim: primitive(name, { flags: scope.flags, codePage: scope.codePage, wide: scope.wide, limits: scope.limits })! };
  }
  const collection = COLLECTIONS[name];
  if (collection !== undefined) return resolveExpr(collection, scope, path);
  const geo = geometry.get(name);
  if (geo !== undefined) return geo;
  const s = scope.structs.get(name);
  if (s === undefined) fail(`'${name}' is neither a primitive nor a declared type`, path, scope.source);
  return s;
}

/** Marks types that reach themselves; refuses those that contain themselves inline (infinite size). */
function checkCycles(structs: readonly StructPlan[]): void {
  const reaches = (from: StructPlan, inlineOnly: boolean): boolean => {
    const seen = new Set<unknown>();
    const stack: unknown[] = children(from);
    while (stack.length > 0) {
      const p = stack.pop() as import('./type-plan.js').Plan;
      if (p === from) return true;
      if (seen.has(p)) continue;
      seen.add(p);
      if (inlineOnly && (p.kind === 'list' || p.kind === 'map' || p.kind === 'object')) continue;
      if (inlineOnly && p.kind === 'fixed' && p.length === 0) continue;
      stack.push(...children(p));
    }
    return false;
  };
  for (const s of structs) {
    if (reaches(s, true)) fail(`contains itself inline, so its size would be infinite: go through a list, a map or an object field`, `/types/${s.name}`);
    s.recursive = reaches(s, false);
  }
}

/**
 * Resolves every type of `file`. `known` holds the types loaded before (a file may use them); the
 * result holds only the new ones.
 */
export function resolveTypeFile(file: TypeFile, known: ReadonlyMap<string, StructPlan>, limits: Limits): Map<string, StructPlan> {
  const flags = profileFlags(file.profile);
  const cpId = file.codePage ?? 1252;
  if (!codePageExists(cpId)) fail(`code page ${cpId} is not supported`, '/codePage');
  const added = new Map<string, StructPlan>();
  const classNames = new Map([...known.values()].filter((s) => s.cls).map((s) => [s.cls!.name, s.name]));
  for (const [name, decl] of Object.entries(file.types)) {
    const path = `/types/${name}`;
    if (isBuiltinName(name)) fail(REFUSED[name] !== undefined ? `'${name}' ${REFUSED[name]}` : `'${name}' is a built-in type name`, path);
    if (known.has(name)) throw new ERR_TYPE_EXISTS(name).with({ path });
    if (decl.class !== undefined) {
      const other = classNames.get(decl.class);
      if (other !== undefined) fail(`class '${decl.class}' is already the class of type '${other}'`, `${path}/class`);
      classNames.set(decl.class, name);
    } else if (decl.schema !== undefined || decl.versionable !== undefined) {
      fail('has "schema" or "versionable" but no "class"', path);
    }
    added.set(name, {
      kind: 'struct',
      name,
      fields: [],
      cls: decl.class === undefined ? undefined : { name: decl.class, schema: decl.schema ?? 1, versionable: decl.versionable ?? false },
      description: decl.description,
      recursive: false,
      limits,
    });
  }
  const structs = new Map([...known, ...added]);
  const base: Scope = { source: 'message-type file', flags, codePage: codePage(cpId), wide: flags.unicode, limits, structs };
  for (const [name, decl] of Object.entries(file.types)) {
    const plan = added.get(name)!;
    const seen = new Set<string>();
    plan.fields = decl.fields.map((f, i) => {
      const path = `/types/${name}/fields/${i}`;
      if (seen.has(f.name)) fail(`repeats the field name '${f.name}'`, `${path}/name`);
      if (f.name === '__proto__') fail(`'__proto__' cannot be a field name`, `${path}/name`);
      seen.add(f.name);
      if (f.codePage !== undefined && !codePageExists(f.codePage)) fail(`code page ${f.codePage} is not supported`, `${path}/codePage`);
      const scope: Scope = {
        ...base,
        codePage: f.codePage === undefined ? base.codePage : codePage(f.codePage),
        wide: f.unicode ?? base.wide,
      };
      return { name: f.name, plan: resolveExpr(f.type, scope, `${path}/type`), description: f.description };
    });
  }
  checkCycles([...added.values()]);
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
