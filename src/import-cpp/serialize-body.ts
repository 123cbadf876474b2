/**
 * One direction (storing or loading) of a `Serialize(CArchive& ar)` body → the entries it writes or
 * reads, in order. Statements that do not touch the archive are skipped (assignments, `Add`,
 * `ASSERT`…) except where they tell what a local holds; a statement that touches the archive in a
 * way not understood becomes an entry with a todo quoting it.
 */
import { archiveCall, archiveMethod, assignFromArchive, assignLocal, baseSerialize, memberSerialize, serializeElements } from './archive-calls.js';
import { conditionExpression, mentions, unwrap } from './archive-expressions.js';
import { valueEntry } from './value-entry.js';
import { translateCondition } from './conditions.js';
import type { CppNode } from './cpp-parser.js';
import { applyDeclarator, typeFromNode } from './cpp-type.js';
import { preprocessorBranches } from './preprocessor-branches.js';
import { loopStatement, switchStatement } from './serialize-control.js';
import { conditionScope, push, todoEntry, type Entry, type Scope, type TranslationContext } from './translation-scope.js';

export interface BodyResult {
  entries: Entry[];
  /** `Base::Serialize(ar)` at the top: the base's type. */
  extends?: string;
  extendsNode?: CppNode;
}

export function translateBody(ctx: TranslationContext, direction: 'store' | 'load'): BodyResult {
  const scope: Scope = { ctx, direction, locals: new Map(), entries: [], when: undefined, todo: undefined };
  const result: BodyResult = { entries: scope.entries };
  statements(ctx.def.body.namedChildren, scope, result);
  return result;
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
      if (mentions(node, ar)) loopStatement(node, scope, statements);
      return;
    case 'switch_statement':
      if (mentions(node, ar)) switchStatement(node, scope, statements);
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
function streamChain(node: CppNode, archive: string): { op: string; operands: CppNode[] } | undefined {
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
  let n = conditionExpression(condition);
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
