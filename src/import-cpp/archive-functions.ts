/**
 * Which function definitions an import translates: `X::Serialize(CArchive& ar)` (or `Serialize`
 * defined inside class X), and `SerializeElements` specialised for an element type — as a
 * template specialisation (`SerializeElements<CItem>`) or, VC6 style, an overload taking `CItem*`.
 */
import type { CppNode } from './cpp-parser.js';
import { applyDeclarator, named, typeFromDescriptor, typeFromNode } from './cpp-type.js';
import type { SerializeDef } from './declarations.js';
import type { SourceFile } from './source-set.js';

export type ArchiveFunction = { kind: 'serialize'; def: SerializeDef } | { kind: 'elements'; def: SerializeDef };

export function archiveFunction(node: CppNode, file: SourceFile, ownerName: string | undefined): ArchiveFunction | undefined {
  const body = node.childForFieldName('body');
  let declarator = node.childForFieldName('declarator');
  while (declarator !== null && declarator.type !== 'function_declarator') declarator = declarator.childForFieldName('declarator');
  if (body === null || declarator === null) return undefined;
  const nameNode = declarator.childForFieldName('declarator');
  const params = (declarator.childForFieldName('parameters')?.namedChildren ?? []).filter((p) => p.type === 'parameter_declaration');
  const first = params[0];
  if (nameNode === null || first === undefined) return undefined;
  const firstType = typeFromNode(first.childForFieldName('type')!);
  const firstDecl = first.childForFieldName('declarator');
  if (firstType.kind !== 'named' || firstType.name !== 'CArchive' || firstDecl === null) return undefined;
  const archive = applyDeclarator(firstType, firstDecl).name;
  if (archive === undefined) return undefined;
  const rest = params.slice(1).map((p) => {
    const t = p.childForFieldName('type');
    const d = p.childForFieldName('declarator');
    const r = d === null || t === null ? undefined : applyDeclarator(typeFromNode(t), d);
    return { name: r?.name ?? '', type: r?.type ?? named('?') };
  });
  if (nameNode.type === 'qualified_identifier' || nameNode.type === 'field_identifier' || nameNode.type === 'identifier') {
    const parts = nameNode.text.replace(/\s+/g, '').split('::');
    const fn = parts.at(-1);
    const cls = parts.length >= 2 ? parts.at(-2) : ownerName;
    if (fn === 'Serialize' && cls !== undefined && params.length === 1) {
      return { kind: 'serialize', def: { className: cls.replace(/<.*$/, ''), archive, body, node, file, params: [] } };
    }
    if (fn === 'SerializeElements' && rest[0]?.type.kind === 'pointer') {
      const elem = rest[0].type.to;
      if (elem.kind === 'named') return { kind: 'elements', def: { className: elem.name, archive, body, node, file, params: rest } };
    }
  } else if (nameNode.type === 'template_function' && nameNode.childForFieldName('name')?.text === 'SerializeElements') {
    const arg = nameNode.childForFieldName('arguments')?.namedChildren[0];
    const elem = arg === undefined ? undefined : typeFromDescriptor(arg);
    if (elem?.kind === 'named') return { kind: 'elements', def: { className: elem.name, archive, body, node, file, params: rest } };
  }
  return undefined;
}
