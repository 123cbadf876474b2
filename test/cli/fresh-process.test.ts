/**
 * `archway serve` serves from a child process started with the startup flag V8 reads only as a
 * process starts (a young generation of up to 32 MiB semi-spaces, src/cli/v8-tuning.ts), unless the operator chose one;
 * the parent passes termination signals on once each and ends as the child ended; a parent killed
 * outright takes the serving process down gracefully (src/cli/fresh-process.ts). Real processes.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startupFlags } from '../../src/cli/v8-tuning.js';
import { BIN, ROOT } from './helpers.js';

const run = promisify(execFile);

interface Served {
  child: ChildProcess;
  /** The pid on the listening line: the process that serves. */
  pid: number;
  port: number;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Served[] = [];
afterEach(() => {
  for (const s of started.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
});

function serve(env: NodeJS.ProcessEnv = {}, detached = false): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--log-level', 'info'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'], detached });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`archway serve exited with ${code}: ${lines.join('\n')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (!line.includes('archway gateway listening')) return;
      const v = JSON.parse(line) as { pid: number; url: string };
      const s = { child, pid: v.pid, port: Number(new URL(v.url).port), lines, exited };
      started.push(s);
      resolve(s);
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function gone(pid: number, withinMs: number): Promise<boolean> {
  for (const end = Date.now() + withinMs; Date.now() < end; ) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

const environ = (pid: number) => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
const stoppingLines = (lines: string[]) => lines.filter((l) => l.includes('stopping'));

describe('archway serve and its startup flags', () => {
  it('adds the young-generation flag unless the operator chose one', () => {
    expect(startupFlags([], '')).toEqual(['--max-semi-space-size=32']);
    expect(startupFlags(['--max-old-space-size=512'], '--no-allocation-site-pretenuring')).toEqual(['--max-semi-space-size=32']);
    expect(startupFlags(['--max-semi-space-size=16'], '')).toEqual([]);
    expect(startupFlags([], '--inspect --max_semi_space_size=8')).toEqual([]);
  });

  it('serves from a child started with the flag, which a SIGTERM to the parent stops once', async () => {
    const s = await serve({ NODE_OPTIONS: '--no-deprecation' });
    expect(s.pid).not.toBe(s.child.pid);
    expect(parentOf(s.pid)).toBe(s.child.pid);
    expect(environ(s.pid)).toContain('NODE_OPTIONS=--no-deprecation --max-semi-space-size=32');
    const res = await request(`http://127.0.0.1:${s.port}/sessions`);
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(stoppingLines(s.lines)).toHaveLength(1);
    expect(stoppingLines(s.lines)[0]).toContain('"signal":"SIGTERM"');
    expect(alive(s.pid)).toBe(false);
  });

  it('serves in its own process when the operator chose a young generation', async () => {
    const s = await serve({ NODE_OPTIONS: '--max-semi-space-size=16' });
    expect(s.pid).toBe(s.child.pid);
    s.child.kill('SIGTERM');
    expect((await s.exited).code).toBe(0);
  });

  it('serves in its own process under a debugger, which stays attached to the gateway', async () => {
    const s = await serve({ NODE_OPTIONS: '--inspect=127.0.0.1:0' });
    expect(s.pid).toBe(s.child.pid);
    s.child.kill('SIGTERM');
    expect((await s.exited).code).toBe(0);
  });

  it('a Ctrl-C at a terminal (SIGINT to the whole process group) stops the gateway once', async () => {
    const s = await serve({}, true);
    process.kill(-s.child.pid!, 'SIGINT');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(stoppingLines(s.lines)).toHaveLength(1);
    expect(s.lines.join('\n')).not.toContain('second SIGINT');
  });

  it('a parent killed outright takes its serving process down gracefully', async () => {
    const s = await serve();
    s.child.kill('SIGKILL');
    await s.exited;
    expect(await gone(s.pid, 8000)).toBe(true);
    expect(stoppingLines(s.lines)).toHaveLength(1);
  });

  it('the flag in NODE_OPTIONS lets the young generation grow past the default 32 MiB', async () => {
    // Objects that survive young collections make V8 grow the young generation to its ceiling.
    const grow = `
      const { getHeapSpaceStatistics } = await import('node:v8');
      const keep = []; let max = 0;
      for (let round = 0; round < 300; round++) {
        for (let i = 0; i < 20000; i++) keep.push({ a: i, b: [i] });
        if (keep.length > 300000) keep.splice(0, 150000);
        max = Math.max(max, getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
      }
      console.log(max / 1048576);`;
    const youngMiB = async (nodeOptions: string) => Number((await run(process.execPath, ['--input-type=module', '-e', grow], { env: { ...process.env, NODE_OPTIONS: nodeOptions } })).stdout);
    const [plain, tuned] = await Promise.all([youngMiB(''), youngMiB(startupFlags([], '').join(' '))]);
    expect(plain).toBeLessThanOrEqual(32);
    expect(tuned).toBeGreaterThan(32);
  });
});
