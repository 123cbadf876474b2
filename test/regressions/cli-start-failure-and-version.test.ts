/**
 * Regressions (issue 10, points 15 and 16): `archway serve` exited 0 when it could not start
 * (EADDRINUSE logged, status 0), so a supervisor believed it ran; `archway --version` was an
 * unknown command. Every start failure now exits non-zero with its one-line reason.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(root, 'bin', 'archway.js');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let holder: net.Server;
let busy: number;
beforeAll(async () => {
  holder = net.createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  busy = (holder.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => holder.close(() => r())));

describe('a start that fails', () => {
  it('archway serve on a port in use exits 1 with one line naming it', async () => {
    const r = await run(['serve', '--port', String(busy), '--log-level', 'silent']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`archway serve: .*${busy}`));
  });

  it('archway serve --demo with the demo port in use exits 1', async () => {
    const r = await run(['serve', '--demo', '--demo-port', String(busy), '--port', '0', '--log-level', 'silent']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(String(busy));
  });

  it('archway demo-service on a port in use exits 1', async () => {
    const r = await run(['demo-service', '--port', String(busy)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ADDRESS_IN_USE');
  });
});

describe('archway --version', () => {
  it('prints the package version with --version, -v and version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v', 'version']) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`archway ${version}\n`);
    }
  });
});
