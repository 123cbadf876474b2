/**
 * Regression (review of src/archive, item 4): name tables were looked up with `in` and plain
 * indexing, which reach Object.prototype. `{"list": "BYTE", "count": "toString"}` loaded as a count
 * of no size (its minimum size NaN disabled the zero-size guard, and the scanner threw a TypeError:
 * a 500); a field of type `toString` became a "primitive" of Object.prototype.toString;
 * `{"status": "toString"}` on a COleDateTime wrote status 0; the type name `toString` was refused
 * as "'toString' function toString() { [native code] }". Only a table's own names count now.
 */
import { describe, expect, it } from 'vitest';
import { TypeRegistry } from '../../src/archive/index.js';
import { adHoc, expectError } from '../archive/golden/helpers.js';

const INHERITED = ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__'];

describe('names every object inherits', () => {
  it('are no count types', () => {
    for (const name of INHERITED) {
      const err = expectError(() => new TypeRegistry().add({ types: { T: { fields: [{ name: 'v', type: { list: 'BYTE', count: name } }] } } }),
        'TYPE_FILE', { path: '/types/T/fields/0/type/count' });
      expect(err.message).toContain('is not a count type');
      expectError(() => adHoc({ list: 'BYTE', count: name }), 'UNKNOWN_TYPE');
      expectError(() => adHoc({ bytes: { count: name } }), 'UNKNOWN_TYPE');
    }
  });

  it('are no field types, and no integer types for "byteOrder"', () => {
    for (const name of INHERITED) {
      const err = expectError(() => new TypeRegistry().add({ types: { T: { fields: [{ name: 'v', type: name }] } } }), 'TYPE_FILE', { path: '/types/T/fields/0/type' });
      expect(err.message).toContain('is neither a primitive nor a declared type');
      expectError(() => new TypeRegistry().add({ types: { T: { fields: [{ name: 'v', type: name, byteOrder: 'big' }] } } }), 'TYPE_FILE');
      expectError(() => adHoc(name), 'UNKNOWN_TYPE');
    }
  });

  it('cannot name a type, and the message says why', () => {
    for (const name of INHERITED) {
      // Parsed from text, as a file is: `__proto__` is then an ordinary key.
      const file: unknown = JSON.parse(`{"types": {"${name}": {"fields": []}}}`);
      const err = expectError(() => new TypeRegistry().add(file), 'TYPE_FILE', { path: `/types/${name}` });
      expect(err.message).toContain('every JavaScript object has');
      expect(err.message).not.toContain('native code');
    }
  });

  it('are no COleDateTime, COleDateTimeSpan or COleCurrency status, and no COleVariant vt', () => {
    for (const name of INHERITED) {
      expectError(() => adHoc('COleDateTime').encode({ status: name, date: 0 }), 'VALIDATION');
      expectError(() => adHoc('COleDateTimeSpan').encode({ status: name, span: 0 }), 'VALIDATION');
      expectError(() => adHoc('COleCurrency').encode({ status: name, value: '1' }), 'VALIDATION');
      expectError(() => adHoc('COleVariant').encode({ vt: name }), 'VALIDATION');
    }
    // The names themselves still work.
    expect(adHoc('COleDateTime').encode({ status: 'null', date: 0 }).readInt32LE(0)).toBe(2);
    expect(adHoc('COleVariant').encode({ vt: 'VT_I4', value: 1 }).readUInt16LE(0)).toBe(3);
  });
});
