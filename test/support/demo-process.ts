/**
 * The demo archive service in another process, as a legacy service would run: the real
 * `archway demo-service --port 0` (bin/archway.js, which loads the dist/ build, so `npm run build`
 * must have run). Its stdout is JSON log lines (pino); the launcher keeps them, so a test can wait
 * for one (`line`) instead of sleeping. The one launcher of the tests (the benches have their own,
 * bench/lib/demo-process.ts, which spawns a bare child without the CLI around it).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoMode } from '../../src/demo/index.js';

const BIN = fileURLToPath(new URL('../../bin/archway.js', import.meta.url));
const ROOT = join(BIN, '..', '..');

export interface LogLine {
  msg?: string;
  [key: string]: unknown;
}

export interface DemoProcessOptions {
  /** `order` (an OrderAck for every Order) or `echo`; none: the command's default (order). */
  mode?: DemoMode;
  /** UDP echo on the same port number (default true). */
  udp?: boolean;
  /** More `demo-service` arguments, e.g. `['--host', '127.0.0.1']`. */
  args?: string[];
}

export interface DemoProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** The `demo archive service listening` line. */
  readonly listening: LogLine;
  readonly port: number;
  /** The UDP echo's port (undefined with `udp: false`). */
  readonly udpPort: number | undefined;
  /** Every log line so far, in order. */
  readonly lines: readonly LogLine[];
  /** What it wrote on stderr so far. */
  readonly stderr: string;
  /** How it ended (exit code, or the signal that killed it). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first log line whose message contains `text`, waiting for it to be written. */
  line(text: string): Promise<LogLine>;
  /** SIGTERM (or `signal`), then its exit code (0: it closed cleanly). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

function isLogLine(v: unknown): v is LogLine {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Starts the service and resolves once it logged that it listens (with its real ports). */
export async function startDemoProcess(options: DemoProcessOptions = {}): Promise<DemoProcess> {
  const args = ['demo-service', '--port', '0', ...(options.mode === undefined ? [] : ['--mode', options.mode]), ...(options.udp === false ? ['--no-udp'] : []), ...(options.args ?? [])];
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: 'pipe' });
  const lines: LogLine[] = [];
  let stderr = '';
  let wake: (() => void)[] = [];
  const wakeAll = () => {
    const waiting = wake;
    wake = [];
    for (const w of waiting) w();
  };
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    pending += text;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) {
      if (part.trim() === '') continue;
      const parsed: unknown = JSON.parse(part);
      lines.push(isLogLine(parsed) ? parsed : { msg: part });
    }
    wakeAll();
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdin.end();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
      wakeAll();
    });
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;

  async function line(text: string): Promise<LogLine> {
    for (;;) {
      const found = lines.find((l) => typeof l.msg === 'string' && l.msg.includes(text));
      if (found !== undefined) return found;
      if (gone()) throw new Error(`the demo service exited before logging '${text}': ${stderr}`);
      await new Promise<void>((resolve) => wake.push(resolve));
    }
  }

  let listening: LogLine;
  try {
    listening = await line('listening');
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const { port, udpPort } = listening;
  if (typeof port !== 'number') throw new Error(`the demo service logged no port: ${JSON.stringify(listening)}`);
  return {
    child,
    listening,
    port,
    udpPort: typeof udpPort === 'number' ? udpPort : undefined,
    lines,
    get stderr() {
      return stderr;
    },
    exited,
    line,
    async stop(signal = 'SIGTERM') {
      if (!gone()) child.kill(signal);
      return (await exited).code;
    },
  };
}
