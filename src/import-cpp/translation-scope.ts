/**
 * What the translation of one `Serialize` body works in: the entries (fields drafted so far, with
 * what later statements may refer to them by), the locals, the condition and todo in force, and
 * the few operations every statement kind shares — adding an entry, a todo, a list whose count
 * was written before it.
 */
import type { CppType } from './cpp-type.js';
import type { Declarations, SerializeDef } from './declarations.js';
import type { Condition, DraftField, DraftType } from './draft-type-file.js';
import type { MfcTypes } from './mfc-types.js';
import type { SourceFile, Span } from './source-set.js';

/** One thing the archive carries, with what later statements may refer to it by. */
export interface Entry {
  field: DraftField;
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
  addAux(name: string, fields: DraftField[]): string;
}

export interface Scope {
  readonly ctx: TranslationContext;
  readonly direction: 'store' | 'load';
  readonly locals: Map<string, Local>;
  entries: Entry[];
  when: Condition | undefined;
  /** A todo every entry of this scope carries (code under an undecided `#ifdef`). */
  todo: string | undefined;
}

export function push(scope: Scope, entry: Entry): void {
  if (scope.when !== undefined && entry.field.when === undefined) entry.field.when = scope.when;
  if (scope.todo !== undefined && entry.field.todo === undefined) entry.field.todo = scope.ctx.file.note(scope.todo, entry.node);
  scope.entries.push(entry);
}

export function todoEntry(scope: Scope, why: string, node: Span, name = 'todo', type: DraftType = 'TODO'): Entry {
  return { field: { name, type, todo: scope.ctx.file.note(why, node) }, keys: [], node };
}

/** The latest entry of this scope that a count expression's keys name. */
export function findCount(scope: Scope, keys: readonly string[]): number | undefined {
  for (let i = scope.entries.length - 1; i >= 0; i--) {
    if (scope.entries[i]!.keys.some((k) => keys.includes(k))) return i;
  }
  return undefined;
}

/**
 * A list whose count is an earlier entry: folded in when it comes just before, else named by
 * countField. `elementTodo` is the note of an element that could not be translated.
 */
export function listWithCount(name: string, elem: DraftType, keys: string[], stmt: Span, scope: Scope, elementTodo?: string): void {
  const at = findCount(scope, keys);
  if (at === undefined) {
    const todo = elementTodo ?? scope.ctx.file.note('the element count is not a field written before the elements', stmt);
    push(scope, { field: { name, type: { list: elem }, todo }, keys: [], node: stmt });
    return;
  }
  const count = scope.entries[at]!;
  const withTodo = (e: Entry) => {
    if (elementTodo !== undefined) e.field.todo ??= elementTodo;
    return e;
  };
  if (at === scope.entries.length - 1 && count.field.todo === undefined && count.field.when === scope.when && typeof count.field.type === 'string' && count.field.const === undefined) {
    scope.entries.pop();
    const type: DraftType = count.writeCount ? { list: elem } : { list: elem, count: count.field.type };
    push(scope, withTodo({ field: { name, type }, keys: [], node: stmt }));
    return;
  }
  const entry: Entry = { field: { name, type: { list: elem, countField: count.field.name } }, keys: [], node: stmt };
  if (count.writeCount) entry.field.todo = scope.ctx.file.note('the WriteCount of these elements is not just before them', stmt);
  push(scope, withTodo(entry));
}

export function conditionScope(scope: Scope, cond: Condition | undefined, todo?: string): Scope {
  const when = cond === undefined ? scope.when : scope.when === undefined ? cond : 'all' in scope.when ? { all: [...scope.when.all, cond] } : { all: [scope.when, cond] };
  return { ...scope, when, todo: scope.todo ?? todo };
}
