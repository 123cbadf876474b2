/** Which headers cross a forwarded hop (RFC 9110 §7.6.1), and the loop guard (SPEC §8). */
import { describe, expect, it } from 'vitest';
import { answerHeaders, FORWARDED_TO, requestHeaders } from '../../src/gateway/cluster/hop-headers.js';

describe('hop-by-hop headers', () => {
  it('a forwarded request keeps the end-to-end headers and the client\'s Host, and names its owner', () => {
    const out = requestHeaders(
      {
        host: 'lb:8080', connection: 'keep-alive, x-private', 'keep-alive': 'timeout=5', 'x-private': 'hop', te: 'trailers', 'transfer-encoding': 'chunked',
        upgrade: 'h2c', 'proxy-authorization': 'Basic x', expect: '100-continue', authorization: 'Bearer t', 'content-type': 'application/json',
        'content-length': '12', 'x-forwarded-for': '127.0.0.9', [FORWARDED_TO]: 'spoofed', 'set-cookie': ['a=1', 'b=2'],
      },
      'g2.abcd',
      '127.0.0.1',
    );
    expect(out).toEqual({
      host: 'lb:8080', authorization: 'Bearer t', 'content-type': 'application/json', 'content-length': '12', 'set-cookie': ['a=1', 'b=2'],
      'x-forwarded-for': '127.0.0.9, 127.0.0.1', [FORWARDED_TO]: 'g2.abcd',
    });
  });

  it('an answer keeps its own headers, not the owner connection\'s', () => {
    expect(answerHeaders({ 'content-type': 'text/event-stream', connection: 'keep-alive', 'keep-alive': 'timeout=72', 'transfer-encoding': 'chunked', 'x-archway-instance': 'g1.x', 'cache-control': 'no-store' }))
      .toEqual({ 'content-type': 'text/event-stream', 'x-archway-instance': 'g1.x', 'cache-control': 'no-store' });
  });
});
