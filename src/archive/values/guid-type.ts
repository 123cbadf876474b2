/**
 * `GUID`: no CArchive operator exists; services write the raw 16-byte struct with `ar.Write`
 * (format §5.5): Data1 DWORD LE, Data2 WORD LE, Data3 WORD LE, Data4 8 bytes as they are.
 */
import { Type } from 'typebox';
import { expected, type Primitive } from './primitive.js';

const GUID_TEXT = /^\{?([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})\}?$/;

function hex(n: number, digits: number): string {
  return n.toString(16).padStart(digits, '0');
}

export const GUID: Primitive = {
  name: 'GUID',
  size: 16,
  write(w, v) {
    const m = typeof v === 'string' ? GUID_TEXT.exec(v) : null;
    if (m === null || (v as string).startsWith('{') !== (v as string).endsWith('}')) {
      return expected('a GUID "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"', v);
    }
    w.u32(parseInt(m[1], 16));
    w.u16(parseInt(m[2], 16));
    w.u16(parseInt(m[3], 16));
    w.bytes(Buffer.from(m[4] + m[5], 'hex'));
  },
  read(r) {
    const d1 = r.u32();
    const d2 = r.u16();
    const d3 = r.u16();
    const d4 = r.bytes(8).toString('hex');
    return `${hex(d1, 8)}-${hex(d2, 4)}-${hex(d3, 4)}-${d4.slice(0, 4)}-${d4.slice(4)}`;
  },
  schema: Type.String({
    pattern: '^\\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\}?$',
  }),
  example: '6b29fc40-ca47-1067-b31d-00dd010662da',
};
