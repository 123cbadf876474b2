/**
 * The expressions of a `Serialize` body: what static type a C++ expression has (members, locals,
 * elements of collections, casts), what field name it gives, which count it can stand for, whether
 * it is a constant. Casts win: `ar << (WORD)m_n` writes a WORD whatever `m_n` is declared as
 * (format §1.2).
 */
import { GEOMETRY } from '../archive/values/primitive-table.js';
import type { CppNode } from './cpp-parser.js';
import { named, typeFromDescriptor, unreference, type CppType } from './cpp-type.js';
import type { Declarations } from './declarations.js';
import type { Scope } from './translation-scope.js';

export function unwrap(node: CppNode): CppNode {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildren.length === 1) n = n.namedChildren[0]!;
  return n;
}

/** The expression an `if`, loop or `switch` tests, out of its `condition_clause` and parentheses. */
export function conditionExpression(node: CppNode): CppNode {
  return unwrap(node.type === 'condition_clause' ? (node.childForFieldName('value') ?? node.namedChildren[0]!) : node);
}

export function mentions(node: CppNode, name: string): boolean {
  if (node.type === 'identifier' && node.text === name) return true;
  return node.descendantsOfType('identifier').some((n) => n.text === name);
}

/** `static_cast<WORD>(x)`, `(WORD)x`, `WORD(x)`: the cast type and the operand; otherwise undefined. */
function castOf(node: CppNode, decls: Declarations): { type: CppType; value: CppNode } | undefined {
  const n = unwrap(node);
  if (n.type === 'cast_expression') {
    const t = n.childForFieldName('type');
    const v = n.childForFieldName('value');
    if (t !== null && v !== null) return { type: typeFromDescriptor(t), value: v };
  }
  if (n.type === 'call_expression') {
    const fn = n.childForFieldName('function');
    const args = n.childForFieldName('arguments')?.namedChildren ?? [];
    if (fn?.type === 'template_function' && /^(static|reinterpret|const)_cast$/.test(fn.childForFieldName('name')?.text ?? '') && args.length === 1) {
      const targ = fn.childForFieldName('arguments')?.namedChildren[0];
      if (targ !== undefined) return { type: typeFromDescriptor(targ), value: args[0]! };
    }
    if ((fn?.type === 'identifier' || fn?.type === 'primitive_type' || fn?.type === 'type_identifier') && args.length === 1 && isTypeName(fn.text, decls)) {
      return { type: named(fn.text), value: args[0]! };
    }
  }
  return undefined;
}

const BUILTIN_TYPE_WORDS = /^(BYTE|WORD|DWORD|UINT|INT|LONG|ULONG|SHORT|USHORT|BOOL|CHAR|UCHAR|int|long|short|char|unsigned|bool|float|double|LONGLONG|ULONGLONG|INT_PTR|UINT_PTR|DWORD_PTR|LONG_PTR|ULONG_PTR|size_t|COLORREF|TCHAR|WCHAR)$/;

function isTypeName(text: string, decls: Declarations): boolean {
  return BUILTIN_TYPE_WORDS.test(text) || decls.typedefs.has(text) || decls.enums.has(text);
}

/** Network-order helpers: the value is written big-endian. */
const BYTE_SWAPS: Record<string, string> = { htonl: 'DWORD', ntohl: 'DWORD', htons: 'WORD', ntohs: 'WORD' };

/** The type of a member of class `cls` (or its ancestors). */
export function memberType(cls: string, name: string, decls: Declarations): CppType | undefined {
  for (const c of [cls, ...decls.ancestors(cls)]) {
    const m = decls.classes.get(c)?.members.find((x) => x.name === name);
    if (m !== undefined) return m.type;
  }
  if (Object.hasOwn(GEOMETRY, cls) && GEOMETRY[cls]!.includes(name)) return named('LONG'); // CPoint, CRect…: LONGs
  return undefined;
}

const ELEMENT_OF: Record<string, string> = {
  CStringArray: 'CString', CStringList: 'CString', CDWordArray: 'DWORD', CWordArray: 'WORD', CByteArray: 'BYTE', CUIntArray: 'UINT',
};

/** The element type of an array or collection type (`CArray<T,…>` → T, `CTypedPtrList<CObList, S*>` → S*). */
export function elementType(t: CppType, decls: Declarations): CppType | undefined {
  const r = decls.resolve(unreference(t));
  if (r.kind === 'array') return r.of;
  if (r.kind === 'pointer') return r.to;
  if (r.kind !== 'named') return undefined;
  const simple = ELEMENT_OF[r.name];
  if (simple !== undefined) return named(simple);
  if (r.name === 'CObArray' || r.name === 'CObList') return { kind: 'pointer', to: named('CObject') };
  if (r.name === 'CArray' || r.name === 'CList') return r.args[0];
  if (r.name === 'CTypedPtrArray' || r.name === 'CTypedPtrList') return r.args[1];
  for (const b of decls.classes.get(r.name)?.bases ?? []) {
    const e = elementType(b, decls);
    if (e !== undefined) return e;
  }
  return undefined;
}

const ELEMENT_GETTERS = new Set(['GetAt', 'ElementAt', 'GetNext', 'GetPrev', 'GetHead', 'GetTail']);

const SIZE_GETTERS = new Set(['GetSize', 'GetCount', 'GetUpperBound', 'GetLength']);

/** The C++ static type of an expression, as far as the declarations tell. */
export function typeOf(node: CppNode, scope: Scope): CppType | undefined {
  const { decls } = scope.ctx;
  const n = unwrap(node);
  const cast = castOf(n, decls);
  if (cast !== undefined) return cast.type;
  switch (n.type) {
    case 'identifier': {
      const local = scope.locals.get(n.text);
      if (local !== undefined) return local.type;
      const m = memberType(scope.ctx.owner, n.text, decls);
      if (m !== undefined) return m;
      const e = decls.enumOf(n.text);
      return e === undefined ? undefined : named(e);
    }
    case 'field_expression': {
      const arg = n.childForFieldName('argument')!;
      const field = n.childForFieldName('field')!.text;
      if (arg.type === 'this') return memberType(scope.ctx.owner, field, decls);
      const at = typeOf(arg, scope);
      if (at === undefined) return undefined;
      const r = decls.resolve(unreference(at));
      const cls = r.kind === 'pointer' ? decls.resolve(r.to) : r;
      return cls.kind === 'named' ? memberType(cls.name, field, decls) : undefined;
    }
    case 'subscript_expression': {
      const at = typeOf(n.childForFieldName('argument')!, scope);
      return at === undefined ? undefined : elementType(at, decls);
    }
    case 'pointer_expression': {
      const at = typeOf(n.childForFieldName('argument')!, scope);
      if (at === undefined) return undefined;
      if (n.child(0)?.text === '&') return { kind: 'pointer', to: at };
      const r = decls.resolve(at);
      return r.kind === 'pointer' ? r.to : undefined;
    }
    case 'call_expression': {
      const fn = n.childForFieldName('function');
      if (fn?.type !== 'field_expression') return undefined;
      const method = fn.childForFieldName('field')!.text;
      const target = typeOf(fn.childForFieldName('argument')!, scope);
      if (ELEMENT_GETTERS.has(method) && target !== undefined) return elementType(target, decls);
      if (method === 'GetLength') return named('int');
      if (SIZE_GETTERS.has(method)) return named(decls.build.profile.mfc >= 7 ? 'INT_PTR' : 'int');
      return undefined;
    }
    case 'number_literal':
      return named(literalType(n.text));
    case 'char_literal':
      return named(n.text.startsWith('L') ? 'wchar_t' : 'char');
    case 'true':
    case 'false':
      return named('bool');
    default:
      return undefined;
  }
}

function literalType(text: string): string {
  if (/^[\d.]+([eE][-+]?\d+)?[fF]$/.test(text) && /[.eE]/.test(text)) return 'float';
  if (/[.eE]/.test(text) && !/^0[xX]/.test(text)) return 'double';
  if (/(ll|LL|i64)$/i.test(text)) return /u/i.test(text) ? 'ULONGLONG' : 'LONGLONG';
  if (/[uU]/.test(text)) return /[lL]/.test(text) ? 'DWORD' : 'UINT';
  if (/[lL]$/.test(text)) return 'LONG';
  return 'int';
}

/** An operand of `<<` without its casts and byte swaps: the outermost cast (the width written) and swap. */
export interface Peeled {
  value: CppNode;
  cast?: CppType;
  /** The width a byte swap (`htonl`…) writes big-endian. */
  swap?: string;
}

/** Takes casts and byte swaps off, outermost first: the first cast met is the width written. */
export function peel(node: CppNode, decls: Declarations): Peeled {
  const out: Peeled = { value: unwrap(node) };
  for (;;) {
    const cast = castOf(out.value, decls);
    if (cast !== undefined) { out.cast ??= cast.type; out.value = unwrap(cast.value); continue; }
    const swap = byteSwapOf(out.value);
    if (swap !== undefined) { out.swap ??= swap.width; out.value = unwrap(swap.value); continue; }
    return out;
  }
}

/** The expression whose value is written, without casts, byte swaps and parentheses. */
export function core(node: CppNode, decls: Declarations): CppNode {
  return peel(node, decls).value;
}

function byteSwapOf(node: CppNode): { width: string; value: CppNode } | undefined {
  if (node.type !== 'call_expression') return undefined;
  const fn = node.childForFieldName('function')?.text ?? '';
  const args = node.childForFieldName('arguments')?.namedChildren ?? [];
  const width = BYTE_SWAPS[fn];
  return width !== undefined && args.length === 1 ? { width, value: args[0]! } : undefined;
}

/** A field name for what an expression reads or writes: `m_nPenWidth` → `nPenWidth`, `m_pt.x` → `pt_x`. */
export function nameOf(node: CppNode, decls: Declarations): string | undefined {
  const n = core(node, decls);
  switch (n.type) {
    case 'identifier':
      return stripMember(n.text);
    case 'field_expression': {
      const arg = core(n.childForFieldName('argument')!, decls);
      const field = stripMember(n.childForFieldName('field')!.text);
      // An element's member (`m_items[i].m_id`, `pItem->m_id`) is named by the member alone.
      if (arg.type === 'this' || arg.type === 'subscript_expression' || (arg.type === 'identifier' && !arg.text.startsWith('m_')) || arg.type === 'call_expression' || arg.type === 'pointer_expression') return field;
      const base = nameOf(arg, decls);
      return base === undefined ? field : `${base}_${field}`;
    }
    case 'subscript_expression':
      return nameOf(n.childForFieldName('argument')!, decls);
    case 'pointer_expression':
      return nameOf(n.childForFieldName('argument')!, decls);
    case 'call_expression': {
      const fn = n.childForFieldName('function');
      if (fn?.type !== 'field_expression') return undefined;
      const target = nameOf(fn.childForFieldName('argument')!, decls);
      const method = fn.childForFieldName('field')!.text;
      if (target === undefined) return undefined;
      return SIZE_GETTERS.has(method) ? `${target}Count` : ELEMENT_GETTERS.has(method) ? target : undefined;
    }
    default:
      return undefined;
  }
}

function stripMember(name: string): string {
  return /^m_[A-Za-z_]/.test(name) ? name.slice(2) : name;
}

/** The count key of a collection: `size:m_arr` for `m_arr`. */
export function sizeKey(collection: CppNode): string {
  return `size:${collection.text.replace(/\s+/g, '')}`;
}

/** `m_list.GetHeadPosition()` / `GetTailPosition()`: a POSITION that walks the whole list, so its count key. */
export function positionOrigin(value: CppNode): string | undefined {
  const v = unwrap(value);
  const fn = v.type === 'call_expression' ? v.childForFieldName('function') : null;
  if (fn?.type !== 'field_expression' || !/^Get(Head|Tail)Position$/.test(fn.childForFieldName('field')!.text)) return undefined;
  return sizeKey(fn.childForFieldName('argument')!);
}

/** The count keys an expression can stand for: `m_arr.GetSize()` → `size:m_arr`; `n` → `id:n` or what n holds. */
export function countKeys(node: CppNode, scope: Scope): string[] {
  const n = core(node, scope.ctx.decls);
  if (n.type === 'identifier') {
    const local = scope.locals.get(n.text);
    return local?.origin !== undefined ? [`id:${n.text}`, local.origin] : [`id:${n.text}`];
  }
  if (n.type === 'call_expression') {
    const fn = n.childForFieldName('function');
    if (fn?.type === 'field_expression' && SIZE_GETTERS.has(fn.childForFieldName('field')!.text)) {
      return [sizeKey(fn.childForFieldName('argument')!)];
    }
  }
  return [`id:${n.text.replace(/\s+/g, '')}`];
}

/** A literal, an enumerator, a `#define` or `const` — not a member or local of the same name. */
export function isConstantExpression(node: CppNode, scope: Scope): boolean {
  const n = unwrap(node);
  if (n.type === 'number_literal' || n.type === 'char_literal' || n.type === 'true' || n.type === 'false') return true;
  if (n.type === 'identifier') {
    return !scope.locals.has(n.text) && memberType(scope.ctx.owner, n.text, scope.ctx.decls) === undefined && scope.ctx.decls.isConstant(n.text);
  }
  if (n.type === 'binary_expression' || n.type === 'unary_expression') return n.namedChildren.every((c) => isConstantExpression(c, scope));
  return false;
}
