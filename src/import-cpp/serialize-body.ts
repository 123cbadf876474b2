/**
 * One direction (storing or loading) of a `Serialize(CArchive& ar)` body → the entries it writes or
 * reads, in order. Statements that do not touch the archive are skipped (assignments, `Add`,
 * `ASSERT`…) except where they tell what a local holds; a statement that touches the archive in a
 * way not understood becomes an entry with a todo quoting it.
 */
import { countKeys, mentions, nameOf, typeOf, unwrap, valueEntry, type Entry, type Scope, type TranslationContext } from './archive-expressions.js';
import { translateCondition } from './conditions.js';
import type { CppNode } from './cpp-parser.js';
import { applyDeclarator, named, typeFromDescriptor, typeFromNode } from './cpp-type.js';
import type { Condition, DraftType } from './draft-type-file.js';
import { preprocessorBranches } from './preprocessor-branches.js';
import { layoutOf } from './struct-layout.js';
import { loopStatement, switchStatement } from './serialize-control.js';
import type { Span } from './source-set.js';

export interface BodyResult {
  entries: Entry[];
  /** `Base::Serialize(ar)` at the top: the base's type. */
  extends?: string;
  extendsNode?: CppNode;
}

/** Bases whose Serialize is CObject's, which writes nothing (format §4.3). */
const SILENT_BASES = new Set(['CObject', 'CCmdTarget', 'CDocument', 'CWnd', 'CView', 'CFrameWnd', 'CWinApp', 'CWinThread', 'CScrollView', 'CFormView']);
/** Archive members that move no bytes. */
const QUIET_METHODS = new Set(['Flush', 'IsStoring', 'IsLoading', 'IsBufferEmpty', 'GetObjectSchema', 'GetFile', 'IsByteSwapping', 'MapObject']);

export function translateBody(ctx: TranslationContext, direction: 'store' | 'load'): BodyResult {
  const scope: Scope = { ctx, direction, locals: new Map(), entries: [], when: undefined, todo: undefined };
  const result: BodyResult = { entries: scope.entries };
  statements(ctx.def.body.namedChildren, scope, result);
  return result;
}

export function push(scope: Scope, entry: Entry): void {
  if (scope.when !== undefined && entry.field.when === undefined) entry.field.when = scope.when;
  if (scope.todo !== undefined && entry.field.todo === undefined) entry.field.todo = scope.ctx.file.note(scope.todo, entry.node);
  scope.entries.push(entry);
}

export function todoEntry(scope: Scope, why: string, node: Span, name = 'todo', type: DraftType = 'TODO'): Entry {
  return { field: { name, type, todo: scope.ctx.file.note(why, node) }, keys: [], node };
}

export function statements(nodes: readonly CppNode[], scope: Scope, top?: BodyResult): void {
  for (const n of nodes) statement(n, scope, top);
}

function statement(node: CppNode, scope: Scope, top?: BodyResult): void {
  const ar = scope.ctx.def.archive;
  switch (node.type) {
    case 'compound_statement':
      return statements(node.namedChildren, scope, top);
    case 'expression_statement': {
      const e = node.namedChildren[0];
      if (e !== undefined) expression(e, node, scope, top);
      return;
    }
    case 'declaration':
      return declaration(node, scope);
    case 'if_statement':
      return ifStatement(node, scope, top);
    case 'for_statement':
    case 'while_statement':
    case 'for_range_loop':
    case 'do_statement':
      if (mentions(node, ar)) loopStatement(node, scope);
      return;
    case 'switch_statement':
      if (mentions(node, ar)) switchStatement(node, scope);
      return;
    case 'preproc_ifdef':
    case 'preproc_if':
      return preprocessor(node, scope, top);
    case 'try_statement':
      return statements(node.childForFieldName('body')?.namedChildren ?? [], scope, top);
    case 'comment':
    case 'break_statement':
    case 'continue_statement':
    case 'case_statement':
      return;
    default:
      if (mentions(node, ar)) push(scope, todoEntry(scope, node.hasError ? 'the parser could not read this statement' : 'not understood', node));
  }
}

function preprocessor(node: CppNode, scope: Scope, top?: BodyResult): void {
  for (const branch of preprocessorBranches(node, scope.ctx.decls)) {
    if (branch.taken === false) continue;
    if (branch.taken === true) { statements(branch.body, scope, top); continue; }
    const saved = scope.todo;
    scope.todo ??= `depends on ${branch.directive}, which the build profile does not decide (use --define or --undefine)`;
    statements(branch.body, scope, top);
    scope.todo = saved;
  }
}

/** `ar << a << b` → [a, b] with `<<`; undefined when the chain does not start at the archive. */
export function streamChain(node: CppNode, archive: string): { op: string; operands: CppNode[] } | undefined {
  const operands: CppNode[] = [];
  let n = unwrap(node);
  let op: string | undefined;
  while (n.type === 'binary_expression') {
    const o = n.childForFieldName('operator')!.text;
    if (o !== '<<' && o !== '>>') return undefined;
    if (op !== undefined && o !== op) return undefined;
    op = o;
    operands.unshift(n.childForFieldName('right')!);
    n = unwrap(n.childForFieldName('left')!);
  }
  if (op === undefined || n.type !== 'identifier' || n.text !== archive) return undefined;
  return { op, operands };
}

/** `ar.Method(args)` → the method and its arguments. */
function archiveCall(node: CppNode, archive: string): { method: string; args: CppNode[] } | undefined {
  const n = unwrap(node);
  if (n.type !== 'call_expression') return undefined;
  const fn = n.childForFieldName('function');
  if (fn?.type !== 'field_expression') return undefined;
  const target = unwrap(fn.childForFieldName('argument')!);
  if (target.type !== 'identifier' || target.text !== archive) return undefined;
  return { method: fn.childForFieldName('field')!.text, args: n.childForFieldName('arguments')?.namedChildren ?? [] };
}

function expression(e: CppNode, stmt: CppNode, scope: Scope, top?: BodyResult): void {
  const { ctx } = scope;
  const ar = ctx.def.archive;
  const chain = streamChain(e, ar);
  if (chain !== undefined) {
    const wanted = scope.direction === 'store' ? '<<' : '>>';
    if (chain.op !== wanted) {
      push(scope, todoEntry(scope, `${chain.op === '<<' ? 'writes' : 'reads'} while ${scope.direction === 'store' ? 'storing' : 'loading'}`, stmt));
      return;
    }
    for (const operand of chain.operands) push(scope, valueEntry(operand, stmt, scope));
    return;
  }
  if (!mentions(e, ar)) {
    if (e.type === 'assignment_expression') assignLocal(e.childForFieldName('left')!, e.childForFieldName('right')!, scope);
    return;
  }
  const call = archiveCall(e, ar);
  if (call !== undefined) return archiveMethod(call, stmt, scope);
  const n = unwrap(e);
  if (n.type === 'call_expression') {
    const fn = n.childForFieldName('function')!;
    const args = n.childForFieldName('arguments')?.namedChildren ?? [];
    const onlyArchive = args.length === 1 && unwrap(args[0]!).text === ar;
    if (fn.type === 'field_expression' && fn.childForFieldName('field')!.text === 'Serialize' && onlyArchive) {
      return memberSerialize(fn.childForFieldName('argument')!, stmt, scope);
    }
    if (fn.type === 'qualified_identifier' && /::\s*Serialize$/.test(fn.text) && onlyArchive) {
      return baseSerialize(fn.text.replace(/\s+/g, '').replace(/::Serialize$/, ''), stmt, scope, top);
    }
    if (/^SerializeElements\b/.test(fn.text) && args.length === 3) return serializeElements(args[1]!, args[2]!, stmt, scope);
  }
  if (n.type === 'assignment_expression') return assignFromArchive(n.childForFieldName('left')!, n.childForFieldName('right')!, stmt, scope);
  push(scope, todoEntry(scope, 'passes the archive to code the importer does not translate', stmt));
}

function archiveMethod(call: { method: string; args: CppNode[] }, stmt: CppNode, scope: Scope): void {
  const { method, args } = call;
  if (QUIET_METHODS.has(method)) return;
  const store = scope.direction === 'store';
  if (method === 'WriteCount' && store && args[0] !== undefined) {
    push(scope, { field: { name: nameOf(args[0], scope.ctx.decls) ?? 'count', type: 'WriteCount' }, keys: countKeys(args[0], scope), writeCount: true, node: stmt });
    return;
  }
  if ((method === 'Write' && store) || (method === 'Read' && !store) || (method === 'EnsureRead' && !store)) {
    if (args.length === 2) return rawBlock(args[0]!, args[1]!, stmt, scope);
  }
  if (method === 'WriteObject' && store && args[0] !== undefined) {
    push(scope, valueEntry(args[0], stmt, scope));
    return;
  }
  const why: Record<string, string> = {
    WriteString: 'WriteString writes the characters with no length and no terminator; the grammar cannot delimit them (format §2.4)',
    ReadString: 'ReadString reads up to a line break; the grammar cannot delimit it (format §2.4)',
    WriteClass: 'a class tag alone (WriteClass) has no field type',
    SerializeClass: 'a class tag alone (SerializeClass) has no field type',
  };
  push(scope, todoEntry(scope, why[method] ?? `ar.${method} is not translated`, stmt));
}

/** `ar.Write(&s, sizeof(s))` → a raw block of the struct's size; `ar.Write(p, n)` → a block counted by n. */
function rawBlock(pointer: CppNode, size: CppNode, stmt: CppNode, scope: Scope): void {
  const { decls } = scope.ctx;
  const p = unwrap(pointer);
  const target = p.type === 'pointer_expression' && p.child(0)?.text === '&' ? p.childForFieldName('argument')! : p;
  const name = nameOf(target, decls) ?? 'data';
  const bytes = sizeOfExpression(size, scope);
  if (bytes !== undefined) {
    const t = typeOf(target, scope);
    const r = t === undefined ? undefined : decls.resolve(t);
    const isGuid = r?.kind === 'named' && (r.name === 'GUID' || r.name === 'CLSID' || r.name === 'IID') && bytes === 16;
    push(scope, { field: { name, type: isGuid ? 'GUID' : { bytes } }, keys: [], node: stmt });
    return;
  }
  countedBlock(name, countKeys(size, scope), stmt, scope);
}

function countedBlock(name: string, keys: string[], stmt: CppNode, scope: Scope): void {
  const at = findCount(scope, keys);
  if (at === undefined) {
    push(scope, todoEntry(scope, 'the block length is neither a constant nor a field written before it', stmt, name, { bytes: 0 }));
    return;
  }
  const count = scope.entries[at]!;
  if (at === scope.entries.length - 1 && count.field.todo === undefined && typeof count.field.type === 'string') {
    scope.entries.pop();
    push(scope, { field: { name, type: { bytes: { count: count.field.type } } }, keys: [], node: stmt });
  } else {
    push(scope, { field: { name, type: { bytes: { countField: count.field.name } } }, keys: [], node: stmt });
  }
}

/** The latest entry of this scope that a count expression's keys name. */
export function findCount(scope: Scope, keys: readonly string[]): number | undefined {
  for (let i = scope.entries.length - 1; i >= 0; i--) {
    if (scope.entries[i]!.keys.some((k) => keys.includes(k))) return i;
  }
  return undefined;
}

/** `sizeof(s)`, `sizeof(HEADER)`, `sizeof s`, or any constant expression. */
export function sizeOfExpression(node: CppNode, scope: Scope): number | undefined {
  const n = unwrap(node);
  if (n.type === 'sizeof_expression') {
    const typeNode = n.childForFieldName('type');
    const valueNode = n.childForFieldName('value');
    let t = typeNode !== null ? typeFromDescriptor(typeNode) : valueNode !== null ? typeOf(valueNode, scope) : undefined;
    // `sizeof(HEADER)` parses as an expression in parentheses: a name that is no variable is a type.
    if (t === undefined && valueNode !== null && unwrap(valueNode).type === 'identifier') t = named(unwrap(valueNode).text);
    return t === undefined ? undefined : layoutOf(t, scope.ctx.decls)?.size;
  }
  if (n.type === 'identifier' && scope.locals.has(n.text)) return undefined;
  return scope.ctx.decls.evaluate(n.text);
}

function memberSerialize(target: CppNode, stmt: CppNode, scope: Scope): void {
  const t = typeOf(target, scope);
  const name = nameOf(target, scope.ctx.decls) ?? 'member';
  if (t === undefined) return push(scope, todoEntry(scope, `the type of ${target.text} is not declared in the sources read`, stmt, name));
  const r = scope.ctx.decls.resolve(t);
  const mapped = scope.ctx.types.serialized(r.kind === 'pointer' ? r.to : t);
  if (mapped.type === undefined) return push(scope, todoEntry(scope, mapped.why, stmt, name));
  push(scope, { field: { name, type: mapped.type }, keys: [`id:${target.text.replace(/\s+/g, '')}`], node: stmt });
}

function baseSerialize(base: string, stmt: CppNode, scope: Scope, top?: BodyResult): void {
  if (SILENT_BASES.has(base)) return;
  const owner = scope.ctx.types.serializeOwner(base);
  if (owner === undefined) return push(scope, todoEntry(scope, `no Serialize of ${base} in the sources read`, stmt, 'base'));
  if (top !== undefined && scope.entries.length === 0 && scope.when === undefined && top.extends === undefined) {
    top.extends = owner;
    top.extendsNode = stmt;
    return;
  }
  // Not first: the base's fields sit where the call is, which an inline field of the base type says exactly.
  push(scope, { field: { name: 'base', type: owner }, keys: [], node: stmt });
}

function serializeElements(pointer: CppNode, count: CppNode, stmt: CppNode, scope: Scope): void {
  const t = typeOf(pointer, scope);
  const r = t === undefined ? undefined : scope.ctx.decls.resolve(t);
  const elem = r?.kind === 'pointer' ? r.to : r?.kind === 'array' ? r.of : undefined;
  const name = nameOf(pointer, scope.ctx.decls) ?? 'elements';
  if (elem === undefined) return push(scope, todoEntry(scope, `the element type of ${pointer.text} is not known`, stmt, name));
  const mapped = scope.ctx.types.element(elem);
  if (mapped.type === undefined) return push(scope, todoEntry(scope, mapped.why, stmt, name));
  listWithCount(name, mapped.type, countKeys(count, scope), stmt, scope);
}

/** A list whose count is an earlier entry: folded in when it comes just before, else named by countField. */
export function listWithCount(name: string, elem: DraftType, keys: string[], stmt: Span, scope: Scope, todo?: string): void {
  const at = findCount(scope, keys);
  if (at === undefined) {
    push(scope, { field: { name, type: { list: elem }, todo: scope.ctx.file.note(todo ?? 'the element count is not a field written before the elements', stmt) }, keys: [], node: stmt });
    return;
  }
  const count = scope.entries[at]!;
  const withTodo = (e: import('./archive-expressions.js').Entry) => {
    if (todo !== undefined && e.field.todo === undefined) e.field.todo = scope.ctx.file.note(todo, stmt);
    return e;
  };
  if (at === scope.entries.length - 1 && count.field.todo === undefined && count.field.when === scope.when && typeof count.field.type === 'string' && count.field.const === undefined) {
    scope.entries.pop();
    const type: DraftType = count.writeCount ? { list: elem } : { list: elem, count: count.field.type };
    push(scope, withTodo({ field: { name, type }, keys: [], node: stmt }));
    return;
  }
  const entry: import('./archive-expressions.js').Entry = { field: { name, type: { list: elem, countField: count.field.name } }, keys: [], node: stmt };
  if (count.writeCount) entry.field.todo = scope.ctx.file.note('the WriteCount of these elements is not just before them', stmt);
  push(scope, withTodo(entry));
}

function declaration(node: CppNode, scope: Scope): void {
  const typeNode = node.childForFieldName('type');
  if (typeNode === null) return;
  const base = typeFromNode(typeNode);
  for (const d of node.childrenForFieldName('declarator')) {
    const { type, name } = applyDeclarator(base, d);
    if (name === undefined) continue;
    scope.locals.set(name, { type });
    const value = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
    if (value === null) continue;
    const id = d.childForFieldName('declarator')!;
    if (mentions(value, scope.ctx.def.archive)) assignFromArchive(id, value, node, scope);
    else assignLocal(id, value, scope);
  }
}

/** `n = m_arr.GetSize()`, `pos = m_list.GetHeadPosition()`: what count a local holds. */
function assignLocal(left: CppNode, right: CppNode, scope: Scope): void {
  const l = unwrap(left);
  const local = l.type === 'identifier' ? scope.locals.get(l.text) : undefined;
  if (local === undefined) return;
  const r = unwrap(right);
  const fn = r.type === 'call_expression' ? r.childForFieldName('function') : null;
  if (fn?.type === 'field_expression' && /^Get(Head|Tail)Position$/.test(fn.childForFieldName('field')!.text)) {
    local.origin = `size:${fn.childForFieldName('argument')!.text.replace(/\s+/g, '')}`;
    return;
  }
  const keys = countKeys(r, scope);
  local.origin = keys.find((k) => k.startsWith('size:')) ?? keys.at(-1);
}

function assignFromArchive(left: CppNode, right: CppNode, stmt: CppNode, scope: Scope): void {
  const ar = scope.ctx.def.archive;
  const inner = unwrap(right);
  const call = archiveCall(castInner(inner), ar);
  const l = unwrap(left);
  if (call?.method === 'GetObjectSchema') {
    const local = l.type === 'identifier' ? scope.locals.get(l.text) : undefined;
    if (local !== undefined) local.origin = 'schema';
    return;
  }
  if (call?.method === 'ReadCount' && scope.direction === 'load') {
    push(scope, { field: { name: nameOf(l, scope.ctx.decls) ?? 'count', type: 'WriteCount' }, keys: countKeys(l, scope), writeCount: true, node: stmt });
    return;
  }
  if (call?.method === 'ReadObject' && scope.direction === 'load') {
    const rc = /RUNTIME_CLASS\s*\(\s*(\w+)\s*\)/.exec(call.args[0]?.text ?? '')?.[1];
    const mapped = rc !== undefined ? scope.ctx.types.objectOf(rc) : undefined;
    if (mapped?.type !== undefined) {
      push(scope, { field: { name: nameOf(l, scope.ctx.decls) ?? 'object', type: mapped.type }, keys: [], node: stmt });
      return;
    }
    push(scope, valueEntry(l, stmt, scope));
    return;
  }
  push(scope, todoEntry(scope, 'reads the archive in a way the importer does not translate', stmt));
}

function castInner(n: CppNode): CppNode {
  const u = unwrap(n);
  if (u.type === 'cast_expression') return castInner(u.childForFieldName('value')!);
  return u;
}

export function conditionScope(scope: Scope, cond: Condition | undefined, todo?: string): Scope {
  const when = cond === undefined ? scope.when : scope.when === undefined ? cond : 'all' in scope.when ? { all: [...scope.when.all, cond] } : { all: [scope.when, cond] };
  return { ...scope, when, todo: scope.todo ?? todo };
}

function ifStatement(node: CppNode, scope: Scope, top?: BodyResult): void {
  const ar = scope.ctx.def.archive;
  const condition = node.childForFieldName('condition')!;
  const consequence = node.childForFieldName('consequence');
  const alternative = node.childForFieldName('alternative');
  const elseBody = alternative?.type === 'else_clause' ? alternative.namedChildren[0] : alternative ?? undefined;
  const direction = storingTest(condition, ar);
  if (direction !== undefined) {
    const branch = direction === scope.direction ? consequence : elseBody;
    if (branch !== null && branch !== undefined) statement(branch, scope, top);
    return;
  }
  if (!mentions(node, ar) || (!mentions(consequence!, ar) && (elseBody === undefined || !mentions(elseBody, ar)))) return;
  const t = translateCondition(condition, scope);
  const thenScope = conditionScope(scope, t.cond, t.why);
  if (consequence !== null) statement(consequence, thenScope);
  if (elseBody !== undefined) statement(elseBody, conditionScope(scope, t.cond === undefined ? undefined : { not: t.cond }, t.why));
}

/** `ar.IsStoring()` → store, `ar.IsLoading()` / `!ar.IsStoring()` → load; anything else undefined. */
function storingTest(condition: CppNode, ar: string): 'store' | 'load' | undefined {
  let n = unwrap(condition.type === 'condition_clause' ? (condition.childForFieldName('value') ?? condition.namedChildren[0]!) : condition);
  let negate = false;
  while (n.type === 'unary_expression' && n.child(0)?.text === '!') { negate = !negate; n = unwrap(n.childForFieldName('argument')!); }
  if (n.type === 'binary_expression' && /^[=!]=$/.test(n.childForFieldName('operator')!.text)) {
    const right = unwrap(n.childForFieldName('right')!).text;
    if (/^(FALSE|false|0)$/.test(right) !== (n.childForFieldName('operator')!.text === '!=')) negate = !negate;
    n = unwrap(n.childForFieldName('left')!);
  }
  const call = archiveCall(n, ar);
  if (call === undefined || (call.method !== 'IsStoring' && call.method !== 'IsLoading')) return undefined;
  const storing = (call.method === 'IsStoring') !== negate;
  return storing ? 'store' : 'load';
}
