/**
 * Where fuzzed requests may point a session: loopback only, by construction. Host fields come from
 * a fixed pool of loopback spellings (plain, hostile and malformed), names under `.invalid`, and
 * values that are invalid by the document (empty, too long, not strings). Never another address,
 * never a random name: a random name would reach the system resolver.
 */

/** Host values that are valid by the document (strings of 1–253 characters). */
export const HOSTS: readonly string[] = [
  '127.0.0.1',
  '::1',
  'localhost',
  '127.0.0.2',
  'fuzz.invalid',
  'x.y.invalid',
  'invalid',
  'localhost.invalid',
  '127.0.0.1.invalid',
  '127.0.0.1\u0000.corp.example',
  '127.0.0.1\u0000',
  '127.1',
  '127.0.1',
  '0x7f.0.0.1',
  '0x7f000001',
  '2130706433',
  '0177.0.0.1',
  '[::1]',
  '127.0.0.1.',
  'localhost.',
  'LOCALHOST',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '0:0:0:0:0:0:0:1',
  '::1%lo',
  '::1%1',
  '127.0.0.1:80',
  '127.0.0.1 ',
  ' 127.0.0.1',
  '127.0.0.1\t',
  '127.0.0.1\r\n',
  'localhost\u0000.invalid',
];

/** Bind addresses (POST /sessions `address`): numeric loopback, and spellings that must be refused. */
export const BIND_ADDRESSES: readonly string[] = [
  '127.0.0.1',
  '::1',
  '127.0.0.2',
  '127.255.255.254',
  'localhost',
  '::ffff:127.0.0.1',
  '127.1',
  '0x7f.0.0.1',
  '127.0.0.1\u0000',
  '[::1]',
  '127.0.0.1.',
  'x.invalid',
];

/** Is `value`, found under a host-like key, something the fuzz may send? */
export function isSafeHostValue(value: unknown): boolean {
  if (typeof value !== 'string') return true;
  if (value.length === 0 || value.length > 253) return true;
  return HOSTS.includes(value) || BIND_ADDRESSES.includes(value);
}

/** Keys whose string values name a place on the network. */
export const HOST_KEYS = new Set(['host', 'address', 'hostname', 'target', 'remote']);

/** Throws if any host-like field of a request body is outside the pools (a bug of the fuzz itself). */
export function assertSafeBody(value: unknown, path = ''): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertSafeBody(v, `${path}/${i}`));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (HOST_KEYS.has(k.toLowerCase()) && !isSafeHostValue(v)) {
      throw new Error(`fuzz safety: ${path}/${k} = ${JSON.stringify(v).slice(0, 80)} is outside the loopback pool`);
    }
    assertSafeBody(v, `${path}/${k}`);
  }
}
