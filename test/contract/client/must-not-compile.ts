/**
 * Mistakes a generated client catches at compile time: each line below must fail to compile (the
 * `@ts-expect-error` makes the compile fail if it does not).
 */
import createClient from 'openapi-fetch';
import type { paths } from './generated/archway.js';

export async function mistakes(api = createClient<paths>({ baseUrl: 'http://127.0.0.1:8080' })): Promise<void> {
  const path = { name: 'shop' };
  // @ts-expect-error a misspelled operation is no path of the document
  await api.POST('/sessions/{name}/ops/placeOrdr', { params: { path }, body: {} });
  await api.POST('/sessions/{name}/ops/placeOrder', {
    params: { path },
    body: {
      // @ts-expect-error a field of the wrong type: id is a DWORD (a number)
      id: 'forty-two',
      customer: 'Globex',
      placed: '2019-10-03T14:47:55Z',
      total: 39.98,
      priority: 1,
      express: false,
      lines: [],
      notes: [],
    },
  });
  const placed = await api.POST('/sessions/{name}/ops/placeOrder', { params: { path }, body: { id: 1, customer: 'c', placed: '2019-10-03T14:47:55Z', total: 1, priority: 1, express: true, lines: [], notes: [] } });
  if (placed.data !== undefined) {
    // @ts-expect-error the answer is an OrderAck: it has no `customer`
    void placed.data.customer;
  }
}
