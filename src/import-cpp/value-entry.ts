/**
 * The one field the operand of `ar << e` / `ar >> e` becomes: its width from the outermost cast or
 * else its static type, big-endian under a byte swap, a `const` for a constant written by the
 * storing branch, an object for `&m_obj`; or a todo saying why there is no translation.
 */
import type { FieldDecl, TypeExpr } from '../archive/types/type-file.js';
import { countKeys, isConstantExpression, nameOf, peel, typeOf } from './archive-expressions.js';
import type { CppNode } from './cpp-parser.js';
import { named } from './cpp-type.js';
import type { Entry, Scope } from './translation-scope.js';

/** The one field for the operand of `ar << e` or `ar >> e`, with a todo when it has no translation. */
export function valueEntry(operand: CppNode, statement: CppNode, scope: Scope): Entry {
  const { decls, types, file } = scope.ctx;
  const { value: n, cast: written, swap: swapWidth } = peel(operand, decls);
  const byteOrder = swapWidth === undefined ? undefined : 'big';
  const name = nameOf(n, decls) ?? 'value';
  const keys = countKeys(n, scope);
  const entry = (type: TypeExpr, extra: Partial<FieldDecl> = {}): Entry => ({
    field: { name, type, ...(byteOrder ? { byteOrder } : {}), ...extra, ...(scope.when ? { when: scope.when } : {}), ...(scope.todo ? { todo: file.note(scope.todo, statement) } : {}) },
    keys,
    node: statement,
  });
  const todo = (why: string, type: TypeExpr = 'TODO'): Entry => ({
    field: { name, type, ...(scope.when ? { when: scope.when } : {}), todo: file.note(why, statement) },
    keys,
    node: statement,
  });
  if (n.type === 'string_literal' || n.type === 'concatenated_string') return todo('a string literal is a raw pointer: MFC 7+ writes it as a 1-byte bool, VC6 as a CString (format §1.2)');
  // `ar << &m_obj`: an embedded CObject written with its class tag.
  if (n.type === 'pointer_expression' && n.child(0)?.text === '&' && written === undefined) {
    const t = typeOf(n.childForFieldName('argument')!, scope);
    const r = t === undefined ? undefined : decls.resolve(t);
    if (r?.kind === 'named' && decls.serial.has(r.name)) return entry({ object: r.name });
    return todo(`&${n.childForFieldName('argument')!.text} is not an IMPLEMENT_SERIAL object the importer can name`);
  }
  const isConstant = isConstantExpression(n, scope);
  const staticType = written ?? (swapWidth !== undefined ? named(swapWidth) : typeOf(n, scope));
  if (staticType === undefined) return todo(`the type of ${n.text} is not declared in the sources read`);
  const mapped = types.streamed(staticType);
  if (mapped.type === undefined) return todo(mapped.why);
  if (isConstant && scope.direction === 'store') {
    const value = decls.evaluate(n.text);
    if (value !== undefined && typeof mapped.type === 'string' && !['float', 'double', 'CString', 'CStringA', 'CStringW'].includes(mapped.type)) {
      return entry(mapped.type, { name: /^[A-Za-z_]\w*$/.test(n.text) ? n.text : 'constant', const: mapped.type === 'bool' ? value !== 0 : value });
    }
  }
  return entry(mapped.type);
}
