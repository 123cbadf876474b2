/**
 * Runs the README's curl walkthrough against `archway serve --demo` (what `npm start` runs), command
 * by command, and checks each answer shown after `# →` (every key shown must match; others may
 * follow). Ports are swapped for free ones: 8080 (gateway), 7000 (demo service), 9000 (server session).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);

interface Step {
  command: string;
  expected: unknown;
}

function walkthrough(): Step[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = /<!-- walkthrough:start -->([\s\S]*?)<!-- walkthrough:end -->/.exec(readme)?.[1];
  if (block === undefined) throw new Error('README has no walkthrough block');
  const lines = block.split('\n');
  const steps: Step[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('curl ')) continue;
    const next = lines[i + 1] ?? '';
    if (!next.startsWith('# → ')) throw new Error(`README: no "# →" answer after: ${lines[i]}`);
    steps.push({ command: lines[i]!, expected: JSON.parse(next.slice(4)) });
  }
  return steps;
}


/** Starts `archway serve --demo` on free ports; resolves once its "listening" log line shows. */
function serve(gatewayPort: number, demoPort: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/archway.js', 'serve', '--demo', '--port', String(gatewayPort), '--demo-port', String(demoPort)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('archway gateway listening')) resolve(child);
    });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => reject(new Error(`archway serve exited with ${code}: ${err}${out}`)));
  });
}

describe('README walkthrough', () => {
  const steps = walkthrough();
  let child: ChildProcess;
  let ports: { gateway: number; demo: number; server: number };

  beforeAll(async () => {
    ports = { gateway: await freePort(), demo: await freePort(), server: await freePort() };
    child = await serve(ports.gateway, ports.demo);
  });
  afterAll(async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    // close-with-grace: a clean stop exits 0
    expect(await exited).toBe(0);
  });

  const swap = (text: string) =>
    text
      .replaceAll('localhost:8080', `127.0.0.1:${ports.gateway}`)
      .replaceAll('"port":7000', `"port":${ports.demo}`)
      .replaceAll('"port":9000', `"port":${ports.server}`);

  it('has the whole sequence', () => {
    expect(steps.length).toBeGreaterThanOrEqual(20);
  });

  it('every command answers as the README says', async () => {
    for (const step of steps) {
      const args = swap(step.command);
      const { stdout } = await run('sh', ['-c', args], { cwd: root });
      let answer: unknown;
      try {
        answer = JSON.parse(stdout);
      } catch {
        throw new Error(`${step.command}\n answered non-JSON: ${stdout}`);
      }
      expect(answer, step.command).toMatchObject(JSON.parse(swap(JSON.stringify(step.expected))));
    }
  }, 60_000);
});
