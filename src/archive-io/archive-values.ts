/**
 * The JSON values of the MFC types that need no type file, by type name (SPEC §2's JSON mapping), so
 * that `await ar.read('DWORD')` is a `number` and `ar.write('CTime', …)` takes an ISO string —
 * typed accessors for `ar >> v` / `ar << v`, checked by the compiler, with no method per type.
 */
/** A CString's JSON value: a string, or the explicit forms for the other width / raw bytes. */
export type StringValue = string | { text: string; unicode?: boolean } | { bytes: string };
type Status = 'valid' | 'invalid' | 'null' | 'error' | number;
type Float = number | string;

/** What `read(type)` gives for each type name. */
export interface ReadValues {
  BYTE: number;
  char: number;
  bool: boolean | number;
  BOOL: boolean | number;
  WORD: number;
  short: number;
  wchar_t: number;
  DWORD: number;
  UINT: number;
  LONG: number;
  int: number;
  LONGLONG: string;
  ULONGLONG: string;
  float: Float;
  double: Float;
  CString: StringValue;
  CStringA: StringValue;
  CStringW: StringValue;
  CTime: string | { time: string; form: 'dword' | 'int64' };
  CTimeSpan: number;
  COleDateTime: string | { status: Status; date: Float };
  COleDateTimeSpan: Float | { status: Status; span: Float };
  COleCurrency: string | { status: Status; value: string };
  COleVariant: { vt: string | number; value?: unknown; bytes?: string };
  CPoint: { x: number; y: number };
  CSize: { cx: number; cy: number };
  CRect: { left: number; top: number; right: number; bottom: number };
  GUID: string;
  CByteArray: string;
  CWordArray: number[];
  CDWordArray: number[];
  CStringArray: StringValue[];
  CStringList: StringValue[];
  CMapStringToString: [StringValue, StringValue][];
}

/** What `write(type, value)` takes beyond what reads give. */
export interface WriteValues extends Omit<ReadValues, 'LONGLONG' | 'ULONGLONG' | 'CByteArray'> {
  LONGLONG: string | number | bigint;
  ULONGLONG: string | number | bigint;
  CByteArray: string | Uint8Array;
}

/** The value `read(type)` resolves to: typed for the names above, `unknown` for declared types. */
export type ReadValue<T> = T extends keyof ReadValues ? ReadValues[T] : unknown;
/** The value `write(type, value)` takes. */
export type WriteValue<T> = T extends keyof WriteValues ? WriteValues[T] : unknown;

/** Every type name above, for tests that walk them all. */
export const VALUE_TYPE_NAMES: readonly (keyof ReadValues)[] = [
  'BYTE', 'char', 'bool', 'BOOL', 'WORD', 'short', 'wchar_t', 'DWORD', 'UINT', 'LONG', 'int', 'LONGLONG', 'ULONGLONG',
  'float', 'double', 'CString', 'CStringA', 'CStringW', 'CTime', 'CTimeSpan', 'COleDateTime', 'COleDateTimeSpan',
  'COleCurrency', 'COleVariant', 'CPoint', 'CSize', 'CRect', 'GUID', 'CByteArray', 'CWordArray', 'CDWordArray',
  'CStringArray', 'CStringList', 'CMapStringToString',
];
