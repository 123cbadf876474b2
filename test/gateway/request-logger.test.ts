/**
 * Each request's logger is made on its first line (plugins/lazy-logger.ts): what a handler logs
 * still carries its request's id, at the level asked, and at debug level every request is logged.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGateway, loadConfig, type Gateway } from '../../src/gateway/index.js';
import { callAt } from '../support/http-call.js';

interface Line {
  level: number;
  msg?: string;
  reqId?: string;
  [key: string]: unknown;
}

let gw: Gateway | undefined;
afterEach(async () => {
  await gw?.app.close();
  gw = undefined;
});

/** A gateway logging at `level` into `lines`, with one route of the test's that logs. */
async function start(level: 'info' | 'debug', lines: Line[]): Promise<string> {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l !== '') lines.push(JSON.parse(l) as Line);
      done();
    },
  });
  gw = await buildGateway(loadConfig([], {}, { port: 0, logLevel: level }), { logger: { level, stream } });
  gw.app.get('/test/log', async (req) => {
    const child = req.log.child({ part: 'inner' });
    req.log.warn({ k: 1 }, 'from a handler');
    child.error('from a child');
    req.log.debug('a debug line');
    return { level: req.log.level };
  });
  gw.app.get('/test/serialized', async (req, reply) => {
    req.log.warn({ req, res: reply, err: new Error('kept') }, 'serialized');
    return {};
  });
  await gw.app.listen({ host: '127.0.0.1', port: 0 });
  const address = gw.app.server.address();
  if (address === null || typeof address !== 'object') throw new Error('gateway did not listen');
  return `http://127.0.0.1:${address.port}`;
}

describe('request loggers', () => {
  it('a handler’s lines carry its request id, its bindings and its level', async () => {
    const lines: Line[] = [];
    const base = await start('info', lines);
    const first = await callAt<{ level: string }>(base, 'GET', '/test/log');
    await callAt(base, 'GET', '/test/log');
    expect(first.body.level).toBe('info');
    const warns = lines.filter((l) => l.msg === 'from a handler');
    expect(warns).toHaveLength(2);
    expect(warns.map((l) => l.level)).toEqual([40, 40]);
    expect(warns[0]!.k).toBe(1);
    expect(typeof warns[0]!.reqId).toBe('string');
    expect(warns[0]!.reqId).not.toBe(warns[1]!.reqId);
    const errors = lines.filter((l) => l.msg === 'from a child');
    expect(errors.map((l) => [l.level, l.part, l.reqId])).toEqual(warns.map((w) => [50, 'inner', w.reqId]));
    // Fastify's serializers reach the lazy loggers: a request is its method and URL, not the object.
    await callAt(base, 'GET', '/test/serialized');
    const serialized = lines.find((l) => l.msg === 'serialized');
    expect(serialized?.req).toMatchObject({ method: 'GET', url: '/test/serialized' });
    expect(Object.keys(serialized?.req as object)).not.toContain('raw');
    expect(serialized?.res).toEqual({ statusCode: 200 });
    expect(serialized?.err).toMatchObject({ type: 'Error', message: 'kept' });
    // Below the level: nothing, and no per-request lines at info.
    expect(lines.some((l) => l.msg === 'a debug line' || l.msg === 'incoming request')).toBe(false);
  });

  it('at debug level every request is logged, with its id', async () => {
    const lines: Line[] = [];
    const base = await start('debug', lines);
    await callAt(base, 'GET', '/test/log');
    const incoming = lines.find((l) => l.msg === 'incoming request');
    expect(incoming?.reqId).toBeDefined();
    expect(lines.filter((l) => l.reqId === incoming!.reqId).map((l) => l.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'from a handler', 'from a child', 'a debug line', 'request completed']),
    );
  });
});
