/**
 * The statements of a `Serialize` body that call the archive or hand it on: `ar.Write`/`Read`
 * (raw blocks), `WriteCount`/`ReadCount`, `WriteObject`/`ReadObject`, `GetObjectSchema`,
 * `m_x.Serialize(ar)`, `Base::Serialize(ar)`, `SerializeElements(ar, p, n)` — and the assignments
 * that tell what a local holds (a count, the schema).
 */
import { countKeys, nameOf, positionOrigin, typeOf, unwrap } from './archive-expressions.js';
import { valueEntry } from './value-entry.js';
import type { CppNode } from './cpp-parser.js';
import { named, typeFromDescriptor } from './cpp-type.js';
import type { BodyResult } from './serialize-body.js';
import { layoutOf } from './struct-layout.js';
import { listWithCount, push, takeCount, todoEntry, type Scope } from './translation-scope.js';

/** Bases whose Serialize is CObject's, which writes nothing (format §4.3). */
const SILENT_BASES = new Set(['CObject', 'CCmdTarget', 'CDocument', 'CWnd', 'CView', 'CFrameWnd', 'CWinApp', 'CWinThread', 'CScrollView', 'CFormView']);

/** Archive members that move no bytes. */
const QUIET_METHODS = new Set(['Flush', 'IsStoring', 'IsLoading', 'IsBufferEmpty', 'GetObjectSchema', 'GetFile', 'IsByteSwapping', 'MapObject']);

/** `ar.Method(args)` → the method and its arguments. */
export function archiveCall(node: CppNode, archive: string): { method: string; args: CppNode[] } | undefined {
  const n = unwrap(node);
  if (n.type !== 'call_expression') return undefined;
  const fn = n.childForFieldName('function');
  if (fn?.type !== 'field_expression') return undefined;
  const target = unwrap(fn.childForFieldName('argument')!);
  if (target.type !== 'identifier' || target.text !== archive) return undefined;
  return { method: fn.childForFieldName('field')!.text, args: n.childForFieldName('arguments')?.namedChildren ?? [] };
}

export function archiveMethod(call: { method: string; args: CppNode[] }, stmt: CppNode, scope: Scope): void {
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
  const count = takeCount(scope, keys, stmt);
  if (count.kind === 'missing') {
    push(scope, todoEntry(scope, 'the block length is neither a constant nor a field written before it', stmt, name, { bytes: 0 }));
    return;
  }
  const bytes = count.kind === 'folded' ? { count: count.width } : { countField: count.name };
  const todo = count.kind === 'field' ? count.todo : undefined;
  push(scope, { field: { name, type: { bytes }, ...(todo === undefined ? {} : { todo }) }, keys: [], node: stmt });
}

/** `sizeof(s)`, `sizeof(HEADER)`, `sizeof s`, or any constant expression. */
function sizeOfExpression(node: CppNode, scope: Scope): number | undefined {
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

export function memberSerialize(target: CppNode, stmt: CppNode, scope: Scope): void {
  const t = typeOf(target, scope);
  const name = nameOf(target, scope.ctx.decls) ?? 'member';
  if (t === undefined) return push(scope, todoEntry(scope, `the type of ${target.text} is not declared in the sources read`, stmt, name));
  const r = scope.ctx.decls.resolve(t);
  const mapped = scope.ctx.types.serialized(r.kind === 'pointer' ? r.to : t);
  if (mapped.type === undefined) return push(scope, todoEntry(scope, mapped.why, stmt, name));
  push(scope, { field: { name, type: mapped.type }, keys: [`id:${target.text.replace(/\s+/g, '')}`], node: stmt });
}

export function baseSerialize(base: string, stmt: CppNode, scope: Scope, top?: BodyResult): void {
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

export function serializeElements(pointer: CppNode, count: CppNode, stmt: CppNode, scope: Scope): void {
  const t = typeOf(pointer, scope);
  const r = t === undefined ? undefined : scope.ctx.decls.resolve(t);
  const elem = r?.kind === 'pointer' ? r.to : r?.kind === 'array' ? r.of : undefined;
  const name = nameOf(pointer, scope.ctx.decls) ?? 'elements';
  if (elem === undefined) return push(scope, todoEntry(scope, `the element type of ${pointer.text} is not known`, stmt, name));
  const mapped = scope.ctx.types.element(elem);
  if (mapped.type === undefined) return push(scope, todoEntry(scope, mapped.why, stmt, name));
  listWithCount(name, mapped.type, countKeys(count, scope), stmt, scope);
}

/** `n = m_arr.GetSize()`, `pos = m_list.GetHeadPosition()`: what count a local holds. */
export function assignLocal(left: CppNode, right: CppNode, scope: Scope): void {
  const l = unwrap(left);
  const local = l.type === 'identifier' ? scope.locals.get(l.text) : undefined;
  if (local === undefined) return;
  const keys = countKeys(right, scope);
  local.origin = positionOrigin(right) ?? keys.find((k) => k.startsWith('size:')) ?? keys.at(-1);
}

export function assignFromArchive(left: CppNode, right: CppNode, stmt: CppNode, scope: Scope): void {
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
