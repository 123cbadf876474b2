/**
 * The one way a wait is bounded (core/deadline.ts). Deadlines of one duration share a timer armed
 * for the oldest: each must still expire on time and alone, one that ends must never expire later,
 * and a finished wait must not hold the process open. On vitest's fake clock: exact, no sleeps.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadline, deadline } from '../../src/core/index.js';

/** When `d` expires (ms of the fake clock after `t0`), or undefined while it has not. */
function expiry(d: Deadline, t0: number): { ms: number | undefined; code: string | undefined } {
  const seen: { ms: number | undefined; code: string | undefined } = { ms: undefined, code: undefined };
  d.onExpire((err) => {
    seen.ms = Date.now() - t0;
    seen.code = err.code;
  });
  return seen;
}

describe('Deadline', () => {
  // The fake clock moves Date.now and the timers together: exact times, no sleeps, no flakiness.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires each wait of one duration at its own time, in order, with TIMEOUT', () => {
    const t0 = Date.now();
    const first = expiry(deadline({ timeoutMs: 60 }, 'first'), t0);
    vi.advanceTimersByTime(30);
    const second = expiry(deadline({ timeoutMs: 60 }, 'second'), t0);
    vi.advanceTimersByTime(59); // 89 ms: the first was due at 60, the second is due at 90
    expect(first).toEqual({ ms: 60, code: 'TIMEOUT' });
    expect(second.code).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(second).toEqual({ ms: 90, code: 'TIMEOUT' });
  });

  it('never expires a wait that ended, whatever its place among the others', () => {
    const t0 = Date.now();
    const ds = Array.from({ length: 5 }, (_, i) => deadline({ timeoutMs: 40 }, `d${i}`));
    const seen = ds.map((d) => expiry(d, t0));
    ds[0]!.dispose(); // the head
    ds[2]!.dispose(); // the middle
    ds[4]!.dispose(); // the tail
    vi.advanceTimersByTime(1_000);
    expect(seen.map((s) => s.code)).toEqual([undefined, 'TIMEOUT', undefined, 'TIMEOUT', undefined]);
    expect(vi.getTimerCount()).toBe(0); // nothing left armed once no wait is pending
  });

  it('expires a wait made after all earlier ones ended, the timer left armed for them', () => {
    for (let i = 0; i < 3; i++) deadline({ timeoutMs: 50 }, 'done at once').dispose();
    expect(vi.getTimerCount()).toBe(1); // left armed (unref'd) for the next wait of 50 ms
    vi.advanceTimersByTime(20);
    const t0 = Date.now();
    const late = expiry(deadline({ timeoutMs: 50 }, 'late'), t0);
    vi.advanceTimersByTime(30); // the shared timer goes off for the ended ones: too early for this one
    expect(late.code).toBeUndefined();
    vi.advanceTimersByTime(19);
    expect(late.code).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(late).toEqual({ ms: 50, code: 'TIMEOUT' });
  });

  it('expires a wait made by a listener of one that expired', () => {
    const t0 = Date.now();
    let retry: ReturnType<typeof expiry> | undefined;
    deadline({ timeoutMs: 20 }, 'first').onExpire(() => {
      retry = expiry(deadline({ timeoutMs: 20 }, 'retry'), t0);
    });
    vi.advanceTimersByTime(39);
    expect(retry?.code).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(retry).toEqual({ ms: 40, code: 'TIMEOUT' });
  });

  it('still expires the waits behind one whose listener threw', () => {
    const t0 = Date.now();
    deadline({ timeoutMs: 10 }, 'throws').onExpire(() => {
      throw new Error('a listener that throws');
    });
    const behind = expiry(deadline({ timeoutMs: 10 }, 'behind'), t0);
    expect(() => vi.advanceTimersByTime(10)).toThrow('a listener that throws');
    vi.advanceTimersByTime(1);
    expect(behind.code).toBe('TIMEOUT');
  });

  it('goes by the monotonic clock: a wall clock set back an hour moves no deadline', () => {
    const t0 = performance.now();
    const d = deadline({ timeoutMs: 60 }, 'steady');
    const seen: number[] = [];
    d.onExpire(() => seen.push(performance.now() - t0));
    vi.setSystemTime(Date.now() - 3_600_000);
    vi.advanceTimersByTime(60);
    expect(seen).toEqual([60]);
  });

  it('keeps waits of different durations apart: each expires at its own time', () => {
    const t0 = Date.now();
    const long = expiry(deadline({ timeoutMs: 100 }, 'long'), t0);
    const short = expiry(deadline({ timeoutMs: 10 }, 'short'), t0);
    vi.advanceTimersByTime(100);
    expect([short.ms, long.ms]).toEqual([10, 100]);
  });

  it('aborts with ABORTED when the caller signal does, and then never times out', () => {
    const controller = new AbortController();
    const d = deadline({ timeoutMs: 30, signal: controller.signal }, 'aborted');
    const seen: string[] = [];
    d.onExpire((err) => seen.push(err.code));
    controller.abort();
    vi.advanceTimersByTime(60);
    expect(seen).toEqual(['ABORTED']);
    expect(d.signal.aborted).toBe(true);
  });

  it('tells every listener once, in order, functions and objects alike, and names the wait only when it fails', () => {
    let named = 0;
    const name = { toString: () => `the wait #${++named}` };
    const told: string[] = [];
    const d = deadline({ timeoutMs: 20 }, name);
    d.onExpire((err) => told.push(`fn ${err.message}`));
    d.onExpire({ expired: (err) => told.push(`object ${err.code}`) });
    d.onExpire(() => told.push('third'));
    vi.advanceTimersByTime(19);
    expect([told, named]).toEqual([[], 0]);
    vi.advanceTimersByTime(40);
    expect(told).toEqual([expect.stringMatching(/^fn the wait #1 .*20 ms/), 'object TIMEOUT', 'third']);
    expect(named).toBe(1);
    // Once expired, a listener is told at once; a disposed wait tells nobody.
    d.onExpire({ expired: (err) => told.push(`late ${err.code}`) });
    expect(told.at(-1)).toBe('late TIMEOUT');
    const ended = deadline({ timeoutMs: 20 }, { toString: () => `ended #${++named}` });
    ended.onExpire(() => told.push('ended'));
    ended.dispose();
    vi.advanceTimersByTime(40);
    expect([told.includes('ended'), named]).toEqual([false, 1]);
  });

  it('takes waits longer than a Node timer can (2^31 ms), expiring them at their time', () => {
    const t0 = Date.now();
    const seen = expiry(new Deadline(2 ** 32, undefined, 'very long'), t0);
    vi.advanceTimersByTime(2 ** 31);
    expect(seen.code).toBeUndefined();
    vi.advanceTimersByTime(2 ** 32 - 2 ** 31);
    expect(seen).toEqual({ ms: 2 ** 32, code: 'TIMEOUT' });
  });
});

describe('Deadline, in a process of its own', () => {
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
