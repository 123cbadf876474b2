/**
 * The one way a wait is bounded (core/deadline.ts). Deadlines of one duration share a timer armed
 * for the oldest: each must still expire on time and alone, one that ends must never expire later,
 * and a finished wait must not hold the process open.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Deadline, deadline } from '../../src/core/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** When `d` expires (ms after `t0`), or undefined while it has not. */
function expiry(d: Deadline, t0: number): { ms: number | undefined; code: string | undefined } {
  const seen: { ms: number | undefined; code: string | undefined } = { ms: undefined, code: undefined };
  d.onExpire((err) => {
    seen.ms = performance.now() - t0;
    seen.code = err.code;
  });
  return seen;
}

describe('Deadline', () => {
  it('expires each wait of one duration at its own time, in order, with TIMEOUT', async () => {
    const t0 = performance.now();
    const first = expiry(deadline({ timeoutMs: 60 }, 'first'), t0);
    await sleep(30);
    const second = expiry(deadline({ timeoutMs: 60 }, 'second'), t0);
    await sleep(45); // 75 ms: the first is due, the second (due at ~90) not yet
    expect(first.code).toBe('TIMEOUT');
    expect(first.ms).toBeGreaterThanOrEqual(59);
    expect(second.code).toBeUndefined();
    await sleep(60);
    expect(second.code).toBe('TIMEOUT');
    expect(second.ms).toBeGreaterThanOrEqual(89);
  });

  it('never expires a wait that ended, whatever its place among the others', async () => {
    const t0 = performance.now();
    const ds = Array.from({ length: 5 }, (_, i) => deadline({ timeoutMs: 40 }, `d${i}`));
    const seen = ds.map((d) => expiry(d, t0));
    ds[0]!.dispose(); // the head
    ds[2]!.dispose(); // the middle
    ds[4]!.dispose(); // the tail
    await sleep(80);
    expect(seen.map((s) => s.code)).toEqual([undefined, 'TIMEOUT', undefined, 'TIMEOUT', undefined]);
  });

  it('expires a wait made after all earlier ones ended, the timer left armed for them', async () => {
    for (let i = 0; i < 3; i++) deadline({ timeoutMs: 50 }, 'done at once').dispose();
    await sleep(20);
    const t0 = performance.now();
    const late = expiry(deadline({ timeoutMs: 50 }, 'late'), t0);
    await sleep(40); // the shared timer goes off for the ended ones: too early for this one
    expect(late.code).toBeUndefined();
    await sleep(40);
    expect(late.code).toBe('TIMEOUT');
    expect(late.ms).toBeGreaterThanOrEqual(49);
  });

  it('expires a wait made by a listener of one that expired', async () => {
    const t0 = performance.now();
    let retry: ReturnType<typeof expiry> | undefined;
    deadline({ timeoutMs: 20 }, 'first').onExpire(() => {
      retry = expiry(deadline({ timeoutMs: 20 }, 'retry'), t0);
    });
    await sleep(70);
    expect(retry?.code).toBe('TIMEOUT');
    expect(retry!.ms).toBeGreaterThanOrEqual(39);
  });

  it('aborts with ABORTED when the caller signal does, and then never times out', async () => {
    const controller = new AbortController();
    const d = deadline({ timeoutMs: 30, signal: controller.signal }, 'aborted');
    const seen: string[] = [];
    d.onExpire((err) => seen.push(err.code));
    controller.abort();
    await sleep(60);
    expect(seen).toEqual(['ABORTED']);
    expect(d.signal.aborted).toBe(true);
  });

  it('takes waits longer than a Node timer can (2^31 ms) without expiring them at once', async () => {
    const d = new Deadline(2 ** 33, undefined, 'very long');
    const seen = expiry(d, performance.now());
    await sleep(20);
    expect(seen.code).toBeUndefined();
    expect(d.left).toBeGreaterThan(2 ** 32);
    d.dispose();
  });

  it('lets a program exit once its waits ended, though their shared timer is still armed', () => {
    const script = `
      import { deadline } from ${JSON.stringify(new URL('../../dist/src/core/index.js', import.meta.url).pathname)};
      const t0 = Date.now();
      deadline({ timeoutMs: 30_000 }, 'ended').dispose();
      process.on('exit', () => console.log(Date.now() - t0));
    `;
    // The build (`npm test` makes it first), as bin/archway.js runs it.
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 });
    expect(Number(out.trim())).toBeLessThan(5_000);
  });
});
