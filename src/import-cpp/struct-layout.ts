/**
 * `sizeof` as MSVC computes it for the plain structs services send with `ar.Write(&s, sizeof(s))`
 * and the elements of `CArray<T>` (whose default `SerializeElements` writes raw memory, format
 * §3.3): members in order, each aligned to min(its alignment, `#pragma pack`), the whole rounded
 * up to its alignment. Anything with a vtable, bit-fields, a union or a member of unknown layout
 * (a `CString` is a pointer to a heap block) has no size the importer will vouch for.
 */
import { GEOMETRY } from '../archive/values/primitive-table.js';
import type { CppType } from './cpp-type.js';
import { named } from './cpp-type.js';
import type { Declarations } from './declarations.js';

export interface Layout {
  size: number;
  align: number;
}

const FIXED: Record<string, number> = {};
for (const n of ['char', 'signed char', 'unsigned char', 'BYTE', 'CHAR', 'UCHAR', 'bool', 'BOOLEAN', 'INT8', 'UINT8', '__int8', 'int8_t', 'uint8_t']) FIXED[n] = 1;
for (const n of ['short', 'unsigned short', 'short int', 'WORD', 'SHORT', 'USHORT', 'wchar_t', 'WCHAR', 'INT16', 'UINT16', '__int16', 'int16_t', 'uint16_t']) FIXED[n] = 2;
for (const n of ['int', 'unsigned', 'unsigned int', 'signed', 'long', 'unsigned long', 'long int', 'DWORD', 'UINT', 'INT', 'LONG', 'ULONG', 'BOOL', 'COLORREF', 'float', 'FLOAT', 'INT32', 'UINT32', '__int32', 'int32_t', 'uint32_t', 'LCID', 'HRESULT']) FIXED[n] = 4;
for (const n of ['double', 'DOUBLE', 'DATE', 'long double', '__int64', 'unsigned __int64', 'long long', 'unsigned long long', 'LONGLONG', 'ULONGLONG', 'INT64', 'UINT64', 'DWORD64', 'int64_t', 'uint64_t']) FIXED[n] = 8;

const POINTER_SIZED = new Set(['INT_PTR', 'UINT_PTR', 'LONG_PTR', 'ULONG_PTR', 'DWORD_PTR', 'size_t', 'SSIZE_T', 'ptrdiff_t', 'LPARAM', 'WPARAM', 'LRESULT', 'HANDLE', 'HWND']);

/** Windows structs other than the geometry ones (format §5.5). */
const WINDOWS_STRUCTS: Record<string, Layout> = {
  GUID: { size: 16, align: 4 }, CLSID: { size: 16, align: 4 }, IID: { size: 16, align: 4 },
  FILETIME: { size: 8, align: 4 }, SYSTEMTIME: { size: 16, align: 2 },
};

export function layoutOf(t: CppType, decls: Declarations, depth = 0): Layout | undefined {
  if (depth > 16) return undefined;
  const win64 = decls.build.profile.win64;
  const r = decls.resolve(t);
  if (r.kind === 'pointer') return { size: win64 ? 8 : 4, align: win64 ? 8 : 4 };
  if (r.kind === 'reference') return undefined;
  if (r.kind === 'array') {
    const length = decls.evaluate(r.lengthText);
    const elem = layoutOf(r.of, decls, depth + 1);
    return length === undefined || elem === undefined ? undefined : { size: elem.size * length, align: elem.align };
  }
  if (r.args.length > 0) return undefined;
  const name = r.name.replace(/^(const|volatile)\s+/, '');
  const fixed = FIXED[name];
  if (fixed !== undefined) return { size: fixed, align: fixed };
  if (name === 'TCHAR') return decls.build.profile.unicode ? { size: 2, align: 2 } : { size: 1, align: 1 };
  if (name === 'time_t' || name === '__time64_t') return decls.build.profile.mfc >= 8 || name === '__time64_t' ? { size: 8, align: 8 } : { size: 4, align: 4 };
  if (POINTER_SIZED.has(name)) return { size: win64 ? 8 : 4, align: win64 ? 8 : 4 };
  // CPoint, CSize, CRect and their Windows structs: LONG members (format §5.4).
  if (Object.hasOwn(GEOMETRY, name)) return { size: 4 * GEOMETRY[name]!.length, align: 4 };
  const windows = WINDOWS_STRUCTS[name];
  if (windows !== undefined) return windows;
  const e = decls.enums.get(name);
  if (e !== undefined) return e.underlying === undefined ? { size: 4, align: 4 } : layoutOf(e.underlying, decls, depth + 1);
  const cls = decls.classes.get(name);
  if (cls === undefined || cls.irregular || cls.kind === 'union' || cls.bases.length > 0 || cls.members.length === 0) return undefined;
  let offset = 0;
  let align = 1;
  for (const m of cls.members) {
    const l = layoutOf(m.type, decls, depth + 1);
    if (l === undefined) return undefined;
    const a = Math.min(l.align, cls.pack);
    offset = Math.ceil(offset / a) * a + l.size;
    align = Math.max(align, a);
  }
  return { size: Math.ceil(offset / align) * align, align };
}

/** `sizeof(X)` for a type name written in an expression. */
export function sizeOfTypeText(text: string, decls: Declarations): number | undefined {
  const m = /^\s*(?:struct\s+|class\s+)?([A-Za-z_][A-Za-z0-9_ ]*?)\s*(\*?)\s*$/.exec(text);
  if (m === null) return undefined;
  const base = named(m[1]!);
  return layoutOf(m[2] === '*' ? { kind: 'pointer', to: base } : base, decls)?.size;
}
