/**
 * The demo archive service in another process, for benchmarks that must not share their process
 * (and its event loop and garbage collector) with the service they measure — SPEC 7 says "in
 * another process". Spawns `demo-child.js` (beside this file, in dist) on port 0, reads the ports it
 * printed, and stops it. Reused by the round-trip and gateway benches.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { DemoMode } from '../../src/demo/index.js';

export interface DemoProcessOptions {
  /** `order` (OrderAck for every Order) or `echo` (bytes back as they come). Default `echo`. */
  mode?: DemoMode;
  /** Numeric address to bind. Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port (read back from the child). */
  port?: number;
  /** Also echo UDP datagrams on the same port number. Default false. */
  udp?: boolean;
  /** Extra node options for the child, e.g. `['--cpu-prof', '--cpu-prof-dir=prof']`. */
  nodeArgs?: readonly string[];
  /** How long the child may take to report its ports. Default 10 s. */
  startTimeoutMs?: number;
}

export interface DemoProcess {
  readonly host: string;
  readonly port: number;
  readonly udpPort: number | undefined;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Stops the service (SIGTERM, SIGKILL after `graceMs`); resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

interface Ready {
  host: string;
  port: number;
  udpPort: number | null;
  pid: number;
}

function isReady(v: unknown): v is Ready {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.host === 'string' && typeof r.port === 'number' && typeof r.pid === 'number';
}

export function startDemoProcess(options: DemoProcessOptions = {}): Promise<DemoProcess> {
  const script = fileURLToPath(new URL('./demo-child.js', import.meta.url));
  if (!existsSync(script)) return Promise.reject(new Error(`${script} is missing: run \`npm run build\` first`));
  const childOptions = { mode: options.mode ?? 'echo', host: options.host ?? '127.0.0.1', port: options.port ?? 0, udp: options.udp ?? false };
  // stdin is a pipe the child watches: if this process dies, the pipe closes and the child stops.
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, JSON.stringify(childOptions)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    stderr = (stderr + s).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return new Promise<DemoProcess>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const fail = (why: string) => {
      clearTimeout(timer);
      lines.close();
      child.kill('SIGKILL');
      reject(new Error(`demo service process: ${why}${stderr ? `\n${stderr.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no ports reported within ${options.startTimeoutMs ?? 10_000} ms`), options.startTimeoutMs ?? 10_000);
    const onError = (err: Error) => fail(err.message);
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited before it was ready (${signal ?? `code ${code}`})`);
    child.once('error', onError);
    child.once('exit', onEarlyExit);
    lines.once('line', (line) => {
      let ready: unknown;
      try {
        ready = JSON.parse(line);
      } catch {
        ready = undefined;
      }
      if (!isReady(ready)) {
        fail(`unexpected first line ${JSON.stringify(line)}`);
        return;
      }
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      child.off('error', onError);
      child.on('error', () => undefined); // e.g. a signal to a process already gone: stop() copes
      lines.close();
      child.stdout!.resume(); // anything it prints later is drained, never blocks it
      let stopping: Promise<number | null> | undefined;
      resolve({
        host: ready.host,
        port: ready.port,
        udpPort: ready.udpPort ?? undefined,
        pid: ready.pid,
        child,
        stop(graceMs = 5000) {
          stopping ??= (async () => {
            if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
            const code = await exited;
            clearTimeout(timer);
            child.stdin!.destroy();
            return code;
          })();
          return stopping;
        },
      });
    });
  });
}
