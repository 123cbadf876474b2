/**
 * `archway serve` whose standard output has no reader any more (a supervisor's log pipe closed)
 * still stops on SIGTERM, with its sessions open: its last lines meet EPIPE, and logging stops
 * rather than retrying them for ever at exit (src/gateway/plugins/lazy-logger.ts). Real processes.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from './helpers.js';

const SESSIONS = 20;
/** Within close-with-grace's 10-s delay: a stop that took longer would have been forced. */
const STOP_MS = 9_000;

const pids: number[] = [];
afterEach(() => {
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
});

async function post(base: string, path: string, body: unknown): Promise<number> {
  const res = await request(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await res.body.dump();
  return res.statusCode;
}

describe('archway serve with its stdout gone', () => {
  it('stops on SIGTERM, sessions open, in seconds', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0', '--demo-port', '0', '--log-level', 'info'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const listening = await new Promise<{ pid: number; url: string; demo: { port: number } }>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`archway serve exited with ${code}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.includes('archway gateway listening')) resolve(JSON.parse(line) as { pid: number; url: string; demo: { port: number } });
      });
    });
    pids.push(listening.pid, child.pid!);
    for (let i = 0; i < SESSIONS; i++) {
      expect(await post(listening.url, '/sessions', { kind: 'stream', name: `s${i}` })).toBe(201);
      expect(await post(listening.url, `/sessions/s${i}/connect`, { host: '127.0.0.1', port: listening.demo.port })).toBe(200);
    }
    // The reader goes: what the gateway logs from now on meets a closed pipe.
    child.stdout!.destroy();
    const t0 = performance.now();
    child.kill('SIGTERM');
    const end = await Promise.race([exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), STOP_MS))]);
    expect(end).toEqual({ code: 0, signal: null });
    expect(performance.now() - t0).toBeLessThan(STOP_MS);
  }, 30_000);
});
