/**
 * SPEC §7's benchmark instance of the reference `Order`: a 20-character customer, 5 lines with
 * 8-character SKUs, and 2 notes of 16 characters. One definition for benches, tests and examples.
 */
export interface ReferenceOrder {
  id: number;
  customer: string;
  placed: string;
  total: number;
  priority: number;
  express: boolean;
  lines: { sku: string; qty: number; price: number }[];
  notes: string[];
}

const LINES = [
  { sku: 'AB-10001', qty: 2, price: 19.99 },
  { sku: 'AB-10002', qty: 1, price: 249.5 },
  { sku: 'CX-20417', qty: 12, price: 3.75 },
  { sku: 'DZ-33090', qty: 5, price: 12.4 },
  { sku: 'EF-40815', qty: 40, price: 0.89 },
];

/** A fresh copy (callers may change it) with the given id. */
export function referenceOrder(id = 1234567): ReferenceOrder {
  const lines = LINES.map((l) => ({ ...l }));
  return {
    id,
    customer: 'Globex Industrial Co',
    placed: '2019-10-03T14:47:55Z',
    total: lines.reduce((sum, l) => sum + l.qty * l.price, 0),
    priority: 3,
    express: true,
    lines,
    notes: ['Leave at dock 7.', 'Call before 9 am'],
  };
}
