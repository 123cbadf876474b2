/**
 * A command that needs Node options V8 reads only as a process starts (v8-tuning.ts) runs in a
 * child started with them: `archway serve` → `node <same options> bin/archway.js serve …` with the
 * options added to NODE_OPTIONS (so the child sees them and does not start another). The parent
 * only waits: the child has its stdio, gets the parent's termination signals once each (it runs
 * in its own process group, so a terminal's Ctrl-C does not reach it twice: close-with-grace
 * treats a second signal as "exit now"), and the parent ends as the child ended. A child whose
 * parent dies without passing a signal on (SIGKILL) stops gracefully when the IPC channel closes.
 */
import { spawn } from 'node:child_process';
import { url as inspectorUrl } from 'node:inspector';

/** Set in the child's environment only; the child removes it at once (not passed further down). */
const PARENT_ENV = 'ARCHWAY_STARTED_BY';

/** The signals close-with-grace stops on that a supervisor or a terminal sends. */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'] as const;

/**
 * Whether to run a command again in a child that way: POSIX (process groups and signals), and not
 * under a debugger (`node --inspect`), which would stay attached to a parent that only waits.
 */
export function canStartFresh(): boolean {
  return process.platform !== 'win32' && inspectorUrl() === undefined;
}

/**
 * Runs `node <execArgv> <entry> <argv>` with `nodeOptions` added to NODE_OPTIONS, and resolves to
 * its exit status (a child ended by a signal ends this process by the same signal).
 */
export function runInFreshProcess(entry: string, argv: readonly string[], nodeOptions: readonly string[]): Promise<number> {
  const env = { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, ...nodeOptions].filter((o) => o !== undefined && o !== '').join(' '), [PARENT_ENV]: String(process.pid) };
  const child = spawn(process.execPath, [...process.execArgv, entry, ...argv], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env, detached: true });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const s of FORWARDED) process.on(s, forward);
  return new Promise((resolve) => {
    child.once('error', (err) => {
      process.stderr.write(`archway: could not start the serving process: ${err.message}\n`);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      for (const s of FORWARDED) process.off(s, forward);
      if (signal !== null) process.kill(process.pid, signal);
      resolve(code ?? 1);
    });
  });
}

/**
 * In a child started by `runInFreshProcess`: stops the process with `signal` (a graceful stop)
 * when the parent is gone. Does nothing in a process started otherwise.
 */
export function stopWithParent(signal: NodeJS.Signals = 'SIGTERM'): void {
  if (process.env[PARENT_ENV] === undefined) return;
  delete process.env[PARENT_ENV];
  if (process.channel === undefined) return;
  // The channel must not keep the process alive, nor be the way anything talks to it.
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, signal));
}
