/**
 * deploy/haproxy: the balancer's own error answers are Archway problem JSON with catalogue codes
 * and the statuses the gateway gives them (each file is sent verbatim, so its Content-Length must
 * be exact), and the config names the servers after the gateways' ARCHWAY_INSTANCE prefixes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusOf } from '../../src/gateway/http-status.js';
import { isCode } from '../../src/core/index.js';
import { HAPROXY_CFG } from '../../scripts/cluster/local-cluster.js';

const dir = path.join(path.dirname(HAPROXY_CFG), 'errors');
const cfg = readFileSync(HAPROXY_CFG, 'utf8');

describe('HAProxy errorfiles', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.http'));

  it('cover the statuses HAProxy answers by itself, each named in the config', () => {
    expect(files.sort()).toEqual(['400.http', '408.http', '500.http', '502.http', '503.http', '504.http']);
    for (const f of files) expect(cfg).toContain(`errorfile ${f.slice(0, 3)} errors/${f}`);
  });

  it.each(files)('%s is a whole HTTP answer with a problem body', (file) => {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const [head, body] = text.split('\r\n\r\n') as [string, string];
    const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1]);
    expect(head).toMatch(/\r\ncontent-type: application\/json\r\n/);
    expect(Number(/\r\ncontent-length: (\d+)/.exec(head)?.[1])).toBe(Buffer.byteLength(body));
    const problem = JSON.parse(body) as { statusCode: number; code: string; message: string };
    expect(Object.keys(problem).sort()).toEqual(['code', 'message', 'statusCode']);
    expect(isCode(problem.code), problem.code).toBe(true);
    expect(problem.statusCode).toBe(status);
    if (isCode(problem.code)) expect(statusOf(problem.code)).toBe(status);
  });
});

describe('the config', () => {
  it('hashes on the session name with consistent hashing, checks /health, routes generated names to their instance', () => {
    expect(cfg).toMatch(/^\s+balance hash path,field\(3,\/\)$/m);
    expect(cfg).toMatch(/^\s+hash-type consistent$/m);
    expect(cfg).toMatch(/^\s+http-check send meth GET uri \/health$/m);
    for (const g of ['g1', 'g2', 'g3']) expect(cfg).toContain(`use-server ${g} if { path_beg /sessions/${g}- }`);
  });
});
