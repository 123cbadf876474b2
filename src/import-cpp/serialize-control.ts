/**
 * Loops and switches of a `Serialize` body. A loop over a collection after its count was written
 * (`ar << (WORD)n; for (i = 0; i < n; i++) ar << a[i];`) becomes a list with that count; a loop
 * with a constant bound a fixed array; a `switch` on a kind written before becomes a tagged union.
 * Several values per element or per case make a helper type named after the field.
 */
import { conditionExpression, countKeys, memberType, nameOf, positionOrigin, sizeKey, unwrap } from './archive-expressions.js';
import type { Entry, Scope } from './translation-scope.js';
import { translateCondition } from './conditions.js';
import type { CppNode } from './cpp-parser.js';
import { applyDeclarator, typeFromNode } from './cpp-type.js';
import type { TypeExpr } from '../archive/types/type-file.js';
import { uniqueFieldNames } from './draft-type-file.js';
import { listWithCount, push, todoEntry } from './translation-scope.js';
import { headOf, type Span } from './source-set.js';

/** Translates a block of statements (serialize-body's `statements`, passed in: no import cycle). */
export type Walk = (nodes: readonly CppNode[], scope: Scope) => void;

type Bound = { kind: 'fixed'; length: number } | { kind: 'count'; keys: string[]; collection?: string } | { kind: 'unknown'; why: string };

export function loopStatement(node: CppNode, scope: Scope, statements: Walk): void {
  if (node.type === 'do_statement' || node.type === 'for_range_loop') {
    push(scope, todoEntry(scope, `a ${node.type === 'do_statement' ? 'do-while' : 'range-for'} loop is not translated`, node));
    return;
  }
  const inner: Scope = { ...scope, locals: new Map(scope.locals), entries: [], when: undefined };
  const bound = loopBound(node, inner);
  const body = node.childForFieldName('body');
  if (body !== null) statements(body.type === 'compound_statement' ? body.namedChildren : [body], inner);
  if (inner.entries.length === 0) return;
  const name = (bound.kind === 'count' ? bound.collection : undefined) ?? (body === null ? undefined : collectionIn(body, scope)) ?? inner.entries[0]!.field.name;
  const elem = elementType(inner.entries, name, scope);
  const header = lineOf(node);
  if (bound.kind === 'fixed') {
    push(scope, { field: { name, type: { fixed: elem.type, length: bound.length }, ...(elem.todo ? { todo: elem.todo } : {}) }, keys: [], node: header });
  } else if (bound.kind === 'count') {
    listWithCount(name, elem.type, bound.keys, header, scope, elem.todo);
  } else {
    push(scope, { field: { name, type: { list: elem.type }, todo: scope.ctx.file.note(bound.why, header) }, keys: [], node: header });
  }
}

/** The loop's header line for notes: `for (i = 0; i < n; i++)` without its body. */
function lineOf(node: CppNode): Span {
  const body = node.childForFieldName('body');
  return body === null ? node : headOf(node, body.startIndex);
}

/** Methods through which a loop body reaches the collection it fills or walks. */
const COLLECTION_METHODS = new Set(['Add', 'AddTail', 'AddHead', 'SetAt', 'SetAtGrow', 'InsertAt', 'GetNext', 'GetAt', 'ElementAt', 'GetPrev']);

/** The member collection a loop body indexes or fills (`m_rows[i]`, `m_pts.AddTail(pt)`), for the list's name. */
function collectionIn(body: CppNode, scope: Scope): string | undefined {
  const isMember = (n: CppNode) => n.type === 'identifier' && !scope.locals.has(n.text) && memberType(scope.ctx.owner, n.text, scope.ctx.decls) !== undefined;
  for (const n of body.descendantsOfType(['subscript_expression', 'call_expression'])) {
    if (n.type === 'subscript_expression') {
      const arg = unwrap(n.childForFieldName('argument')!);
      if (isMember(arg)) return nameOf(arg, scope.ctx.decls);
      continue;
    }
    const fn = n.childForFieldName('function');
    if (fn?.type !== 'field_expression' || !COLLECTION_METHODS.has(fn.childForFieldName('field')!.text)) continue;
    const arg = unwrap(fn.childForFieldName('argument')!);
    if (isMember(arg)) return nameOf(arg, scope.ctx.decls);
  }
  return undefined;
}

function elementType(entries: Entry[], listName: string, scope: Scope): { type: TypeExpr; todo?: string } {
  const first = entries[0]!;
  const todo = entries.find((e) => e.field.todo !== undefined)?.field.todo;
  if (entries.length === 1 && first.field.when === undefined && first.field.const === undefined && first.field.byteOrder === undefined) {
    return { type: first.field.type, ...(todo ? { todo } : {}) };
  }
  const aux = scope.ctx.addAux(`${scope.ctx.typeName}_${listName}`, uniqueFieldNames(entries.map((e) => e.field)));
  return { type: aux, ...(todo ? { todo } : {}) };
}

function loopBound(node: CppNode, scope: Scope): Bound {
  const { decls } = scope.ctx;
  const init = node.childForFieldName('initializer');
  let loopVar: string | undefined;
  let initValue: CppNode | undefined;
  if (init?.type === 'declaration') {
    const t = typeFromNode(init.childForFieldName('type')!);
    for (const d of init.childrenForFieldName('declarator')) {
      const { name, type } = applyDeclarator(t, d);
      if (name === undefined) continue;
      loopVar ??= name;
      scope.locals.set(name, { type });
      if (d.type === 'init_declarator') {
        const v = d.childForFieldName('value')!;
        if (name === loopVar) initValue = v;
        collectionIterator(name, v, scope);
      }
    }
  } else if (init?.type === 'assignment_expression' || init?.type === 'comma_expression') {
    const a = init.type === 'assignment_expression' ? init : init.namedChildren.find((c) => c.type === 'assignment_expression');
    if (a !== undefined) {
      loopVar = unwrap(a.childForFieldName('left')!).text;
      initValue = a.childForFieldName('right')!;
      collectionIterator(loopVar, initValue, scope);
    }
  }
  const condition = node.childForFieldName('condition');
  if (condition === null) return { kind: 'unknown', why: 'the loop has no condition the importer can count' };
  let c = conditionExpression(condition);
  // `pos != NULL`, `pos`: a walk over the list whose head position `pos` holds.
  if (c.type === 'binary_expression' && /^(!=)$/.test(c.childForFieldName('operator')!.text) && /^(NULL|nullptr|0)$/.test(unwrap(c.childForFieldName('right')!).text)) c = unwrap(c.childForFieldName('left')!);
  if (c.type === 'identifier' || (c.type === 'update_expression' && c.text.endsWith('--'))) {
    const id = c.type === 'identifier' ? c.text : unwrap(c.namedChildren[0]!).text;
    const origin = scope.locals.get(id)?.origin;
    if (c.type === 'identifier' && origin?.startsWith('size:')) return { kind: 'count', keys: [origin], collection: stripped(origin.slice(5)) };
    if (c.type === 'update_expression') return countBound(c.namedChildren[0]!, scope);
    return { kind: 'unknown', why: `the loop runs while ${c.text}, which counts nothing the importer can name` };
  }
  if (c.type !== 'binary_expression') return { kind: 'unknown', why: `the loop condition ${c.text} is not a count` };
  const op = c.childForFieldName('operator')!.text;
  const left = unwrap(c.childForFieldName('left')!);
  const right = unwrap(c.childForFieldName('right')!);
  const varOnLeft = left.text === loopVar || (loopVar === undefined && left.type === 'identifier');
  const other = varOnLeft ? right : left;
  const rel = varOnLeft ? op : ({ '>': '<', '>=': '<=', '<': '>', '<=': '>=' } as Record<string, string>)[op] ?? op;
  // `for (i = n; i > 0; i--)`: counts down from n.
  if ((rel === '>' || rel === '!=') && /^0$/.test(other.text) && initValue !== undefined) return countBound(initValue, scope);
  if (rel === '<' || rel === '!=') return countBound(other, scope);
  if (rel === '<=') {
    const fn = other.type === 'call_expression' ? other.childForFieldName('function') : null;
    if (fn?.type === 'field_expression' && fn.childForFieldName('field')!.text === 'GetUpperBound') {
      const target = fn.childForFieldName('argument')!;
      return { kind: 'count', keys: [sizeKey(target)], collection: nameOf(target, decls) ?? 'items' };
    }
    const n = decls.evaluate(other.text);
    if (n !== undefined) return { kind: 'fixed', length: n + 1 };
  }
  return { kind: 'unknown', why: `the loop condition ${c.text} is not a count the importer can name` };
}

function stripped(text: string): string {
  return text.replace(/^m_/, '');
}

function countBound(node: CppNode, scope: Scope): Bound {
  const n = unwrap(node);
  const constant = /^[\w\s()+*-]+$/.test(n.text) && !scope.locals.has(n.text) ? scope.ctx.decls.evaluate(n.text) : undefined;
  if (constant !== undefined && !isMemberOrLocal(n, scope)) return { kind: 'fixed', length: constant };
  // `_countof(m_a)`, `sizeof(m_a) / sizeof(m_a[0])` over a declared array.
  const keys = countKeys(n, scope);
  const size = keys.find((k) => k.startsWith('size:'));
  const collection = size !== undefined ? nameOf(sizeTarget(n) ?? n, scope.ctx.decls) : undefined;
  return { kind: 'count', keys, ...(collection !== undefined ? { collection } : {}) };
}

function isMemberOrLocal(n: CppNode, scope: Scope): boolean {
  return n.descendantsOfType('identifier').concat(n.type === 'identifier' ? [n] : []).some((i) => scope.locals.has(i.text) || i.text.startsWith('m_'));
}

function sizeTarget(n: CppNode): CppNode | undefined {
  const fn = n.type === 'call_expression' ? n.childForFieldName('function') : null;
  return fn?.type === 'field_expression' ? fn.childForFieldName('argument')! : undefined;
}

/** `POSITION pos = m_list.GetHeadPosition()` in a loop header. */
function collectionIterator(name: string, value: CppNode, scope: Scope): void {
  const origin = positionOrigin(value);
  if (origin !== undefined) scope.locals.set(name, { ...(scope.locals.get(name) ?? { type: undefined }), origin });
}

export function switchStatement(node: CppNode, scope: Scope, statements: Walk): void {
  const condition = node.childForFieldName('condition')!;
  const value = conditionExpression(condition);
  const header = headOf(node, condition.endIndex);
  // The tag must be a field written before: reuse the condition translator to find it.
  const probe = translateCondition(value, scope);
  const tag = probe.cond !== undefined && 'field' in probe.cond ? probe.cond.field : undefined;
  if (tag === undefined) {
    push(scope, todoEntry(scope, `the switch is on ${value.text}, which is not a field written before it`, header));
    return;
  }
  const body = node.childForFieldName('body');
  const groups: { labels: (string | undefined)[]; nodes: CppNode[]; at: CppNode }[] = [];
  let open: (typeof groups)[number] | undefined;
  for (const c of body?.namedChildren ?? []) {
    if (c.type !== 'case_statement') continue;
    const label = c.childForFieldName('value');
    const stmts = c.namedChildren.filter((s) => s.id !== label?.id);
    if (open === undefined || open.nodes.length > 0) {
      if (open !== undefined && !endsWithBreak(open.nodes)) {
        push(scope, todoEntry(scope, 'a case falls through into the next one', open.at));
        return;
      }
      open = { labels: [], nodes: [], at: c };
      groups.push(open);
    }
    open.labels.push(label === null ? undefined : label.text);
    open.nodes.push(...stmts);
  }
  const cases: Record<string, TypeExpr> = {};
  let fallback: TypeExpr | undefined;
  let todo: string | undefined;
  for (const g of groups) {
    const inner: Scope = { ...scope, locals: new Map(scope.locals), entries: [], when: undefined };
    statements(g.nodes.filter((s) => s.type !== 'break_statement'), inner);
    todo ??= inner.entries.find((e) => e.field.todo !== undefined)?.field.todo;
    for (const label of g.labels) {
      const key = label === undefined ? 'default' : String(scope.ctx.decls.evaluate(label) ?? '');
      if (key === '') { todo ??= scope.ctx.file.note(`the value of case ${label} is not known`, g.at); continue; }
      const only = inner.entries[0];
      const type: TypeExpr = inner.entries.length === 1 && only!.field.when === undefined && only!.field.const === undefined
        ? only!.field.type
        : scope.ctx.addAux(`${scope.ctx.typeName}_${label === undefined ? 'default' : /^\w+$/.test(label) ? label : `case${key}`}`, uniqueFieldNames(inner.entries.map((e) => e.field)));
      if (label === undefined) fallback = type;
      else cases[key] = type;
    }
  }
  const type: TypeExpr = fallback === undefined ? { switch: tag, cases } : { switch: tag, cases, default: fallback };
  push(scope, { field: { name: `${tag}Body`, type, ...(todo ? { todo } : {}) }, keys: [], node: header });
}

function endsWithBreak(nodes: CppNode[]): boolean {
  const last = nodes.at(-1);
  return last === undefined || last.type === 'break_statement' || last.type === 'return_statement' || (last.type === 'compound_statement' && endsWithBreak(last.namedChildren));
}
