/**
 * `if` conditions of a `Serialize` body as `"when"` conditions (SPEC §2 part two): comparisons of a
 * field written earlier in the same type, of the object's schema (`ar.GetObjectSchema()`, or a
 * local holding it), bit tests, and `!`, `&&`, `||` of those. A condition on anything the archive
 * does not carry (a member never written, a function result) cannot be a `when`.
 */
import { conditionExpression, countKeys, isConstantExpression, unwrap } from './archive-expressions.js';
import type { Scope } from './translation-scope.js';
import type { CppNode } from './cpp-parser.js';
import type { Comparisons, ConditionDecl } from '../archive/types/type-file.js';

type CompareOp = keyof Comparisons;

export type Translated = { cond: ConditionDecl; why?: undefined } | { cond?: undefined; why: string };

const OPS: Record<string, CompareOp> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };
const MIRRORED: Record<CompareOp, CompareOp> = { eq: 'eq', ne: 'ne', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le', in: 'in', allBits: 'allBits', anyBits: 'anyBits' };

export function translateCondition(node: CppNode, scope: Scope): Translated {
  const n = conditionExpression(node);
  if (n.type === 'unary_expression' && n.child(0)?.text === '!') {
    const inner = translateCondition(n.childForFieldName('argument')!, scope);
    return inner.cond === undefined ? inner : { cond: { not: inner.cond } };
  }
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')!.text;
    const left = n.childForFieldName('left')!;
    const right = n.childForFieldName('right')!;
    if (op === '&&' || op === '||') {
      const a = translateCondition(left, scope);
      const b = translateCondition(right, scope);
      if (a.cond === undefined) return a;
      if (b.cond === undefined) return b;
      const key = op === '&&' ? 'all' : 'any';
      const parts = [a.cond, b.cond].flatMap((c) => (key in c ? (c as Record<string, ConditionDecl[]>)[key]! : [c]));
      return { cond: key === 'all' ? { all: parts } : { any: parts } };
    }
    const cmp = OPS[op];
    if (cmp !== undefined) {
      const leftConst = isConstantExpression(left, scope);
      const rightConst = isConstantExpression(right, scope);
      if (leftConst === rightConst) return { why: `the condition ${n.text} does not compare a value with a constant` };
      const [operand, constant, opFinal] = rightConst ? [left, right, cmp] : [right, left, MIRRORED[cmp]];
      const value = scope.ctx.decls.evaluate(constant.text);
      if (value === undefined) return { why: `the value of ${constant.text} is not known` };
      return compare(n, operand, opFinal, value, scope);
    }
    if (op === '&') {
      const test = bitTest(left, right, scope);
      return test.why !== undefined ? test : { cond: { field: test.field, anyBits: test.mask } };
    }
  }
  return truthy(n, scope);
}

/** `whole` is the comparison as written, for notes. */
function compare(whole: CppNode, operand: CppNode, op: CompareOp, value: number, scope: Scope): Translated {
  const o = unwrap(operand);
  if (isSchema(o, scope)) return { cond: { schema: { [op]: value } } };
  if (o.type === 'binary_expression' && o.childForFieldName('operator')!.text === '&') return maskedCompare(whole, o, op, value, scope);
  const field = fieldFor(o, scope);
  if (field === undefined) return { why: `the condition tests ${o.text}, which is not a field written before it` };
  if (field.isBool && (op === 'eq' || op === 'ne') && (value === 0 || value === 1)) {
    return { cond: { field: field.name, [op]: value === 1 } };
  }
  return { cond: { field: field.name, [op]: value } };
}

/**
 * `(m & MASK) == VALUE`: VALUE's bits set and MASK's other bits clear — allBits alone when VALUE is
 * MASK, `not anyBits` alone when VALUE is 0, both under `all` otherwise; `!=` is its negation.
 */
function maskedCompare(whole: CppNode, masked: CppNode, op: CompareOp, value: number, scope: Scope): Translated {
  const test = bitTest(masked.childForFieldName('left')!, masked.childForFieldName('right')!, scope);
  if (test.why !== undefined) return test;
  const { field, mask } = test;
  const shown = `the condition ${whole.text}`;
  if (op !== 'eq' && op !== 'ne') return { why: `${shown} orders masked bits, which a condition cannot say` };
  if (!isMask(value) || (value & ~mask) !== 0) return { why: `${shown} never holds: ${value} has bits outside the mask ${mask}` };
  const clear = (mask & ~value) >>> 0;
  const parts: ConditionDecl[] = [];
  if (value !== 0) parts.push({ field, allBits: value });
  if (clear !== 0) parts.push({ not: { field, anyBits: clear } });
  const cond: ConditionDecl = parts.length === 1 ? parts[0]! : { all: parts };
  if (op === 'eq') return { cond };
  return { cond: 'not' in cond ? cond.not : { not: cond } };
}

/** A value a 32-bit bit test can use (the codec's allBits and anyBits stop at bit 31). */
function isMask(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}

function bitTest(a: CppNode, b: CppNode, scope: Scope): { field: string; mask: number; why?: undefined } | { why: string } {
  const [operand, maskNode] = isConstantExpression(b, scope) ? [a, b] : [b, a];
  const mask = scope.ctx.decls.evaluate(maskNode.text);
  const field = fieldFor(operand, scope);
  if (mask === undefined || field === undefined) return { why: `the bit test ${a.text} & ${b.text} is not on a field written before it with a known mask` };
  if (!isMask(mask) || mask === 0) return { why: `the bit test ${a.text} & ${b.text} has the mask ${mask}; allBits and anyBits take 1 to 0xFFFFFFFF` };
  return { field: field.name, mask };
}

function truthy(n: CppNode, scope: Scope): Translated {
  if (isSchema(n, scope)) return { cond: { schema: { ne: 0 } } };
  const field = fieldFor(n, scope);
  if (field === undefined) return { why: `the condition ${n.text} is not on a field written before it` };
  return { cond: field.isBool ? { field: field.name, eq: true } : { field: field.name, ne: 0 } };
}

function isSchema(n: CppNode, scope: Scope): boolean {
  if (n.type === 'identifier') return scope.locals.get(n.text)?.origin === 'schema';
  return n.type === 'call_expression' && /\.\s*GetObjectSchema$/.test(n.childForFieldName('function')?.text ?? '');
}

/** The latest field of this type the operand's value came from. */
function fieldFor(operand: CppNode, scope: Scope): { name: string; isBool: boolean } | undefined {
  const keys = countKeys(operand, scope);
  for (let i = scope.entries.length - 1; i >= 0; i--) {
    const e = scope.entries[i]!;
    if (e.keys.some((k) => keys.includes(k))) return { name: e.field.name, isBool: e.field.type === 'bool' || e.field.type === 'BOOL' };
  }
  return undefined;
}
