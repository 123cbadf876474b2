/**
 * C++ types as the importer needs them: a name with template arguments, a pointer, or an array —
 * read from tree-sitter's type and declarator nodes. Qualifiers (`const`, `volatile`) are dropped:
 * they change no byte an archive writes.
 */
import type { CppNode } from './cpp-parser.js';

export type CppType =
  | { kind: 'named'; name: string; args: CppType[] }
  | { kind: 'pointer'; to: CppType }
  | { kind: 'reference'; to: CppType }
  | { kind: 'array'; of: CppType; lengthText: string };

export const named = (name: string, args: CppType[] = []): CppType => ({ kind: 'named', name, args });

/** The type a type node names (`unsigned short`, `CArray<CPoint, CPoint>`, `std::string`). */
export function typeFromNode(node: CppNode): CppType {
  switch (node.type) {
    case 'template_type': {
      const name = node.childForFieldName('name')?.text ?? node.text;
      const list = node.childForFieldName('arguments');
      return named(name, list === null ? [] : list.namedChildren.map((a) => (a.type === 'type_descriptor' ? typeFromDescriptor(a) : named(a.text.trim()))));
    }
    case 'struct_specifier':
    case 'class_specifier':
    case 'union_specifier':
    case 'enum_specifier':
      return named(node.childForFieldName('name')?.text ?? '(anonymous)');
    default:
      return named(node.text.replace(/\s+/g, ' ').trim());
  }
}

/** `CStroke*` inside `CTypedPtrList<CObList, CStroke*>`, or the type of a cast. */
export function typeFromDescriptor(node: CppNode): CppType {
  const typeNode = node.childForFieldName('type');
  const base = typeNode === null ? named(node.text.trim()) : typeFromNode(typeNode);
  const declarator = node.childForFieldName('declarator');
  return declarator === null ? base : applyDeclarator(base, declarator).type;
}

/**
 * Wraps `base` in what a declarator adds (`*p`, `&r`, `a[4]`) and finds the declared name.
 * A function declarator yields `isFunction` (member functions are not data).
 */
export function applyDeclarator(base: CppType, node: CppNode): { type: CppType; name: string | undefined; isFunction: boolean } {
  let type = base;
  let current: CppNode | null = node;
  const arrays: string[] = [];
  while (current !== null) {
    switch (current.type) {
      case 'pointer_declarator':
      case 'abstract_pointer_declarator':
        type = { kind: 'pointer', to: type };
        current = current.childForFieldName('declarator');
        continue;
      case 'reference_declarator':
      case 'abstract_reference_declarator':
        type = { kind: 'reference', to: type };
        current = current.namedChildren.find((c) => c.type !== 'type_qualifier') ?? null;
        continue;
      case 'array_declarator':
      case 'abstract_array_declarator':
        arrays.push(current.childForFieldName('size')?.text ?? '');
        current = current.childForFieldName('declarator');
        continue;
      case 'init_declarator':
      case 'parenthesized_declarator':
        current = current.childForFieldName('declarator') ?? current.namedChildren[0] ?? null;
        continue;
      case 'function_declarator':
        return { type, name: current.childForFieldName('declarator')?.text, isFunction: true };
      case 'field_identifier':
      case 'identifier':
      case 'type_identifier':
        // `int a[2][3]`: the first size written is the outermost array.
        for (const size of arrays.reverse()) type = { kind: 'array', of: type, lengthText: size };
        return { type, name: current.text, isFunction: false };
      default:
        current = current.namedChildren.at(-1) ?? null;
    }
  }
  for (const size of arrays.reverse()) type = { kind: 'array', of: type, lengthText: size };
  return { type, name: undefined, isFunction: false };
}

export function typeText(t: CppType): string {
  switch (t.kind) {
    case 'named':
      return t.args.length === 0 ? t.name : `${t.name}<${t.args.map(typeText).join(', ')}>`;
    case 'pointer':
      return `${typeText(t.to)}*`;
    case 'reference':
      return `${typeText(t.to)}&`;
    case 'array':
      return `${typeText(t.of)}[${t.lengthText}]`;
  }
}

/** References are their referents for every purpose here. */
export function unreference(t: CppType): CppType {
  return t.kind === 'reference' ? unreference(t.to) : t;
}
