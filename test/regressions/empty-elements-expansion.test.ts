/**
 * Regression (long HTTP fuzz, issue 10): `load {"type": {"map": [{"fixed": {"fixed": "CRect",
 * "length": 0}, "length": 65536}, "GUID[0]"]}}` on a session whose peer sends random bytes. Every
 * key is 65,536 empty arrays and takes no byte, so a map count of a few million from 4 random bytes
 * asked for ~10^11 values: the gateway went past its 4 GB heap and died. Elements that take no
 * bytes are now counted against one cap per message (MAX_EMPTY_ELEMENTS), in the decoders and in
 * the incremental scanner alike, fixed arrays included; the gateway answers ARCHIVE_LIMIT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadBuffer, LoadState, MAX_EMPTY_ELEMENTS, TypeRegistry, type ArchwayError } from '../../src/archive/index.js';
import { startGateway, type Problem, type TestGateway } from '../support/gateway-harness.js';
import { rawPeer } from '../support/gateway-routes.js';

const hostile = { map: [{ fixed: { fixed: 'CRect', length: 0 }, length: 65536 }, { fixed: 'GUID', length: 0 }] };
// WriteCount 0xFFFF escape then a DWORD count of 4,000,000: six bytes.
const count = Buffer.from('ffff00093d00', 'hex');

describe('elements that take no bytes', () => {
  it('are capped per message when decoded whole: ARCHIVE_LIMIT, nothing expanded', () => {
    const codec = new TypeRegistry().codecFor(hostile);
    let err: ArchwayError | undefined;
    try {
      codec.decode(count);
    } catch (e) {
      err = e as ArchwayError;
    }
    expect(err?.code).toBe('ARCHIVE_LIMIT');
    expect(err?.message).toContain(`more than ${MAX_EMPTY_ELEMENTS} elements that take no bytes`);
  });

  it('are capped by the incremental scanner too, byte by byte', () => {
    const codec = new TypeRegistry().codecFor(hostile);
    const buf = new LoadBuffer();
    const state = new LoadState();
    let err: ArchwayError | undefined;
    for (const b of count) {
      buf.push(Buffer.from([b]));
      try {
        if (buf.tryDecode(codec, state).done) break;
      } catch (e) {
        err = e as ArchwayError;
        break;
      }
    }
    expect(err?.code).toBe('ARCHIVE_LIMIT');
  });

  it('a fixed array of empty elements within the cap still decodes', () => {
    const codec = new TypeRegistry().codecFor({ fixed: { fixed: 'BYTE', length: 0 }, length: 1000 });
    expect(codec.decode(Buffer.alloc(0))).toHaveLength(1000);
  });
});

describe('the gateway', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());

  it('answers such a load with 502 ARCHIVE_LIMIT and keeps serving', async () => {
    const peer = await rawPeer(gw, 'garbage');
    peer.write(count);
    const r = await gw.call<Problem>('POST', '/sessions/garbage/load?form=lossless', { type: hostile, timeoutMs: 5000 });
    expect(r.status, JSON.stringify(r.body)).toBe(502);
    expect(r.body.code).toBe('ARCHIVE_LIMIT');
    expect((await gw.call('GET', '/health')).status).toBe(200);
    peer.destroy();
  });
});
