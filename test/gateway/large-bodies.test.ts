/**
 * Large JSON bodies (over 1 MiB: the gateway's own body parser, json-body.ts) over real HTTP: long
 * typed values reach the peer byte-exact whether they are base64 (CByteArray) or text (CString,
 * any Unicode), with or without a declared length; bad ones are refused as small ones are, and
 * nothing is sent; limits and malformed JSON answer as for any body.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TypeRegistry } from '../../src/archive/index.js';
import { startGateway, type Reply, type TestGateway } from '../support/gateway-harness.js';
import { collect, expectProblem, rawPeer, recordBytes } from '../support/gateway-routes.js';

const MiB = 1024 * 1024;
let gw: TestGateway;
const registry = new TypeRegistry({ maxMessageBytes: 64 * MiB });
const encode = (type: string, value: unknown) => registry.codecFor(type).encode(value);

beforeAll(async () => {
  gw = await startGateway({ bodyLimit: 8 * MiB, maxMessageBytes: 8 * MiB });
});
afterAll(async () => {
  await gw.close();
});

/** Posts `text` as a JSON body, streamed in 64 KiB pieces without a Content-Length when `chunked`. */
async function postText(path: string, text: string, chunked = false): Promise<Reply> {
  const bytes = Buffer.from(text);
  const body = chunked ? Readable.from((function* () { for (let i = 0; i < bytes.length; i += 65536) yield bytes.subarray(i, i + 65536); })()) : bytes;
  const res = await request(gw.base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const answer = await res.body.text();
  return { status: res.statusCode, body: JSON.parse(answer), headers: res.headers };
}

describe('large JSON bodies', () => {
  it.each([false, true])('store of a 3 MiB CByteArray reaches the peer byte-exact (chunked upload: %s)', async (chunked) => {
    const name = `big-${String(chunked)}`;
    const peer = await rawPeer(gw, name);
    const data = randomBytes(3 * MiB).toString('base64');
    const expected = encode('CByteArray', data);
    const got = collect(peer, expected.length);
    const r = await postText(`/sessions/${name}/store`, JSON.stringify({ type: 'CByteArray', value: data }), chunked);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ values: 1, bytes: expected.length });
    expect((await got).equals(expected)).toBe(true);
    peer.destroy();
  });

  it('a list of long text and bytes (CString in any Unicode, a string with escapes, CByteArray) stores exactly what the codec writes', async () => {
    const peer = await rawPeer(gw, 'big-list');
    // CString goes out in the session's ANSI code page (1252), so its text stays inside it;
    // the Unicode form carries any character, astral ones included.
    const ansi = 'añé€'.repeat(100_000);
    const text = 'añ😀€'.repeat(100_000);
    const escaped = `"quoted"\n\\${'x'.repeat(200_000)}`;
    const data = randomBytes(MiB).toString('base64');
    const values = [
      { type: 'CString', value: ansi },
      { type: 'CStringW', value: { text, unicode: true } },
      { type: 'CString', value: escaped },
      { type: 'CByteArray', value: data },
    ];
    const expected = Buffer.concat(values.map((v) => encode(v.type, v.value)));
    const got = collect(peer, expected.length);
    const r = await postText('/sessions/big-list/store', JSON.stringify({ values }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await got).equals(expected)).toBe(true);
    peer.destroy();
  });

  it('exchange with a 2 MiB request: the peer gets it whole, the answer comes back', async () => {
    const peer = await rawPeer(gw, 'big-x');
    const data = randomBytes(2 * MiB).toString('base64');
    const expected = encode('CByteArray', data);
    const got = collect(peer, expected.length).then((bytes) => {
      peer.write(Buffer.from([7, 0, 0, 0]));
      return bytes;
    });
    const r = await postText('/sessions/big-x/exchange', JSON.stringify({ request: { type: 'CByteArray', value: data }, response: { type: 'DWORD' }, timeoutMs: 10_000 }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ value: 7 });
    expect((await got).equals(expected)).toBe(true);
    peer.destroy();
  });

  it('bad base64 deep in a long value: VALIDATION naming /value, and not a byte sent', async () => {
    const peer = await rawPeer(gw, 'big-bad');
    const received = recordBytes(peer);
    const data = randomBytes(2 * MiB).toString('base64');
    const bad = `${data.slice(0, MiB)}!${data.slice(MiB + 1)}`;
    const r = await postText('/sessions/big-bad/store', JSON.stringify({ type: 'CByteArray', value: bad }));
    expectProblem(r, 400, 'VALIDATION', { path: '/value' });
    expect(r.body.message).toMatch(/base64/);
    const ok = await postText('/sessions/big-bad/store', JSON.stringify({ type: 'DWORD', value: 1 }));
    expect(ok.status).toBe(200);
    // Only the DWORD stored after the refused value: once it arrived, anything sent before it had too.
    const dword = Buffer.from([1, 0, 0, 0]);
    expect(await received.upTo(dword, 'the DWORD to arrive')).toEqual(dword);
    peer.destroy();
  });

  it('a long string where the type wants another value is refused by its length, not shown', async () => {
    const peer = await rawPeer(gw, 'big-type');
    const r = await postText('/sessions/big-type/store', JSON.stringify({ type: 'DWORD', value: 'q'.repeat(2 * MiB) }));
    expectProblem(r, 400, 'VALIDATION', { path: '/value' });
    expect(r.body.message).toContain(`a string of ${2 * MiB} bytes`);
    peer.destroy();
  });

  it('outside the archive routes long strings are plain strings (a 2 MiB session name fails its maxLength)', async () => {
    const r = await postText('/sessions', JSON.stringify({ kind: 'stream', name: 'n'.repeat(2 * MiB) }));
    expectProblem(r, 400, 'VALIDATION', { path: '/name' });
    expect(r.body.message).not.toMatch(/must be string/);
  });

  it.each([false, true])('MALFORMED_JSON for a large body cut short or poisoned, as for a small one (chunked: %s)', async (chunked) => {
    const long = 'A'.repeat(2 * MiB);
    const cut = await postText('/sessions/none/store', `{"type": "CByteArray", "value": "${long}`, chunked);
    expectProblem(cut, 400, 'MALFORMED_JSON');
    const poisoned = await postText('/sessions/none/store', `{"type": "CByteArray", "value": "${long}", "__proto__": {"x": 1}}`, chunked);
    expectProblem(poisoned, 400, 'MALFORMED_JSON');
  });

  it.each([false, true])('PAYLOAD_TOO_LARGE past the body limit, declared or streamed (chunked: %s)', async (chunked) => {
    const r = await postText('/sessions/none/store', JSON.stringify({ type: 'CByteArray', value: 'A'.repeat(9 * MiB) }), chunked);
    expectProblem(r, 413, 'PAYLOAD_TOO_LARGE');
  });
});
