/**
 * Refuses a type expression (or a whole type file) nested deeper than the compiler goes: the
 * resolver, the schema builder and the code generators recurse on it, and a file nested 3,000
 * deep would overflow the stack (a 500 instead of a 400, SPEC §5). Walked iteratively. Nesting
 * through type names, which JSON does not show, is measured by type-depth.ts.
 */
import { ERR_TYPE_FILE, validationError } from '../errors.js';

/** Nested type expressions allowed (`{"list": {"list": …}}`): far past any real Serialize. */
export const MAX_TYPE_DEPTH = 64;

/** Any JSON value's nesting (a type file's skeleton adds a few levels to its expressions). */
const MAX_FILE_DEPTH = 2 * MAX_TYPE_DEPTH + 16;

/**
 * Throws when `value` nests deeper than a type file or expression may: TYPE_FILE for a file,
 * VALIDATION for an expression (it comes in a request, whose field is to blame).
 */
export function checkNesting(value: unknown, what: 'file' | 'expression', source: string): void {
  const max = what === 'file' ? MAX_FILE_DEPTH : 2 * MAX_TYPE_DEPTH;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) {
      const message = `${source} nests deeper than type expressions may (${MAX_TYPE_DEPTH} levels of list, fixed, map or object)`;
      throw what === 'file' ? new ERR_TYPE_FILE(message).with({ path: '' }) : validationError(message);
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
}
