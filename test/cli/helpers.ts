/**
 * Helpers of the CLI tests: they run the real `bin/archway.js` (which loads the dist/ build, so
 * `npm run build` must have run) as a child process, exactly as a user's shell would.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { TypeRegistry } from '../../src/archive/index.js';
import { referenceOrder } from '../../src/demo/index.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'archway.js');
export const DEMO_TYPES_FILE = join(ROOT, 'types', 'demo.json');

export interface CliResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** `node bin/archway.js ...args` with `input` on stdin; resolves when the process has exited. */
export function runCli(args: string[], input: string | Uint8Array = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    // A usage error exits before stdin is read; the unread input then fails with EPIPE.
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(input);
  });
}

/**
 * `node bin/archway.js ...args` with the file at `path` on stdin, as `< path` gives it (`file`) or
 * as `cat path |` gives it (`pipe`: an OS pipe, where spawn's own stdin is a socket pair).
 */
export function runCliFrom(args: string[], path: string, how: 'file' | 'pipe'): Promise<CliResult> {
  const quoted = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, BIN, ...args].map(quoted).join(' ');
  const child = spawn('sh', ['-c', how === 'file' ? `${command} < ${quoted(path)}` : `cat ${quoted(path)} | ${command}`], { cwd: ROOT });
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end();
  });
}

export function spawnCli(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: 'pipe' });
}

/** Exit status `status`, nothing on stdout, exactly one line on stderr containing every fragment. */
export function expectFailure(result: CliResult, status: 1 | 2, ...fragments: string[]): void {
  expect(result.code, result.stderr).toBe(status);
  expect(result.stdout.length).toBe(0);
  expect(result.stderr).toMatch(/^[^\n]+\n$/);
  for (const fragment of fragments) expect(result.stderr).toContain(fragment);
}

/** A scratch folder for type files, removed by the returned function. */
export function tempDir(): { dir: string; file(name: string, text: string | Uint8Array): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'archway-cli-'));
  return {
    dir,
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The library's registry of the demo types, to check the CLI's bytes independently. */
export function demoRegistry(): TypeRegistry {
  const registry = new TypeRegistry();
  registry.addText(readFileSync(DEMO_TYPES_FILE, 'utf8'), DEMO_TYPES_FILE);
  return registry;
}

/** The reference Order of the demo types (SPEC §7), the one tests, benches and examples share. */
export const ORDER = referenceOrder(7);

/** `{id: DWORD, name: CString}` in code page 1252: small enough to write its bytes by hand. */
export const ITEM_TYPES = JSON.stringify({
  codePage: 1252,
  types: { Item: { fields: [{ name: 'id', type: 'DWORD' }, { name: 'name', type: 'CString' }] } },
});
