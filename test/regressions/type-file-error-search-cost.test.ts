/**
 * Regression (HTTP fuzz, seed 21, concurrency 16): POST /types with a `map` of 200,000 types (a
 * 1.4 MB file) held the gateway's event loop 26 s — every other request waited. The type-file
 * checker's error search resolves the recursive type expression afresh at each node it visits
 * (~0.1 ms each) and visited them all. Arrays are now capped before the checker runs (a type's
 * fields at 65,536, as many as a file may resolve; every other array at 1,024), and the error
 * search runs only on the one field or type that the compiled checks find failing.
 */
import { describe, expect, it } from 'vitest';
import { TypeRegistry } from '../../src/archive/index.js';
import { expectError } from '../archive/golden/helpers.js';
import { useGateway } from '../support/gateway-harness.js';

const timed = <T>(f: () => T): { value: T; ms: number } => {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
};

describe('a bad type file is answered at once, whatever its size', () => {
  it('an array longer than a type file has any use for is refused by its length, with its path', () => {
    const file = { types: { T: { fields: [{ name: 'm', type: { map: Array(200_000).fill('WORD') } }] } } };
    const { value: err, ms } = timed(() => expectError(() => new TypeRegistry().add(file), 'TYPE_FILE', { path: '/types/T/fields/0/type/map' }));
    expect(err.message).toContain('holds 200000 elements; a type file\'s arrays hold at most 1024');
    expect(ms).toBeLessThan(1_000);
  });

  it('one bad field after 20,000 good ones is found without searching them all', () => {
    const fields: unknown[] = Array.from({ length: 20_000 }, (_, i) => ({ name: `f${i}`, type: { list: { list: 'DWORD' } } }));
    fields.push({ name: 'bad', type: { map: ['WORD', 'WORD', 'WORD'] } });
    const { value: err, ms } = timed(() => expectError(() => new TypeRegistry().add({ types: { T: { fields } } }), 'TYPE_FILE', { path: '/types/T/fields/20000/type/map' }));
    expect(err.message).toContain('must not have more than 2 items');
    // The whole search took ~2.5 s here; the one field, a few ms after the compiled checks.
    expect(ms).toBeLessThan(1_000);
  });

  it('a type may still have as many fields as a file may resolve', () => {
    const fields = Array.from({ length: 2_000 }, (_, i) => ({ name: `f${i}`, type: 'BYTE' }));
    const reg = new TypeRegistry();
    reg.add({ types: { Wide: { fields } } });
    const value = Object.fromEntries(fields.map((f, i) => [f.name, i % 256]));
    expect(reg.get('Wide').encode(value).length).toBe(2_000);
  });
});

describe('POST /types with a 1.4 MB map', () => {
  const gateway = useGateway();

  it('is a 400 TYPE_FILE at once, and the gateway keeps answering', async () => {
    const gw = gateway();
    const file = { types: { T: { fields: [{ name: 'm', type: { map: Array(200_000).fill('WORD') } }] } } };
    const t0 = performance.now();
    const [posted, health] = await Promise.all([gw.call<{ code: string }>('POST', '/types', file), gw.call('GET', '/health')]);
    expect(posted.status).toBe(400);
    expect(posted.body.code).toBe('TYPE_FILE');
    expect(health.status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(3_000);
  });
});
