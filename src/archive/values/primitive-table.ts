/**
 * Every type name the message-type grammar knows by itself (SPEC §2): primitives, the MFC
 * collection classes with a fixed element type, the geometry structs, and the names refused with
 * the reason MFC gives.
 */
import { byteArrayType } from './byte-array-type.js';
import { DOUBLE, FLOAT } from './float-types.js';
import { GUID } from './guid-type.js';
import {
  BOOL, BYTE, CHAR, DWORD, INT, LONG, LONGLONG, POINTER_SIZED_NAMES, SHORT, UINT, ULONGLONG, WCHAR, WORD, boolType, pointerSized,
} from './integer-types.js';
import { COLECURRENCY, COLEDATETIME, COLEDATETIMESPAN } from './ole-types.js';
import type { Primitive, PrimitiveOptions } from './primitive.js';
import { cstringAType, cstringType, cstringWType } from './string-types.js';
import { CTIMESPAN, ctimeType } from './time-types.js';
import { ownEntry } from './own-key.js';
import type { TypeExpr } from '../types/type-file.js';
import { variantType } from './variant-type.js';

type PrimitiveSource = Primitive | ((o: PrimitiveOptions) => Primitive);

export const PRIMITIVES: Readonly<Record<string, PrimitiveSource>> = {
  BYTE, char: CHAR, bool: boolType, BOOL, WORD, short: SHORT, wchar_t: WCHAR, DWORD, UINT, LONG, int: INT,
  LONGLONG, ULONGLONG, float: FLOAT, double: DOUBLE,
  CString: cstringType, CStringA: cstringAType, CStringW: cstringWType,
  CTime: ctimeType, CTimeSpan: CTIMESPAN,
  COleDateTime: COLEDATETIME, COleDateTimeSpan: COLEDATETIMESPAN, COleCurrency: COLECURRENCY,
  COleVariant: variantType, GUID, CByteArray: byteArrayType,
  ...Object.fromEntries(POINTER_SIZED_NAMES.map((name) => [name, pointerSized(name)])),
};

/** Any class of the type file: the element of CObArray, CObList and the `…ToOb` maps. */
export const ANY_CLASS = '*';

/** MFC collection classes whose `Serialize` is a count and elements (format §3.2). */
export const COLLECTIONS: Readonly<Record<string, TypeExpr>> = {
  CWordArray: { list: 'WORD' },
  CDWordArray: { list: 'DWORD' },
  CStringArray: { list: 'CString' },
  CStringList: { list: 'CString' },
  CObArray: { list: { object: ANY_CLASS } },
  CObList: { list: { object: ANY_CLASS } },
  CMapStringToString: { map: ['CString', 'CString'] },
  CMapStringToOb: { map: ['CString', { object: ANY_CLASS }] },
  CMapWordToOb: { map: ['WORD', { object: ANY_CLASS }] },
};

/** Raw structs written field by field (format §5.4): LONGs, 8 or 16 bytes. */
export const GEOMETRY: Readonly<Record<string, readonly string[]>> = {
  CPoint: ['x', 'y'],
  POINT: ['x', 'y'],
  CSize: ['cx', 'cy'],
  SIZE: ['cx', 'cy'],
  CRect: ['left', 'top', 'right', 'bottom'],
  RECT: ['left', 'top', 'right', 'bottom'],
};

const NOT_SERIALIZABLE =
  'is not serializable in MFC: it is IMPLEMENT_DYNAMIC, so Serialize writes nothing and `ar <<` throws CNotSupportedException (format §3.2)';

/** Names a type file may not use as types, with the reason. */
export const REFUSED: Readonly<Record<string, string>> = {
  CUIntArray: NOT_SERIALIZABLE,
  CPtrArray: NOT_SERIALIZABLE,
  CPtrList: NOT_SERIALIZABLE,
  CMapPtrToPtr: NOT_SERIALIZABLE,
  CMapPtrToWord: NOT_SERIALIZABLE,
  CMapWordToPtr: NOT_SERIALIZABLE,
  CMapStringToPtr: NOT_SERIALIZABLE,
  CArray: 'is a template: write {"list": T} for CArray<T>',
  CList: 'is a template: write {"list": T} for CList<T>',
  CMap: 'is a template: write {"map": [K, V]} for CMap<K, …, V, …>',
  CObject: 'is written with WriteObject: write {"object": "CYourClass"} (or a list of classes)',
  CTypedPtrArray: 'serializes as its base class: write CObArray or {"list": {"object": …}}',
  CTypedPtrList: 'serializes as its base class: write CObList or {"list": {"object": …}}',
  TODO: 'marks a type `archway import-cpp` could not work out (see the field\'s "todo"): write the type the C++ really writes',
};

export function isBuiltinName(name: string): boolean {
  return [PRIMITIVES, COLLECTIONS, GEOMETRY, REFUSED].some((table) => Object.hasOwn(table, name));
}

/** Why a type file may not use `name`, when it may not. */
export function refusedReason(name: string): string | undefined {
  return ownEntry(REFUSED, name);
}

/** The expression an MFC collection class stands for (`CStringArray` → `{"list": "CString"}`). */
export function collectionExpr(name: string): TypeExpr | undefined {
  return ownEntry(COLLECTIONS, name);
}

export function primitive(name: string, options: PrimitiveOptions): Primitive | undefined {
  const source = ownEntry(PRIMITIVES, name);
  if (source === undefined) return undefined;
  return typeof source === 'function' ? source(options) : source;
}
