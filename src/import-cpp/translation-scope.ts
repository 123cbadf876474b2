/**
 * What the translation of one `Serialize` body works in: the entries (fields drafted so far, with
 * what later statements may refer to them by), the locals, the condition and todo in force, and
 * the few operations every statement kind shares — adding an entry, a todo, a list whose count
 * was written before it.
 */
import type { CppType } from './cpp-type.js';
import type { Declarations, SerializeDef } from './declarations.js';
import type { ConditionDecl, FieldDecl, TypeExpr } from '../archive/types/type-file.js';
import { sameCondition } from './draft-type-file.js';
import type { MfcTypes } from './mfc-types.js';
import type { SourceFile, Span } from './source-set.js';

/** One thing the archive carries, with what later statements may refer to it by. */
export interface Entry {
  field: FieldDecl;
  /** `id:m_n` (the member or local read or written), `size:m_arr` (a count of that collection). */
  keys: string[];
  /** Written with `ar.WriteCount` / read with `ar.ReadCount` (the grammar's default count). */
  writeCount?: boolean;
  node: Span;
}

export interface Local {
  type: CppType | undefined;
  /** `schema` (from GetObjectSchema) or a count key (`size:m_arr`) the local holds. */
  origin?: string;
}

export interface TranslationContext {
  readonly decls: Declarations;
  readonly types: MfcTypes;
  readonly file: SourceFile;
  readonly def: SerializeDef;
  /** The class whose members unqualified names mean. */
  readonly owner: string;
  /** The type being drafted (aux types are named after it). */
  readonly typeName: string;
  /** Registers a helper type (a list element, a switch case); returns its unique name. */
  addAux(name: string, fields: FieldDecl[]): string;
}

export interface Scope {
  readonly ctx: TranslationContext;
  readonly direction: 'store' | 'load';
  readonly locals: Map<string, Local>;
  entries: Entry[];
  when: ConditionDecl | undefined;
  /** A todo every entry of this scope carries (code under an undecided `#ifdef`). */
  todo: string | undefined;
}

export function push(scope: Scope, entry: Entry): void {
  if (scope.when !== undefined && entry.field.when === undefined) entry.field.when = scope.when;
  if (scope.todo !== undefined && entry.field.todo === undefined) entry.field.todo = scope.ctx.file.note(scope.todo, entry.node);
  scope.entries.push(entry);
}

export function todoEntry(scope: Scope, why: string, node: Span, name = 'todo', type: TypeExpr = 'TODO'): Entry {
  return { field: { name, type, todo: scope.ctx.file.note(why, node) }, keys: [], node };
}

/** The latest entry of this scope that a count expression's keys name. */
function findCount(scope: Scope, keys: readonly string[]): number | undefined {
  for (let i = scope.entries.length - 1; i >= 0; i--) {
    if (scope.entries[i]!.keys.some((k) => keys.includes(k))) return i;
  }
  return undefined;
}

/** How a list or raw block refers to its count: folded in, by countField, or not found. */
export type CountRef =
  | { kind: 'folded'; width: string; writeCount: boolean }
  | { kind: 'field'; name: string; todo?: string }
  | { kind: 'missing' };

/**
 * The count of a list or raw block, an earlier entry that `keys` name. Folded in (its entry
 * removed) only when it comes just before and is as plain as the elements: the same condition, no
 * constant, no byte order, no todo — each of those would be lost. Otherwise named by countField,
 * with a todo where the grammar cannot follow: a count that may be absent, a WriteCount elsewhere.
 */
export function takeCount(scope: Scope, keys: readonly string[], stmt: Span): CountRef {
  const at = findCount(scope, keys);
  if (at === undefined) return { kind: 'missing' };
  const count = scope.entries[at]!;
  const f = count.field;
  const plain = f.todo === undefined && f.const === undefined && f.byteOrder === undefined && typeof f.type === 'string';
  if (at === scope.entries.length - 1 && plain && sameCondition(f.when, scope.when)) {
    scope.entries.pop();
    return { kind: 'folded', width: f.type as string, writeCount: count.writeCount === true };
  }
  const why = f.when !== undefined
    ? `the count ${f.name} is written only when ${JSON.stringify(f.when)}, but a countField must always be present`
    : count.writeCount ? 'the WriteCount of these elements is not just before them' : undefined;
  return why === undefined ? { kind: 'field', name: f.name } : { kind: 'field', name: f.name, todo: scope.ctx.file.note(why, stmt) };
}

/** A list whose count is an earlier entry. `elementTodo` is the note of an element that could not be translated. */
export function listWithCount(name: string, elem: TypeExpr, keys: string[], stmt: Span, scope: Scope, elementTodo?: string): void {
  const count = takeCount(scope, keys, stmt);
  const type: TypeExpr = count.kind === 'folded'
    ? (count.writeCount ? { list: elem } : { list: elem, count: count.width })
    : count.kind === 'field' ? { list: elem, countField: count.name } : { list: elem };
  const countTodo = count.kind === 'missing' ? scope.ctx.file.note('the element count is not a field written before the elements', stmt) : count.kind === 'field' ? count.todo : undefined;
  const todo = countTodo ?? elementTodo;
  push(scope, { field: { name, type, ...(todo === undefined ? {} : { todo }) }, keys: [], node: stmt });
}

export function conditionScope(scope: Scope, cond: ConditionDecl | undefined, todo?: string): Scope {
  const when = cond === undefined ? scope.when : scope.when === undefined ? cond : 'all' in scope.when ? { all: [...scope.when.all, cond] } : { all: [scope.when, cond] };
  return { ...scope, when, todo: scope.todo ?? todo };
}
