/**
 * The README's curl walkthrough as steps, and a runner that plays them against a gateway (or a
 * balancer in front of several): each command is run by `sh` as the README writes it, with the
 * ports swapped for the ones given — 8080 (the gateway), 7000 (the demo service), 9000 (the
 * server session) — and each answer shown after `# →` is checked (every key shown must match;
 * others may follow).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);

export interface Step {
  command: string;
  expected: unknown;
}

export interface WalkthroughPorts {
  gateway: number;
  demo: number;
  server: number;
}

export function walkthroughSteps(): Step[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
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

/** Runs every step against `ports`, failing at the first answer that is not the README's; says how many ran. */
export async function runWalkthrough(steps: readonly Step[], ports: WalkthroughPorts): Promise<number> {
  const swap = (text: string) =>
    text
      .replaceAll('localhost:8080', `127.0.0.1:${ports.gateway}`)
      .replaceAll('"port":7000', `"port":${ports.demo}`)
      .replaceAll('"port":9000', `"port":${ports.server}`);
  for (const step of steps) {
    const { stdout } = await run('sh', ['-c', swap(step.command)], { cwd: ROOT });
    let answer: unknown;
    try {
      answer = JSON.parse(stdout);
    } catch {
      throw new Error(`${step.command}\n answered non-JSON: ${stdout}`);
    }
    expect(answer, step.command).toMatchObject(JSON.parse(swap(JSON.stringify(step.expected))));
  }
  return steps.length;
}
