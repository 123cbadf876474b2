/**
 * How deep a type file's types go, measured on the declarations before anything resolves: the
 * resolver recurses along `extends` chains, so a chain of thousands of bases (one type a line)
 * would be walked recursively, and each base's fields are copied into every type below it.
 */
import type { TypeFile } from './type-file.js';
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

/** Keeps the base depths of types just loaded, for the files that extend them. */
export function keepBaseDepths(added: ReadonlyMap<string, StructPlan>, depths: ReadonlyMap<string, number>): void {
  for (const [name, plan] of added) extendsDepths.set(plan, depths.get(name) ?? 0);
}
