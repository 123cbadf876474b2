/**
 * Random message-type files for the property tests: a type file in the grammar of SPEC §2 together
 * with an independent model of it (`Ty`) that says, for every field, which JSON values are canonical
 * (what decoding gives back). The model is written from SPEC §2 and the format document, not from
 * the codec's plans, so a disagreement between the two is a finding.
 */
import fc from 'fast-check';
import { codePage, MFC_VERSIONS, type TypeDecl, type TypeExpr, type TypeFile } from '../../../src/archive/index.js';
import { genPartTwo } from './part-two-fields.js';

/** Draws from fast-check's `fc.gen()`, so every choice is recorded, replayable and shrinkable. */
export class Draw {
  constructor(private readonly g: fc.GeneratorValue) {}
  int(min: number, max: number): number {
    return this.g(fc.integer, { min, max });
  }
  chance(p: number): boolean {
    return this.int(0, 999) < p * 1000;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)];
  }
  from<T>(arb: fc.Arbitrary<T>): T {
    return this.g(() => arb);
  }
}

export interface Flags {
  mfc: number;
  unicode: boolean;
  win64: boolean;
}

/** What a field holds, as far as its JSON values are concerned. */
export type Ty =
  | { k: 'int'; min: number; max: number }
  | { k: 'char' }
  | { k: 'i64'; signed: boolean }
  | { k: 'f32' }
  | { k: 'f64' }
  | { k: 'bool'; size: 1 | 4 }
  /** `wide`: the declared width (CStringW, or CString in a Unicode build / `"unicode": true` field). */
  | { k: 'str'; wide: boolean; cp: number }
  /** `marked`: MFC 8+ writes the 12-byte cTime64Mark form. */
  | { k: 'ctime'; marked: boolean }
  | { k: 'span' }
  | { k: 'oledt' }
  | { k: 'oledts' }
  | { k: 'cy' }
  /** `ext`: MFC 9+ knows VT_I1, VT_UI2, VT_UI4, VT_I8, VT_UI8. */
  | { k: 'variant'; ext: boolean }
  | { k: 'guid' }
  | { k: 'bytes' }
  | { k: 'geo'; fields: readonly string[] }
  | { k: 'list'; elem: Ty }
  | { k: 'fixed'; elem: Ty; n: number }
  | { k: 'map'; key: Ty; value: Ty }
  | { k: 'struct'; name: string }
  /** A CObject* of one of these declared types (by type name). */
  | { k: 'object'; types: readonly string[] }
  /** A raw block (`{"bytes": …}`): `n` bytes exactly, else counted (at most 6 here). */
  | { k: 'raw'; n?: number }
  /** A tagged union on the earlier field `tag` (SPEC §2 part two). */
  | { k: 'switch'; tag: string; cases: readonly { tag: number; ty: Ty }[]; fallback?: Ty };

/** A `when` condition of the model, evaluated by the model's own rules (field-rules.ts). */
export type ModelCond =
  | { field: string; op: 'eq' | 'ne' | 'lt' | 'ge' | 'in' | 'anyBits' | 'allBits'; value: number | boolean | readonly number[] }
  | { not: ModelCond };

/** A field of the model: its type, and what part two adds (SPEC §2). */
export interface ModelField {
  name: string;
  ty: Ty;
  when?: ModelCond;
  /** Its `const` (an integer). */
  constant?: number;
  /** It holds the count of this later field (a list or block with `countField`). */
  countOf?: string;
  /** It is the tag of this later switch field. */
  tagOf?: string;
}

export interface ClassModel {
  name: string;
  schema: number;
  versionable: boolean;
}

export interface ModelType {
  name: string;
  cls?: ClassModel;
  fields: ModelField[];
}

export interface Model {
  file: TypeFile;
  flags: Flags;
  codePage: number;
  types: Map<string, ModelType>;
  /** The root type's name (a plain or class struct, encoded inline). */
  root: string;
  classTypes: string[];
}

/** Single-byte ANSI code pages: every byte decodes alone, so an alphabet of characters exists. */
export const CODE_PAGES = [1252, 1251, 1253, 437, 28591] as const;

const alphabets = new Map<number, { chars: string[]; bad: number[] }>();

/** The characters code page `cp` can hold (one per byte), and the bytes that do not decode reversibly. */
export function alphabet(cp: number): { chars: string[]; bad: number[] } {
  let a = alphabets.get(cp);
  if (a === undefined) {
    const page = codePage(cp);
    a = { chars: [], bad: [] };
    for (let b = 0; b < 256; b++) {
      const t = page.decode(Buffer.from([b]));
      if (t === null) a.bad.push(b);
      else a.chars.push(t);
    }
    alphabets.set(cp, a);
  }
  return a;
}

const INT_RANGES: Record<string, [number, number]> = {
  BYTE: [0, 0xff],
  WORD: [0, 0xffff],
  short: [-0x8000, 0x7fff],
  wchar_t: [0, 0xffff],
  DWORD: [0, 0xffffffff],
  UINT: [0, 0xffffffff],
  LONG: [-0x80000000, 0x7fffffff],
  int: [-0x80000000, 0x7fffffff],
};

/** The pointer-sized integers of SPEC §2 part two, and whether each is signed. */
const POINTER_SIZED: Record<string, boolean> = {
  INT_PTR: true, LONG_PTR: true, SSIZE_T: true, UINT_PTR: false, ULONG_PTR: false, DWORD_PTR: false, size_t: false,
};

/**
 * Every name the grammar knows by itself (SPEC §2), primitives and fixed-element collections, in
 * groups drawn alike (the types with many JSON forms twice), so that no family is rare.
 */
const LEAF_GROUPS: readonly (readonly string[])[] = [
  [...Object.keys(INT_RANGES), 'char'],
  ['bool', 'BOOL'],
  ['LONGLONG', 'ULONGLONG'],
  ['float', 'double'],
  ['CString', 'CStringA', 'CStringW'],
  ['CString', 'CStringA', 'CStringW'],
  ['CTime', 'CTimeSpan'],
  ['CTime', 'COleDateTime'],
  ['COleDateTime', 'COleDateTimeSpan', 'COleCurrency'],
  ['COleVariant'],
  ['COleVariant', 'GUID', 'CByteArray'],
  ['CPoint', 'POINT', 'CSize', 'SIZE', 'CRect', 'RECT'],
  ['CWordArray', 'CDWordArray', 'CStringArray', 'CStringList', 'CObArray', 'CObList'],
  ['INT_PTR', 'UINT_PTR', 'LONG_PTR', 'ULONG_PTR', 'DWORD_PTR', 'size_t', 'SSIZE_T'],
  ['CMapStringToString', 'CMapStringToOb', 'CMapWordToOb'],
];
function pickLeaf(d: Draw): string {
  return d.pick(d.pick(LEAF_GROUPS));
}

/** The build and field options a type expression is resolved in. */
export interface Scope {
  flags: Flags;
  cp: number;
  wide: boolean;
  classTypes: readonly string[];
}

export function leafTy(name: string, s: Scope): Ty {
  const range = INT_RANGES[name];
  if (range !== undefined) return { k: 'int', min: range[0], max: range[1] };
  const pointerSigned = POINTER_SIZED[name];
  if (pointerSigned !== undefined) {
    // Format §1.2: 4 bytes (an int or UINT) on Win32, 8 (a 64-bit integer, a decimal string) on Win64.
    if (s.flags.win64) return { k: 'i64', signed: pointerSigned };
    return pointerSigned ? { k: 'int', min: -0x80000000, max: 0x7fffffff } : { k: 'int', min: 0, max: 0xffffffff };
  }
  const cstring: Ty = { k: 'str', wide: s.wide, cp: s.cp };
  const anyObject: Ty = { k: 'object', types: s.classTypes };
  switch (name) {
    case 'char': return { k: 'char' };
    case 'bool': return { k: 'bool', size: s.flags.mfc < 7 ? 4 : 1 };
    case 'BOOL': return { k: 'bool', size: 4 };
    case 'LONGLONG': return { k: 'i64', signed: true };
    case 'ULONGLONG': return { k: 'i64', signed: false };
    case 'float': return { k: 'f32' };
    case 'double': return { k: 'f64' };
    case 'CString': return cstring;
    case 'CStringA': return { k: 'str', wide: false, cp: s.cp };
    case 'CStringW': return { k: 'str', wide: true, cp: s.cp };
    case 'CTime': return { k: 'ctime', marked: s.flags.mfc >= 8 };
    case 'CTimeSpan': return { k: 'span' };
    case 'COleDateTime': return { k: 'oledt' };
    case 'COleDateTimeSpan': return { k: 'oledts' };
    case 'COleCurrency': return { k: 'cy' };
    case 'COleVariant': return { k: 'variant', ext: s.flags.mfc >= 9 };
    case 'GUID': return { k: 'guid' };
    case 'CByteArray': return { k: 'bytes' };
    case 'CPoint': case 'POINT': return { k: 'geo', fields: ['x', 'y'] };
    case 'CSize': case 'SIZE': return { k: 'geo', fields: ['cx', 'cy'] };
    case 'CRect': case 'RECT': return { k: 'geo', fields: ['left', 'top', 'right', 'bottom'] };
    case 'CWordArray': return { k: 'list', elem: { k: 'int', min: 0, max: 0xffff } };
    case 'CDWordArray': return { k: 'list', elem: { k: 'int', min: 0, max: 0xffffffff } };
    case 'CStringArray': case 'CStringList': return { k: 'list', elem: cstring };
    case 'CObArray': case 'CObList': return { k: 'list', elem: anyObject };
    case 'CMapStringToString': return { k: 'map', key: cstring, value: cstring };
    case 'CMapStringToOb': return { k: 'map', key: cstring, value: anyObject };
    case 'CMapWordToOb': return { k: 'map', key: { k: 'int', min: 0, max: 0xffff }, value: anyObject };
  }
  throw new Error(`no model for ${name}`);
}

/**
 * A random type expression. `inline` are the declared types that may be embedded by value here
 * (only later ones, so no type contains itself inline); behind a list or map any type may recur.
 */
// oxlint-disable-next-line oxc/only-used-in-recursion -- `all` becomes the next level's `inline`, which is read
export function genExpr(d: Draw, s: Scope, inline: readonly string[], all: readonly string[], depth: number): { expr: TypeExpr; ty: Ty } {
  const roll = depth <= 0 ? 0 : d.int(0, 11);
  if (roll <= 5) {
    const name = pickLeaf(d);
    return { expr: name, ty: leafTy(name, s) };
  }
  if (roll === 6) {
    const e = genExpr(d, s, all, all, depth - 1);
    return { expr: { list: e.expr }, ty: { k: 'list', elem: e.ty } };
  }
  if (roll === 7) {
    const n = d.int(0, 3);
    const e = genExpr(d, s, inline, all, depth - 1);
    return { expr: { fixed: e.expr, length: n }, ty: { k: 'fixed', elem: e.ty, n } };
  }
  if (roll === 8) {
    const k = genExpr(d, s, all, all, depth - 1);
    const v = genExpr(d, s, all, all, depth - 1);
    return { expr: { map: [k.expr, v.expr] }, ty: { k: 'map', key: k.ty, value: v.ty } };
  }
  if ((roll === 9 || roll === 10) && inline.length > 0) {
    const name = d.pick(inline);
    return { expr: name, ty: { k: 'struct', name } };
  }
  if (roll === 11 && s.classTypes.length > 0) {
    const chosen = [...new Set([d.pick(s.classTypes), d.pick(s.classTypes)])].slice(0, d.int(1, 2));
    const expr: TypeExpr = chosen.length === 1 && d.chance(0.5) ? { object: chosen[0] } : { object: chosen };
    return { expr, ty: { k: 'object', types: chosen } };
  }
  return genExpr(d, s, inline, all, 0);
}

const ODD_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'length', 'then', '_', 'x'];

/** A random message-type file: 1–4 types (root `M`), some with IMPLEMENT_SERIAL classes. */
export function genModel(d: Draw): Model {
  const flags: Flags = { mfc: d.pick(MFC_VERSIONS), unicode: d.chance(0.3), win64: d.chance(0.3) };
  const profile: Record<string, unknown> = {};
  // Omitted keys take the defaults (mfc 14, ANSI, Win32): write them only when they differ, or by chance.
  if (flags.mfc !== 14 || d.chance(0.5)) profile.mfc = flags.mfc;
  if (flags.unicode || d.chance(0.5)) profile.unicode = flags.unicode;
  if (flags.win64 || d.chance(0.5)) profile.win64 = flags.win64;
  const cp = d.chance(0.6) ? 1252 : d.pick(CODE_PAGES);
  const names = ['M', ...Array.from({ length: d.int(0, 3) }, (_, i) => `T${i + 1}`)];
  const types = new Map<string, ModelType>();
  const decls: Record<string, TypeDecl> = {};
  for (const [i, name] of names.entries()) {
    const decl: TypeDecl = { fields: [] };
    let cls: ClassModel | undefined;
    if (d.chance(i === 0 ? 0.15 : 0.6)) {
      const schema = d.chance(0.3) ? undefined : d.int(0, 3);
      cls = { name: `C${name}x${d.int(0, 9)}`, schema: schema ?? 1, versionable: d.chance(0.3) };
      decl.class = cls.name;
      if (schema !== undefined) decl.schema = schema;
      if (cls.versionable || d.chance(0.2)) decl.versionable = cls.versionable;
    }
    types.set(name, { name, cls, fields: [] });
    decls[name] = decl;
  }
  const classTypes = names.filter((n) => types.get(n)!.cls !== undefined);
  for (const [i, name] of names.entries()) {
    const used = new Set<string>();
    const count = d.int(i === 0 ? 1 : 0, 5);
    for (let j = 0; j < count; j++) {
      if (d.chance(0.3)) {
        // A group of fields using grammar part two (counts, blocks, const, when, switch…).
        const scope: Scope = { flags, cp, wide: flags.unicode, classTypes };
        const group = genPartTwo(d, scope, `p${j}`, (depth) => genExpr(d, scope, names.slice(i + 1), names, depth));
        decls[name].fields.push(...group.decls);
        types.get(name)!.fields.push(...group.fields);
        continue;
      }
      let fname = d.chance(0.1) ? d.pick(ODD_NAMES) : `f${j}`;
      if (used.has(fname)) fname = `f${j}`;
      used.add(fname);
      const fieldCp = d.chance(0.15) ? d.pick(CODE_PAGES) : undefined;
      const fieldUnicode = d.chance(0.2) ? d.chance(0.5) : undefined;
      const scope: Scope = { flags, cp: fieldCp ?? cp, wide: fieldUnicode ?? flags.unicode, classTypes };
      const { expr, ty } = genExpr(d, scope, names.slice(i + 1), names, 2);
      decls[name].fields.push({
        name: fname,
        type: expr,
        ...(fieldCp === undefined ? {} : { codePage: fieldCp }),
        ...(fieldUnicode === undefined ? {} : { unicode: fieldUnicode }),
      });
      types.get(name)!.fields.push({ name: fname, ty });
    }
  }
  const file: TypeFile = { types: decls };
  if (Object.keys(profile).length > 0) file.profile = profile;
  if (cp !== 1252 || d.chance(0.5)) file.codePage = cp;
  return { file, flags, codePage: cp, types, root: 'M', classTypes };
}

/** A random expression in the file's own scope (no field options), for `registry.codecFor`. */
export function genAdHoc(d: Draw, m: Model): { expr: TypeExpr; ty: Ty } {
  const scope: Scope = { flags: m.flags, cp: m.codePage, wide: m.flags.unicode, classTypes: m.classTypes };
  const names = [...m.types.keys()];
  return genExpr(d, scope, names, names, 2);
}
