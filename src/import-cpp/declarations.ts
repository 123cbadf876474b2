/**
 * Everything the sources declare that a `Serialize` translation looks up: classes and structs with
 * their data members (in declaration order, for `sizeof`), typedefs, enums with their underlying
 * types, constants (`#define`, enumerators, `const`), `IMPLEMENT_SERIAL` lines, the
 * `Serialize(CArchive&)` definitions themselves and `SerializeElements` specialisations. Collected
 * from every file first, because a `.cpp` uses what the headers declare.
 */
import { ConstantTable } from './constant-table.js';
import type { CppNode } from './cpp-parser.js';
import { archiveFunction } from './archive-functions.js';
import { applyDeclarator, named, typeFromDescriptor, typeFromNode, type CppType } from './cpp-type.js';
import type { SourceFile } from './source-set.js';
import { preprocessorBranches } from './preprocessor-branches.js';

export interface MemberDecl {
  name: string;
  type: CppType;
}

export interface ClassDecl {
  name: string;
  kind: 'class' | 'struct' | 'union';
  bases: CppType[];
  members: MemberDecl[];
  /** `#pragma pack` in force where the class is declared (MSVC's default is 8). */
  pack: number;
  /** Has virtual functions (a vtable pointer precedes the members) or bit-fields: no simple sizeof. */
  irregular: boolean;
  file: SourceFile;
  node: CppNode;
}

export interface SerialDecl {
  className: string;
  base: string;
  schema: number | undefined;
  versionable: boolean;
  schemaText: string;
  where: string;
}

export interface SerializeDef {
  className: string;
  /** The name of the `CArchive&` parameter (`ar`, `archive`…). */
  archive: string;
  body: CppNode;
  node: CppNode;
  file: SourceFile;
  /** Further parameters (for `SerializeElements(CArchive& ar, T* p, INT_PTR n)`: `p`, `n`). */
  params: MemberDecl[];
}

/** The constants of the sources (ConstantTable) and what else they declare. */
export class Declarations extends ConstantTable {
  readonly classes = new Map<string, ClassDecl>();
  readonly typedefs = new Map<string, CppType>();
  readonly enums = new Map<string, { underlying: CppType | undefined }>();
  readonly serial = new Map<string, SerialDecl>();
  /** Classes implemented with IMPLEMENT_DYNAMIC / IMPLEMENT_DYNCREATE: never written as objects. */
  readonly dynamic = new Set<string>();
  readonly serializeDefs: SerializeDef[] = [];
  readonly elementSerializers = new Map<string, SerializeDef>();

  /** Classes that `name` derives from, nearest first (only those the sources declare, plus the names written). */
  ancestors(name: string): string[] {
    const out: string[] = [];
    const visit = (n: string) => {
      for (const b of this.classes.get(n)?.bases ?? []) {
        if (b.kind !== 'named' || out.includes(b.name)) continue;
        out.push(b.name);
        visit(b.name);
      }
    };
    visit(name);
    return out;
  }

  derivesFrom(name: string, base: string): boolean {
    return name === base || this.ancestors(name).includes(base);
  }

  /** Follows typedefs (`typedef DWORD ORDERID;`) down to the type they name. */
  resolve(t: CppType, depth = 0): CppType {
    if (depth > 32) return t;
    if (t.kind === 'named' && t.args.length === 0) {
      const target = this.typedefs.get(t.name);
      if (target !== undefined) return this.resolve(target, depth + 1);
    }
    if (t.kind === 'pointer' || t.kind === 'reference') return { ...t, to: this.resolve(t.to, depth + 1) };
    if (t.kind === 'array') return { ...t, of: this.resolve(t.of, depth + 1) };
    return t;
  }

  /** Reads one parsed file; call for every file before translating any. */
  collect(file: SourceFile): void {
    for (const use of file.macros) this.collectMacro(use, file);
    const pack: number[] = [8];
    this.walk(file.root, file, pack, undefined);
    // A #define inside a function body is still a file-wide macro from there on.
    for (const d of file.root.descendantsOfType('preproc_def')) {
      const name = d.childForFieldName('name')?.text;
      if (name !== undefined) this.addMacro(name, d.childForFieldName('value')?.text.trim() || '1');
    }
    this.forget(); // the file's classes and typedefs change what a `sizeof` in a constant gives
  }

  private collectMacro(use: { name: string; args: string[]; line: number }, file: SourceFile): void {
    const [cls, base, schemaText] = use.args;
    if (cls === undefined) return;
    if (use.name === 'IMPLEMENT_SERIAL' && base !== undefined && schemaText !== undefined) {
      const versionable = /\bVERSIONABLE_SCHEMA\b/.test(schemaText);
      // The schema may name a constant of a file read later: `finish()` evaluates it.
      this.serial.set(cls, { className: cls, base, schema: undefined, versionable, schemaText, where: `${file.path}:${use.line}` });
    } else if (use.name === 'IMPLEMENT_DYNAMIC' || use.name === 'IMPLEMENT_DYNCREATE') {
      this.dynamic.add(cls);
    }
  }

  /** Re-evaluates schema numbers once every file is read (their constants may come later). */
  finish(): void {
    for (const s of this.serial.values()) {
      s.schema = this.evaluate(s.schemaText.replace(/\bVERSIONABLE_SCHEMA\b/, '0'));
    }
  }

  private walk(node: CppNode, file: SourceFile, pack: number[], owner: ClassDecl | undefined): void {
    for (const child of node.namedChildren) this.visit(child, file, pack, owner);
  }

  private visit(node: CppNode, file: SourceFile, pack: number[], owner: ClassDecl | undefined): void {
    switch (node.type) {
      case 'preproc_ifdef':
      case 'preproc_if':
        for (const branch of preprocessorBranches(node, this)) {
          if (branch.taken !== false) for (const n of branch.body) this.visit(n, file, pack, owner);
        }
        return;
      case 'preproc_def': {
        const name = node.childForFieldName('name')?.text;
        if (name !== undefined) this.addMacro(name, node.childForFieldName('value')?.text.trim() || '1');
        return;
      }
      case 'preproc_call':
        if (node.childForFieldName('directive')?.text === '#pragma') this.pragma(node.childForFieldName('argument')?.text ?? '', pack);
        return;
      case 'class_specifier':
      case 'struct_specifier':
      case 'union_specifier':
        this.collectClass(node, file, pack);
        return;
      case 'enum_specifier':
        this.collectEnum(node);
        return;
      case 'type_definition':
        this.collectTypedef(node, file, pack);
        return;
      case 'alias_declaration': {
        const name = node.childForFieldName('name')?.text;
        const type = node.childForFieldName('type');
        if (name !== undefined && type !== null) this.typedefs.set(name, typeFromDescriptor(type));
        return;
      }
      case 'function_definition':
        this.collectFunction(node, file, owner);
        return;
      case 'template_declaration':
      case 'namespace_definition':
      case 'linkage_specification':
      case 'declaration_list':
        this.walk(node, file, pack, owner);
        return;
      case 'declaration':
      case 'field_declaration':
        this.collectDeclaration(node, file, pack, owner);
        return;
      default:
        if (owner !== undefined && node.type === 'field_declaration_list') this.walk(node, file, pack, owner);
    }
  }

  private pragma(argument: string, pack: number[]): void {
    const m = /^\s*pack\s*\(([^)]*)\)/.exec(argument);
    if (m === null) return;
    const parts = m[1]!.split(',').map((p) => p.trim()).filter((p) => p !== '');
    const n = parts.map(Number).find((x) => Number.isInteger(x) && x > 0);
    if (parts[0] === 'pop') { if (pack.length > 1) pack.pop(); return; }
    if (parts[0] === 'push') { pack.push(n ?? pack.at(-1)!); return; }
    pack[pack.length - 1] = n ?? 8;
  }

  private collectClass(node: CppNode, file: SourceFile, pack: number[], fallbackName?: string): ClassDecl | undefined {
    const body = node.childForFieldName('body');
    const name = node.childForFieldName('name')?.text ?? fallbackName;
    if (body === null || name === undefined) return undefined;
    const bases: CppType[] = [];
    const clause = node.namedChildren.find((c) => c.type === 'base_class_clause');
    for (const b of clause?.namedChildren ?? []) {
      if (b.type === 'type_identifier' || b.type === 'qualified_type_identifier' || b.type === 'template_type') bases.push(typeFromNode(b));
    }
    const kind = node.type === 'struct_specifier' ? 'struct' : node.type === 'union_specifier' ? 'union' : 'class';
    const decl: ClassDecl = { name, kind, bases, members: [], pack: pack.at(-1)!, irregular: false, file, node };
    if (!this.classes.has(name)) this.classes.set(name, decl);
    this.walk(body, file, pack, decl);
    return decl;
  }

  private collectEnum(node: CppNode): void {
    const name = node.childForFieldName('name')?.text;
    const base = node.childForFieldName('base');
    if (name !== undefined && !this.enums.has(name)) this.enums.set(name, { underlying: base === null ? undefined : typeFromNode(base) });
    const list = node.childForFieldName('body');
    let given = '0';
    let offset = -1;
    for (const e of list?.namedChildren ?? []) {
      if (e.type !== 'enumerator') continue;
      const id = e.childForFieldName('name')?.text;
      if (id === undefined) continue;
      const value = e.childForFieldName('value')?.text;
      // An enumerator without a value is the previous one plus one (the first is 0).
      if (value !== undefined) [given, offset] = [value, 0];
      else offset++;
      this.addEnumerator(id, given, offset, name);
    }
  }

  private collectTypedef(node: CppNode, file: SourceFile, pack: number[]): void {
    const typeNode = node.childForFieldName('type');
    if (typeNode === null) return;
    const declarators = node.childrenForFieldName('declarator');
    const firstName = declarators.map((d) => applyDeclarator(named('?'), d).name).find((n) => n !== undefined);
    let base = typeFromNode(typeNode);
    if (['struct_specifier', 'class_specifier', 'union_specifier'].includes(typeNode.type)) {
      // `typedef struct tagPOINTDATA { … } POINTDATA;` — the tag may be missing.
      const decl = this.collectClass(typeNode, file, pack, firstName);
      if (decl !== undefined) base = named(decl.name);
    } else if (typeNode.type === 'enum_specifier') {
      this.collectEnum(typeNode);
      if (typeNode.childForFieldName('name') === null && firstName !== undefined) {
        const b = typeNode.childForFieldName('base');
        this.enums.set(firstName, { underlying: b === null ? undefined : typeFromNode(b) });
        return;
      }
    }
    for (const d of declarators) {
      const { type, name } = applyDeclarator(base, d);
      if (name !== undefined && name !== (base.kind === 'named' ? base.name : '') && !this.typedefs.has(name)) this.typedefs.set(name, type);
    }
  }

  private collectDeclaration(node: CppNode, file: SourceFile, pack: number[], owner: ClassDecl | undefined): void {
    const typeNode = node.childForFieldName('type');
    if (typeNode === null) return;
    let base = typeFromNode(typeNode);
    if (['struct_specifier', 'class_specifier', 'union_specifier'].includes(typeNode.type) && typeNode.childForFieldName('body') !== null) {
      const decl = this.collectClass(typeNode, file, pack);
      if (decl !== undefined) base = named(decl.name);
    } else if (typeNode.type === 'enum_specifier') {
      this.collectEnum(typeNode);
    }
    const isStatic = node.namedChildren.some((c) => c.type === 'storage_class_specifier' && c.text === 'static');
    const isConst = node.namedChildren.some((c) => c.type === 'type_qualifier' && (c.text === 'const' || c.text === 'constexpr'));
    // `virtual` is an anonymous token of the declaration, not a named child.
    if (owner !== undefined && node.children.some((c) => c.type === 'virtual')) owner.irregular = true;
    if (owner !== undefined && node.namedChildren.some((c) => c.type === 'bitfield_clause')) owner.irregular = true;
    for (const d of node.childrenForFieldName('declarator')) {
      const { type, name, isFunction } = applyDeclarator(base, d);
      if (name === undefined || isFunction) continue;
      if (d.type === 'init_declarator' && isConst) {
        const value = d.childForFieldName('value');
        if (value !== null) this.addConst(name, value.text.replace(/^\{|\}$/g, ''));
      }
      if (owner !== undefined && !isStatic) owner.members.push({ name, type });
    }
    if (owner !== undefined && node.type === 'field_declaration' && node.childrenForFieldName('declarator').length === 0 && typeNode.type === 'union_specifier') {
      owner.irregular = true; // an anonymous union overlays its members
    }
  }

  private collectFunction(node: CppNode, file: SourceFile, owner: ClassDecl | undefined): void {
    if (owner !== undefined && node.children.some((c) => c.type === 'virtual')) owner.irregular = true;
    const found = archiveFunction(node, file, owner?.name);
    if (found?.kind === 'serialize') this.serializeDefs.push(found.def);
    else if (found?.kind === 'elements') this.elementSerializers.set(found.def.className, found.def);
  }

}
