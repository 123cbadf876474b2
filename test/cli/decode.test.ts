/** `archway decode`: archive bytes on stdin → JSON on stdout, through the real binary. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_TYPES_FILE, ITEM_TYPES, ORDER, demoRegistry, expectFailure, runCli, runCliFrom, tempDir,
} from './helpers.js';

const tmp = tempDir();
let itemFile = '';

beforeAll(() => {
  itemFile = tmp.file('item.json', ITEM_TYPES);
});
afterAll(() => tmp.remove());

// {id: 0x12345678, name: "héllo"} in code page 1252: DWORD LE, 1-byte length, ANSI bytes.
const ITEM_HEX = '78563412' + '05' + '68e96c6c6f';

describe('archway decode', () => {
  it('writes the JSON of a demo Order the library encoded, as one line', async () => {
    const bytes = demoRegistry().get('Order').encode(ORDER);
    const result = await runCli(['decode', '--types', DEMO_TYPES_FILE, '--type', 'Order'], bytes);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const text = result.stdout.toString('utf8');
    expect(text).toMatch(/^[^\n]+\n$/);
    expect(JSON.parse(text)).toEqual(ORDER);
  });

  it("reads a multi-MiB array whole from spawn's socket pair, an OS pipe (more than one read each) and a file", async () => {
    const data = randomBytes(3 * 1024 * 1024 + 5).toString('base64');
    const bytes = demoRegistry().codecFor('CByteArray').encode(data);
    const piped = await runCli(['decode', '--types', DEMO_TYPES_FILE, '--type', 'CByteArray'], bytes);
    expect(piped.stderr).toBe('');
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout.toString('utf8'))).toBe(data);
    const file = tmp.file('big.bin', bytes);
    for (const how of ['file', 'pipe'] as const) {
      const r = await runCliFrom(['decode', '--types', DEMO_TYPES_FILE, '--type', 'CByteArray'], file, how);
      expect(r.stderr, how).toBe('');
      expect(r.code, how).toBe(0);
      expect(JSON.parse(r.stdout.toString('utf8')), how).toBe(data);
    }
  });

  it('reads the bytes the format rules give for a small type as hex text, and indents with --pretty', async () => {
    const spaced = '78 56 34 12\n05\t68 e9 6C 6c 6f\n'; // whitespace is ignored, case too
    const result = await runCli(['decode', '--types', itemFile, '--type', 'Item', '--hex', '--pretty'], spaced);
    expect(result.code).toBe(0);
    expect(result.stdout.toString('utf8')).toBe('{\n  "id": 305419896,\n  "name": "héllo"\n}\n');
  });

  it('reads a YAML type file, its narrow strings in the code page given by --code-page', async () => {
    const yaml = tmp.file('item.yaml', 'codePage: 1252\ntypes:\n  Item:\n    fields:\n      - { name: id, type: DWORD }\n      - { name: name, type: CString }\n');
    // E9 is 'é' in the file's 1252 (see above) and 'й' in 1251.
    const result = await runCli(['decode', '--types', yaml, '--type', 'Item', '--hex', '--code-page', '1251'], ITEM_HEX);
    expect(JSON.parse(result.stdout.toString())).toEqual({ id: 0x12345678, name: 'hйllo' });
  });

  it('takes a type expression as --type', async () => {
    const result = await runCli(['decode', '--types', itemFile, '--type', '{"list":"CString"}', '--hex'], '0200 01 61 00');
    expect(result.stdout.toString()).toBe('["a",""]\n');
  });

  it('names the offset of bytes after the message', async () => {
    const result = await runCli(['decode', '--types', itemFile, '--type', 'Item', '--hex'], `${ITEM_HEX}00ff`);
    expectFailure(result, 1, 'archway decode: ARCHIVE_DECODE at offset 10:', '2 bytes follow');
  });

  it('names the field and offset of a count past the limits', async () => {
    const bytes = Buffer.from(demoRegistry().get('Order').encode(ORDER));
    // id 4, customer 1 + 20, placed 12 (MFC 8+ CTime), total 8, priority 1, express 1 → the lines count.
    const count = 4 + 1 + ORDER.customer.length + 12 + 8 + 1 + 1;
    expect(bytes.readUInt16LE(count)).toBe(ORDER.lines.length);
    bytes.writeUInt16LE(0xffff, count); // the escape to a DWORD count, which then reads absurdly large
    const result = await runCli(['decode', '--types', DEMO_TYPES_FILE, '--type', 'Order'], bytes);
    expectFailure(result, 1, `archway decode: ARCHIVE_LIMIT at /lines, offset ${count}:`);
  });

  it('names the character of bad hex text', async () => {
    const bad = await runCli(['decode', '--types', itemFile, '--type', 'Item', '--hex'], '7856 34zz');
    expectFailure(bad, 1, 'INVALID_HEX at offset 7', '"z"');
  });

  it('exits 2 with the usage for bad command lines', async () => {
    const cases = [
      ['decode', '--types', itemFile],
      ['decode', '--types', itemFile, '--type', 'Item', '--indent'],
      ['decode', '--types', itemFile, '--type', 'Item', '--hex=yes'],
    ];
    const results = await Promise.all(cases.map((args) => runCli(args)));
    for (const result of results) expectFailure(result, 2, 'archway decode:', 'usage: archway decode --types FILE');
    const unknown = await runCli(['decoder']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'decoder'");
  });

  it('prints the canonical JSON form by default and the lossless one with --lossless (SPEC §2)', async () => {
    // bool 02 (any non-zero byte is true), and a WORD list whose count took the DWORD escape.
    const bool = ['decode', '--types', itemFile, '--type', 'bool', '--hex'];
    expect((await runCli(bool, '02')).stdout.toString()).toBe('true\n');
    expect((await runCli([...bool, '--lossless'], '02')).stdout.toString()).toBe('2\n');
    const list = ['decode', '--types', itemFile, '--type', '{"list":"WORD"}', '--hex'];
    expect((await runCli(list, 'ffff 01000000 0700')).stdout.toString()).toBe('[7]\n');
    expect((await runCli([...list, '--lossless'], 'ffff 01000000 0700')).stdout.toString()).toBe('{"items":[7],"countForm":"dword"}\n');
    // 0x81 is not mapped by code page 1252: Windows gives U+0081; lossless keeps the byte.
    const name = ['decode', '--types', itemFile, '--type', 'Item', '--hex'];
    expect(JSON.parse((await runCli(name, '78563412 01 81')).stdout.toString())).toEqual({ id: 0x12345678, name: '\u0081' });
    expect(JSON.parse((await runCli([...name, '--lossless'], '78563412 01 81')).stdout.toString())).toEqual({ id: 0x12345678, name: { bytes: 'gQ==' } });
  });

  it('--prefix decodes the message at the start of a longer input and reports what it used on stderr', async () => {
    const result = await runCli(['decode', '--types', itemFile, '--type', 'Item', '--hex', '--prefix'], `${ITEM_HEX} deadbeef`);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.toString())).toEqual({ id: 0x12345678, name: 'héllo' });
    expect(result.stderr).toBe('archway decode: 10 bytes used (offsets 0 to 10), 4 remain\n');
  });

  it('--offset N skips N bytes (decimal or 0x hex); offsets in errors stay those of the whole input', async () => {
    const args = ['decode', '--types', itemFile, '--type', 'Item', '--hex'];
    for (const offset of ['3', '0x3']) {
      const r = await runCli([...args, '--offset', offset], `001122 ${ITEM_HEX}`);
      expect(r.stderr, offset).toBe('');
      expect(JSON.parse(r.stdout.toString())).toEqual({ id: 0x12345678, name: 'héllo' });
    }
    const both = await runCli([...args, '--offset', '2', '--prefix'], `0011 ${ITEM_HEX} ff`);
    expect(both.stderr).toBe('archway decode: 10 bytes used (offsets 2 to 12), 1 remain\n');
    expectFailure(await runCli([...args, '--offset', '3'], `001122 ${ITEM_HEX} ff`), 1, 'ARCHIVE_DECODE at offset 13:', '1 bytes follow');
    expectFailure(await runCli([...args, '--offset', '3'], `001122 78563412`), 1, 'ARCHIVE_DECODE at /name, offset 7:', 'too early');
    expectFailure(await runCli([...args, '--offset', '9'], '0011'), 1, 'ARCHIVE_DECODE at offset 2:', '--offset 9 is past its end');
    expectFailure(await runCli([...args, '--offset', 'ten']), 2, "--offset must be a byte count");
  });
});
