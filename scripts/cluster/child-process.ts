/**
 * One process of a local cluster (Redis, HAProxy, a gateway, the demo service): spawned, awaited
 * until a line of its output says it is ready, stopped with a signal. Whatever it printed is kept
 * (the last few KiB) for the message of a start that failed, and can be echoed with a prefix. A
 * process still running when this one exits is killed, so nothing is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { delimiter, join } from 'node:path';

export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** The exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines it printed (stdout and stderr). */
  output(): string;
  /** Sends `signal` (SIGTERM), then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface LaunchOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** True for the line that says it is ready; none: ready once spawned (the caller checks more). */
  ready?: (line: string) => boolean;
  timeoutMs?: number;
  /** Each line as it comes (e.g. echoed with a prefix). */
  echo?: (line: string) => void;
}

const INSTALL = 'sudo bash scripts/system-packages.sh, or apt-get update && apt-get install -y haproxy redis-server';

/** The path of a system binary (PATH, then the sbin folders a non-root PATH may lack). */
export function findBinary(name: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir !== '' && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`${name} is not installed: a cluster needs Debian's haproxy and redis-server (install them with: ${INSTALL})`);
}

export function launch(name: string, command: string, args: readonly string[], options: LaunchOptions): Promise<Child> {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let kept = '';
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('exit', killOnExit);
      resolve({ code, signal });
    }),
  );
  let stopping: Promise<void> | undefined;
  const handle: Child = {
    name,
    pid: child.pid ?? -1,
    child,
    exited,
    output: () => kept,
    stop(signal = 'SIGTERM', graceMs = 10_000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => fail(`not ready within ${options.timeoutMs ?? 20_000} ms`), options.timeoutMs ?? 20_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${name} (${command} ${args.join(' ')}): ${why}\n${kept.trim()}`));
    };
    child.once('error', (err) => fail(err.message));
    if (options.ready === undefined) {
      child.once('spawn', () => {
        ready = true;
        clearTimeout(timer);
        resolve(handle);
      });
    }
    void exited.then(({ code, signal }) => {
      if (!ready) fail(`exited with ${code ?? signal}`);
    });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        kept = `${kept}${line}\n`.slice(-8000);
        options.echo?.(line);
        if (!ready && options.ready?.(line) === true) {
          ready = true;
          clearTimeout(timer);
          resolve(handle);
        }
      });
    }
  });
}
