/**
 * `ar >> dwValue` / `ar << dwValue` as methods named after the MFC types: `await ar.readDWORD()`,
 * `ar.writeDWORD(7)`, for every primitive and fixed-element collection. Values use the JSON mapping
 * of SPEC §2 (64-bit integers as decimal strings, CTime as ISO-8601…).
 */
import type { ReadOptions } from '../archive/index.js';
import { Archive } from './archive.js';

/** A CString's JSON value: a string, or the explicit forms for the other width / raw bytes. */
export type StringValue = string | { text: string; unicode?: boolean } | { bytes: string };
type Status = 'valid' | 'invalid' | 'null' | 'error' | number;
type Float = number | string;

/** Method suffix → MFC type name and the JSON value it reads. */
interface Values {
  BYTE: number;
  Char: number;
  Bool: boolean | number;
  BOOL: boolean | number;
  WORD: number;
  Short: number;
  Wchar: number;
  DWORD: number;
  UINT: number;
  LONG: number;
  Int: number;
  LONGLONG: string;
  ULONGLONG: string;
  Float: Float;
  Double: Float;
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

/** What writes accept beyond what reads give. */
interface Inputs extends Omit<Values, 'LONGLONG' | 'ULONGLONG' | 'CByteArray'> {
  LONGLONG: string | number | bigint;
  ULONGLONG: string | number | bigint;
  CByteArray: string | Uint8Array;
}

const TYPE_NAMES: Record<keyof Values, string> = {
  BYTE: 'BYTE', Char: 'char', Bool: 'bool', BOOL: 'BOOL', WORD: 'WORD', Short: 'short', Wchar: 'wchar_t',
  DWORD: 'DWORD', UINT: 'UINT', LONG: 'LONG', Int: 'int', LONGLONG: 'LONGLONG', ULONGLONG: 'ULONGLONG',
  Float: 'float', Double: 'double', CString: 'CString', CStringA: 'CStringA', CStringW: 'CStringW',
  CTime: 'CTime', CTimeSpan: 'CTimeSpan', COleDateTime: 'COleDateTime', COleDateTimeSpan: 'COleDateTimeSpan',
  COleCurrency: 'COleCurrency', COleVariant: 'COleVariant', CPoint: 'CPoint', CSize: 'CSize', CRect: 'CRect',
  GUID: 'GUID', CByteArray: 'CByteArray', CWordArray: 'CWordArray', CDWordArray: 'CDWordArray',
  CStringArray: 'CStringArray', CStringList: 'CStringList', CMapStringToString: 'CMapStringToString',
};

export type ArchiveShortcuts = {
  [K in keyof Values as `read${K}`]: (options?: ReadOptions) => Promise<Values[K]>;
} & {
  [K in keyof Inputs as `write${K}`]: (value: Inputs[K]) => void;
};

declare module './archive.js' {
  interface Archive extends ArchiveShortcuts {}
}

const proto = Archive.prototype as unknown as Record<string, unknown>;
for (const [suffix, type] of Object.entries(TYPE_NAMES)) {
  proto[`read${suffix}`] = function read(this: Archive, options?: ReadOptions) {
    return this.read(type, options);
  };
  proto[`write${suffix}`] = function write(this: Archive, value: unknown) {
    this.write(type, typeof value === 'bigint' ? value.toString() : value);
  };
}
