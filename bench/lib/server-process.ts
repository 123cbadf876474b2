/**
 * A server in its own process for the HTTP benches (the gateway via `archway serve`, or the bare
 * Fastify ceiling): spawned, awaited until a stdout line says where it listens, stopped with
 * SIGTERM. A bench that ends without stopping it (a crash, a failed check) kills it on the way out:
 * `archway serve` does not watch its stdin, and a leftover server would load the next bench.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  port: number;
  /**
   * The process that serves: the one that printed the listening line, as its `pid` field says
   * (`archway serve` starts its serving process itself, src/cli/fresh-process.ts), else the child.
   */
  pid: number;
  child: ChildProcess;
  stop(graceMs?: number): Promise<number | null>;
}

export function startServerProcess(
  args: readonly string[],
  portOf: (line: string) => number | undefined,
  options: { env?: NodeJS.ProcessEnv; nodeArgs?: readonly string[]; cwd?: string; startTimeoutMs?: number } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => (stderr = (stderr + s).slice(-4000)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.off('exit', killOnExit);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => fail('no listening line in time'), options.startTimeoutMs ?? 20_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      lines.close();
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')}: ${why}\n${stderr.trim()}`));
    };
    const onEarlyExit = (code: number | null) => fail(`exited with ${code}`);
    child.once('exit', onEarlyExit);
    lines.on('line', (line) => {
      const port = portOf(line);
      if (port === undefined) return;
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      lines.removeAllListeners('line');
      child.stdout!.resume();
      let stopping: Promise<number | null> | undefined;
      resolve({
        port,
        pid: announcedPid(line) ?? child.pid!,
        child,
        stop(graceMs = 10_000) {
          stopping ??= (async () => {
            if (child.exitCode !== null) return child.exitCode;
            child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
            const code = await exited;
            clearTimeout(t);
            return code;
          })();
          return stopping;
        },
      });
    });
  });
}

/** The port of `archway serve`'s "archway gateway listening" log line. */
export function gatewayPort(line: string): number | undefined {
  if (!line.includes('archway gateway listening')) return undefined;
  const url = (JSON.parse(line) as { url?: string }).url;
  return url === undefined ? undefined : Number(new URL(url).port);
}

/** The `pid` of a JSON log line (pino writes it on every line), if it has one. */
function announcedPid(line: string): number | undefined {
  try {
    const v = JSON.parse(line) as { pid?: unknown };
    return typeof v.pid === 'number' ? v.pid : undefined;
  } catch {
    return undefined;
  }
}

/** The port of a child that prints `{"port": n}` first. */
export function jsonPort(line: string): number | undefined {
  try {
    const v = JSON.parse(line) as { port?: unknown };
    return typeof v.port === 'number' ? v.port : undefined;
  } catch {
    return undefined;
  }
}
