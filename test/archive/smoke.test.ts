import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TypeRegistry } from '../../src/archive/index.js';

describe('demo types', () => {
  it('round-trips the reference Order', () => {
    const registry = new TypeRegistry();
    registry.addText(readFileSync(new URL('../../types/demo.json', import.meta.url), 'utf8'));
    const order = registry.get('Order');
    const value = {
      id: 7,
      customer: 'ACME Trading Company',
      placed: '2019-10-03T14:47:55Z',
      total: 12.5,
      priority: 2,
      express: true,
      lines: [{ sku: 'SKU-0001', qty: 3, price: 2.5 }],
      notes: ['deliver before 9'],
    };
    const bytes = order.encode(value);
    // id DWORD 7, then "ACME Trading Company" as a 1-byte length + ANSI bytes (format §1.3, §2.1).
    expect(bytes.subarray(0, 6).toString('hex')).toBe('0700000014' + '41');
    expect(order.decode(bytes)).toEqual(value);
  });
});
