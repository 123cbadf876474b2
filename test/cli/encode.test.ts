/** `archway encode`: JSON on stdin → archive bytes on stdout, through the real binary. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_TYPES_FILE, ITEM_TYPES, ORDER, demoRegistry, expectFailure, runCli, tempDir,
} from './helpers.js';

const tmp = tempDir();
let itemFile = '';

beforeAll(() => {
  itemFile = tmp.file('item.json', ITEM_TYPES);
});
afterAll(() => tmp.remove());

const ITEM = { id: 0x12345678, name: 'héllo' };
// DWORD little-endian, then CString: 1-byte length + ANSI bytes, 'é' = E9 in 1252 (format §1, §2).
const ITEM_HEX = '78563412' + '05' + '68e96c6c6f';

describe('archway encode', () => {
  it('writes the raw archive bytes of a demo Order, which the library decodes back', async () => {
    const result = await runCli(['encode', '--types', DEMO_TYPES_FILE, '--type', 'Order'], JSON.stringify(ORDER));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const order = demoRegistry().get('Order');
    expect(order.decode(result.stdout)).toEqual(ORDER);
    expect(result.stdout.equals(order.encode(ORDER))).toBe(true);
  });

  it('writes the bytes the format rules give for a small type, as hex text with --hex', async () => {
    const result = await runCli(['encode', '--types', itemFile, '--type', 'Item', '--hex'], JSON.stringify(ITEM));
    expect(result.code).toBe(0);
    expect(result.stdout.toString('utf8')).toBe(`${ITEM_HEX}\n`);
  });

  it('writes narrow strings in the code page given by --code-page', async () => {
    // 1251 is Cyrillic: no 'é' (the decode tests show E9 there is 'й').
    const latin = await runCli(
      ['encode', '--types', itemFile, '--type', 'Item', '--code-page', '1251', '--hex'],
      JSON.stringify(ITEM),
    );
    expectFailure(latin, 1, 'archway encode: VALIDATION at /name', 'code page 1251');
  });

  it('names the field path of a value that fails validation', async () => {
    const bad = { ...ORDER, lines: [{ sku: 'x', qty: 70000, price: 1 }] };
    const result = await runCli(['encode', '--types', DEMO_TYPES_FILE, '--type', 'Order'], JSON.stringify(bad));
    expectFailure(result, 1, 'archway encode: VALIDATION at /lines/0/qty:', 'WORD');
  });

  it('names the offset of invalid JSON', async () => {
    const invalid = await runCli(['encode', '--types', itemFile, '--type', 'Item'], '{"id": 1,, }');
    expectFailure(invalid, 1, 'INVALID_JSON at offset 9');
  });

  it('reports an unknown type, an unreadable and an invalid type file', async () => {
    expectFailure(await runCli(['encode', '--types', itemFile, '--type', 'Nope'], '{}'), 1, 'UNKNOWN_TYPE', 'Nope');
    const missing = await runCli(['encode', '--types', `${tmp.dir}/absent.json`, '--type', 'Item'], '{}');
    expectFailure(missing, 1, 'TYPE_FILE', 'absent.json');
    const invalidFile = tmp.file('bad.yaml', 'types:\n  Item:\n    fields:\n      - { name: id, type: Nope }\n');
    const invalid = await runCli(['encode', '--types', invalidFile, '--type', 'Item'], '{}');
    expectFailure(invalid, 1, 'TYPE_FILE at /types/Item/fields/0/type', 'bad.yaml');
  });

  it('exits 2 with the usage for bad command lines', async () => {
    const cases = [
      ['encode', '--type', 'Item'],
      ['encode', '--types', itemFile],
      ['encode', '--types', itemFile, '--type', 'Item', '--bogus'],
      ['encode', '--types', itemFile, '--type', 'Item', 'extra'],
      ['encode', '--types', itemFile, '--type', 'Item', '--code-page', 'abc'],
      ['encode', '--types', itemFile, '--type', 'Item', '--code-page', '9999'],
    ];
    const results = await Promise.all(cases.map((args) => runCli(args, '{}')));
    for (const result of results) expectFailure(result, 2, 'archway encode:', 'usage: archway encode --types FILE');
  });
});
