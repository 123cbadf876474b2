/**
 * A `when` condition as JavaScript source, compiled into the generated encoders and decoders and
 * the scanner's field steps (no interpretation on the hot path). One generator serves all three:
 * each says how to reach a field's value (`access`); the object's schema is the variable `sc`.
 * An absent field makes every comparison false (its `not` true), so conditions on conditional
 * fields read naturally. Booleans compare as MFC reads them (any non-zero value is true); 64-bit
 * fields compare as bigints, exactly.
 */
import type { CompareOp, Condition, FieldRef, Operand } from '../types/type-plan.js';

/** Source of a field's value (undefined when absent), given where the generated code keeps them. */
export type Access = (ref: FieldRef) => string;

/**
 * The `Access` of generated code that keeps each field's value in `head(step)` (a local, a slot):
 * the path's first field there, the fields below it read with `H.pick` (undefined when a level is
 * absent; with `withConst`, a const leaf the JSON left out reads as its const).
 */
export function refAccess(head: (step: FieldRef['steps'][number]) => string, withConst = false): Access {
  return (ref) => {
    const first = head(ref.steps[0]!);
    if (ref.steps.length === 1) return first;
    const names = JSON.stringify(ref.steps.slice(1).map((s) => s.name));
    const fallback = withConst && ref.constant !== undefined ? `, ${JSON.stringify(ref.constant)}` : '';
    return `H.pick(${first}, ${names}${fallback})`;
  };
}

function literal(v: Operand): string {
  return typeof v === 'bigint' ? `${v}n` : String(v);
}

function subjectSource(c: Extract<Condition, { kind: 'compare' }>, access: Access): string {
  if (c.subject === 'schema') return 'sc';
  const raw = access(c.subject);
  // Helpers normalise what each JSON form may hold: a lossless bool may be a number, an encoder's
  // 64-bit input a number or a string.
  if (c.subject.value === 'bool') return `H.bool(${raw})`;
  if (c.subject.value === 'int64') return `H.big(${raw})`;
  return raw;
}

function compareSource(x: string, op: CompareOp, operand: Operand | readonly Operand[], wide: boolean): string {
  if (Array.isArray(operand)) return `(${operand.map((v) => `${x} === ${literal(v)}`).join(' || ')})`;
  const k = literal(operand as Operand);
  switch (op) {
    case 'eq': return `(${x} === ${k})`;
    case 'ne': return `(${x} !== undefined && ${x} !== ${k})`;
    case 'lt': return `(${x} < ${k})`;
    case 'le': return `(${x} <= ${k})`;
    case 'gt': return `(${x} > ${k})`;
    case 'ge': return `(${x} >= ${k})`;
    case 'allBits': return wide ? `(${x} !== undefined && (${x} & ${k}) === ${k})` : `(${x} !== undefined && ((${x} & ${k}) >>> 0) === ${k})`;
    case 'anyBits': return wide ? `(${x} !== undefined && (${x} & ${k}) !== 0n)` : `((${x} & ${k}) !== 0)`;
    case 'in': return `(${x} === ${k})`;
  }
}

export function conditionSource(c: Condition, access: Access): string {
  switch (c.kind) {
    case 'compare': {
      const wide = c.subject !== 'schema' && c.subject.value === 'int64';
      return compareSource(subjectSource(c, access), c.op, c.operand, wide);
    }
    case 'not':
      return `!${conditionSource(c.of, access)}`;
    case 'all':
      return `(${c.of.map((x) => conditionSource(x, access)).join(' && ')})`;
    case 'any':
      return `(${c.of.map((x) => conditionSource(x, access)).join(' || ')})`;
  }
}

const SYMBOL: Record<CompareOp, string> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=', in: 'in', allBits: 'has all bits of', anyBits: 'has any bit of' };

/** The condition for people (error messages): `kind == 2`, `schema >= 2`, `all(a == 1, not b == true)`. */
export function conditionText(c: Condition): string {
  switch (c.kind) {
    case 'compare': {
      const subject = c.subject === 'schema' ? 'schema' : c.subject.path;
      const operand = Array.isArray(c.operand) ? `[${c.operand.map(String).join(', ')}]` : String(c.operand);
      return `${subject} ${SYMBOL[c.op]} ${operand}`;
    }
    case 'not':
      return `not ${conditionText(c.of)}`;
    default:
      return `${c.kind}(${c.of.map(conditionText).join(', ')})`;
  }
}

/**
 * The value at a dotted path under an inline struct's value (what `H.pick` reads in generated code):
 * `fallback` (a const the JSON left out) when a level or the leaf is absent.
 */
export function pick(v: unknown, names: readonly string[], fallback?: unknown): unknown {
  let x = v;
  for (const n of names) {
    if (typeof x !== 'object' || x === null) return fallback;
    x = (x as Record<string, unknown>)[n];
  }
  return x === undefined ? fallback : x;
}

/** `v` as a `when` reads a bool field: true for any non-zero value (format §1.2), undefined if absent. */
export function boolValue(v: unknown): boolean | undefined {
  return v === undefined ? undefined : v !== false && v !== 0;
}

/** `v` as a `when` reads a 64-bit field: a bigint, undefined if absent (or not an integer). */
export function bigValue(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?(0|[1-9][0-9]*)$/.test(v)) return BigInt(v);
  return undefined;
}
