/**
 * C++ types → field types of the message-type grammar, in the three ways an archive meets them:
 * - `ar << v`: the `CArchive` operator C++ overload resolution picks for v's static type (format §1.2);
 * - `x.Serialize(ar)`: the layout of an MFC collection class (§3.2, §3.3) or of a class whose
 *   `Serialize` the sources define;
 * - an element of `CArray<T>`/`CList<T>`/`CMap`: what `SerializeElements<T>` writes — raw memory
 *   unless MFC or the sources specialise it (§3.3).
 * A type with no translation comes back with the reason, which becomes the todo note.
 */
import { GEOMETRY } from '../archive/values/primitive-table.js';
import type { CppType } from './cpp-type.js';
import { typeText } from './cpp-type.js';
import type { Declarations } from './declarations.js';
import type { TypeExpr } from '../archive/types/type-file.js';
import { layoutOf } from './struct-layout.js';

export type Mapped = { type: TypeExpr; why?: undefined } | { type?: undefined; why: string };

const ok = (type: TypeExpr): Mapped => ({ type });
const no = (why: string): Mapped => ({ why });

/** Static type names → the grammar's name for what `ar << v` writes. */
const STREAMED: Record<string, string> = {};
const alias = (target: string, ...names: string[]) => { for (const n of names) STREAMED[n] = target; };
alias('BYTE', 'BYTE', 'unsigned char', 'UCHAR', 'BOOLEAN', 'UINT8', 'uint8_t');
alias('char', 'char', 'CHAR');
alias('int', 'signed char', 'int', 'INT', 'signed', 'signed int', 'INT32', 'int32_t', '__int32');
alias('bool', 'bool');
alias('BOOL', 'BOOL');
alias('WORD', 'WORD', 'unsigned short', 'unsigned short int', 'USHORT', 'UINT16', 'uint16_t');
alias('short', 'short', 'short int', 'SHORT', 'INT16', 'int16_t', '__int16');
alias('wchar_t', 'wchar_t', 'WCHAR');
alias('DWORD', 'DWORD', 'unsigned long', 'unsigned long int', 'ULONG', 'COLORREF', 'LCID', 'UINT32', 'uint32_t');
alias('LONG', 'LONG', 'long', 'long int', 'HRESULT');
alias('UINT', 'UINT', 'unsigned', 'unsigned int');
alias('LONGLONG', 'LONGLONG', '__int64', 'long long', 'long long int', 'INT64', 'int64_t');
alias('ULONGLONG', 'ULONGLONG', 'unsigned __int64', 'unsigned long long', 'UINT64', 'DWORD64', 'uint64_t', 'QWORD');
alias('float', 'float', 'FLOAT');
alias('double', 'double', 'DOUBLE', 'DATE');
alias('LONG_PTR', 'LONG_PTR', 'LPARAM', 'LRESULT');
alias('UINT_PTR', 'UINT_PTR', 'WPARAM');
for (const n of ['INT_PTR', 'ULONG_PTR', 'DWORD_PTR', 'size_t', 'SSIZE_T']) alias(n, n);
for (const n of ['CString', 'CStringA', 'CStringW', 'CTime', 'CTimeSpan', 'COleDateTime', 'COleDateTimeSpan', 'COleCurrency', 'COleVariant', ...Object.keys(GEOMETRY)]) alias(n, n);

/** Collection classes whose layout the grammar names itself (format §3.2). */
const BUILTIN_COLLECTIONS = new Set(['CStringArray', 'CStringList', 'CDWordArray', 'CWordArray', 'CByteArray', 'CObArray', 'CObList', 'CMapStringToString', 'CMapStringToOb', 'CMapWordToOb']);
const NOT_SERIALIZABLE = new Set(['CUIntArray', 'CPtrArray', 'CPtrList', 'CMapPtrToPtr', 'CMapPtrToWord', 'CMapWordToPtr', 'CMapStringToPtr']);
const STRING_POINTERS = new Set(['LPCTSTR', 'LPTSTR', 'LPCSTR', 'LPSTR', 'LPCWSTR', 'LPWSTR', 'BSTR', 'PCTSTR', 'PCSTR']);
const CHARACTERS = new Set(['char', 'CHAR', 'wchar_t', 'WCHAR', 'TCHAR']);
/** MFC classes that derive from CObject, for `CObject*`-typed members naming them. */
const MFC_COBJECTS = new Set(['CObject', 'CCmdTarget', 'CDocument', 'CWnd', 'CView', ...BUILTIN_COLLECTIONS]);

export class MfcTypes {
  constructor(private readonly decls: Declarations) {}

  /** What `ar << v` / `ar >> v` writes for a value of static type `t`. */
  streamed(t: CppType): Mapped {
    const r = this.decls.resolve(t);
    const { mfc, unicode } = this.decls.build.profile;
    if (r.kind === 'reference') return this.streamed(r.to);
    if (r.kind === 'array') return no(`an array (${typeText(t)}) has no CArchive operator; it decays to a pointer`);
    if (r.kind === 'pointer') return this.pointer(r.to, t);
    if (STRING_POINTERS.has(r.name)) return no(`${r.name} is a raw pointer: MFC 7+ writes it as a 1-byte bool, VC6 as a CString (format §1.2)`);
    if (r.name === 'TCHAR') return ok(unicode ? 'wchar_t' : 'char');
    if (r.name === 'time_t') return ok(mfc >= 8 ? 'LONGLONG' : 'LONG');
    if (r.name === 'GUID' || r.name === 'CLSID') return no('MFC has no CArchive operator for GUID; services write it with ar.Write (format §5.5)');
    const name = STREAMED[r.name];
    if (name !== undefined) {
      if ((name === 'LONGLONG' || name === 'ULONGLONG') && mfc < 7) return no(`MFC ${mfc} has no 64-bit CArchive operator (format §1.2)`);
      return ok(name);
    }
    const e = this.decls.enums.get(r.name);
    if (e !== undefined) {
      // A fixed underlying type is what the enum promotes to first; otherwise it promotes to int (format §1.2).
      return e.underlying === undefined ? ok('int') : this.streamed(e.underlying);
    }
    if (BUILTIN_COLLECTIONS.has(r.name) || r.args.length > 0) return no(`${typeText(r)} has no CArchive operator; its Serialize(ar) writes it`);
    return no(`no CArchive operator for ${typeText(r)} is known`);
  }

  private pointer(to: CppType, written: CppType): Mapped {
    const r = this.decls.resolve(to);
    if (r.kind === 'named' && CHARACTERS.has(r.name)) return no(`${typeText(written)} is a raw pointer: MFC 7+ writes it as a 1-byte bool, VC6 as a CString (format §1.2)`);
    if (r.kind !== 'named' || !this.isCObject(r.name)) return no(`${typeText(written)} is not a CObject pointer, so the archive has no operator for it`);
    return this.objectOf(r.name);
  }

  isCObject(name: string): boolean {
    if (MFC_COBJECTS.has(name)) return true;
    return this.decls.ancestors(name).some((a) => MFC_COBJECTS.has(a)) || this.decls.serial.has(name);
  }

  /** `{"object": …}` for a `CObject*` of static class `name`: every IMPLEMENT_SERIAL class that is one. */
  objectOf(name: string): Mapped {
    const classes = [...this.decls.serial.keys()].filter((c) => name === 'CObject' || this.decls.derivesFrom(c, name));
    if (classes.length === 0) return no(`no IMPLEMENT_SERIAL class in the sources is a ${name}, so the object's class cannot be named`);
    return ok({ object: classes.length === 1 ? classes[0]! : classes });
  }

  /** What `x.Serialize(ar)` writes for a member `x` of type `t`. */
  serialized(t: CppType): Mapped {
    const r = this.decls.resolve(t);
    if (r.kind !== 'named') return no(`${typeText(t)} has no Serialize`);
    if (BUILTIN_COLLECTIONS.has(r.name)) return ok(r.name);
    if (NOT_SERIALIZABLE.has(r.name)) return no(`${r.name} is not serializable: its Serialize writes nothing (format §3.2)`);
    const [a0, a1, a2] = r.args;
    switch (r.name) {
      case 'CArray':
      case 'CList': {
        if (a0 === undefined) break;
        const elem = this.element(a0);
        return elem.type === undefined ? elem : ok({ list: elem.type });
      }
      case 'CMap': {
        if (a0 === undefined || a2 === undefined) break;
        const k = this.element(a0);
        const v = this.element(a2);
        if (k.type === undefined) return k;
        if (v.type === undefined) return v;
        return ok({ map: [k.type, v.type] });
      }
      case 'CTypedPtrArray':
      case 'CTypedPtrList': {
        if (a0?.kind !== 'named' || a1 === undefined) break;
        if (a0.name !== 'CObArray' && a0.name !== 'CObList') return no(`${typeText(r)} serializes as ${a0.name}, which writes nothing (format §3.3)`);
        const obj = this.streamed(a1);
        return obj.type === undefined ? obj : ok({ list: obj.type });
      }
      case 'CTypedPtrMap': {
        if (a0?.kind !== 'named' || a2 === undefined) break;
        const key = a0.name === 'CMapStringToOb' ? 'CString' : a0.name === 'CMapWordToOb' ? 'WORD' : undefined;
        if (key === undefined) return no(`${typeText(r)} serializes as ${a0.name}, which writes nothing (format §3.3)`);
        const obj = this.streamed(a2);
        return obj.type === undefined ? obj : ok({ map: [key, obj.type] });
      }
    }
    const owner = this.serializeOwner(r.name);
    if (owner !== undefined) return ok(owner);
    for (const base of this.decls.classes.get(r.name)?.bases ?? []) {
      const viaBase = this.serialized(base);
      if (viaBase.type !== undefined) return viaBase;
    }
    return no(`no Serialize(CArchive&) for ${typeText(r)} in the sources`);
  }

  /** The class whose Serialize a `name` object runs: its own, or the nearest ancestor's. */
  serializeOwner(name: string): string | undefined {
    for (const c of [name, ...this.decls.ancestors(name)]) {
      if (this.decls.serializeDefs.some((d) => d.className === c)) return c;
    }
    return undefined;
  }

  /** What `SerializeElements<T>` writes per element (format §3.3). */
  element(t: CppType): Mapped {
    const r = this.decls.resolve(t);
    const { mfc } = this.decls.build.profile;
    if (r.kind === 'pointer') return no(`SerializeElements writes the raw pointer values of ${typeText(t)} (format §3.3)`);
    if (r.kind !== 'named') return no(`${typeText(t)} elements have no known layout`);
    if (this.decls.elementSerializers.has(r.name)) {
      const owner = this.serializeOwner(r.name);
      if (owner !== undefined && this.elementsCallSerialize(r.name)) return ok(owner);
      return no(`SerializeElements<${r.name}> is specialised in the sources in a way the importer does not read`);
    }
    // MFC's own specialisations serialise these element by element (format §3.3).
    if (r.name === 'CString' || r.name === 'COleVariant') return ok(r.name);
    if (r.name === 'CStringA' || r.name === 'CStringW') return mfc >= 9 ? ok(r.name) : no(`SerializeElements<${r.name}> is specialised from MFC 9 only`);
    if (['CTime', 'CTimeSpan', 'COleDateTime', 'COleDateTimeSpan', 'COleCurrency'].includes(r.name)) {
      return no(`SerializeElements writes the raw memory of ${r.name}, not its archive form (format §3.3)`);
    }
    if (r.name === 'bool') return ok(mfc >= 7 ? 'bool' : 'BYTE'); // raw: one byte in every version
    if (r.name === 'GUID' || r.name === 'CLSID') return ok('GUID');
    if (r.name in STREAMED || r.name === 'TCHAR') return this.streamed(r);
    const e = this.decls.enums.get(r.name);
    if (e !== undefined) return e.underlying === undefined ? ok('int') : this.element(e.underlying);
    const layout = layoutOf(r, this.decls);
    if (layout !== undefined) return ok({ bytes: layout.size });
    return no(`SerializeElements writes the raw memory of ${r.name}, whose size the importer cannot compute`);
  }

  /** A specialisation whose body calls `Serialize(ar)` on each element (the usual hand-written one). */
  private elementsCallSerialize(name: string): boolean {
    const def = this.decls.elementSerializers.get(name)!;
    const text = def.file.text.slice(def.body.startIndex, def.body.endIndex);
    return new RegExp(`(->|\\.)\\s*Serialize\\s*\\(\\s*${def.archive}\\s*\\)`).test(text) && !/<<|>>/.test(text);
  }
}
