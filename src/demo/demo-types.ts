/**
 * The reference message types of SPEC §7 (`Order`, `OrderLine`, `OrderAck`), from the shipped
 * `types/demo.json`, and the answer the demo service gives to an order.
 */
import demoTypes from '../../types/demo.json' with { type: 'json' };

export const DEMO_TYPES: unknown = demoTypes;

export interface OrderLine {
  sku: unknown;
  qty: number;
  price: unknown;
}

export interface Order {
  id: number;
  customer: unknown;
  lines: OrderLine[];
}

export interface OrderAck {
  id: number;
  status: number;
  message: string;
}

/** The demo's business rule: an order with lines is accepted (status 0), an empty one refused (1). */
export function acknowledge(order: Order): OrderAck {
  const items = order.lines.reduce((n, l) => n + l.qty, 0);
  const customer = typeof order.customer === 'string' ? order.customer : JSON.stringify(order.customer);
  return order.lines.length === 0
    ? { id: order.id, status: 1, message: `order ${order.id} for ${customer} refused: no lines` }
    : { id: order.id, status: 0, message: `order ${order.id} for ${customer}: ${order.lines.length} line(s), ${items} item(s)` };
}
