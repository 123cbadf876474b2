/**
 * `"when"` conditions (SPEC §2 "Conditional fields") resolved when the file loads: each comparison
 * gets its subject (an earlier field, or the object's schema number) and an operand of the
 * subject's kind — numbers for integers, bigints for 64-bit fields, booleans for bool fields — so
 * that the compiled code compares like with like and never converts on the hot path.
 */
import { conditionProblem, type Comparisons, type ConditionDecl, type ConditionValue } from './type-file.js';
import { resolveRef, type RefContext } from './field-refs.js';
import type { CompareOp, Condition, Operand } from './type-plan.js';
import type { ValueKind } from '../values/primitive.js';

const OPS: readonly CompareOp[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'allBits', 'anyBits'];
const DECIMAL = /^-?(0|[1-9][0-9]*)$/;

export function resolveCondition(decl: ConditionDecl, ctx: RefContext, at: string): Condition {
  // The file's schema checks the outer level; nested ones are checked here, against the same shape.
  const problem = conditionProblem(decl);
  if (problem !== undefined) ctx.fail(problem.message, `${at}${problem.path}`);
  if ('all' in decl) return { kind: 'all', of: decl.all.map((c, i) => resolveCondition(c, ctx, `${at}/all/${i}`)) };
  if ('any' in decl) return { kind: 'any', of: decl.any.map((c, i) => resolveCondition(c, ctx, `${at}/any/${i}`)) };
  if ('not' in decl) return { kind: 'not', of: resolveCondition(decl.not, ctx, `${at}/not`) };
  if ('schema' in decl) return comparison('schema', 'int', decl.schema, ctx, `${at}/schema`);
  const ref = resolveRef(decl.field, 'condition', ctx, `${at}/field`);
  return comparison(ref, ref.value, decl, ctx, at);
}

function comparison(
  subject: Extract<Condition, { kind: 'compare' }>['subject'],
  kind: ValueKind,
  decl: Comparisons,
  ctx: RefContext,
  at: string,
): Condition {
  const ops = OPS.filter((op) => decl[op] !== undefined);
  if (ops.length !== 1) {
    ctx.fail(`a condition needs exactly one of ${OPS.join(', ')}; this one has ${ops.length === 0 ? 'none' : ops.join(' and ')}`, at);
  }
  const op = ops[0]!;
  const what = subject === 'schema' ? 'the schema' : `"${subject.path}"`;
  if (kind === 'bool' && op !== 'eq' && op !== 'ne' && op !== 'in') {
    ctx.fail(`${what} is a bool field: compare it with eq, ne or in (true or false), not ${op}`, `${at}/${op}`);
  }
  const value = decl[op]!;
  const operand = Array.isArray(value)
    ? value.map((v, i) => operandOf(v, kind, what, ctx, `${at}/${op}/${i}`))
    : operandOf(value, kind, what, ctx, `${at}/${op}`);
  if ((op === 'allBits' || op === 'anyBits') && (operand as number | bigint) > (kind === 'int' ? 0xffffffff : 0xffffffffffffffffn)) {
    ctx.fail(`${op} ${String(value)} has bits beyond the ${kind === 'int' ? 32 : 64} of ${what}`, `${at}/${op}`);
  }
  return { kind: 'compare', subject, op, operand };
}

function operandOf(v: ConditionValue, kind: ValueKind, what: string, ctx: RefContext, at: string): Operand {
  if (kind === 'bool') {
    if (typeof v !== 'boolean') ctx.fail(`${what} is a bool field: compare it with true or false, not ${JSON.stringify(v)}`, at);
    return v;
  }
  if (typeof v === 'boolean') ctx.fail(`${what} is an integer: compare it with a number, not ${String(v)}`, at);
  if (typeof v === 'string' && !DECIMAL.test(v)) ctx.fail(`${JSON.stringify(v)} is not a decimal integer`, at);
  // Past 2^53 a JSON number is not the integer written (9007199254740993 reads as …992).
  if (typeof v === 'number' && !Number.isSafeInteger(v)) ctx.fail(`${String(v)} is past 2^53, where JSON numbers lose digits: write it as a decimal string`, at);
  if (kind === 'int64') return BigInt(v);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) ctx.fail(`${JSON.stringify(v)} is not an integer ${what} can hold`, at);
  return n;
}

/** True when a condition reads the object's schema (`GetObjectSchema()`). */
export function readsSchema(c: Condition): boolean {
  switch (c.kind) {
    case 'compare':
      return c.subject === 'schema';
    case 'not':
      return readsSchema(c.of);
    default:
      return c.of.some(readsSchema);
  }
}

/** The first step of every field a condition reads (its struct must keep those values). */
export function conditionHeads(c: Condition, into: Set<number>): void {
  switch (c.kind) {
    case 'compare':
      if (c.subject !== 'schema') into.add(c.subject.steps[0]!.index);
      return;
    case 'not':
      conditionHeads(c.of, into);
      return;
    default:
      for (const x of c.of) conditionHeads(x, into);
  }
}
