/**
 * `archway <command>`: the command-line face of Archway. Each command lives in `commands/`.
 */
import type { Command } from './command.js';
import { UsageError } from './command.js';
import { canStartFresh, runInFreshProcess } from './fresh-process.js';
import { startupFlags } from './v8-tuning.js';

/** Loaded on demand so `archway decode` does not start Fastify. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: () => import('./commands/serve.js').then((m) => m.command),
  encode: () => import('./commands/encode.js').then((m) => m.command),
  decode: () => import('./commands/decode.js').then((m) => m.command),
  'demo-service': () => import('./commands/demo-service.js').then((m) => m.command),
  'import-cpp': () => import('./commands/import-cpp.js').then((m) => m.command),
};

/** Node options a command needs from its process's start (v8-tuning.ts), none the operator chose. */
const STARTUP_FLAGS: Record<string, () => string[]> = {
  serve: () => startupFlags(process.execArgv, process.env.NODE_OPTIONS),
};

/** Where the CLI runs from, when it may start itself again (bin/archway.js passes its own path). */
export interface MainOptions {
  entry?: string;
}

/** Loads every command for its one-line summary (help is rare; the commands stay lazy otherwise). */
async function help(): Promise<string> {
  const rows = await Promise.all(Object.entries(COMMANDS).map(async ([name, load]) => `  ${name.padEnd(14)} ${(await load()).summary}`));
  return [
    'usage: archway <command> [options]',
    '',
    'commands:',
    ...rows,
    '',
    'archway <command> --help shows the options of a command; archway --version the version.',
  ].join('\n');
}

/** The package's version, as `npm` knows it (read when asked: nothing else needs package.json). */
async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`archway ${await version()}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${await help()}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    process.stderr.write(`archway: unknown command '${name}'\n${await help()}\n`);
    return 2;
  }
  const wantsHelp = rest.includes('--help') || rest.includes('-h');
  const startup = STARTUP_FLAGS[name]?.() ?? [];
  if (!wantsHelp && startup.length > 0 && options.entry !== undefined && canStartFresh()) return runInFreshProcess(options.entry, argv, startup);
  const command = await load();
  if (wantsHelp) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`archway ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
