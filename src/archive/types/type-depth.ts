/**
 * How deep a type file's types go, measured on the declarations before anything resolves, with
 * explicit stacks. The resolver recurses along `extends` chains (and copies each base's fields into
 * every type below it); the resolver's field paths, the compilers, the schema and example builders
 * recurse through the types a type holds — 300 types each holding the next inside 20 lists (68 KB)
 * overflowed the stack while loading, a RangeError answered 500. JSON nesting (nesting.ts) cannot
 * see that depth: it goes through names. An ad-hoc expression adds at most 2·MAX_TYPE_DEPTH levels.
 */
import { ANY_CLASS, GEOMETRY, collectionExpr } from '../values/primitive-table.js';
import { onCycles, strongComponents } from './strong-components.js';
import type { TypeDecl, TypeExpr, TypeFile } from './type-file.js';
import type { StructPlan } from './type-plan.js';

/** Bases a type may have above it (`extends` of `extends`…): far past any real class tree. */
export const MAX_EXTENDS_DEPTH = 64;

/** The number of bases above each type loaded, for files that extend it. */
const extendsDepths = new WeakMap<StructPlan, number>();

type Fail = (message: string, path: string) => never;

/**
 * The number of bases above each type of `file`, iteratively; a chain longer than
 * MAX_EXTENDS_DEPTH is refused. Cycles and unknown bases are left to the resolver, which names them.
 */
export function baseDepths(file: TypeFile, known: ReadonlyMap<string, StructPlan>, fail: Fail): Map<string, number> {
  const depths = new Map<string, number>();
  for (const name of Object.keys(file.types)) {
    const chain: string[] = [];
    let at: string | undefined = name;
    let above = -1; // bases above what the chain's last type extends; -1: it extends nothing
    while (at !== undefined) {
      const done = depths.get(at);
      if (done !== undefined) {
        above = done;
        break;
      }
      if (!Object.hasOwn(file.types, at) || chain.includes(at)) {
        const base = known.get(at);
        above = base === undefined ? 0 : (extendsDepths.get(base) ?? 0);
        break;
      }
      chain.push(at);
      if (chain.length > MAX_EXTENDS_DEPTH + 1) tooDeep(chain[0]!, fail); // no need to walk further
      at = file.types[at]!.extends;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      depths.set(chain[i]!, ++above);
      if (above > MAX_EXTENDS_DEPTH) tooDeep(chain[i]!, fail);
    }
  }
  return depths;
}

function tooDeep(name: string, fail: Fail): never {
  return fail(`has more than ${MAX_EXTENDS_DEPTH} bases above it ("extends" of "extends"…)`, `/types/${name}/extends`);
}

/**
 * Levels a type may nest: each list, map, fixed array, object, switch and struct one, through the
 * types it holds. The compilers take about 1,100 before the stack runs out; real types take tens.
 */
export const MAX_NESTING_DEPTH = 256;

/** The nesting depth of each type loaded, for the files that hold it. */
const nestingDepths = new WeakMap<StructPlan, number>();

/** What one type's expressions lead to: types of the file, and the depth of everything else. */
interface Reach {
  /** Each type of the file it holds (ANY_CLASS: every class type), with the levels above it here. */
  readonly holds: Map<string, number>;
  /** The deepest of what it holds that is not a type of the file. */
  deepest: number;
}

/** The depth of a name that is not a type of the file: a type loaded before, geometry, a primitive. */
function outsideDepth(name: string, known: ReadonlyMap<string, StructPlan>): number {
  const s = known.get(name);
  if (s !== undefined) return nestingDepths.get(s) ?? 2;
  return Object.hasOwn(GEOMETRY, name) ? 2 : 1;
}

function reachOf(decl: TypeDecl, file: TypeFile, known: ReadonlyMap<string, StructPlan>): Reach {
  const reach: Reach = { holds: new Map(), deepest: 1 };
  const hold = (name: string, above: number): void => {
    if (Object.hasOwn(file.types, name) || name === ANY_CLASS) reach.holds.set(name, Math.max(reach.holds.get(name) ?? 0, above));
    else reach.deepest = Math.max(reach.deepest, above + outsideDepth(name, known));
  };
  const stack: [TypeExpr, number][] = decl.fields.map((f) => [f.type, 1]);
  while (stack.length > 0) {
    const [expr, above] = stack.pop()!;
    if (typeof expr === 'string') {
      const collection = collectionExpr(expr);
      if (collection === undefined) hold(expr, above);
      else stack.push([collection, above]);
    } else if ('list' in expr) {
      stack.push([expr.list, above + 1]);
    } else if ('fixed' in expr) {
      stack.push([expr.fixed, above + 1]);
    } else if ('map' in expr) {
      for (const e of expr.map) stack.push([e, above + 1]);
    } else if ('switch' in expr) {
      for (const e of Object.values(expr.cases)) stack.push([e, above + 1]);
      if (expr.default !== undefined) stack.push([expr.default, above + 1]);
    } else if ('object' in expr) {
      for (const name of Array.isArray(expr.object) ? expr.object : [expr.object]) hold(name, above + 1);
    } else {
      reach.deepest = Math.max(reach.deepest, above + 1);
    }
  }
  return reach;
}

/**
 * The nesting depth of each type of `file` (a bound: types that hold each other count once each,
 * as deep as a walk through all of them goes); past MAX_NESTING_DEPTH the file is refused.
 */
export function measureNesting(file: TypeFile, known: ReadonlyMap<string, StructPlan>, bases: ReadonlyMap<string, number>, fail: Fail): Map<string, number> {
  const reaches = new Map<string, Reach>();
  for (const [name, decl] of Object.entries(file.types)) reaches.set(name, reachOf(decl, file, known));
  // A type holds its base's fields as its own: every type below a base compiles and walks them
  // again. Bases first, so that each brings its own bases' along.
  for (const name of [...reaches.keys()].sort((a, b) => bases.get(a)! - bases.get(b)!)) {
    const base = file.types[name]!.extends;
    if (base === undefined) continue;
    const r = reaches.get(name)!;
    const from = Object.hasOwn(file.types, base) ? reaches.get(base)! : { holds: new Map<string, number>(), deepest: outsideDepth(base, known) };
    r.deepest = Math.max(r.deepest, from.deepest);
    for (const [to, above] of from.holds) r.holds.set(to, Math.max(r.holds.get(to) ?? 0, above));
  }
  // Every class type, of this file and loaded before: what `{"object": "*"}` (CObArray…) holds.
  const any: Reach = { holds: new Map(), deepest: 0 };
  for (const [name, decl] of Object.entries(file.types)) if (decl.class !== undefined) any.holds.set(name, 0);
  for (const s of known.values()) if (s.cls !== undefined) any.deepest = Math.max(any.deepest, nestingDepths.get(s) ?? 2);
  reaches.set(ANY_CLASS, any);
  const edges = new Map([...reaches].map(([name, r]) => [name, [...r.holds.keys()]]));
  const next = (name: string): readonly string[] => edges.get(name)!;
  const components = strongComponents(reaches.keys(), next);
  const cyclic = onCycles(components, next);
  const depths = new Map<string, number>();
  for (const members of components) {
    const inside = new Set(members);
    // Along a walk through types that hold each other, each adds the levels above the next one.
    let through = 0;
    let beyond = 0;
    for (const m of members) {
      const r = reaches.get(m)!;
      beyond = Math.max(beyond, r.deepest);
      let inner = 0;
      for (const [to, above] of r.holds) {
        if (cyclic.has(m) && inside.has(to)) inner = Math.max(inner, above);
        else beyond = Math.max(beyond, above + depths.get(to)!);
      }
      through += inner;
    }
    for (const m of members) depths.set(m, through + beyond);
  }
  for (const name of Object.keys(file.types)) {
    if (depths.get(name)! > MAX_NESTING_DEPTH) {
      fail(`nests more than ${MAX_NESTING_DEPTH} levels deep through the types it holds (each list, map, fixed array, object, switch and struct a level; types that hold each other counted once each)`, `/types/${name}`);
    }
  }
  return depths;
}

/** Keeps the depths of types just loaded, for the files that extend or hold them. */
export function keepDepths(added: ReadonlyMap<string, StructPlan>, bases: ReadonlyMap<string, number>, nesting: ReadonlyMap<string, number>): void {
  for (const [name, plan] of added) {
    extendsDepths.set(plan, bases.get(name) ?? 0);
    nestingDepths.set(plan, nesting.get(name) ?? 0);
  }
}
