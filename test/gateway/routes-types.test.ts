/**
 * The message-type routes (SPEC §2): list, one type with its JSON Schema and example, and adding a
 * type file at run time (JSON or YAML) that sessions can use at once.
 */
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceOrder } from '../../src/demo/index.js';
import { startGateway, type Loaded, type Reply, type Stored, type TestGateway, type TypeDetail, type TypeList } from '../support/gateway-harness.js';
import { expectProblem, streamPair } from '../support/gateway-routes.js';

let gw: TestGateway;
let pair: { client: string; peer: string };
beforeAll(async () => {
  gw = await startGateway();
  pair = await streamPair(gw, 'ty');
});
afterAll(async () => {
  await gw.close();
});

/** Stores `value` as `type` on the client and loads it on the peer. */
async function roundTrip(type: string, value: unknown): Promise<{ stored: Reply<Stored>; loaded: Reply<Loaded> }> {
  const stored = await gw.call<Stored>('POST', `/sessions/${pair.client}/store`, { type, value });
  const loaded = await gw.call<Loaded>('POST', `/sessions/${pair.peer}/load`, { type, timeoutMs: 2000 });
  return { stored, loaded };
}

describe('GET /types and GET /types/{name}', () => {
  it('lists the loaded types with their source, profile and code page', async () => {
    const r = await gw.call<TypeList>('GET', '/types');
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(r.body.types.map((t) => [t.name, t]));
    expect(Object.keys(byName)).toEqual(expect.arrayContaining(['Order', 'OrderLine', 'OrderAck']));
    expect(byName.Order).toEqual({
      name: 'Order',
      source: 'types/demo.json',
      profile: { mfc: 14, unicode: false, win64: false },
      codePage: 1252,
      description: 'The reference order of SPEC section 7',
    });
  });

  it('shows one type: a JSON Schema that its example and real values satisfy, and nothing else', async () => {
    const r = await gw.call<TypeDetail>('GET', '/types/Order');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'Order', source: 'types/demo.json' });
    const ajv = new Ajv({ strict: false, allErrors: true });
    const { schema } = r.body;
    if (typeof schema !== 'object' || schema === null) throw new Error(`no JSON Schema: ${JSON.stringify(r.body)}`);
    const validate = ajv.compile(schema);
    expect(validate(r.body.example), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(referenceOrder(5)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...referenceOrder(5), priority: 256 })).toBe(false);
    expect(validate({ ...referenceOrder(5), colour: 'red' })).toBe(false);
    // The example is a real value of the type: it goes through an archive and back unchanged.
    const { stored, loaded } = await roundTrip('Order', r.body.example);
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    expect(loaded.body.value).toEqual(r.body.example);
  });

  it('UNKNOWN_TYPE 400 for a type not loaded; VALIDATION 400 for a name that cannot be a type', async () => {
    const missing = await gw.call('GET', '/types/Invoice');
    expectProblem(missing, 400, 'UNKNOWN_TYPE');
    expect(missing.body.message).toContain('Invoice');
    expect(missing.body.message).toContain('Order');
    expectProblem(await gw.call('GET', '/types/1Order'), 400, 'VALIDATION', { path: '/name', in: 'params' });
  });
});

describe('POST /types', () => {
  it('adds a JSON type file: 201 with the names, then the types work in store and load', async () => {
    const file = {
      codePage: 1252,
      types: {
        Reading: { description: 'a sensor reading', fields: [{ name: 'sensor', type: 'CString' }, { name: 'value', type: 'float' }, { name: 'at', type: 'CTime' }] },
        Batch: { fields: [{ name: 'readings', type: { list: 'Reading' } }, { name: 'grid', type: { fixed: 'WORD', length: 2 } }] },
      },
    };
    const r = await gw.call('POST', '/types', file);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toEqual({ added: ['Reading', 'Batch'] });
    const listed = (await gw.call<TypeList>('GET', '/types')).body.types.find((t) => t.name === 'Reading');
    expect(listed).toMatchObject({ description: 'a sensor reading', source: expect.stringMatching(/^POST \/types at /) });
    const batch = { readings: [{ sensor: 'T1', value: 21.5, at: '2020-01-02T03:04:05Z' }], grid: [1, 2] };
    const { stored, loaded } = await roundTrip('Batch', batch);
    // WriteCount 1 (a WORD), 'T1' (3), float (4), CTime from MFC 8 (12), grid (4)
    expect(stored.body).toEqual({ values: 1, bytes: 2 + 3 + 4 + 12 + 4 });
    expect(loaded.body.value).toEqual(batch);
    expect((await gw.call<TypeDetail>('GET', '/types/Batch')).body.example).toBeDefined();
  });

  it('adds a YAML type file (Content-Type application/yaml) with its own profile; CObject fields work', async () => {
    const yaml = [
      'profile: { mfc: 6 }',
      'types:',
      '  Shape:',
      '    class: CShape',
      '    schema: 1',
      '    fields:',
      '      - { name: r, type: double }',
      '  Holder:',
      '    fields:',
      '      - { name: flag, type: bool }',
      '      - { name: shape, type: { object: Shape } }',
      '',
    ].join('\n');
    const r = await gw.call('POST', '/types', yaml, { 'content-type': 'application/yaml' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toEqual({ added: ['Shape', 'Holder'] });
    const value = { flag: true, shape: { $class: 'CShape', r: 1.5 } };
    const { stored, loaded } = await roundTrip('Holder', value);
    // bool is 4 bytes before MFC 7; new class tag 0xFFFF, schema, name length, 'CShape', then r.
    expect(stored.body).toEqual({ values: 1, bytes: 4 + 2 + 2 + 2 + 6 + 8 });
    expect(loaded.body.value).toMatchObject({ flag: true, shape: { $class: 'CShape', r: 1.5 } });
    const nulled = await roundTrip('Holder', { flag: false, shape: null });
    expect(nulled.loaded.body.value).toEqual({ flag: false, shape: null });
  });

  it('TYPE_FILE 400 with the path of the problem; a bad file adds nothing', async () => {
    const unknownField = await gw.call('POST', '/types', { types: { Good: { fields: [{ name: 'a', type: 'DWORD' }] }, Bad: { fields: [{ name: 'x', type: 'Nope' }] } } });
    expectProblem(unknownField, 400, 'TYPE_FILE', { path: '/types/Bad/fields/0/type' });
    expect(unknownField.body.message).toContain('Nope');
    expectProblem(await gw.call('GET', '/types/Good'), 400, 'UNKNOWN_TYPE');
    const notSerializable = await gw.call('POST', '/types', { types: { U: { fields: [{ name: 'x', type: 'CUIntArray' }] } } });
    expectProblem(notSerializable, 400, 'TYPE_FILE', { path: '/types/U/fields/0/type' });
    expect(notSerializable.body.message).toContain('not serializable');
    expectProblem(await gw.call('POST', '/types', { types: {}, colour: 'red' }), 400, 'TYPE_FILE', { path: '/colour' });
    expectProblem(await gw.call('POST', '/types', [1, 2]), 400, 'TYPE_FILE', { path: '' });
    expectProblem(await gw.call('POST', '/types', 'types: 7\n', { 'content-type': 'application/yaml' }), 400, 'TYPE_FILE', { path: '/types' });
  });

  it('TYPE_EXISTS 409 for a name already loaded; all or nothing', async () => {
    const r = await gw.call('POST', '/types', { types: { Brand: { fields: [{ name: 'a', type: 'DWORD' }] }, Order: { fields: [] } } });
    expectProblem(r, 409, 'TYPE_EXISTS', { path: '/types/Order' });
    expect(r.body.message).toContain('"Order"');
    expectProblem(await gw.call('GET', '/types/Brand'), 400, 'UNKNOWN_TYPE');
    // The original Order is untouched.
    expect((await gw.call<TypeDetail>('GET', '/types/Order')).body.source).toBe('types/demo.json');
  });

  it('MALFORMED_JSON 400 for YAML that does not parse', async () => {
    const r = await gw.call('POST', '/types', 'types: [a', { 'content-type': 'application/yaml' });
    expectProblem(r, 400, 'MALFORMED_JSON');
    expect(r.body.message).toContain('YAML');
  });
});
