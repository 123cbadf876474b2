/** The demo archive service and the reference message types (SPEC §6, §7). */
export { demoRegistry, startDemoService, type DemoMode, type DemoService, type DemoServiceOptions } from './demo-service.js';
export { DEMO_TYPES, acknowledge, type Order, type OrderAck, type OrderLine } from './demo-types.js';
export { referenceOrder, type ReferenceOrder } from './reference-order.js';
